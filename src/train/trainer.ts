/**
 * The training pipeline for word2vec (Mikolov et al. 2013, "Efficient Estimation of Word Representations
 * in Vector Space" and "Distributed Representations of Words and Phrases") and doc2vec (Le & Mikolov
 * 2014, "Distributed Representations of Sentences and Documents"): pass 1 reads and tokenizes the corpus
 * once into a token cache while counting words; the vocabulary, sampling tables and Huffman tree follow;
 * then worker threads train on disjoint parts of the cache for every epoch, sharing the weights without
 * locks. `pv-dm+dbow` trains a PV-DM and a PV-DBOW model on the same cache and concatenates their
 * document vectors, as the paper recommends.
 *
 * @example
 * ```ts
 * const model = await trainModel({ inputs: ['corpus.txt'], model: 'skipgram', threads: 1, seed: 1 });
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { runPhraseJob, type PhraseJob } from '../corpus/phraseJob.js';
import type { PhraseSpoolSource, SpoolDocuments } from '../corpus/scanPhraseSpool.js';
import { readPhraseTable } from '../text/phraseTable.js';
import { TRAIN_PHRASE_DEFAULTS, type PhraseTable } from '../text/phrases.js';
import { resolveTokenizerConfig } from '../text/tokenizers.js';
import { join } from 'node:path';
import { prepareCorpusOnThread } from '../corpus/prepareThread.js';
import { prepareCorpus, type PreparedCorpus } from '../corpus/prepare.js';
import { isSmallInput } from '../text/tokenizePool.js';
import { tsvDocumentReader, type ScanProgress } from '../corpus/scan.js';
import type { TrainingCache } from '../corpus/tokenCache.js';
import { ErrorCodes, KotovecError, OptionError } from '../errors.js';
import type { ModelData, SubwordData } from '../model.js';
import { resolveTrainOptions, type DocsMode, type Hyperparameters, type KernelKind, type ResolvedTrainOptions, type TrainOptions } from '../options.js';
import { resolveInputs } from '../text/lineReader.js';
import { Vocabulary } from '../vocab/vocabulary.js';
import { floatView, subwordViews } from '../kernel/memory.js';
import { loadNativeKernel, nativeKernelWide } from '../kernel/native.js';
import { overlayNgramRows } from '../kernel/ngramRows.js';
import { composeFromTable, rowsInBucketOrder } from '../vocab/subwords.js';
import { TrainingPool, type WorkerStats } from './pool.js';
import { CONTROL_BYTES, PROGRESS_SLOTS, vectorSeeds, type SharedState, type WorkerInit } from './protocol.js';
import { allocateWeights, assertFinite, divergence, type PassStart } from './weights.js';
import { lineageOf, newDocumentIds, optionsFromSource, passSeed, readSource } from './continuation.js';
import { peakResidentMB } from '../peakMemory.js';

export { assertFinite, initializeVectors } from './weights.js';

/** Progress of a training run, phase by phase. */
export type TrainProgress =
  | { phase: 'scan'; bytesRead: number; totalBytes: number; tokens: number; lines: number }
  | { phase: 'train'; words: number; totalWords: number; epoch: number; epochs: number; alpha: number; loss: number; wordsPerSecond: number };

/** Run-time hooks of {@link trainModel}. */
export interface TrainHooks {
  /** Called now and then with progress. */
  onProgress?: (progress: TrainProgress) => void;
  /** Abort to stop training; the promise then rejects with an INTERRUPTED error. */
  signal?: AbortSignal;
}

/** Resident memory peaks, sampled at progress ticks (about 4 a second). */
const memoryPeaks = { scan: 0, train: 0 };

const interrupted = () => new KotovecError(ErrorCodes.INTERRUPTED, 'training interrupted');

