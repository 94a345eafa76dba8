/**
 * Output layers ("losses"), separate from the architectures that feed them (after fastText's
 * `loss.h`). A loss takes a hidden vector `h` (a row of some matrix at `hOffset`), the word to predict
 * and the learning rate; it updates its own output weights and adds the gradient for `h` into
 * `ctx.gradient`, which the architecture then applies to its inputs. Both follow gensim's
 * `word2vec_inner.pyx` to the letter: a dot product outside [−6, 6] skips that output — except in
 * subword models, which follow fastText's `binaryLogistic`: there a decision outside [−6, 6] on the wrong
 * side still updates, with σ taken as 0 or 1 (`saturatedUpdates`).
 *
 * - Negative sampling (Mikolov et al. 2013): the true word with label 1 and `negative` noise words drawn
 *   from unigram^0.75 with label 0 (a draw of the true word itself is skipped).
 * - Hierarchical softmax (Morin & Bengio 2005): a binary decision at each inner node of the word's
 *   Huffman path.
 */
import type { HuffmanTree } from '../vocab/huffman.js';
import type { NoiseTable } from '../vocab/sampling.js';
import type { Random } from '../kernel/random.js';
import { MAX_EXP, SIGMOID_SCALE, type SigmoidTables } from '../kernel/sigmoid.js';

/** What a loss works with: shared weights, per-thread scratch and statistics. */
export interface LossContext {
  dim: number;
  /** Output weights for negative sampling (vocab × dim), shared. */
  syn1neg: Float32Array;
  /** Output weights of the inner Huffman nodes ((vocab − 1) × dim), shared. */
  syn1: Float32Array;
  noise: NoiseTable;
  huffman: HuffmanTree;
  negative: number;
  tables: SigmoidTables;
  random: Random;
  /** Per-thread scratch: the gradient for the hidden vector, accumulated by the loss. */
  gradient: Float32Array;
  /** Running loss: sum and number of output decisions. */
  stats: { loss: number; outputs: number };
  /** When false, output weights stay frozen (inference). */
  trainOutput: boolean;
  /** Decisions outside [−6, 6] on the wrong side update with σ as 0 or 1 (fastText) instead of being skipped (gensim). */
  saturatedUpdates?: boolean;
}

/** A loss: predicts `word` from `h[hOffset … hOffset+dim)`, updates outputs, adds into the gradient. */
export type Loss = (h: Float32Array, hOffset: number, word: number, alpha: number) => void;

/**
 * One binary decision of output row `row` of `weights`: σ(⟨h, row⟩) should be `label`. Adds the gradient
 * for h into the context's gradient, updates the row unless outputs are frozen, and returns the loss.
 * Outside [−6, 6] nothing is updated (gensim's rule) unless the context asks for fastText's saturated
 * updates; the loss there is approximated by |f| on the wrong side.
 */
function createDecision(ctx: LossContext, weights: Float32Array) {
  const { dim, gradient, trainOutput } = ctx;
  const saturated = ctx.saturatedUpdates === true;
  const { sigmoid, lossPositive, lossNegative } = ctx.tables;
  const dim4 = dim & ~3;
  const dim8 = dim & ~7;
  const fr = Math.fround;
  const scale = fr(SIGMOID_SCALE);
  const update = (h: Float32Array, hOffset: number, row: number, g: number) => {
    for (let j = 0; j < dim; j++) gradient[j] += fr(g * weights[row + j]!);
    if (trainOutput) for (let j = 0; j < dim; j++) weights[row + j] += fr(g * h[hOffset + j]!);
  };
  return (h: Float32Array, hOffset: number, row: number, label: number, alpha: number): number => {
    // float32 arithmetic in the WebAssembly kernel's order (two 4-lane accumulators over blocks of 8,
    // a leftover block of 4 into the first, lanes summed in order, then the tail), so both kernels
    // compute the same bits.
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    let k = 0;
    for (; k < dim8; k += 8) {
      const x = hOffset + k;
      const y = row + k;
      a0 = fr(a0 + fr(h[x]! * weights[y]!));
      a1 = fr(a1 + fr(h[x + 1]! * weights[y + 1]!));
      a2 = fr(a2 + fr(h[x + 2]! * weights[y + 2]!));
      a3 = fr(a3 + fr(h[x + 3]! * weights[y + 3]!));
      b0 = fr(b0 + fr(h[x + 4]! * weights[y + 4]!));
      b1 = fr(b1 + fr(h[x + 5]! * weights[y + 5]!));
      b2 = fr(b2 + fr(h[x + 6]! * weights[y + 6]!));
      b3 = fr(b3 + fr(h[x + 7]! * weights[y + 7]!));
    }
    if (k < dim4) {
      const x = hOffset + k;
      const y = row + k;
      a0 = fr(a0 + fr(h[x]! * weights[y]!));
      a1 = fr(a1 + fr(h[x + 1]! * weights[y + 1]!));
      a2 = fr(a2 + fr(h[x + 2]! * weights[y + 2]!));
      a3 = fr(a3 + fr(h[x + 3]! * weights[y + 3]!));
      k += 4;
    }
    let f = fr(fr(fr(fr(a0 + b0) + fr(a1 + b1)) + fr(a2 + b2)) + fr(a3 + b3));
    for (; k < dim; k++) f = fr(f + fr(h[hOffset + k]! * weights[row + k]!));
    if (f <= -MAX_EXP || f >= MAX_EXP) {
      const wrong = label === 1 ? f < 0 : f > 0;
      if (saturated && wrong) update(h, hOffset, row, fr(fr(label - (f > 0 ? 1 : 0)) * alpha));
      return wrong ? Math.abs(f) : 0;
    }
    const index = fr(fr(f + MAX_EXP) * scale) | 0;
    update(h, hOffset, row, fr(fr(label - sigmoid[index]!) * alpha));
    return label === 1 ? lossPositive[index]! : lossNegative[index]!;
  };
}

/** Builds the negative-sampling loss over a context. */
export function createNegativeSampling(ctx: LossContext): Loss {
  const { dim, negative, random, stats } = ctx;
  const { threshold, alias } = ctx.noise;
  const vocabSize = alias.length;
  const decide = createDecision(ctx, ctx.syn1neg);
  return (h, hOffset, word, alpha) => {
    let loss = 0;
    for (let d = 0; d <= negative; d++) {
      let target = word;
      let label = 1;
      if (d > 0) {
        const slot = Math.floor(random.nextU32() * vocabSize * 2.3283064365386963e-10);
        target = random.nextU32() < threshold[slot]! ? slot : alias[slot]!;
        if (target === word) continue;
        label = 0;
      }
      loss += decide(h, hOffset, target * dim, label, alpha);
    }
    stats.loss += loss;
    stats.outputs += negative + 1;
  };
}

/** Builds the hierarchical-softmax loss over a context. */
export function createHierarchicalSoftmax(ctx: LossContext): Loss {
  const { dim, stats } = ctx;
  const { offsets, codes, points } = ctx.huffman;
  const decide = createDecision(ctx, ctx.syn1);
  return (h, hOffset, word, alpha) => {
    let loss = 0;
    const end = offsets[word + 1]!;
    // Code 0 means label 1 (gensim: g = (1 − code − σ) · α).
    for (let b = offsets[word]!; b < end; b++) loss += decide(h, hOffset, points[b]! * dim, codes[b] === 0 ? 1 : 0, alpha);
    stats.loss += loss;
    stats.outputs += end - offsets[word]!;
  };
}
