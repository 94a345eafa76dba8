/**
 * Messages and shared state between the trainer (main thread) and its worker threads, in one typed place.
 * Weights live in SharedArrayBuffers that every worker updates in place without locks (Hogwild, as
 * word2vec C and gensim do). Each worker publishes its progress in its own slots of a shared Float64Array;
 * the main thread sums them for the learning-rate schedule and the progress bar, and raises a shared stop
 * flag to interrupt.
 */
import type { Hyperparameters } from '../options.js';

/** Float64 slots each worker owns in the progress array. */
export const PROGRESS_SLOTS = 4;
/** Slot offsets within a worker's progress slots. */
export const Progress = { WORDS: 0, LOSS: 1, OUTPUTS: 2, ALPHA: 3 } as const;
/** Int32 slots of the control array. */
export const Control = { STOP: 0 } as const;

/** A part of the token cache: ints `[fromInt, toInt)` holding `words` words. */
export interface CacheRange {
  fromInt: number;
  toInt: number;
  words: number;
}

/** Shared memory every worker maps. */
export interface SharedState {
  syn0: SharedArrayBuffer;
  syn1neg: SharedArrayBuffer | null;
  syn1: SharedArrayBuffer | null;
  /** Document vectors (docs × dim) for doc2vec, or null. */
  docVectors: SharedArrayBuffer | null;
  /** Float64 × threads × {@link PROGRESS_SLOTS}. */
  progress: SharedArrayBuffer;
  /** Int32 × 1: the stop flag. */
  control: SharedArrayBuffer;
}

/** Read-only tables, copied to each worker. */
export interface TrainingTables {
  keepThreshold: Float64Array;
  noiseThreshold: Float64Array;
  noiseAlias: Int32Array;
  huffmanOffsets: Int32Array;
  huffmanCodes: Uint8Array;
  huffmanPoints: Int32Array;
}

/** What a worker is started with (its `workerData`). */
export interface WorkerInit {
  index: number;
  threads: number;
  cachePath: string;
  range: CacheRange;
  hyper: Hyperparameters;
  vocabSize: number;
  /** Words per epoch over all workers (for the learning-rate schedule). */
  totalWords: number;
  shared: SharedState;
  tables: TrainingTables;
}

/** What a worker posts back when it ends. */
export type WorkerReply =
  | { type: 'done' }
  | { type: 'stopped' }
  | { type: 'error'; code?: string; message: string; stack?: string };
