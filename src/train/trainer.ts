/**
 * The training pipeline for word2vec (Mikolov et al. 2013, "Efficient Estimation of Word Representations
 * in Vector Space" and "Distributed Representations of Words and Phrases"): pass 1 reads and tokenizes
 * the corpus once into a token cache while counting words; the vocabulary, sampling tables and Huffman
 * tree follow; then worker threads train on disjoint parts of the cache for every epoch, sharing the
 * weights without locks.
 *
 * @example
 * ```ts
 * const model = await trainModel({ inputs: ['corpus.txt'], model: 'skipgram', threads: 1, seed: 1 });
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanCorpus } from '../corpus/scan.js';
import { finalizeTokenCache, splitCache } from '../corpus/tokenCache.js';
import { ErrorCodes, KotovecError } from '../errors.js';
import type { ModelData } from '../model.js';
import { resolveTrainOptions, type TrainOptions } from '../options.js';
import { resolveInputs } from '../text/lineReader.js';
import { createTokenizer } from '../text/tokenizers.js';
import { buildHuffmanTree } from '../vocab/huffman.js';
import { buildNoiseTable, keepProbabilities, keepThresholds } from '../vocab/sampling.js';
import { buildVocabulary } from '../vocab/vocabulary.js';
import { runWorkers } from './pool.js';
import { allocateMemory, floatView, planLayout, writeTables } from './memory.js';
import { PROGRESS_SLOTS, type SharedState, type WorkerInit } from './protocol.js';
import { compileKernel } from './wasm.js';
import { Random } from './random.js';

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

/** Fills `vectors` with uniform values in [−0.5/dim, 0.5/dim), as word2vec C initialises input vectors. */
export function initializeVectors(vectors: Float32Array, dim: number, seed: number): void {
  const random = new Random(seed);
  for (let i = 0; i < vectors.length; i++) vectors[i] = (random.nextFloat() - 0.5) / dim;
}

function assertFinite(name: string, values: Float32Array | null): void {
  if (!values) return;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new KotovecError(ErrorCodes.DIVERGED, `training diverged: ${name} has non-finite values (try a smaller --alpha)`);
    }
  }
}

/**
 * Trains a word2vec model from text.
 * @param options inputs, hyperparameters, tokenizer settings (validated here)
 * @param hooks progress callback and abort signal
 * @returns the trained model, ready to be written by the store
 * @throws OptionError for invalid options; KotovecError for unreadable or empty input, INTERRUPTED when
 *   aborted, DIVERGED when the weights stop being finite
 */
export async function trainModel(options: TrainOptions, hooks: TrainHooks = {}): Promise<ModelData> {
  const resolved = resolveTrainOptions(options);
  const { hyper, threads } = resolved;
  if (hyper.model !== 'cbow' && hyper.model !== 'skipgram') {
    throw new KotovecError(ErrorCodes.UNSUPPORTED, `--model ${hyper.model} is not available yet`);
  }
  const files = await resolveInputs(resolved.inputs);
  const tokenizer = await createTokenizer(resolved.tokenizer);
  const workDir = mkdtempSync(join(resolved.cacheDir ?? tmpdir(), 'kotovec-'));
  const interrupted = () => new KotovecError(ErrorCodes.INTERRUPTED, 'training interrupted');
  try {
    const scanStart = performance.now();
    const provisional = join(workDir, 'pass1.cache');
    const scan = await scanCorpus(files, {
      tokenizer,
      docs: resolved.docs,
      maxVocab: hyper.maxVocab,
      cachePath: provisional,
      maxLineChars: resolved.maxLineChars,
      signal: hooks.signal,
      onProgress: (p) => hooks.onProgress?.({ phase: 'scan', ...p }),
    });
    if (hooks.signal?.aborted) throw interrupted();
    const { vocabulary, slotToId } = buildVocabulary(scan.counter, hyper.minCount);
    const cache = finalizeTokenCache(provisional, scan.cacheInts, join(workDir, 'tokens.cache'), slotToId);
    rmSync(provisional, { force: true });
    const scanSeconds = (performance.now() - scanStart) / 1000;

    const vocabSize = vocabulary.size;
    const dim = hyper.dim;
    const ns = hyper.loss === 'ns';
    const hs = hyper.loss === 'hs';
    const huffman = hs ? buildHuffmanTree(vocabulary.counts) : undefined;
    const layout = planLayout({
      dim,
      vocabSize,
      docCount: 0,
      negativeSampling: ns,
      hierarchicalSoftmax: hs,
      huffmanLength: huffman?.codes.length ?? 0,
      threads,
    });
    const memory = allocateMemory(layout);
    writeTables(memory, layout, {
      keep: keepThresholds(keepProbabilities(vocabulary.counts, hyper.sample)),
      noise: ns ? buildNoiseTable(vocabulary.counts, hyper.nsExponent) : undefined,
      huffman,
    });
    const wordVectors = floatView(memory, layout.syn0, vocabSize * dim);
    initializeVectors(wordVectors, dim, hyper.seed);
    const shared: SharedState = {
      memory,
      layout,
      progress: new SharedArrayBuffer(threads * PROGRESS_SLOTS * 8),
      control: new SharedArrayBuffer(4),
    };
    const wasm = resolved.kernel === 'wasm' ? compileKernel() : null;
    const ranges = splitCache(cache, threads);
    const inits: WorkerInit[] = ranges.map((range, index) => ({
      index,
      threads: ranges.length,
      cachePath: cache.path,
      range,
      hyper,
      kernel: resolved.kernel,
      wasm,
      totalWords: cache.words,
      shared,
    }));
    const trainStart = performance.now();
    const totalWords = cache.words * hyper.epochs;
    let finalLoss = 0;
    const outcome = await runWorkers(
      inits,
      (p) => {
        finalLoss = p.loss;
        const seconds = (performance.now() - trainStart) / 1000;
        hooks.onProgress?.({
          phase: 'train',
          words: p.words,
          totalWords,
          epoch: Math.min(hyper.epochs, Math.floor(p.words / Math.max(1, cache.words)) + 1),
          epochs: hyper.epochs,
          alpha: p.alpha,
          loss: p.loss,
          wordsPerSecond: seconds > 0 ? p.words / seconds : 0,
        });
      },
      hooks.signal,
    );
    if (outcome === 'stopped') throw interrupted();
    const trainSeconds = (performance.now() - trainStart) / 1000;
    const outputNs = ns ? floatView(memory, layout.syn1neg, vocabSize * dim) : null;
    const outputHs = hs ? floatView(memory, layout.syn1, Math.max(1, vocabSize - 1) * dim) : null;
    assertFinite('the word vectors', wordVectors);
    assertFinite('the output weights', outputNs ?? outputHs);
    return {
      origin: 'trained',
      hyper,
      tokenizer: resolved.tokenizer,
      dim,
      words: vocabulary.words,
      counts: vocabulary.counts,
      wordVectors,
      outputNs,
      outputHs,
      docIds: [],
      docVectors: null,
      docDim: 0,
      stats: {
        corpusTokens: scan.counter.totalTokens,
        trainedWords: cache.words,
        lines: scan.read.lines,
        invalidUtf8: scan.read.invalidUtf8,
        scanSeconds,
        trainSeconds,
        wordsPerSecond: trainSeconds > 0 ? totalWords / trainSeconds : 0,
        threads: ranges.length,
        finalLoss,
        emptyDocs: scan.emptyDocs,
      },
      createdAt: new Date().toISOString(),
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