/** The weights one training pass produced. */
interface PassResult {
  /** Bytes of the pass's shared memory. */
  bytes: number;
  /** Worker threads that actually ran (a small corpus may have fewer parts than --threads). */
  threads: number;
  wordVectors: Float32Array;
  /**
   * Subword models: the rows of the buckets the vocabulary uses — while training in the order of
   * `compactBuckets`, at the end in bucket order, those buckets in `trainedBuckets`.
   */
  ngramVectors: Float32Array | null;
  trainedBuckets?: Int32Array;
  /** Subword models: each word's vector, the mean of its own row and its n-grams'. */
  composedWords?: Float32Array;
  outputNs: Float32Array | null;
  outputHs: Float32Array | null;
  docVectors: Float32Array | null;
  finalLoss: number;
  /** Each worker's running time and words (all epochs). */
  workers: WorkerStats;
}

/** Progress bookkeeping across passes (pv-dm+dbow trains two). */
interface ProgressState {
  start: number;
  doneBefore: number;
  totalWords: number;
  epochs: number;
  wordsPerEpoch: number;
}

/** Settings with the kernel that runs them. */
type KernelTrainOptions = ResolvedTrainOptions & { kernel: KernelKind };

/** One training pass over the cache with fresh weights. */
async function trainPass(
  hyper: Hyperparameters,
  resolved: KernelTrainOptions,
  vocabulary: Vocabulary,
  cache: TrainingCache,
  docCount: number,
  state: ProgressState,
  hooks: TrainHooks,
  pool: TrainingPool,
  start?: PassStart,
): Promise<PassResult> {
  // A small corpus may give fewer blocks than --threads: only as many workers as blocks train.
  const blocks = cache.blocks;
  const threads = Math.max(1, Math.min(pool.size, blocks.length - 1));
  await pool.shrink(threads);
  const weights = allocateWeights(hyper, resolved, vocabulary, docCount, threads, start);
  const shared: SharedState = {
    memory: weights.memory,
    layout: weights.layout,
    progress: new SharedArrayBuffer(threads * PROGRESS_SLOTS * 8),
    control: new SharedArrayBuffer(CONTROL_BYTES),
  };
  // Every worker maps the cache's slots through one shared copy of the map.
  const slotToId = new Int32Array(new SharedArrayBuffer(cache.slotToId.byteLength));
  slotToId.set(cache.slotToId);
  const inits: WorkerInit[] = Array.from({ length: threads }, (_, index) => ({
    index,
    threads,
    cachePath: cache.path,
    blocks,
    slotToId,
    hyper,
    kernel: resolved.kernel,
    wasm: weights.wasm,
    totalWords: cache.words,
    initialize: weights.wasm !== null && !weights.filledHere,
    shared,
  }));
  let finalLoss = 0;
  const workers: WorkerStats = { seconds: [], words: [] };
  const report = trainProgressReporter(state, hooks);
  const outcome = await pool.run(
    inits,
    (p) => {
      finalLoss = p.loss;
      report(p);
    },
    hooks.signal,
    undefined,
    workers,
  );
  if (outcome === 'stopped') throw interrupted();
  state.doneBefore += cache.words * hyper.epochs;
  const { memory, layout } = weights;
  const dim = hyper.dim;
  const result: PassResult = {
    bytes: memory.buffer.byteLength,
    threads,
    wordVectors: weights.wordVectors,
    ngramVectors: weights.ngramVectors,
    outputNs: hyper.loss === 'ns' ? floatView(memory, layout.syn1neg, vocabulary.size * dim) : null,
    outputHs: hyper.loss === 'hs' ? floatView(memory, layout.syn1, Math.max(1, vocabulary.size - 1) * dim) : null,
    docVectors: weights.docVectors,
    finalLoss,
    workers: { seconds: workers.seconds.map((s) => +s.toFixed(2)), words: workers.words },
  };
  checkPassFinite(result, workers);
  if (result.ngramVectors && weights.buckets) {
    // The words' vectors, then the used buckets' rows in bucket order: the rows training moved.
    result.composedWords = composeFromTable(floatView(memory, layout.syn0, (vocabulary.size + layout.ngramRows) * dim), subwordViews(memory, layout), dim);
    const { buckets, rows } = rowsInBucketOrder(result.ngramVectors, weights.buckets, dim);
    result.ngramVectors = rows;
    result.trainedBuckets = buckets;
  }
  return result;
}

