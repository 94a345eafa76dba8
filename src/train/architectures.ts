/**
 * Architectures: how a sentence becomes (hidden vector → word) predictions for a loss.
 *
 * - CBOW (Mikolov et al. 2013): the mean (or sum) of the context word vectors predicts the centre word;
 *   the gradient goes back, undivided, to every context word (gensim `cbow_mean=1`).
 * - Skip-gram: each context word's vector predicts the centre word (word2vec C's and gensim's order).
 * - PV-DM (Le & Mikolov 2014): CBOW with the document's vector joining every context (gensim `dm_mean=1`
 *   when `cbowMean`).
 * - PV-DBOW: the document's vector predicts each word of the document; with `withWords`, skip-gram word
 *   training interleaved position by position (gensim `dbow_words=1`).
 *
 * Both draw a random reduced window b ∈ [0, window) per centre word and use the span window − b.
 * They allocate nothing: `hidden` and `gradient` are per-thread scratch rows. Arithmetic is float32 in
 * the same order as the WebAssembly kernel (assembly/train.ts), so both give the same vectors.
 */
import type { Loss } from './losses.js';
import type { Random } from '../kernel/random.js';

/** What an architecture works with. */
export interface ArchitectureContext {
  dim: number;
  window: number;
  /** Input word vectors (vocab × dim; subword models: then a row a bucket), shared. */
  syn0: Float32Array;
  /** Document vectors (documents × dim), shared; empty for word2vec. */
  docs: Float32Array;
  /** A byte per word, 1 where the input vector stays fixed (continued training), or null. */
  locked: Uint8Array | null;
  /** CBOW: average the context (true) or sum it. */
  cbowMean: boolean;
  random: Random;
  /** Per-thread scratch row for the hidden vector. */
  hidden: Float32Array;
  /** Per-thread scratch row for the gradient, filled by the loss. */
  gradient: Float32Array;
}

/**
 * Trains on one (subsampled) sentence of word ids `sentence[0 … length)`; `doc` is the document the
 * sentence belongs to (doc2vec) or −1.
 */
export type SentenceTrainer = (sentence: Int32Array, length: number, alpha: number, doc: number) => void;

/** The span [start, end) of a reduced window b ∈ [0, window) drawn for position i (word2vec's and gensim's). */
function drawWindow(random: Random, window: number, i: number, length: number): [number, number] {
  const reduced = random.below(window);
  return [i - window + reduced > 0 ? i - window + reduced : 0, i + window + 1 - reduced < length ? i + window + 1 - reduced : length];
}

/**
 * CBOW's prediction from the bag summed in `ctx.hidden` (`count` vectors): their mean (or sum) predicts
 * `word`; the gradient for each input is left in `ctx.gradient`.
 */
function predictFromBag(ctx: ArchitectureContext, loss: Loss, count: number, word: number, alpha: number): void {
  const { dim, hidden, gradient, cbowMean } = ctx;
  const inverse = Math.fround(1 / count);
  if (cbowMean) for (let k = 0; k < dim; k++) hidden[k] *= inverse;
  gradient.fill(0);
  loss(hidden, 0, word, alpha);
  if (!cbowMean) for (let k = 0; k < dim; k++) gradient[k] *= inverse;
}

/** Builds the CBOW trainer; given a document, PV-DM. */
export function createCbow(ctx: ArchitectureContext, loss: Loss): SentenceTrainer {
  const { dim, window, syn0, docs, random, hidden, gradient, locked } = ctx;
  return (sentence, length, rate, doc) => {
    const alpha = Math.fround(rate);
    const docRow = doc * dim;
    for (let i = 0; i < length; i++) {
      const [start, end] = drawWindow(random, window, i, length);
      hidden.fill(0);
      let count = 0;
      for (let m = start; m < end; m++) {
        if (m === i) continue;
        const row = sentence[m]! * dim;
        for (let k = 0; k < dim; k++) hidden[k] += syn0[row + k]!;
        count++;
      }
      if (doc >= 0) {
        for (let k = 0; k < dim; k++) hidden[k] += docs[docRow + k]!;
        count++;
      }
      if (count === 0) continue;
      predictFromBag(ctx, loss, count, sentence[i]!, alpha);
      for (let m = start; m < end; m++) {
        if (m === i || (locked && locked[sentence[m]!])) continue;
        const row = sentence[m]! * dim;
        for (let k = 0; k < dim; k++) syn0[row + k] += gradient[k]!;
      }
      if (doc >= 0) for (let k = 0; k < dim; k++) docs[docRow + k] += gradient[k]!;
    }
  };
}

/** Skip-gram for the centre word at position `i`: each context word's vector predicts it. */
function skipGramAt(ctx: ArchitectureContext, loss: Loss, sentence: Int32Array, length: number, i: number, alpha: number): void {
  const { dim, window, syn0, random, gradient, locked } = ctx;
  const [start, end] = drawWindow(random, window, i, length);
  const word = sentence[i]!;
  for (let j = start; j < end; j++) {
    if (j === i) continue;
    const row = sentence[j]! * dim;
    gradient.fill(0);
    loss(syn0, row, word, alpha);
    if (locked && locked[sentence[j]!]) continue;
    for (let k = 0; k < dim; k++) syn0[row + k] += gradient[k]!;
  }
}

