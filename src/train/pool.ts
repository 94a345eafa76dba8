/**
 * The training workers and their supervision. {@link TrainingPool.start} spawns the worker threads at
 * once, so that they start up (a Node isolate each, modules loaded) while the main thread is still busy
 * with pass 1; each training pass then sends every worker one request. While a pass runs, the pool reads
 * the workers' shared progress for the caller's callback, raises the stop flag when the caller aborts, and
 * — if one worker fails — stops the others and rethrows the failure once all have answered (fastText's
 * `startThreads`, piscina's error handling).
 */
import { Worker } from 'node:worker_threads';
import { ErrorCodes, KotovecError } from '../errors.js';
import { errorFromWorker, workerScript } from '../workerThreads.js';
import { Control, Progress, PROGRESS_SLOTS, type NonFinite, type WorkerInit, type WorkerReply, type WorkerRequest } from './protocol.js';

/** A snapshot of training progress. */
export interface PoolProgress {
  /** Words processed, all workers and epochs together. */
  words: number;
  /** Mean loss per output decision since the start. */
  loss: number;
  /** Current learning rate (of the first worker). */
  alpha: number;
}

/** What each worker did in a pass (for balance statistics). */
export interface WorkerStats {
  /** Seconds of each worker's pass. */
  seconds: number[];
  /** Words each worker trained. */
  words: number[];
  /** What each worker found in its share of the weights (when the workers initialised them). */
  nonFinite?: NonFinite[];
}

/** Reads the summed progress from the shared array. */
export function readProgress(progress: Float64Array, threads: number): PoolProgress {
  let words = 0;
  let loss = 0;
  let outputs = 0;
  for (let t = 0; t < threads; t++) {
    words += progress[t * PROGRESS_SLOTS + Progress.WORDS]!;
    loss += progress[t * PROGRESS_SLOTS + Progress.LOSS]!;
    outputs += progress[t * PROGRESS_SLOTS + Progress.OUTPUTS]!;
  }
  return { words, loss: outputs > 0 ? loss / outputs : 0, alpha: progress[Progress.ALPHA]! };
}

type Failure = Extract<WorkerReply, { type: 'error' }>;

/** One worker thread and what the pool knows of it. */
class PoolWorker {
  readonly thread: Worker;
  /** Set once the thread has ended. */
  exited = false;
  /** Why the thread cannot be used (it failed to start, or died). */
  failure: Failure | undefined;
  /** Receives the reply to the request in flight. */
  private waiting: ((reply: WorkerReply) => void) | undefined;
  private readonly exit: Promise<void>;

  constructor(script: URL, readonly index: number) {
    this.thread = new Worker(script);
    this.thread.unref();
    this.thread.on('message', (reply: WorkerReply) => {
      if (reply.type !== 'ready') this.answer(reply);
    });
    this.thread.on('error', (error) => {
      this.failure ??= { type: 'error', message: error.message, stack: error.stack };
      this.answer(this.failure);
    });
    this.exit = new Promise((resolve) =>
      this.thread.on('exit', (code) => {
        this.exited = true;
        this.failure ??= { type: 'error', message: `worker ${index} exited with code ${code}` };
        this.answer(this.failure);
        resolve();
      }),
    );
  }

  private answer(reply: WorkerReply): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(reply);
  }

  /** Sends one pass to the thread and resolves with its one reply (a failure if the thread dies). */
  request(init: WorkerInit): Promise<WorkerReply> {
    if (this.exited || this.failure) return Promise.resolve(this.failure!);
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.thread.ref();
      this.thread.postMessage({ type: 'train', init } satisfies WorkerRequest);
    }).finally(() => this.thread.unref()) as Promise<WorkerReply>;
  }

  /** Asks the thread to end and waits until it has. */
  async close(): Promise<void> {
    if (!this.exited) {
      // Held while it ends: a process whose only pending work is this wait must not exit before it.
      this.thread.ref();
      this.thread.postMessage({ type: 'close' } satisfies WorkerRequest);
    }
    await this.exit;
  }
}

/** Worker threads for the passes of one training run. */
export class TrainingPool {
  private workers: PoolWorker[];

  private constructor(threads: number) {
    const script = workerScript(import.meta.url, 'train/worker.js', 'training worker');
    this.workers = Array.from({ length: threads }, (_, index) => new PoolWorker(script, index));
  }

  /**
   * Starts `threads` workers; they get ready in the background. Idle workers do not keep the process
   * alive; {@link close} ends them.
   * @throws KotovecError WORKER when the worker script is not built
   */
  static start(threads: number): TrainingPool {
    return new TrainingPool(threads);
  }

  /** Workers in the pool. */
  get size(): number {
    return this.workers.length;
  }

  /** Ends the workers beyond the first `threads` (a small corpus has fewer blocks than threads). */
  async shrink(threads: number): Promise<void> {
    const extra = this.workers.slice(threads);
    this.workers = this.workers.slice(0, threads);
    await Promise.all(extra.map((w) => w.close()));
  }

  /**
   * Runs one training pass: worker i gets `inits[i]`, and all share `inits[0].shared`.
   * @param onProgress called about every `intervalMs`
   * @param signal aborting it stops the workers at their next check (within ~10,000 words)
   * @param stats filled with each worker's running time and words
   * @returns `stopped` when aborted, `done` otherwise
   * @throws KotovecError WORKER (or the worker's own code) when a worker fails
   */
  async run(
    inits: WorkerInit[],
    onProgress?: (progress: PoolProgress) => void,
    signal?: AbortSignal,
    intervalMs = 250,
    stats: WorkerStats = { seconds: [], words: [] },
  ): Promise<'done' | 'stopped'> {
    if (inits.length > this.workers.length) throw new KotovecError(ErrorCodes.WORKER, `${inits.length} passes for ${this.workers.length} workers`);
    const shared = inits[0]!.shared;
    const control = new Int32Array(shared.control);
    const progress = new Float64Array(shared.progress);
    const stop = () => Atomics.store(control, Control.STOP, 1);
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
    let failure: Failure | undefined;
    let stopped = false;
    const timer = onProgress ? setInterval(() => onProgress(readProgress(progress, inits.length)), intervalMs) : undefined;
    try {
      await Promise.all(
        inits.map(async (init, i) => {
          const reply = await this.workers[i]!.request(init);
          // A last look while the pass is still fresh (short runs end between two ticks).
          onProgress?.(readProgress(progress, inits.length));
          if (reply.type === 'error') {
            failure ??= reply;
            stop();
          } else if (reply.type === 'stopped') stopped = true;
          else if (reply.type === 'done') {
            stats.seconds[init.index] = reply.seconds;
            stats.words[init.index] = reply.words;
            if (reply.nonFinite) (stats.nonFinite ??= [])[init.index] = reply.nonFinite;
          }
        }),
      );
    } finally {
      if (timer) clearInterval(timer);
      signal?.removeEventListener('abort', stop);
    }
    const failed = failure as Failure | undefined;
    if (failed) throw errorFromWorker(failed, 'training worker');
    onProgress?.(readProgress(progress, inits.length));
    return stopped || signal?.aborted ? 'stopped' : 'done';
  }

  /** Ends every worker and waits until all have. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers = [];
  }
}
