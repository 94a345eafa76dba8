/**
 * One worker's training loop: take the next block of the token cache from the shared counter until every
 * epoch's blocks are taken, subsample each sentence, hand it to the architecture (WebAssembly SIMD kernel,
 * or the TypeScript one), decay the learning rate linearly by global progress (every
 * {@link SCHEDULE_WORDS} words, from all workers' counts), hold a continued model's rows (anchor.ts),
 * publish progress and honour the stop flag.
 */
import type { TextOrder } from '../options.js';
import { MAX_SENTENCE_LENGTH, READ_BUFFER_INTS, TokenCacheReader, mapRecord } from '../corpus/tokenCache.js';
import { createCbow, createDbow, createSkipGram, createSubwordCbow, createSubwordSkipGram } from './architectures.js';
import { createHierarchicalSoftmax, createNegativeSampling, type LossContext } from './losses.js';
import { floatView, subwordViews } from '../kernel/memory.js';
import { Control, HOT_SYNC_WORDS, Progress, PROGRESS_SLOTS, vectorSeeds, type NonFinite, type WorkerInit } from './protocol.js';
import { jumpState, Random } from '../kernel/random.js';
import { learningRate, scheduleKind, threadProgress } from './schedule.js';
import { anchorInterval, createAnchorPull } from './anchor.js';
import { buildSigmoidTables } from '../kernel/sigmoid.js';
import { instantiateKernel, type KernelExports } from '../kernel/wasm.js';
import { loadNativeKernel } from '../kernel/native.js';

/** Words between two learning-rate updates (word2vec C and gensim use 10,000). */
export const SCHEDULE_WORDS = 10000;
/** Words a worker trains between two merges of its hot rows (see `setHot` in assembly/config.ts). */


/** Thrown inside the record loop to leave it when the stop flag is raised. */
class StopSignal extends Error {}

/** Trains one record: (read buffer, start, length, tag, alpha). */
type RecordTrainer = (buffer: Int32Array, start: number, length: number, tag: number, alpha: number) => void;

interface Engine {
  train: RecordTrainer;
  loss(): number;
  outputs(): number;
  /** Takes this thread's private copies of the hot rows (once the weights are initialised). */
  start(): void;
  /** Merges this thread's private hot output rows with the shared ones (when it keeps any). */
  sync(): void;
  /** The WebAssembly kernel (for set-up and checks), when it is the one running. */
  kernel: KernelExports | null;
}

/**
 * The rows a worker keeps private copies of (see `setHot` in assembly/config.ts), or null without any:
 * output rows `start … start + count − 1` of `matrix`, the input rows of words 0 … inputs − 1, and where
 * their merge weights lie.
 */
function hotRowPlan({ hyper, shared: { layout } }: WorkerInit) {
  if (layout.hotRows === 0) return null;
  // NS: the most frequent words (ids are in frequency order) are the most drawn noise words.
  // HS: every path starts at the root, the inner node with the highest id; its neighbours follow.
  const hs = hyper.loss === 'hs';
  const rows = hs ? Math.max(1, layout.vocabSize - 1) : layout.vocabSize;
  const count = Math.min(layout.hotRows, rows);
  return {
    matrix: hs ? layout.syn1 : layout.syn1neg,
    start: hs ? rows - count : 0,
    count,
    // PV-DBOW alone never reads a word vector: private copies of them would only cost merges.
    inputs: hyper.model !== 'pv-dbow' || hyper.dbowWords ? Math.min(layout.hotRows, layout.vocabSize) : 0,
    outputWeights: layout.hotWeights,
    inputWeights: layout.hotWeights + layout.hotRows * 4,
  };
}

