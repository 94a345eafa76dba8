/**
 * Continued training's memory of the text the model learned from. Training a model further on new text
 * alone, from a fresh learning-rate schedule, moves its rows to fit the new text and forgets the old one
 * (gensim's `build_vocab(update=True)` does; measured in bench/RESULTS.md). The old text is not read
 * again, so its loss is stood in for by a quadratic around the source's rows, as elastic weight
 * consolidation does: word w, seen a_w times in the source's text, is pulled towards its source row as
 * a_w more occurrences of it would pull, each of curvature λ (`--anchor`):
 *
 *     row ← row + (1 − e^(−s_w · dose)) · (source row − row),  s_w = λ · keep_w · a_w / N,
 *
 * where N is the new text's words per epoch, keep_w the word's subsampling keep probability (only kept
 * occurrences train a row) and dose = learning rate × words trained since the last pull. Both the input
 * vector and (negative sampling) the output row of each source word are pulled; new words (a_w = 0) and
 * models without counts (imported vectors) are not. Each worker pulls its own share of the rows every
 * {@link anchorInterval} of its words, so the pull follows the learning-rate schedule as the data does.
 */
import { floatView, type MemoryLayout } from '../kernel/memory.js';
import type { KernelExports } from '../kernel/wasm.js';

/**
 * Per-row pull strengths s_w (0 for a row not held).
 * @param sourceIds the new vocabulary's id of each source row (−1: dropped)
 * @param sourceCounts the source's count of each of its rows
 * @param keep keep probabilities by new id
 * @param wordsPerEpoch the new text's words per epoch (N)
 * @param lambda `--anchor`
 */
export function anchorStrengths(
  sourceIds: Int32Array,
  sourceCounts: ArrayLike<number>,
  keep: ArrayLike<number>,
  wordsPerEpoch: number,
  lambda: number,
  out: Float32Array,
): void {
  const perOccurrence = lambda / Math.max(1, wordsPerEpoch);
  for (let row = 0; row < sourceIds.length; row++) {
    const id = sourceIds[row]!;
    if (id >= 0) out[id] = perOccurrence * keep[id]! * sourceCounts[row]!;
  }
}

/**
 * Words a worker trains between two pulls: at most 100,000, at least 1,000, and about 256 pulls over a
 * run, so that a short continuation is held as a long one is.
 */
export function anchorInterval(totalWork: number, threads: number): number {
  return Math.min(100_000, Math.max(1000, Math.ceil(totalWork / threads / 256)));
}

/**
 * row ← row + r·(anchor − row) for each row id in [from, to) whose rate r is not 0, each operation
 * rounded to float32: the TypeScript twin of the kernel's `pullRows`, to the bit.
 */
export function pullRowsInJs(rows: Float32Array, anchors: Float32Array, rates: Float32Array, from: number, to: number, dim: number): void {
  for (let id = from; id < to; id++) {
    const r = rates[id]!;
    if (r === 0) continue;
    for (let k = id * dim, end = k + dim; k < end; k++) rows[k] = rows[k]! + Math.fround(r * Math.fround(anchors[k]! - rows[k]!));
  }
}

/**
 * The pull of worker `index`'s share of the rows, or null when the pass holds none.
 * @param kernel the WebAssembly kernel over `memory` (SIMD), or null for the TypeScript loop (same bits)
 * @returns a function of the dose (learning rate × words trained by all workers since its last call)
 */
export function createAnchorPull(
  memory: WebAssembly.Memory,
  layout: MemoryLayout,
  index: number,
  threads: number,
  kernel: KernelExports | null,
): ((dose: number) => void) | null {
  if (!layout.anchorInputs) return null;
  const { dim, vocabSize } = layout;
  const from = Math.floor((vocabSize * index) / threads);
  const to = Math.floor((vocabSize * (index + 1)) / threads);
  const strength = floatView(memory, layout.anchorStrength, vocabSize);
  const rates = floatView(memory, layout.anchorRates, vocabSize);
  const pairs: [number, number][] = [[layout.syn0, layout.anchorInputs]];
  if (layout.anchorOutputs) pairs.push([layout.syn1neg, layout.anchorOutputs]);
  const pull = kernel
    ? (rows: number, anchors: number) => kernel.pullRows(rows, anchors, layout.anchorRates, from, to, dim)
    : (rows: number, anchors: number) => pullRowsInJs(floatView(memory, rows, vocabSize * dim), floatView(memory, anchors, vocabSize * dim), rates, from, to, dim);
  return (dose) => {
    for (let id = from; id < to; id++) {
      const s = strength[id]!;
      rates[id] = s === 0 ? 0 : 1 - Math.exp(-s * dose);
    }
    for (const [rows, anchors] of pairs) pull(rows, anchors);
  };
}
