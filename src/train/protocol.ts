/**
 * Messages and shared state between the trainer (main thread) and its worker threads, in one typed place.
 * Weights and tables live in one shared WebAssembly.Memory (see `memory.ts`) that every worker updates in
 * place without locks (Hogwild, as word2vec C and gensim do). Each worker publishes its progress in its
 * own slots of a shared Float64Array; the main thread sums them for the progress bar and raises a shared
 * stop flag to interrupt.
 */
import type { Hyperparameters } from '../options.js';
import type { MemoryLayout } from './memory.js';

/** Float64 slots each worker owns in the progress array. */
export const PROGRESS_SLOTS = 4;
/** Slot offsets within a worker's progress slots. */
export const Progress = { WORDS: 0, LOSS: 1, OUTPUTS: 2, ALPHA: 3 } as const;
/** Int32 slots of the control array. */
export const Control = { STOP: 0 } as const;

/** Which implementation of the inner loops runs: WebAssembly SIMD (default) or plain TypeScript. */
export type KernelKind = 'wasm' | 'js';

/** A part of the token cache: ints `[fromInt, toInt)` holding `words` words. */
export interface CacheRange {
  fromInt: number;
  toInt: number;
  words: number;
}

/** Shared memory every worker maps. */
export interface SharedState {
  memory: WebAssembly.Memory;
  layout: MemoryLayout;
  /** Float64 × threads × {@link PROGRESS_SLOTS}. */
  progress: SharedArrayBuffer;
  /** Int32 × 1: the stop flag. */
  control: SharedArrayBuffer;
}

/** What a worker is started with (its `workerData`). */
export interface WorkerInit {
  index: number;
  threads: number;
  cachePath: string;
  /** This worker's share of the cache, in file order (blocks dealt round-robin). */
  ranges: CacheRange[];
  hyper: Hyperparameters;
  kernel: KernelKind;
  /** The compiled WebAssembly kernel (when `kernel` is `wasm`). */
  wasm: WebAssembly.Module | null;
  /** Words per epoch over all workers (for the learning-rate schedule). */
  totalWords: number;
  shared: SharedState;
}

/** What a worker posts back when it ends. */
export type WorkerReply =
  | { type: 'done'; /** Seconds from the worker's start (module loaded) to the end of its share. */ seconds: number }
  | { type: 'stopped' }
  | { type: 'error'; code?: string; message: string; stack?: string };
