/**
 * Character n-grams of words, hashed into buckets as fastText does (Bojanowski et al. 2017, "Enriching
 * Word Vectors with Subword Information"; fastText's `Dictionary::computeSubwords` and `hash`): the word
 * is wrapped in `<` and `>`, every run of `minn … maxn` Unicode characters of it is an n-gram (lengths
 * counted in characters, cut on UTF-8 boundaries; a single `<` or `>` is not one), and each n-gram's
 * UTF-8 bytes are hashed with 32-bit FNV-1a — each byte sign-extended first, fastText's quirk that every
 * published model depends on — modulo the bucket count. A subword model's input matrix holds the words'
 * own rows, then one row a bucket: n-gram bucket b is row `words + b`.
 */
import type { SubwordSettings } from '../options.js';

export type { SubwordSettings };

/** fastText's end-of-sentence word, which has no n-grams. */
export const END_OF_SENTENCE = '</s>';

const FNV_OFFSET = 2166136261;
const FNV_PRIME = 16777619;
const encoder = new TextEncoder();

/**
 * fastText's hash of `bytes[start … end)`: FNV-1a with each byte sign-extended to 32 bits before the xor
 * (`h ^= uint32_t(int8_t(c))`), as every released fastText model was trained.
 */
export function fastTextHash(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul((h ^ ((bytes[i]! << 24) >> 24)) >>> 0, FNV_PRIME) >>> 0;
  return h;
}

/**
 * Visits every n-gram of `<word>` in fastText's order (by start, then by length) with its bytes' range.
 * `<` and `>` alone are skipped; `</s>` has none.
 */
function forEachNgram(word: string, minn: number, maxn: number, visit: (bytes: Uint8Array, start: number, end: number) => void): void {
  if (maxn <= 0 || word === END_OF_SENTENCE) return;
  const bytes = encoder.encode(`<${word}>`);
  const size = bytes.length;
  for (let i = 0; i < size; i++) {
    if ((bytes[i]! & 0xc0) === 0x80) continue;
    let j = i;
    for (let n = 1; j < size && n <= maxn; n++) {
      j++;
      while (j < size && (bytes[j]! & 0xc0) === 0x80) j++;
      if (n >= minn && !(n === 1 && (i === 0 || j === size))) visit(bytes, i, j);
    }
  }
}

/**
 * The bucket of each of the word's n-grams, in fastText's order (repeats kept, as fastText keeps them).
 * @example ngramBuckets('where', { minn: 3, maxn: 3, bucket: 2_000_000 }) // <wh, whe, her, ere, re>
 */
export function ngramBuckets(word: string, settings: SubwordSettings): number[] {
  const buckets: number[] = [];
  forEachNgram(word, settings.minn, settings.maxn, (bytes, start, end) => buckets.push(fastTextHash(bytes, start, end) % settings.bucket));
  return buckets;
}

/** The word's n-grams as text, in fastText's order (what `fasttext print-ngrams` lists). */
export function characterNgrams(word: string, minn: number, maxn: number): string[] {
  const decoder = new TextDecoder();
  const ngrams: string[] = [];
  forEachNgram(word, minn, maxn, (bytes, start, end) => ngrams.push(decoder.decode(bytes.subarray(start, end))));
  return ngrams;
}

/**
 * Every word's input rows, as fastText's dictionary keeps them: the word's own row (its id), then
 * `words + bucket` for each n-gram. Row lists lie back to back in `rows`; word w's are
 * `rows[offsets[w] … offsets[w + 1])`.
 */
export interface SubwordTable {
  offsets: Int32Array;
  rows: Int32Array;
}

/** Builds the {@link SubwordTable} of a vocabulary (words by id). */
export function buildSubwordTable(words: readonly string[], settings: SubwordSettings): SubwordTable {
  const offsets = new Int32Array(words.length + 1);
  let rows = new Int32Array(Math.max(16, words.length * 8));
  let n = 0;
  for (let w = 0; w < words.length; w++) {
    const buckets = ngramBuckets(words[w]!, settings);
    if (n + 1 + buckets.length > rows.length) {
      const grown = new Int32Array(Math.max(rows.length * 2, n + 1 + buckets.length));
      grown.set(rows.subarray(0, n));
      rows = grown;
    }
    rows[n++] = w;
    for (const b of buckets) rows[n++] = words.length + b;
    offsets[w + 1] = n;
  }
  return { offsets, rows: rows.slice(0, n) };
}