function wasmEngine(init: WorkerInit, seed: number): Engine {
  const { hyper, shared } = init;
  const { memory, layout } = shared;
  const scratch = layout.threads[init.index]!;
  const kernel = instantiateKernel(init.wasm!, memory, layout, {
    negative: hyper.negative,
    window: hyper.window,
    cbowMean: hyper.cbowMean,
    hs: hyper.loss === 'hs',
  });
  kernel.setScratch(scratch.hidden, scratch.gradient, scratch.sentence, scratch.group, seed);
  kernel.setLearning(1, 1, 1);
  kernel.setLockedRows(layout.lockedRows);
  const start = () => {
    const plan = hotRowPlan(init);
    if (!plan) return;
    kernel.setHot(plan.matrix, plan.start, plan.count, scratch.hotLocal, scratch.hotBase);
    if (plan.inputs > 0) kernel.setHotInputs(plan.inputs, scratch.hotInputLocal, scratch.hotInputBase);
    kernel.setHotWeights(plan.outputWeights, plan.inputWeights);
  };
  const at = (buffer: Int32Array, start: number) => buffer.byteOffset + start * 4;
  const sync = layout.hotRows > 0 ? () => kernel.syncHot() : () => {};
  const engine = (train: RecordTrainer): Engine => ({ train, loss: () => kernel.getLoss(), outputs: () => kernel.getOutputs(), start, sync, kernel });
  if (layout.subwordOffsets) {
    kernel.setSubwords(layout.subwordOffsets, layout.subwordRows, layout.subwordShifts);
    // fastText's rule for its model: a confident wrong decision still learns.
    kernel.setSaturatedUpdates(1);
    const skipgram = hyper.model === 'skipgram';
    return engine((buffer, start, length, _tag, alpha) => {
      const n = kernel.subsample(at(buffer, start), length);
      if (n > 1) skipgram ? kernel.skipgramSubwords(n, alpha) : kernel.cbowSubwords(n, alpha);
    });
  }
  switch (hyper.model) {
    case 'skipgram':
      return engine((buffer, start, length, _tag, alpha) => {
        const n = kernel.subsample(at(buffer, start), length);
        if (n > 1) kernel.skipgram(n, alpha);
      });
    case 'pv-dm':
      return engine((buffer, start, length, tag, alpha) => {
        const n = kernel.subsample(at(buffer, start), length);
        if (n > 0) kernel.cbow(n, alpha, tag);
      });
    case 'pv-dbow': {
      const withWords = hyper.dbowWords ? 1 : 0;
      return engine((buffer, start, length, tag, alpha) => {
        const n = kernel.subsample(at(buffer, start), length);
        if (n > 0) kernel.dbow(n, alpha, tag, withWords);
      });
    }
    default:
      return engine((buffer, start, length, _tag, alpha) => {
        const n = kernel.subsample(at(buffer, start), length);
        if (n > 1) kernel.cbow(n, alpha, -1);
      });
  }
}

/** The models the native kernel trains, by the number it knows them by. */
const NATIVE_MODELS = ['cbow', 'skipgram', 'pv-dm', 'pv-dbow'];

/**
 * The native kernel (native/kernel.c) trains CBOW, skip-gram, PV-DM or PV-DBOW on the shared rows; the
 * WebAssembly kernel still fills and checks this worker's share of them (`engine.kernel`).
 */
function nativeEngine(init: WorkerInit, seed: number): Engine {
  const { hyper, shared } = init;
  const { memory, layout } = shared;
  const scratch = layout.threads[init.index]!;
  const wasm = wasmEngine(init, seed);
  const native = loadNativeKernel();
  const config = new Uint32Array([
    layout.dim, layout.vocabSize, hyper.negative, hyper.window, hyper.cbowMean ? 1 : 0, hyper.loss === 'hs' ? 1 : 0, NATIVE_MODELS.indexOf(hyper.model),
    layout.syn0, layout.syn1neg, layout.syn1, layout.sigmoid, layout.lossPositive, layout.lossNegative,
    layout.noiseThreshold, layout.noiseAlias, layout.keepThreshold, layout.huffmanOffsets, layout.huffmanCodes, layout.huffmanPoints,
    layout.lockedRows, scratch.hidden, scratch.gradient, scratch.sentence, layout.docs, hyper.dbowWords ? 1 : 0,
  ]);
  const kernel = native.create(new Uint8Array(memory.buffer), config, seed);
  const documents = hyper.model.startsWith('pv-');
  const start = () => {
    const plan = hotRowPlan(init);
    if (!plan) return;
    native.setHot(kernel, plan.matrix, plan.start, plan.count, scratch.hotLocal, scratch.hotBase);
    if (plan.inputs > 0) native.setHotInputs(kernel, plan.inputs, scratch.hotInputLocal, scratch.hotInputBase);
    native.setHotWeights(kernel, plan.outputWeights, plan.inputWeights);
  };
  return {
    train: (buffer, start, length, tag, alpha) => native.train(kernel, buffer.byteOffset + start * 4, length, alpha, documents ? tag : -1),
    loss: () => native.stats(kernel)[0],
    outputs: () => native.stats(kernel)[1],
    start,
    sync: layout.hotRows > 0 ? () => native.syncHot(kernel) : () => {},
    kernel: wasm.kernel,
  };
}

