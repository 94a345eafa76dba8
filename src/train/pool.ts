/**
 * The training workers and their supervision. {@link TrainingPool.start} spawns the worker threads at
 * once, so that they start up (a Node isolate each, modules loaded) while the main thread is still busy
 * with pass 1; each training pass then sends every worker one request. While a pass runs, the pool reads
 * the workers' shared progress for the caller's callback, raises the stop flag when the caller aborts, and
 * — if one worker fails — stops the others and rethrows the failure once all have answered (fastText's
 * `startThreads`, piscina's error handling).
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import { errorFromWorker, WorkerHost, workerScript } from '../workerThreads.js';
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

/** One worker thread of the pool: one request at a time, each answered by one reply. */
class PoolWorker {
  private readonly host: WorkerHost<WorkerRequest, WorkerReply>;
  /** Receives the answer to the request in flight: the worker's reply, or why the thread was lost. */
  private waiting: ((answer: WorkerReply | KotovecError) => void) | undefined;

  constructor(script: URL, index: number) {
    this.host = new WorkerHost<WorkerRequest, WorkerReply>(script, `training worker ${index}`, {
      onMessage: (reply) => {
        if (reply.type !== 'ready') this.answer(reply);
      },
      onFailure: (error) => this.answer(error),
    }, { idle: 'unref' });
  }

  private answer(answer: WorkerReply | KotovecError): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(answer);
  }

  /** Sends one pass to the thread and resolves with its one reply, or the error if the thread is lost. */
  request(init: WorkerInit): Promise<WorkerReply | KotovecError> {
    if (this.host.failure) return Promise.resolve(this.host.failure);
    return new Promise<WorkerReply | KotovecError>((resolve) => {
      this.waiting = resolve;
      this.host.hold();
      this.host.post({ type: 'train', init });
    }).finally(() => this.host.release());
  }

  /** Asks the thread to end and waits until it has. */
  close(): Promise<void> {
    return this.host.close({ type: 'close' });
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
    let failure: KotovecError | undefined;
    let stopped = false;
    const timer = onProgress ? setInterval(() => onProgress(readProgress(progress, inits.length)), intervalMs) : undefined;
    try {
      await Promise.all(
        inits.map(async (init, i) => {
          const reply = await this.workers[i]!.request(init);
          // A last look while the pass is still fresh (short runs end between two ticks).
          onProgress?.(readProgress(progress, inits.length));
          if (reply instanceof KotovecError) {
            failure ??= reply;
            stop();
          } else if (reply.type === 'error') {
            failure ??= errorFromWorker(reply, 'training worker');
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
    const failed = failure as KotovecError | undefined;
    if (failed) throw failed;
    onProgress?.(readProgress(progress, inits.length));
    return stopped || signal?.aborted ? 'stopped' : 'done';
  }

  /** Ends every worker and waits until all have. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers = [];
  }
}
