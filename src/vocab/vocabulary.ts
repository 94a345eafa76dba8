/**
 * The final vocabulary: words with count ≥ min-count, most frequent first (ties in first-seen order, as
 * gensim's stable sort leaves them). Word ids are ranks: id 0 is the most frequent word.
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import type { WordCounter } from './counter.js';

/** Words, their counts and the word → id index. */
export class Vocabulary {
  /** Words by id (most frequent first). */
  readonly words: readonly string[];
  /** Counts by id. */
  readonly counts: Float64Array;
  /** Built on the first lookup: training itself never looks a word up. */
  private lookup: Map<string, number> | undefined;

  /**
   * @param words words by id
   * @param counts counts by id (same length)
   */
  constructor(words: readonly string[], counts: Float64Array) {
    this.words = words;
    this.counts = counts;
  }

  private get index(): Map<string, number> {
    if (!this.lookup) {
      this.lookup = new Map();
      for (let i = 0; i < this.words.length; i++) this.lookup.set(this.words[i]!, i);
    }
    return this.lookup;
  }

  /** Number of words. */
  get size(): number {
    return this.words.length;
  }

  /** Sum of all counts (the corpus size after min-count). */
  get totalCount(): number {
    let sum = 0;
    for (let i = 0; i < this.counts.length; i++) sum += this.counts[i]!;
    return sum;
  }

  /** The id of `word`, or -1. */
  id(word: string): number {
    return this.index.get(word) ?? -1;
  }

  /** True when `word` is in the vocabulary. */
  has(word: string): boolean {
    return this.index.has(word);
  }
}

/** The vocabulary and the map from counter slots (provisional ids in the token cache) to final ids. */
export interface BuiltVocabulary {
  vocabulary: Vocabulary;
  /** slot → final id, or -1 for words pruned or under min-count. */
  slotToId: Int32Array;
  /** The words under min-count (the base's rare words merged in). */
  rare: RareWords;
  /** Tokens of the counted text whose word is in the vocabulary. */
  keptTokens: number;
}

/** The vocabulary of a model being continued: its words (by id) and their counts. */
export interface BaseVocabulary {
  words: readonly string[];
  counts: ArrayLike<number>;
  /** Words it saw fewer than min-count times, and how often (kept so counts can be merged later). */
  rareWords?: readonly string[];
  rareCounts?: ArrayLike<number>;
}

/** Words seen fewer than min-count times, and their counts. */
export interface RareWords {
  words: string[];
  counts: Float64Array;
}

/**
 * Turns pass-1 counts into the final vocabulary.
 * @param counter the counts
 * @param minCount keep words seen at least this often
 * @param base when continuing a model: its words are kept whatever their counts, with the new counts
 *   added to theirs; a new word joins when its count reaches `minCount`; all are ranked by the merged
 *   counts (a tie keeps the model's words first, in their order)
 * @throws KotovecError EMPTY_CORPUS when no word is left
 */
export function buildVocabulary(counter: WordCounter, minCount: number, base?: BaseVocabulary): BuiltVocabulary {
  // `seen`: the counted text's own occurrences (a base word's count holds the model's too).
  const kept: { slot: number; word: string; count: number; seen: number }[] = [];
  const baseIndex = new Map<string, number>();
  if (base) {
    for (let i = 0; i < base.words.length; i++) {
      baseIndex.set(base.words[i]!, kept.length);
      kept.push({ slot: -1, word: base.words[i]!, count: Number(base.counts[i] ?? 0), seen: 0 });
    }
  }
  // The base's rare words: their counts join the new ones; they enter the vocabulary if the sum reaches min-count.
  const rareBefore = new Map<string, number>();
  for (let i = 0; i < (base?.rareWords?.length ?? 0); i++) rareBefore.set(base!.rareWords![i]!, Number(base!.rareCounts![i] ?? 0));
  const rare: { word: string; count: number }[] = [];
  for (const [slot, word, seen] of counter.entries()) {
    const known = baseIndex.get(word);
    if (known !== undefined) {
      kept[known]!.slot = slot;
      kept[known]!.count += seen;
      kept[known]!.seen = seen;
      continue;
    }
    const count = seen + (rareBefore.get(word) ?? 0);
    rareBefore.delete(word);
    if (count >= minCount) kept.push({ slot, word, count, seen });
    else rare.push({ word, count });
  }
  for (const [word, count] of rareBefore) rare.push({ word, count });
  if (kept.length === 0) {
    const why = counter.totalTokens === 0 ? 'the corpus has no tokens' : `no word occurs at least ${minCount} times (--min-count)`;
    throw new KotovecError(ErrorCodes.EMPTY_CORPUS, `empty vocabulary: ${why}`);
  }
  // Array.prototype.sort is stable: equal counts keep first-seen order (the base's words first).
  kept.sort((a, b) => b.count - a.count);
  const slotToId = new Int32Array(counter.slotCount).fill(-1);
  const counts = new Float64Array(kept.length);
  let keptTokens = 0;
  const words = kept.map((entry, id) => {
    if (entry.slot >= 0) slotToId[entry.slot] = id;
    counts[id] = entry.count;
    keptTokens += entry.seen;
    return entry.word;
  });
  return { vocabulary: new Vocabulary(words, counts), slotToId, rare: { words: rare.map((r) => r.word), counts: Float64Array.from(rare, (r) => r.count) }, keptTokens };
}