/** Builds the skip-gram trainer. */
export function createSkipGram(ctx: ArchitectureContext, loss: Loss): SentenceTrainer {
  return (sentence, length, rate) => {
    const alpha = Math.fround(rate);
    for (let i = 0; i < length; i++) skipGramAt(ctx, loss, sentence, length, i, alpha);
  };
}

/** Builds the PV-DBOW trainer; `withWords` interleaves skip-gram word training. */
export function createDbow(ctx: ArchitectureContext, loss: Loss, withWords: boolean): SentenceTrainer {
  const { dim, docs, gradient } = ctx;
  return (sentence, length, rate, doc) => {
    const alpha = Math.fround(rate);
    const docRow = doc * dim;
    for (let i = 0; i < length; i++) {
      if (withWords) skipGramAt(ctx, loss, sentence, length, i, alpha);
      gradient.fill(0);
      loss(docs, docRow, sentence[i]!, alpha);
      for (let k = 0; k < dim; k++) docs[docRow + k] += gradient[k]!;
    }
  };
}

/** A subword model's table: word w's input rows are `rows[offsets[w] … offsets[w + 1])` (vocab/subwords.ts). */
export interface SubwordRows {
  offsets: Int32Array;
  rows: Int32Array;
}

/** Adds every input row of `word` into `ctx.hidden`, in the table's order; returns how many. */
function addWordRows(ctx: ArchitectureContext, table: SubwordRows, word: number): number {
  const { dim, syn0, hidden } = ctx;
  const from = table.offsets[word]!;
  const to = table.offsets[word + 1]!;
  for (let r = from; r < to; r++) {
    const row = table.rows[r]! * dim;
    for (let k = 0; k < dim; k++) hidden[k] += syn0[row + k]!;
  }
  return to - from;
}

/**
 * Builds the subword CBOW trainer (fastText's `cbow`): the mean of every input row of every context word,
 * one flat bag, predicts the centre word; the gradient goes, undivided, to each of those rows. A locked
 * word keeps its own row; its n-grams learn.
 */
export function createSubwordCbow(ctx: ArchitectureContext, loss: Loss, table: SubwordRows): SentenceTrainer {
  const { dim, window, syn0, random, hidden, gradient, locked } = ctx;
  const { offsets, rows } = table;
  return (sentence, length, rate) => {
    const alpha = Math.fround(rate);
    for (let i = 0; i < length; i++) {
      const [start, end] = drawWindow(random, window, i, length);
      hidden.fill(0);
      let count = 0;
      for (let m = start; m < end; m++) {
        if (m === i) continue;
        count += addWordRows(ctx, table, sentence[m]!);
      }
      if (count === 0) continue;
      predictFromBag(ctx, loss, count, sentence[i]!, alpha);
      for (let m = start; m < end; m++) {
        if (m === i) continue;
        const word = sentence[m]!;
        for (let r = offsets[word]! + (locked && locked[word] ? 1 : 0), to = offsets[word + 1]!; r < to; r++) {
          const row = rows[r]! * dim;
          for (let k = 0; k < dim; k++) syn0[row + k] += gradient[k]!;
        }
      }
    }
  };
}

/**
 * Builds the subword skip-gram trainer (fastText's `skipgram`): for each context word, the mean of the
 * centre word's input rows predicts it; the gradient goes to each of those rows. The mean is summed once
 * per centre word and then moved by the word's shift times the gradient (as the WebAssembly kernel does).
 */
export function createSubwordSkipGram(ctx: ArchitectureContext, loss: Loss, table: SubwordRows & { shifts: Float32Array }): SentenceTrainer {
  const { dim, window, syn0, random, hidden, gradient, locked } = ctx;
  const { offsets, rows, shifts } = table;
  return (sentence, length, rate) => {
    const alpha = Math.fround(rate);
    for (let i = 0; i < length; i++) {
      const [start, end] = drawWindow(random, window, i, length);
      const word = sentence[i]!;
      const from = offsets[word]!;
      const to = offsets[word + 1]!;
      const inverse = Math.fround(1 / (to - from));
      const shift = shifts[word]!;
      let summed = false;
      for (let j = start; j < end; j++) {
        if (j === i) continue;
        if (!summed) {
          hidden.fill(0);
          addWordRows(ctx, table, word);
          for (let k = 0; k < dim; k++) hidden[k] *= inverse;
          summed = true;
        }
        gradient.fill(0);
        loss(hidden, 0, sentence[j]!, alpha);
        for (let r = from + (locked && locked[word] ? 1 : 0); r < to; r++) {
          const row = rows[r]! * dim;
          for (let k = 0; k < dim; k++) syn0[row + k] += gradient[k]!;
        }
        for (let k = 0; k < dim; k++) hidden[k] += Math.fround(shift * gradient[k]!);
      }
    }
  };
}
