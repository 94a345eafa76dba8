/**
 * Vectors for words a subword model's vocabulary does not hold: the mean of their character n-grams'
 * rows, as fastText's `getWordVector` gives them (vocab/subwords.ts hashes the n-grams). The rows are
 * read by id — from the model in memory, or from its file — so a query reads that word's n-grams only.
 */
import type { SubwordSettings } from '../options.js';
import type { SubwordData } from '../model.js';
import { ngramRowOf } from '../kernel/ngramRows.js';
import { meanOfRows, ngramBuckets } from '../vocab/subwords.js';

/** Reads input rows by id (`words + bucket` for an n-gram), in the order given. */
export type InputRowReader = (rowIds: readonly number[]) => Float32Array;

/** Composes and remembers the vectors of out-of-vocabulary words. */
export class SubwordComposer {
  private readonly composed = new Map<string, Float32Array | null>();

  /**
   * @param settings the model's n-grams
   * @param words the vocabulary's size (n-gram bucket b is input row `words + b`)
   * @param readRows the model's input rows by id
   */
  constructor(
    readonly settings: SubwordSettings,
    private readonly words: number,
    private readonly dim: number,
    private readonly readRows: InputRowReader,
  ) {}

  /** The vector of a word from its n-grams alone (fastText's for a word it does not hold), or null when it has none. */
  vector(word: string): Float32Array | null {
    if (!this.composed.has(word)) {
      const rows = ngramBuckets(word, this.settings).map((bucket) => this.words + bucket);
      this.composed.set(word, rows.length === 0 ? null : meanOfRows(this.readRows(rows), rows.map((_, i) => i), this.dim));
    }
    return this.composed.get(word)!;
  }

  /** True when the word has n-grams to compose a vector from. */
  composes(word: string): boolean {
    return this.vector(word) !== null;
  }
}

/** A reader of rows held in memory: the words' own rows, then the n-gram rows (kept or computed again). */
export function rowsInMemory(subwords: SubwordData, dim: number): InputRowReader {
  const wordRows = subwords.wordRows!;
  const words = wordRows.length / dim;
  return (rowIds) => {
    const out = new Float32Array(rowIds.length * dim);
    rowIds.forEach((row, i) => {
      if (row < words) out.set(wordRows.subarray(row * dim, (row + 1) * dim), i * dim);
      else ngramRowOf(subwords, dim, row - words, out, i * dim);
    });
    return out;
  };
}
