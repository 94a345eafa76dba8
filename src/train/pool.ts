/**
 * Runs the training workers and watches them: reads their shared progress for the caller's progress
 * callback, raises the stop flag when the caller aborts, and — if one worker fails — stops the others
 * and rethrows the failure once all have ended (fastText's `startThreads`, piscina's error handling).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ErrorCodes, KotovecError } from '../errors.js';
import { Control, Progress, PROGRESS_SLOTS, type WorkerInit, type WorkerReply } from './protocol.js';

/** A snapshot of training progress. */
export interface PoolProgress {
  /** Words processed, all workers and epochs together. */
  words: number;
  /** Mean loss per output decision since the start. */
  loss: number;
  /** Current learning rate (of the first worker). */
  alpha: number;
}

/** The compiled worker script: beside this module when built, or in `dist/` when running from sources. */
function workerScript(): URL {
  const beside = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL('../../dist/train/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new KotovecError(ErrorCodes.WORKER, 'the training worker is not built: run `npm run build`');
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

/**
 * Starts one worker per init and waits for all of them.
 * @param inits one per worker; they share the same `shared` state
 * @param onProgress called about every `intervalMs`
 * @param signal aborting it stops the workers at their next check (within ~10,000 words)
 * @param workerSeconds filled with each worker's own running time (for balance statistics)
 * @returns `stopped` when aborted, `done` otherwise
 * @throws KotovecError WORKER (or the worker's own code) when a worker fails
 */
export async function runWorkers(
  inits: WorkerInit[],
  onProgress?: (progress: PoolProgress) => void,
  signal?: AbortSignal,
  intervalMs = 250,
  workerSeconds: number[] = [],
): Promise<'done' | 'stopped'> {
  const shared = inits[0]!.shared;
  const control = new Int32Array(shared.control);
  const progress = new Float64Array(shared.progress);
  const script = workerScript();
  const stop = () => Atomics.store(control, Control.STOP, 1);
  signal?.addEventListener('abort', stop, { once: true });
  if (signal?.aborted) stop();
  let failure: WorkerReply | undefined;
  let stopped = false;
  const timer = onProgress ? setInterval(() => onProgress(readProgress(progress, inits.length)), intervalMs) : undefined;
  try {
    await Promise.all(
      inits.map(
        (init) =>
          new Promise<void>((resolve) => {
            const worker = new Worker(script, { workerData: init });
            let replied = false;
            worker.on('message', (reply: WorkerReply) => {
              replied = true;
              // A last look while this worker is still alive (short runs end between two ticks).
              onProgress?.(readProgress(progress, inits.length));
              if (reply.type === 'error') {
                failure ??= reply;
                stop();
              } else if (reply.type === 'stopped') stopped = true;
              else workerSeconds[init.index] = reply.seconds;
            });
            worker.on('error', (error) => {
              failure ??= { type: 'error', message: error.message, stack: error.stack };
              stop();
            });
            worker.on('exit', (code) => {
              if (!replied && !failure) {
                failure = { type: 'error', message: `worker ${init.index} exited with code ${code}` };
                stop();
              }
              resolve();
            });
          }),
      ),
    );
  } finally {
    if (timer) clearInterval(timer);
    signal?.removeEventListener('abort', stop);
  }
  const failed = failure as WorkerReply | undefined;
  if (failed?.type === 'error') {
    const code = Object.values(ErrorCodes).find((c) => c === failed.code) ?? ErrorCodes.WORKER;
    const error = new KotovecError(code, code === ErrorCodes.WORKER ? `training worker failed: ${failed.message}` : failed.message);
    if (failed.stack) error.stack = failed.stack;
    throw error;
  }
  onProgress?.(readProgress(progress, inits.length));
  return stopped || signal?.aborted ? 'stopped' : 'done';
}