/** Views of the Huffman tables a layout holds (their lengths are the last offset). */
function huffmanViews(memory: WebAssembly.Memory, layout: WorkerInit['shared']['layout']) {
  const offsets = new Int32Array(memory.buffer, layout.huffmanOffsets, layout.vocabSize + 1);
  const length = offsets[layout.vocabSize]!;
  return {
    offsets,
    codes: new Uint8Array(memory.buffer, layout.huffmanCodes, length),
    points: new Int32Array(memory.buffer, layout.huffmanPoints, length),
  };
}

function jsEngine(init: WorkerInit, seed: number): Engine {
  const { hyper, shared } = init;
  const { memory, layout } = shared;
  const { dim, vocabSize } = layout;
  const random = new Random(0);
  random.state = seed;
  const lossContext: LossContext = {
    dim,
    syn1neg: floatView(memory, layout.syn1neg, vocabSize * dim),
    syn1: floatView(memory, layout.syn1, Math.max(1, vocabSize - 1) * dim),
    noise: {
      threshold: layout.noiseThreshold ? new Uint32Array(memory.buffer, layout.noiseThreshold, vocabSize) : new Uint32Array(0),
      alias: layout.noiseAlias ? new Int32Array(memory.buffer, layout.noiseAlias, vocabSize) : new Int32Array(0),
    },
    huffman: layout.huffmanOffsets
      ? huffmanViews(memory, layout)
      : { offsets: new Int32Array(0), codes: new Uint8Array(0), points: new Int32Array(0) },
    negative: hyper.negative,
    tables: buildSigmoidTables(),
    random,
    gradient: new Float32Array(dim),
    stats: { loss: 0, outputs: 0 },
    trainOutput: true,
    saturatedUpdates: layout.subwordOffsets !== 0,
  };
  const loss = hyper.loss === 'hs' ? createHierarchicalSoftmax(lossContext) : createNegativeSampling(lossContext);
  const archContext = {
    dim,
    window: hyper.window,
    syn0: floatView(memory, layout.syn0, (vocabSize + layout.ngramRows) * dim),
    docs: layout.docs ? floatView(memory, layout.docs, layout.docCount * dim) : new Float32Array(0),
    locked: layout.lockedRows ? new Uint8Array(memory.buffer, layout.lockedRows, vocabSize) : null,
    cbowMean: hyper.cbowMean,
    random,
    hidden: new Float32Array(dim),
    gradient: lossContext.gradient,
  };
  const subwords = layout.subwordOffsets ? subwordViews(memory, layout) : null;
  const trainSentence =
    subwords ? (hyper.model === 'skipgram' ? createSubwordSkipGram(archContext, loss, subwords) : createSubwordCbow(archContext, loss, subwords))
    : hyper.model === 'skipgram' ? createSkipGram(archContext, loss)
    : hyper.model === 'pv-dbow' ? createDbow(archContext, loss, hyper.dbowWords)
    : createCbow(archContext, loss);
  // As the WebAssembly engine: word2vec needs two words for a context, a document's words need one.
  const shortest = hyper.model.startsWith('pv-') ? 1 : 2;
  const withDocs = hyper.model.startsWith('pv-');
  const keep = new Uint32Array(memory.buffer, layout.keepThreshold, vocabSize);
  const sentence = new Int32Array(MAX_SENTENCE_LENGTH);
  return {
    train(buffer, start, length, tag, alpha) {
      let n = 0;
      for (let i = start, end = start + length; i < end; i++) {
        const word = buffer[i]!;
        const threshold = keep[word]!;
        if (threshold !== 0xffffffff && random.nextU32() > threshold) continue;
        sentence[n++] = word;
      }
      if (n >= shortest) trainSentence(sentence, n, alpha, withDocs ? tag : -1);
    },
    loss: () => lossContext.stats.loss,
    outputs: () => lossContext.stats.outputs,
    start: () => {},
    sync: () => {},
    kernel: null,
  };
}

/**
 * The order blocks are taken in during epoch `epoch`. `shuffled`: a permutation of the blocks drawn from
 * the seed and the epoch, so that consecutive updates come from far-apart parts of the corpus on any
 * number of threads; `file`: file order (threads take neighbouring blocks).
 * A corpus is made of long runs of one kind of text (a book, an author, a year of speeches); trained in
 * file order, each run pulls the shared rows its way in turn, and the model learns less than from the same
 * text mixed (skip-gram over subwords at min-count 50, one thread: analogy 0.636 in file order, 0.665 with
 * two regions dealt in turn, 0.711 shuffled; bench/RESULTS.md). Japanese nouns are the exception measured
 * so far (the TMU set: 0.070 in file order, 0.033 shuffled), so `--tokenizer ja` keeps file order. Every
 * worker computes the same permutation for an epoch.
 * @internal exported for tests
 */