/** Turns the workers' summed progress into the library's progress events (and samples the RSS peak). */
function trainProgressReporter(state: ProgressState, hooks: TrainHooks): (p: { words: number; loss: number; alpha: number }) => void {
  return (p) => {
    memoryPeaks.train = Math.max(memoryPeaks.train, process.memoryUsage.rss());
    const words = state.doneBefore + p.words;
    const seconds = (performance.now() - state.start) / 1000;
    hooks.onProgress?.({
      phase: 'train',
      words,
      totalWords: state.totalWords,
      epoch: Math.min(state.epochs, Math.floor(words / Math.max(1, state.wordsPerEpoch)) + 1),
      epochs: state.epochs,
      alpha: p.alpha,
      loss: p.loss,
      wordsPerSecond: seconds > 0 ? words / seconds : 0,
    });
  };
}

/**
 * Refuses a pass whose weights are no longer finite: the workers counted, each in its share of every
 * matrix (WebAssembly kernel); otherwise the matrices are checked here.
 * @throws KotovecError DIVERGED naming the matrix
 */
function checkPassFinite(result: PassResult, workers: WorkerStats): void {
  if (workers.nonFinite) {
    const found = workers.nonFinite.reduce((sum, n) => ({ words: sum.words + n.words, outputs: sum.outputs + n.outputs, docs: sum.docs + n.docs }));
    if (found.words > 0) throw divergence('the word vectors');
    if (found.outputs > 0) throw divergence('the output weights');
    if (found.docs > 0) throw divergence('the document vectors');
  } else {
    assertFinite('the word vectors', result.wordVectors);
    assertFinite('the n-gram vectors', result.ngramVectors);
    assertFinite('the output weights', result.outputNs ?? result.outputHs);
    assertFinite('the document vectors', result.docVectors);
  }
}

