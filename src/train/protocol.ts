/**
 * Messages and shared state between the trainer (main thread) and its worker threads, in one typed place.
 * Weights and tables live in one shared WebAssembly.Memory (see `memory.ts`) that every worker updates in
 * place without locks (Hogwild, as word2vec C and gensim do). Workers take the token cache's blocks one
 * at a time from a shared counter (as gensim's threads take jobs from a queue). Each worker publishes its
 * progress in its own cache line of a shared Float64Array; the main thread sums them for the progress bar
 * and raises a shared stop flag to interrupt. Workers are started once per training run and are sent one
 * {@link WorkerRequest} per pass.
 */
import type { Hyperparameters } from '../options.js';
import type { MemoryLayout } from '../kernel/memory.js';
import type { KernelKind } from '../options.js';
import type { WorkerFailure } from '../workerThreads.js';

/** Float64 slots each worker owns in the progress array: one 64-byte cache line, so no two workers share one. */
export const PROGRESS_SLOTS = 8;
/** Slot offsets within a worker's progress slots. */
export const Progress = { WORDS: 0, LOSS: 1, OUTPUTS: 2, ALPHA: 3 } as const;
/**
 * Int32 slots of the control array, a cache line apart: the stop flag (read by every worker now and
 * then), the next block to train (counted up by every worker once per block, over all epochs), and two
 * barriers, counted up by each worker when it has initialised its share of the vectors and when it has
 * finished training.
 */
export const Control = { STOP: 0, NEXT_BLOCK: 16, INITIALISED: 32, FINISHED: 48 } as const;
/** Bytes of the control array. */
export const CONTROL_BYTES = 256;

/** Generator seeds of the initial word and document vectors (see `initializeVectors`). */
export function vectorSeeds(hyper: Hyperparameters): { words: number; docs: number; ngrams: number } {
  return { words: hyper.seed, docs: hyper.seed + 0x5eed, ngrams: hyper.seed + 0x6e67 };
}

/** Which implementation of the inner loops runs: WebAssembly SIMD (default) or plain TypeScript. */
export type { KernelKind };

/** Words a worker trains between two merges of its private hot rows (`KOTOVEC_HOT_SYNC`, default 10,000). */
export const HOT_SYNC_WORDS = Number(process.env.KOTOVEC_HOT_SYNC) > 0 ? Number(process.env.KOTOVEC_HOT_SYNC) : 10000;

/** Shared memory every worker maps. */
export interface SharedState {
  memory: WebAssembly.Memory;
  layout: MemoryLayout;
  /** Float64 × threads × {@link PROGRESS_SLOTS}. */
  progress: SharedArrayBuffer;
  /** Int32 × {@link CONTROL_BYTES}/4: the stop flag and the block counter (see {@link Control}). */
  control: SharedArrayBuffer;
}

/** What a worker trains one pass with. */
export interface WorkerInit {
  index: number;
  threads: number;
  cachePath: string;
  /**
   * Block boundaries of the cache in ints (`TokenCacheWriter.blocks`): block b is `[blocks[b], blocks[b + 1])`. Every
   * worker takes global block numbers g = 0, 1, 2, … from the shared counter and trains block
   * `blockOrder(B, order, seed, e)[g mod B]` of epoch e = ⌊g / B⌋ until g reaches B × epochs: each epoch
   * visits every block once, in file order or in an order drawn from the seed.
   */
  blocks: Float64Array;
  /** The cache's slots → vocabulary ids (−1: a word training drops), over shared memory. */
  slotToId: Int32Array;
  hyper: Hyperparameters;
  kernel: KernelKind;
  /** The compiled WebAssembly kernel (when `kernel` is `wasm`). */
  wasm: WebAssembly.Module | null;
  /** Words per epoch over all workers (for the learning-rate schedule). */
  totalWords: number;
  /**
   * When set (WebAssembly kernel), the workers themselves fill the initial word and document vectors,
   * each its share of the rows with exactly the numbers one thread would draw, wait for one another, and
   * after training count the non-finite values in their share of every matrix.
   */
  initialize: boolean;
  shared: SharedState;
}

/** Non-finite values a worker found in its share of each matrix after training. */
export interface NonFinite {
  words: number;
  outputs: number;
  docs: number;
}

/** What the trainer sends a worker: train one pass, or end. */
export type WorkerRequest = { type: 'train'; init: WorkerInit } | { type: 'close' };

/** What a worker posts back: once when it is ready, then once per pass. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'done'; /** Seconds from the request to the end of the pass. */ seconds: number; /** Words this worker trained. */ words: number; nonFinite?: NonFinite }
  | { type: 'stopped' }
  | ({ type: 'error' } & WorkerFailure);
