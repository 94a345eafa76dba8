/**
 * Output layers ("losses"), separate from the architectures that feed them (after fastText's
 * `loss.h`). A loss takes a hidden vector `h` (a row of some matrix at `hOffset`), the word to predict
 * and the learning rate; it updates its own output weights and adds the gradient for `h` into
 * `ctx.gradient`, which the architecture then applies to its inputs. Both follow gensim's
 * `word2vec_inner.pyx` to the letter: a dot product outside [−6, 6] skips that output.
 *
 * - Negative sampling (Mikolov et al. 2013): the true word with label 1 and `negative` noise words drawn
 *   from unigram^0.75 with label 0 (a draw of the true word itself is skipped).
 * - Hierarchical softmax (Morin & Bengio 2005): a binary decision at each inner node of the word's
 *   Huffman path.
 */
import type { HuffmanTree } from '../vocab/huffman.js';
import type { NoiseTable } from '../vocab/sampling.js';
import type { Random } from './random.js';
import { MAX_EXP, SIGMOID_SCALE, type SigmoidTables } from './sigmoid.js';

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
}

/** A loss: predicts `word` from `h[hOffset … hOffset+dim)`, updates outputs, adds into the gradient. */
export type Loss = (h: Float32Array, hOffset: number, word: number, alpha: number) => void;

/** Builds the negative-sampling loss over a context. */
export function createNegativeSampling(ctx: LossContext): Loss {
  const { dim, syn1neg, negative, gradient, random, stats } = ctx;
  const { threshold, alias } = ctx.noise;
  const { sigmoid, lossPositive, lossNegative } = ctx.tables;
  const vocabSize = alias.length;
  const trainOutput = ctx.trainOutput;
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
      const row = target * dim;
      let f = 0;
      for (let k = 0; k < dim; k++) f += h[hOffset + k]! * syn1neg[row + k]!;
      if (f <= -MAX_EXP || f >= MAX_EXP) {
        if (label === 1 ? f < 0 : f > 0) loss += f < 0 ? -f : f;
        continue;
      }
      const index = ((f + MAX_EXP) * SIGMOID_SCALE) | 0;
      loss += label === 1 ? lossPositive[index]! : lossNegative[index]!;
      const g = (label - sigmoid[index]!) * alpha;
      if (trainOutput) {
        for (let k = 0; k < dim; k++) {
          gradient[k] += g * syn1neg[row + k]!;
          syn1neg[row + k] += g * h[hOffset + k]!;
        }
      } else {
        for (let k = 0; k < dim; k++) gradient[k] += g * syn1neg[row + k]!;
      }
    }
    stats.loss += loss;
    stats.outputs += negative + 1;
  };
}

/** Builds the hierarchical-softmax loss over a context. */
export function createHierarchicalSoftmax(ctx: LossContext): Loss {
  const { dim, syn1, gradient, stats } = ctx;
  const { offsets, codes, points } = ctx.huffman;
  const { sigmoid, lossPositive, lossNegative } = ctx.tables;
  const trainOutput = ctx.trainOutput;
  return (h, hOffset, word, alpha) => {
    let loss = 0;
    const end = offsets[word + 1]!;
    for (let b = offsets[word]!; b < end; b++) {
      const row = points[b]! * dim;
      let f = 0;
      for (let k = 0; k < dim; k++) f += h[hOffset + k]! * syn1[row + k]!;
      const code = codes[b]!;
      if (f <= -MAX_EXP || f >= MAX_EXP) {
        if (code === 0 ? f < 0 : f > 0) loss += f < 0 ? -f : f;
        continue;
      }
      const index = ((f + MAX_EXP) * SIGMOID_SCALE) | 0;
      // Code 0 means the label is 1 (gensim: g = (1 − code − σ) · α).
      loss += code === 0 ? lossPositive[index]! : lossNegative[index]!;
      const g = (1 - code - sigmoid[index]!) * alpha;
      if (trainOutput) {
        for (let k = 0; k < dim; k++) {
          gradient[k] += g * syn1[row + k]!;
          syn1[row + k] += g * h[hOffset + k]!;
        }
      } else {
        for (let k = 0; k < dim; k++) gradient[k] += g * syn1[row + k]!;
      }
    }
    stats.loss += loss;
    stats.outputs += end - offsets[word]!;
  };
}