/**
 * A word's vector as fastText composes it: the mean of the given input rows of `matrix` (`dim` wide).
 * An empty list gives zeros. Summed in float32, row by row, as fastText's `getWordVector` does.
 */
export function meanOfRows(matrix: Float32Array, rowIds: ArrayLike<number>, dim: number, out: Float32Array = new Float32Array(dim)): Float32Array {
  out.fill(0);
  for (let i = 0; i < rowIds.length; i++) {
    const at = rowIds[i]! * dim;
    for (let k = 0; k < dim; k++) out[k] = Math.fround(out[k]! + matrix[at + k]!);
  }
  if (rowIds.length > 0) {
    const inverse = Math.fround(1 / rowIds.length);
    for (let k = 0; k < dim; k++) out[k] = Math.fround(out[k]! * inverse);
  }
  return out;
}

/**
 * The vectors of a table's words from the rows of `matrix` it names (while training: the words' rows,
 * then the used buckets'): each the mean of its rows, summed in float32 in the table's order — its own
 * row, then its n-grams' — as fastText's `getWordVector` sums them.
 */
export function composeFromTable(matrix: Float32Array, table: SubwordTable, dim: number): Float32Array {
  const words = table.offsets.length - 1;
  const out = new Float32Array(words * dim);
  for (let w = 0; w < words; w++) {
    meanOfRows(matrix, table.rows.subarray(table.offsets[w]!, table.offsets[w + 1]!), dim, out.subarray(w * dim, (w + 1) * dim));
  }
  return out;
}

/** Where the n-gram rows lie while training (see {@link compactBuckets}). */
export interface BucketLayout {
  /** position[bucket]: the row (after the words') that holds the bucket, −1 for a bucket no word uses. */
  position: Int32Array;
  /** buckets[row]: the bucket the row holds — the inverse of `position`. */
  buckets: Int32Array;
}

/**
 * Where each n-gram bucket's row lies while training: only the buckets the vocabulary's words use, in the
 * order the words (most frequent first) first use them. The rows the training reads most then lie together
 * at the front, and the others are not in memory at all (a 2,000,000-bucket matrix is 800 MB at dim 100;
 * the used rows of a 35,000-word vocabulary are a tenth of it, and the frequent words' rows a few
 * megabytes). Rewrites `table`'s n-gram rows to these positions.
 */
export function compactBuckets(table: SubwordTable, words: number, bucket: number): BucketLayout {
  const position = new Int32Array(bucket).fill(-1);
  const order: number[] = [];
  const rows = table.rows;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row < words) continue;
    const b = row - words;
    if (position[b] === -1) {
      position[b] = order.length;
      order.push(b);
    }
    rows[i] = words + position[b]!;
  }
  return { position, buckets: Int32Array.from(order) };
}

/**
 * The rows laid out by {@link compactBuckets} in bucket order: the used buckets ascending and their rows,
 * as a model's `SubwordData.trainedBuckets` and `ngramRows` keep them.
 */
export function rowsInBucketOrder(matrix: Float32Array, layout: BucketLayout, dim: number): { buckets: Int32Array; rows: Float32Array } {
  const buckets = layout.buckets.slice().sort();
  const rows = new Float32Array(buckets.length * dim);
  for (let i = 0; i < buckets.length; i++) {
    const from = layout.position[buckets[i]!]! * dim;
    rows.set(matrix.subarray(from, from + dim), i * dim);
  }
  return { buckets, rows };
}

/**
 * How far each word's mean of input rows moves when every row of its list that learns gets a gradient g,
 * in units of g: (Σ over its list's entries of the learning entries equal to it) ÷ the list's length —
 * 1 unless a row repeats in the list, or the word's own row (the first) is locked. Skip-gram moves the
 * mean by this instead of summing the rows again after every prediction.
 * @param locked a byte per word, 1 where its own row stays fixed (or null)
 */
export function meanShifts(table: SubwordTable, locked: Uint8Array | null, out: Float32Array): Float32Array {
  const { offsets, rows } = table;
  for (let w = 0; w + 1 < offsets.length; w++) {
    const from = offsets[w]!;
    const to = offsets[w + 1]!;
    const firstLearning = locked && locked[w] ? from + 1 : from;
    let moves = 0;
    for (let i = from; i < to; i++) for (let j = firstLearning; j < to; j++) if (rows[i] === rows[j]) moves++;
    out[w] = Math.fround(moves / (to - from));
  }
  return out;
}