export function blockOrder(blockCount: number, textOrder: TextOrder, seed: number, epoch: number): Int32Array {
  const order = new Int32Array(blockCount);
  for (let i = 0; i < blockCount; i++) order[i] = i;
  if (textOrder === 'file') return order;
  const random = new Random((seed ^ Math.imul(epoch + 1, 0x2c1b3c6d)) | 0);
  for (let i = blockCount - 1; i > 0; i--) {
    const j = random.below(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** What one pass of a worker ended with. */
export interface WorkerOutcome {
  /** False when the stop flag ended it early. */
  finished: boolean;
  /** Words this worker trained, all epochs. */
  words: number;
  /** What it found in its share of the weights after training (when it initialised them). */
  nonFinite?: NonFinite;
}

/** Rows `[from, to)` of `rows` that worker `index` of `threads` initialises and checks. */
function share(rows: number, index: number, threads: number): [number, number] {
  return [Math.floor((rows * index) / threads), Math.floor((rows * (index + 1)) / threads)];
}

/**
 * Counts this worker in at a barrier and waits for the others (looking at the stop flag meanwhile, so
 * a worker that failed cannot leave the others waiting).
 * @returns false when the stop flag was raised
 */
function barrier(control: Int32Array, slot: number, threads: number): boolean {
  Atomics.add(control, slot, 1);
  Atomics.notify(control, slot);
  for (;;) {
    const arrived = Atomics.load(control, slot);
    if (arrived >= threads) return true;
    if (Atomics.load(control, Control.STOP) !== 0) return false;
    Atomics.wait(control, slot, arrived, 20);
  }
}

/** Fills this worker's share of the initial word, n-gram and document vectors (see `initializeVectors`). @internal exported for tests */
export function initializeShare(kernel: KernelExports, init: WorkerInit): void {
  const { layout } = init.shared;
  const { dim } = layout;
  const seeds = vectorSeeds(init.hyper);
  const fill = (offset: number, rows: number, seed: number) => {
    const [from, to] = share(rows, init.index, init.threads);
    if (to > from) kernel.initVectors(offset + from * dim * 4, (to - from) * dim, dim, jumpState(new Random(seed).state, from * dim));
  };
  fill(layout.syn0, layout.vocabSize, seeds.words);
  if (layout.docs) fill(layout.docs, layout.docCount, seeds.docs);
  if (layout.ngramRows > 0) {
    // Each n-gram row from its bucket alone (kernel/ngramRows.ts `initialNgramRow`).
    const [from, to] = share(layout.ngramRows, init.index, init.threads);
    if (to > from) kernel.initNgramRows(layout.syn0 + layout.vocabSize * dim * 4, layout.ngramBuckets, from, to, dim, seeds.ngrams);
  }
}

/** Counts the non-finite values in this worker's share of each trained matrix. @internal exported for tests */
export function checkShare(kernel: KernelExports, init: WorkerInit): NonFinite {
  const { layout } = init.shared;
  const { dim } = layout;
  const count = (offset: number, rows: number) => {
    if (!offset) return 0;
    const [from, to] = share(rows, init.index, init.threads);
    return to > from ? kernel.countNonFinite(offset + from * dim * 4, (to - from) * dim) : 0;
  };
  const outputs = layout.syn1neg ? count(layout.syn1neg, layout.vocabSize) : count(layout.syn1, Math.max(1, layout.vocabSize - 1));
  return { words: count(layout.syn0, layout.vocabSize + layout.ngramRows), outputs, docs: count(layout.docs, layout.docCount) };
}

/**
 * Runs one worker's part of a training pass: blocks from the shared counter until all are taken.
 */
export function runWorker(init: WorkerInit): WorkerOutcome {
  const { hyper, shared, index, threads, blocks } = init;
  const seed = new Random(hyper.seed * 7919 + index).state;
  const engine = init.kernel === 'native' ? nativeEngine(init, seed) : init.kernel === 'wasm' ? wasmEngine(init, seed) : jsEngine(init, seed);
  const progress = new Float64Array(shared.progress);
  const control = new Int32Array(shared.control);
  const initialize = init.initialize && engine.kernel !== null;
  if (initialize) {
    initializeShare(engine.kernel!, init);
    if (!barrier(control, Control.INITIALISED, threads)) return { finished: false, words: 0 };
  }
  engine.start();
  const readBuffer = new Int32Array(shared.memory.buffer, shared.layout.threads[index]!.readBuffer, READ_BUFFER_INTS);
  const slot = index * PROGRESS_SLOTS;
  const totalWork = init.totalWords * hyper.epochs;
  const blockCount = blocks.length - 1;
  const totalBlocks = blockCount * hyper.epochs;
  let orderEpoch = -1;
  let order: Int32Array = new Int32Array(0);
  let wordsDone = 0;
  // This worker's words in the epoch it is in, for a schedule by each thread's progress (schedule.ts).
  let epochWords = 0;
  const byThread = threads > 1 && scheduleKind(hyper) === 'thread';
  let nextUpdate = SCHEDULE_WORDS;
  let nextSync = HOT_SYNC_WORDS;
  let alpha = hyper.alpha;
  const pull = createAnchorPull(shared.memory, shared.layout, index, threads, engine.kernel);
  const pullEvery = anchorInterval(totalWork, threads);
  let lastPull = 0;
  // Learning rate × words trained since the last pull, this worker's.
  let dose = 0;
  const publish = () => {
    progress[slot + Progress.WORDS] = wordsDone;
    progress[slot + Progress.LOSS] = engine.loss();
    progress[slot + Progress.OUTPUTS] = engine.outputs();
    let global = 0;
    for (let t = 0; t < threads; t++) global += progress[t * PROGRESS_SLOTS + Progress.WORDS]!;
    alpha = learningRate(hyper.alpha, hyper.minAlpha, byThread ? threadProgress(orderEpoch, epochWords, init.totalWords, hyper.epochs) : global / totalWork);
    progress[slot + Progress.ALPHA] = alpha;
  };
  const train = engine.train;
  const { slotToId } = init;
  // A piece of a sentence the kernel reads from its own memory: pieces of a record too long for the
  // read buffer (the reader then holds it in a private one) are copied to the read buffer first.
  const trainPiece = (buffer: Int32Array, start: number, length: number, tag: number) => {
    if (buffer.buffer === readBuffer.buffer) return train(buffer, start, length, tag, alpha);
    readBuffer.set(buffer.subarray(start, start + length));
    train(readBuffer, 0, length, tag, alpha);
  };
  const visitPiece = (buffer: Int32Array, start: number, length: number, tag: number) => {
    trainPiece(buffer, start, length, tag);
    wordsDone += length;
    epochWords += length;
    dose += alpha * length;
    if (wordsDone >= nextSync) {
      nextSync = wordsDone + HOT_SYNC_WORDS;
      engine.sync();
    }
    if (pull && wordsDone - lastPull >= pullEvery) {
      // Between two pulls of this worker's rows, the workers together trained about threads × its words.
      pull(dose * threads);
      lastPull = wordsDone;
      dose = 0;
    }
    if (wordsDone >= nextUpdate) {
      nextUpdate = wordsDone + SCHEDULE_WORDS;
      publish();
      if (Atomics.load(control, Control.STOP) !== 0) throw new StopSignal();
    }
  };
  // A record: its slots mapped to ids (words outside the vocabulary dropped), then trained a piece of
  // at most MAX_SENTENCE_LENGTH words at a time. A record that keeps no word trains nothing.
  const visit = (buffer: Int32Array, start: number, slots: number, tag: number) => {
    const length = mapRecord(buffer, start, slots, slotToId);
    for (let at = 0; at < length; at += MAX_SENTENCE_LENGTH) visitPiece(buffer, start + at, Math.min(MAX_SENTENCE_LENGTH, length - at), tag);
  };
  const reader = new TokenCacheReader(init.cachePath, readBuffer);
  try {
    for (;;) {
      const g = Atomics.add(control, Control.NEXT_BLOCK, 1);
      if (g >= totalBlocks) break;
      const epoch = Math.floor(g / blockCount);
      if (epoch !== orderEpoch) {
        order = blockOrder(blockCount, hyper.order ?? 'shuffled', hyper.seed, epoch);
        orderEpoch = epoch;
        epochWords = 0;
      }
      const b = order[g % blockCount]!;
      reader.forEachRecord(blocks[b]!, blocks[b + 1]!, visit);
    }
  } catch (error) {
    if (error instanceof StopSignal) return { finished: false, words: wordsDone };
    throw error;
  } finally {
    reader.close();
  }
  engine.sync();
  publish();
  // The words since the last pull count too (all of them, for a text shorter than one interval).
  if (pull && dose > 0) pull(dose * threads);
  if (!initialize) return { finished: true, words: wordsDone };
  // Every worker's last merge is in before anyone checks the weights.
  if (!barrier(control, Control.FINISHED, threads)) return { finished: false, words: wordsDone };
  return { finished: true, words: wordsDone, nonFinite: checkShare(engine.kernel!, init) };
}