/** Two matrices of the same width one after the other. */
function concatenate(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Concatenates two docs × dim matrices row by row into docs × 2·dim. */
function concatenateRows(a: Float32Array, b: Float32Array, rows: number, dim: number): Float32Array {
  const out = new Float32Array(rows * dim * 2);
  for (let r = 0; r < rows; r++) {
    out.set(a.subarray(r * dim, (r + 1) * dim), r * dim * 2);
    out.set(b.subarray(r * dim, (r + 1) * dim), r * dim * 2 + dim);
  }
  return out;
}

/**
 * Trains a word2vec or doc2vec model from text.
 * @param options inputs, hyperparameters, tokenizer settings (validated here)
 * @param hooks progress callback and abort signal
 * @returns the trained model, ready to be written by the store
 * @throws OptionError for invalid options; KotovecError for unreadable or empty input, INTERRUPTED when
 *   aborted, DIVERGED when the weights stop being finite
 */
export async function trainModel(options: TrainOptions, hooks: TrainHooks = {}): Promise<ModelData> {
  if (options.phrases === undefined || options.phrases === false) return trainWithTokenizer(options, hooks);
  if (options.from !== undefined) throw new OptionError("--phrases with --from: a continued model reads text with its own phrases (or none), as it was trained");
  // Settings are checked before the text is read for phrases.
  const { docs } = resolveTrainOptions({ ...options, phrases: undefined });
  const phrases = await phrasesFor(options, docs, hooks);
  try {
    return await trainWithTokenizer({ ...options, phrases: undefined, tokenizer: { ...options.tokenizer, phrases: phrases.table } }, hooks, phrases.job && { job: phrases.job, documents: phrases.documents });
  } finally {
    phrases.job?.close();
  }
}

/**
 * The kernel of a run: the one asked for (a native kernel that was not built is said before the text is
 * read), or by default the native kernel where it was built with AVX-512 and trains the model (every
 * model but subwords: the same decisions and draws as the WebAssembly kernel, 1.2–1.7× faster on one
 * thread; bench/RESULTS.md), else the WebAssembly kernel.
 */
function chooseKernel(resolved: ResolvedTrainOptions): KernelTrainOptions {
  if (resolved.kernel === 'native') loadNativeKernel();
  if (resolved.kernel !== 'auto') return { ...resolved, kernel: resolved.kernel };
  const { hyper } = resolved;
  return { ...resolved, kernel: hyper.subwords === undefined && nativeKernelWide() ? 'native' : 'wasm' };
}

/**
 * Trains with `options.tokenizer` as it is (phrases, if any, in its table).
 * @param learnt the phrase job that learnt the table, if one did, and the documents it read: pass 1 counts
 *   its spooled lines instead of reading the text again
 */
async function trainWithTokenizer(options: TrainOptions, hooks: TrainHooks, learnt?: { job: PhraseJob; documents?: SpoolDocuments }): Promise<ModelData> {
  // Continuing (--from): the source fills in the settings not given, and its words and weights carry over.
  const source = options.from !== undefined ? await readSource(options.from) : undefined;
  const resolved = chooseKernel(resolveTrainOptions(source ? optionsFromSource(options, source, options.from!) : options));
  const { hyper } = resolved;
  if (source && source.docIds.length > 0 && source.hyper && hyper.model !== source.hyper.model) {
    throw new OptionError(`the model is ${source.hyper.model} with documents: continuing it keeps --model ${source.hyper.model} (got ${hyper.model})`);
  }
  const workDir = mkdtempSync(join(tmpdir(), 'kotovec-'));
  memoryPeaks.scan = memoryPeaks.train = 0;
  let pool: TrainingPool | undefined;
  try {
    // The workers start up (an isolate each, modules loaded) while pass 1 reads the corpus.
    pool = TrainingPool.start(resolved.threads);
    const scanStart = performance.now();
    const spooled = learnt && { ...learnt.job.spooled(), documents: learnt.documents };
    const corpus = await readCorpus(resolved, workDir, hooks, source, spooled);
    if (source && corpus.cache.words === 0) throw new KotovecError(ErrorCodes.EMPTY_CORPUS, 'the new text has no words to train on');
    const docIds = source ? newDocumentIds(source, corpus.docIds, resolved.docs) : corpus.docIds;
    const scanSeconds = (performance.now() - scanStart) / 1000;
    const vocabulary = new Vocabulary(corpus.words, corpus.counts);
    const passes = passesOf(hyper);
    const state: ProgressState = {
      start: performance.now(),
      doneBefore: 0,
      totalWords: corpus.cache.words * hyper.epochs * passes.length,
      epochs: hyper.epochs * passes.length,
      wordsPerEpoch: corpus.cache.words,
    };
    const results: PassResult[] = [];
    for (const [index, pass] of passes.entries()) {
      const start = source ? { source, seed: passSeed(source, pass, index), freezeWords: resolved.freezeWords, anchor: resolved.anchor, newWords: corpus.cache.words } : undefined;
      results.push(await trainPass(pass, resolved, vocabulary, corpus.cache, corpus.docIds.length, state, hooks, pool, start));
    }
    const trainSeconds = (performance.now() - state.start) / 1000;
    const model = modelOf(resolved, vocabulary, corpus, results, { scanSeconds, trainSeconds, words: state.totalWords });
    if (!source) return model;
    // The source's documents stay as they were; the new ones follow.
    const docVectors = source.docVectors && model.docVectors ? concatenate(source.docVectors, model.docVectors) : model.docVectors ?? source.docVectors;
    return {
      ...model,
      docIds: [...source.docIds, ...docIds],
      docVectors,
      docDim: model.docDim || source.docDim,
      ...(model.subwords && source.subwords?.ngramRows ? { subwords: overlayNgramRows(source.subwords, model.subwords, hyper.dim) } : {}),
      // Stored as the source was, unless the writer is told otherwise.
      ...(source.precision ? { precision: source.precision } : {}),
      lineage: lineageOf(source, options.from!, resolved.inputs, vocabulary.size, docIds.length, resolved.freezeWords, resolved.anchor),
    };
  } finally {
    await pool?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * The phrase table `options.phrases` asks for: a table given, one read from a file, or one learnt from the
 * inputs with train's defaults — then with the job that learnt it, whose spooled lines spare training a
 * second read of the text (the caller closes it). For `id<TAB>text` lines and files as documents, the job
 * is told each line's id or each file's end as it reads, and the spool carries them.
 * @throws KotovecError for an unreadable or damaged table, and for documents as reading them would (a line
 *   without a tab, an id given twice)
 */
async function phrasesFor(options: TrainOptions, docs: DocsMode, hooks: TrainHooks): Promise<{ table: PhraseTable; job?: PhraseJob; documents?: SpoolDocuments }> {
  const phrases = options.phrases!;
  if (typeof phrases === 'object') return { table: phrases };
  if (typeof phrases === 'string') return { table: readPhraseTable(phrases) };
  const config = resolveTokenizerConfig(options.tokenizer);
  const files = await resolveInputs(options.inputs);
  const settings = { ...TRAIN_PHRASE_DEFAULTS, connectors: config.kind === 'ja' ? [] : TRAIN_PHRASE_DEFAULTS.connectors };
  const documents: SpoolDocuments | undefined = docs === 'tsv' ? { kind: 'tsv', ids: [] } : docs === 'files' ? { kind: 'files', files: [] } : undefined;
  const job = await runPhraseJob(files, config, settings, {
    threads: options.threads ?? availableParallelism(),
    maxLineChars: options.maxLineChars,
    signal: hooks.signal,
    textOf: documents?.kind === 'tsv' ? tsvTextOf(documents.ids) : undefined,
    onFileEnd: documents?.kind === 'files' ? (file, lines) => documents.files.push({ name: file.name, endLine: lines }) : undefined,
    onProgress: (p) => {
      if (p.phase === 'read') hooks.onProgress?.({ phase: 'scan', bytesRead: p.bytesRead ?? 0, totalBytes: p.totalBytes ?? 0, lines: p.lines, tokens: p.tokens ?? 0 });
    },
  });
  return { table: job.table, job, documents };
}

/**
 * The text of `id<TAB>text` lines, read in order (`tsvDocumentReader`), each line's id pushed to `ids`
 * (null for a blank line, which is no document).
 * @throws KotovecError BAD_FORMAT for a line without a tab, DUPLICATE_ID for an id given twice
 */
function tsvTextOf(ids: (string | null)[]): (line: string) => string {
  const read = tsvDocumentReader();
  return (line) => {
    const doc = read(line);
    ids.push(doc?.id ?? null);
    return doc?.text ?? '';
  };
}

/**
 * Pass 1 on a thread of its own, so that the heap it grows is gone before the weights are allocated; on
 * this thread when the input is small ({@link isSmallInput}: under 1 MB on disk), where that heap is small
 * too and a thread would cost more to start than the pass takes.
 * @throws the reader's and tokenizer's errors; KotovecError INTERRUPTED when the signal stops it
 */
async function readCorpus(resolved: ResolvedTrainOptions, workDir: string, hooks: TrainHooks, source?: ModelData, phraseSpool?: PhraseSpoolSource): Promise<PreparedCorpus> {
  const files = await resolveInputs(resolved.inputs);
  const small = !phraseSpool && isSmallInput(files);
  const prepared = await (small ? prepareCorpus : prepareCorpusOnThread)(
    {
      files,
      tokenizer: resolved.tokenizer,
      threads: resolved.threads,
      docs: resolved.docs,
      maxVocab: resolved.hyper.maxVocab,
      minCount: resolved.hyper.minCount,
      maxLineChars: resolved.maxLineChars,
      workDir,
      cacheDir: resolved.cache,
      base: source ? { words: source.words, counts: source.counts, rareWords: source.rareWords, rareCounts: source.rareCounts } : undefined,
      phraseSpool,
    },
    hooks.signal,
    (p: ScanProgress) => {
      memoryPeaks.scan = Math.max(memoryPeaks.scan, process.memoryUsage.rss());
      hooks.onProgress?.({ phase: 'scan', ...p });
    },
  );
  if (hooks.signal?.aborted) throw interrupted();
  return prepared;
}

/** The training passes of a model: one, or PV-DM then PV-DBOW (with the next seed) for pv-dm+dbow. */
function passesOf(hyper: Hyperparameters): Hyperparameters[] {
  return hyper.model === 'pv-dm+dbow' ? [{ ...hyper, model: 'pv-dm' }, { ...hyper, model: 'pv-dbow', seed: hyper.seed + 1 }] : [hyper];
}

/** The model the passes made: weights, vocabulary, documents (both passes' vectors side by side) and statistics. */
function modelOf(
  resolved: KernelTrainOptions,
  vocabulary: Vocabulary,
  corpus: PreparedCorpus,
  results: PassResult[],
  time: { scanSeconds: number; trainSeconds: number; words: number },
): ModelData {
  const { hyper } = resolved;
  const docCount = corpus.docIds.length;
  const main = results[0]!;
  const dbow = results[1];
  const docVectors = dbow ? concatenateRows(main.docVectors!, dbow.docVectors!, docCount, hyper.dim) : main.docVectors;
  const subwords: SubwordData | undefined =
    hyper.subwords && main.ngramVectors
      ? { ...hyper.subwords, wordRows: main.wordVectors, ngramRows: main.ngramVectors, trainedBuckets: main.trainedBuckets!, initSeed: vectorSeeds(hyper).ngrams }
      : undefined;
  return {
    origin: 'trained',
    hyper,
    tokenizer: resolved.tokenizer,
    dim: hyper.dim,
    words: vocabulary.words,
    counts: vocabulary.counts,
    rareWords: corpus.rare.words,
    rareCounts: corpus.rare.counts,
    wordVectors: subwords ? main.composedWords! : main.wordVectors,
    ...(subwords ? { subwords } : {}),
    outputNs: main.outputNs,
    outputHs: main.outputHs,
    dbowOutputNs: dbow?.outputNs ?? null,
    dbowOutputHs: dbow?.outputHs ?? null,
    docIds: corpus.docIds,
    docVectors,
    docDim: hyper.model.startsWith('pv-') ? hyper.dim * results.length : 0,
    stats: {
      corpusTokens: corpus.corpusTokens,
      trainedWords: corpus.cache.words,
      lines: corpus.lines,
      invalidUtf8: corpus.invalidUtf8,
      scanSeconds: time.scanSeconds,
      trainSeconds: time.trainSeconds,
      wordsPerSecond: time.trainSeconds > 0 ? time.words / time.trainSeconds : 0,
      threads: main.threads,
      kernel: resolved.kernel,
      finalLoss: results.at(-1)!.finalLoss,
      workerSeconds: results.flatMap((r) => r.workers.seconds),
      workerWords: results.flatMap((r) => r.workers.words),
      emptyDocs: corpus.emptyDocs,
      cacheReused: corpus.reused,
      peakRssMB: peakResidentMB(),
      scanPeakRssMB: Math.round(memoryPeaks.scan / 1048576),
      trainPeakRssMB: Math.round(memoryPeaks.train / 1048576),
      weightBytes: results.reduce((sum, r) => sum + r.bytes, 0),
    },
    createdAt: new Date().toISOString(),
  };
}
