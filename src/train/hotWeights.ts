/**
 * Merge weights of the private hot rows (see `setHot` in assembly/config.ts). Between two merges each
 * thread updates its own copy of a hot row. A row updated a few times per interval takes the threads'
 * changes summed, as Hogwild would have applied them. A row updated so often that each thread alone
 * brings it to where its gradients balance (the rows next to the Huffman root, the noise rows of the most
 * frequent words) would overshoot by the sum — each thread made the whole correction — and swing from
 * merge to merge. In between, T threads that each contract a row's error by a fraction r per interval
 * should together contract it by 1 − (1 − r)^T, not T·r: the weight of the summed change is
 * w = (1 − (1 − r)^T) / (T·r), 1 for r → 0, 1/T for r → 1, with r = 1 − exp(−u / U) for u expected
 * updates of the row per interval and thread.
 */
import type { Hyperparameters } from '../options.js';
import type { HuffmanTree } from '../vocab/huffman.js';

/**
 * Updates after which a row has made about 63% of its correction: roughly 1 / (α·σ′·|h|²) for the
 * learning rates and hidden-vector norms of word2vec; 200 measured best of the values tried on the
 * English corpus (bench/RESULTS.md).
 */
const SETTLING_UPDATES = 200;

/** The weight of T threads' summed change for a row each thread updated `u` times. */
export function mergeWeight(u: number, threads: number): number {
  const r = 1 - Math.exp(-u / SETTLING_UPDATES);
  if (r < 1e-6) return 1;
  return (1 - Math.pow(1 - r, threads)) / (threads * r);
}

/**
 * Weights of the hot output rows (`outputStart … outputStart + outputCount − 1`) and hot input rows
 * (`0 … inputCount − 1`).
 * @param counts word counts (ids in frequency order)
 * @param keep keep probabilities of subsampling
 * @param interval raw words a thread trains between two merges
 */
export function hotMergeWeights(
  hyper: Hyperparameters,
  counts: ArrayLike<number>,
  keep: ArrayLike<number>,
  huffman: HuffmanTree | undefined,
  outputStart: number,
  outputCount: number,
  inputCount: number,
  interval: number,
  threads: number,
): { output: Float32Array; input: Float32Array } {
  const n = counts.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += counts[i]!;
  // Kept occurrences of each word per interval, and the predictions each makes.
  const kept = new Float64Array(n);
  let keptTotal = 0;
  for (let i = 0; i < n; i++) {
    kept[i] = (interval * counts[i]! * keep[i]!) / total;
    keptTotal += kept[i]!;
  }
  const contexts = hyper.window + 1; // expected context words of a position (reduced window)
  const skipGram = hyper.model === 'skipgram' || hyper.model === 'pv-dbow';
  // Predictions of each kept word: one (CBOW, PV-DM), one per context (skip-gram), one by its document
  // (PV-DBOW) plus one per context with --dbow-words.
  const perWord = hyper.model === 'skipgram' ? contexts : hyper.model === 'pv-dbow' ? 1 + (hyper.dbowWords ? contexts : 0) : 1;
  const predictionsAs = (i: number) => kept[i]! * perWord;
  const predictions = keptTotal * perWord;
  const output = new Float32Array(outputCount);
  if (huffman) {
    const through = new Float64Array(Math.max(1, n - 1));
    for (let w = 0; w < n; w++) for (let p = huffman.offsets[w]!; p < huffman.offsets[w + 1]!; p++) through[huffman.points[p]!]! += predictionsAs(w);
    for (let k = 0; k < outputCount; k++) output[k] = mergeWeight(through[outputStart + k]!, threads);
  } else {
    let noiseTotal = 0;
    for (let i = 0; i < n; i++) noiseTotal += Math.pow(counts[i]!, hyper.nsExponent);
    for (let k = 0; k < outputCount; k++) {
      const i = outputStart + k;
      const u = predictionsAs(i) + (predictions * hyper.negative * Math.pow(counts[i]!, hyper.nsExponent)) / noiseTotal;
      output[k] = mergeWeight(u, threads);
    }
  }
  const input = new Float32Array(inputCount);
  for (let i = 0; i < inputCount; i++) input[i] = mergeWeight(kept[i]! * contexts, threads);
  if (skipGram && !huffman) {
    // Measured per mode: skip-gram (and PV-DBOW) with negative sampling learns slower with its rows
    // weighted (on the bundled sample it lost its word relations in half the two-thread runs) and matched
    // gensim with its changes summed; every other mode gains from the weights.
    input.fill(1);
    output.fill(1);
  }
  return { output, input };
}
