/**
 * One worker's training loop over its part of the token cache, for every epoch: subsample each
 * sentence, hand it to the architecture, decay the learning rate linearly by global progress (every
 * {@link SCHEDULE_WORDS} words, from all workers' counts), publish progress and honour the stop flag.
 */
import { forEachRecord, MAX_SENTENCE_LENGTH } from '../corpus/tokenCache.js';
import { createCbow, createSkipGram, type SentenceTrainer } from './architectures.js';
import { createHierarchicalSoftmax, createNegativeSampling, type LossContext } from './losses.js';
import { Control, Progress, PROGRESS_SLOTS, type WorkerInit } from './protocol.js';
import { Random } from './random.js';
import { learningRate } from './schedule.js';
import { buildSigmoidTables } from './sigmoid.js';

/** Words between two learning-rate updates (word2vec C and gensim use 10,000). */
export const SCHEDULE_WORDS = 10000;

/** Thrown inside the record loop to leave it when the stop flag is raised. */
class StopSignal extends Error {}

/**
 * Runs one worker's share of training.
 * @returns `true` when it ran to the end, `false` when it was stopped
 */
export function runWorker(init: WorkerInit): boolean {
  const { hyper, tables, shared, index, threads } = init;
  const dim = hyper.dim;
  const random = new Random(hyper.seed * 7919 + index);
  const progress = new Float64Array(shared.progress);
  const control = new Int32Array(shared.control);
  const lossContext: LossContext = {
    dim,
    syn1neg: shared.syn1neg ? new Float32Array(shared.syn1neg) : new Float32Array(0),
    syn1: shared.syn1 ? new Float32Array(shared.syn1) : new Float32Array(0),
    noise: { threshold: tables.noiseThreshold, alias: tables.noiseAlias },
    huffman: { offsets: tables.huffmanOffsets, codes: tables.huffmanCodes, points: tables.huffmanPoints },
    negative: hyper.negative,
    tables: buildSigmoidTables(),
    random,
    gradient: new Float32Array(dim),
    stats: { loss: 0, outputs: 0 },
    trainOutput: true,
  };
  const loss = hyper.loss === 'hs' ? createHierarchicalSoftmax(lossContext) : createNegativeSampling(lossContext);
  const archContext = {
    dim,
    window: hyper.window,
    syn0: new Float32Array(shared.syn0),
    cbowMean: hyper.cbowMean,
    random,
    hidden: new Float32Array(dim),
    gradient: lossContext.gradient,
  };
  const train: SentenceTrainer = hyper.model === 'skipgram' ? createSkipGram(archContext, loss) : createCbow(archContext, loss);

  const keep = tables.keepThreshold;
  const sentence = new Int32Array(MAX_SENTENCE_LENGTH);
  const slot = index * PROGRESS_SLOTS;
  const totalWork = init.totalWords * hyper.epochs;
  let wordsDone = 0;
  let nextUpdate = SCHEDULE_WORDS;
  let alpha = hyper.alpha;
  const publish = () => {
    progress[slot + Progress.WORDS] = wordsDone;
    progress[slot + Progress.LOSS] = lossContext.stats.loss;
    progress[slot + Progress.OUTPUTS] = lossContext.stats.outputs;
    let global = 0;
    for (let t = 0; t < threads; t++) global += progress[t * PROGRESS_SLOTS + Progress.WORDS]!;
    alpha = learningRate(hyper.alpha, hyper.minAlpha, global / totalWork);
    progress[slot + Progress.ALPHA] = alpha;
  };
  const visit = (buffer: Int32Array, start: number, length: number) => {
    let n = 0;
    for (let i = start, end = start + length; i < end; i++) {
      const word = buffer[i]!;
      const threshold = keep[word]!;
      if (threshold < 4294967296 && random.nextU32() >= threshold) continue;
      sentence[n++] = word;
    }
    if (n > 1) train(sentence, n, alpha);
    wordsDone += length;
    if (wordsDone >= nextUpdate) {
      nextUpdate = wordsDone + SCHEDULE_WORDS;
      publish();
      if (Atomics.load(control, Control.STOP) !== 0) throw new StopSignal();
    }
  };
  try {
    for (let epoch = 0; epoch < hyper.epochs; epoch++) {
      forEachRecord(init.cachePath, init.range.fromInt, init.range.toInt, visit);
    }
  } catch (error) {
    if (error instanceof StopSignal) return false;
    throw error;
  }
  publish();
  return true;
}
