/**
 * A subword model's n-gram rows, wherever they are kept. A 2,000,000-bucket matrix is 800 MB at dim 100,
 * yet a vocabulary of 35,000 words uses a tenth of its buckets: the others keep the values they started
 * with. So a bucket's initial row is a function of the model's seed and the bucket alone
 * ({@link initialNgramRow}), and a trained model keeps only the rows training moved
 * ({@link SubwordData.trainedBuckets}); any other row is computed again when asked for. Files from
 * fastText hold every row as it is (dense).
 */
import type { SubwordData } from '../model.js';
import { Random } from './random.js';

/** The generator state of bucket `bucket`'s initial row (the WebAssembly kernel's `initNgramRows` mirrors it). */
export function ngramRowSeed(seed: number, bucket: number): number {
  return (seed ^ Math.imul(bucket + 1, 0x9e3779b1)) | 0;
}

/**
 * Writes bucket `bucket`'s initial row — `dim` uniform values in [−1/dim, 1/dim), fastText's range — at
 * `out[at …]`. The same numbers in TypeScript and WebAssembly, on any thread, in any order.
 */
export function initialNgramRow(seed: number, bucket: number, dim: number, out: Float32Array, at = 0): void {
  const random = new Random(ngramRowSeed(seed, bucket));
  for (let k = 0; k < dim; k++) out[at + k] = (random.nextFloat() * 2 - 1) / dim;
}

/** Index of `value` in the ascending `sorted`, or −1. */
export function indexOfSorted(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = sorted[middle]!;
    if (at === value) return middle;
    if (at < value) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/**
 * Writes bucket `bucket`'s row of a model's n-gram rows in memory at `out[at …]`: the row it holds, or
 * (sparse rows) its initial row when training never moved it.
 */
export function ngramRowOf(subwords: SubwordData, dim: number, bucket: number, out: Float32Array, at = 0): void {
  const rows = subwords.ngramRows;
  if (!rows) throw new Error('ngramRowOf needs the n-gram rows');
  const trained = subwords.trainedBuckets;
  const index = trained ? indexOfSorted(trained, bucket) : bucket;
  if (index >= 0) out.set(rows.subarray(index * dim, (index + 1) * dim), at);
  else initialNgramRow(subwords.initSeed ?? 0, bucket, dim, out, at);
}

/** Every bucket's row, bucket × dim (what fastText's files hold): the rows themselves when they are dense. */
export function denseNgramRows(subwords: SubwordData, dim: number): Float32Array {
  const rows = subwords.ngramRows;
  if (!rows) throw new Error('denseNgramRows needs the n-gram rows');
  const trained = subwords.trainedBuckets;
  if (!trained) return rows;
  const out = new Float32Array(subwords.bucket * dim);
  const seed = subwords.initSeed ?? 0;
  let next = 0;
  for (let b = 0; b < subwords.bucket; b++) {
    if (next < trained.length && trained[next] === b) {
      out.set(rows.subarray(next * dim, (next + 1) * dim), b * dim);
      next++;
    } else initialNgramRow(seed, b, dim, out, b * dim);
  }
  return out;
}

/** How many n-gram rows a model keeps: every bucket's, or the trained ones'. */
export function keptNgramRows(subwords: SubwordData): number {
  return subwords.trainedBuckets ? subwords.trainedBuckets.length : subwords.bucket;
}

/**
 * A continued model's n-gram rows: the source's, with the rows this training moved in their place.
 * Dense source rows stay dense (fastText's rows are not a function of a seed); sparse ones stay sparse,
 * with the source's seed, so every row no training moved is still the source's.
 * @param trained the continued model's own (sparse) n-gram rows, trained from the source's
 */
export function overlayNgramRows(source: SubwordData, trained: SubwordData, dim: number): SubwordData {
  const buckets = trained.trainedBuckets;
  const rows = trained.ngramRows;
  if (!buckets || !rows || !source.ngramRows) throw new Error('overlayNgramRows needs the source rows and the trained rows');
  if (!source.trainedBuckets) {
    const dense = source.ngramRows.slice();
    for (let i = 0; i < buckets.length; i++) dense.set(rows.subarray(i * dim, (i + 1) * dim), buckets[i]! * dim);
    return { ...trained, ngramRows: dense, trainedBuckets: undefined, initSeed: undefined };
  }
  const union = Int32Array.from(new Set([...source.trainedBuckets, ...buckets])).sort();
  const merged = new Float32Array(union.length * dim);
  let next = 0;
  for (let i = 0; i < union.length; i++) {
    const bucket = union[i]!;
    if (next < buckets.length && buckets[next] === bucket) {
      merged.set(rows.subarray(next * dim, (next + 1) * dim), i * dim);
      next++;
    } else ngramRowOf(source, dim, bucket, merged, i * dim);
  }
  return { ...trained, ngramRows: merged, trainedBuckets: union, initSeed: source.initSeed };
}
