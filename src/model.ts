/**
 * The in-memory form of a trained (or imported) model: what the trainer produces, the store writes
 * and reads back, and the queries use.
 */
import type { Hyperparameters } from './options.js';
import type { TokenizerConfig } from './text/tokenizers.js';
import type { Precision } from './options.js';

/** Where a model came from. */
export type ModelOrigin = 'trained' | 'imported';

/** Facts about the run that produced a model. */
export interface TrainingStats {
  /** Tokens read in pass 1 (before min-count). */
  corpusTokens: number;
  /** Tokens kept in the vocabulary (one epoch's words). */
  trainedWords: number;
  /** Lines or documents read. */
  lines: number;
  /** Invalid UTF-8 sequences replaced. */
  invalidUtf8: number;
  /** Seconds spent in pass 1 (reading, tokenizing, counting). */
  scanSeconds: number;
  /** Seconds spent training. */
  trainSeconds: number;
  /** Training speed, words (before subsampling) per second. */
  wordsPerSecond: number;
  /** Threads used. */
  threads: number;
  /** The kernel that trained (`--kernel`); absent in models trained before it was recorded. */
  kernel?: 'native' | 'wasm' | 'js';
  /** Mean loss per output decision at the end. */
  finalLoss: number;
  /** Documents with no known word (doc2vec). */
  emptyDocs: number;
  /** True when pass 1 was taken from the `--cache` folder. */
  cacheReused?: boolean;
  /** Peak resident memory of the process by the end of training, in MB. */
  peakRssMB?: number;
  /** Bytes of shared memory holding weights, tables and per-thread buffers. */
  weightBytes?: number;
  /** Peak resident memory sampled while reading and counting the corpus (pass 1), in MB. */
  scanPeakRssMB?: number;
  /** Peak resident memory sampled while training (worker threads included), in MB. */
  trainPeakRssMB?: number;
  /** Each worker's own running time in seconds, pass after pass. */
  workerSeconds?: number[];
  /** Words each worker trained, pass after pass (workers take blocks as they go, so a faster one takes more). */
  workerWords?: number[];
}

/**
 * A subword model's input matrix as fastText keeps it: each word's own row, then a row a hash bucket of
 * character n-grams (vocab/subwords.ts). A word's vector — in {@link ModelData.wordVectors} for the words
 * of the vocabulary, composed on demand for any other — is the mean of its rows.
 */
export interface SubwordData {
  minn: number;
  maxn: number;
  bucket: number;
  /**
   * Each word's own input row, words × dim, and the n-gram bucket rows — bucket × dim, or with
   * {@link trainedBuckets} those buckets' rows only, in that order: both absent when a model file is read
   * without them (queries read the rows they need by id). kernel/ngramRows.ts reads any bucket's row.
   */
  wordRows?: Float32Array;
  ngramRows?: Float32Array;
  /**
   * Sparse n-gram rows (trained models): the buckets, ascending, whose rows training moved and
   * `ngramRows` holds; every other bucket still holds its initial row, a function of {@link initSeed}
   * and the bucket (kernel/ngramRows.ts `initialNgramRow`). Absent: `ngramRows` holds every bucket.
   */
  trainedBuckets?: Int32Array;
  /** The seed of the initial rows of a model with {@link trainedBuckets}. */
  initSeed?: number;
}

/** A complete model. Matrices are row-major Float32Arrays. */
export interface ModelData {
  origin: ModelOrigin;
  /** Hyperparameters (absent for imported vectors). */
  hyper?: Hyperparameters;
  /** How text was tokenized (absent for imported vectors). */
  tokenizer?: TokenizerConfig;
  /** Vector dimension of the word vectors. */
  dim: number;
  /** Words by id, most frequent first. */
  words: readonly string[];
  /** Counts by id (imported vectors: 0 when unknown). */
  counts: Float64Array;
  /**
   * Words of the corpus seen fewer than min-count times and their counts (absent in imported models and
   * files written before they were kept), so that continued training can add counts up exactly.
   */
  rareWords?: readonly string[];
  rareCounts?: Float64Array;
  /** How the file stores word and document vectors (absent: f32). */
  precision?: Precision;
  /** Word vectors, words × dim: the input vectors; for a subword model, each word's composed vector. */
  wordVectors: Float32Array;
  /** Subword models (fastText): the input matrix the word vectors are composed from; else absent. */
  subwords?: SubwordData;
  /** Negative-sampling output weights, words × dim, or null. */
  outputNs: Float32Array | null;
  /** Hierarchical-softmax output weights, (words − 1) × dim, or null. */
  outputHs: Float32Array | null;
  /** pv-dm+dbow: the PV-DBOW half's output weights (the main ones are PV-DM's), for inference. */
  dbowOutputNs?: Float32Array | null;
  /** pv-dm+dbow: the PV-DBOW half's hierarchical-softmax weights. */
  dbowOutputHs?: Float32Array | null;
  /** Document ids by index (doc2vec), else empty. */
  docIds: readonly string[];
  /** Document vectors, docs × docDim, or null. */
  docVectors: Float32Array | null;
  /** Dimension of document vectors (2 × dim for pv-dm+dbow). */
  docDim: number;
  /** How the model was trained (absent for imported vectors). */
  stats?: TrainingStats;
  /** When the model was made (ISO 8601). */
  createdAt: string;
  /** The models this one was continued from, oldest first (absent for a model trained from scratch). */
  lineage?: LineageStep[];
}

/** One step of a model's history: a model continued with more text (`train --from`). */
export interface LineageStep {
  /** The model file continued from, as given. */
  from: string;
  /** Its creation time (ISO 8601) and origin. */
  fromCreatedAt: string;
  fromOrigin: ModelOrigin;
  /** The inputs trained on in this step. */
  inputs: string[];
  /** When this step was trained (ISO 8601). */
  at: string;
  /** Words in the vocabulary before and after; documents added. */
  wordsBefore: number;
  wordsAfter: number;
  documentsAdded: number;
  /** Rows of the source's word vectors kept fixed (`--freeze-words`). */
  frozenWords: boolean;
  /** How firmly the source's rows were held (`--anchor`; 0: not held, as for imported vectors). */
  anchor: number;
}
