/**
 * The one way kotovec runs worker threads: finding a worker's compiled script, hosting the thread
 * ({@link WorkerHost}: its messages to a handler, every way it can fail to one typed error), and carrying
 * a failure across the thread boundary ({@link failureOf} on the worker, {@link errorFromWorker} on the host).
 * The tokenizer pool, corpus preparation and the training pool are all built on it.
 */
import { Worker, type TransferListItem } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, KotovecError } from './errors.js';

/** A failure as a worker posts it (an Error does not cross threads with its code intact). */
export interface WorkerFailure {
  code?: string;
  message: string;
  stack?: string;
}

/** What a worker posts for an error it caught: its code, message and stack. */
export function failureOf(error: unknown): WorkerFailure {
  const err = error as Error & { code?: string };
  return { code: err?.code, message: err?.message ?? String(error), stack: err?.stack };
}

/**
 * The compiled script of a worker: beside the calling module when built, or in `dist/` when running
 * from sources (tests).
 * @param from the caller's `import.meta.url`
 * @param path the script's path below `src/` or `dist/`, e.g. `train/worker.js`
 * @param what how to name the worker in the error
 * @throws KotovecError WORKER when the script is not built
 */
export function workerScript(from: string, path: string, what: string): URL {
  const name = path.split('/').pop()!;
  for (const relative of [`./${name}`, `../../dist/${path}`]) {
    const url = new URL(relative, from);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new KotovecError(ErrorCodes.WORKER, `the ${what} is not built: run \`npm run build\``);
}

/**
 * The error a worker's failure stands for: its own code and message when it had a known code, else a
 * WORKER error that names the worker.
 */
export function errorFromWorker(failure: WorkerFailure, what: string): KotovecError {
  const code = Object.values(ErrorCodes).find((c) => c === failure.code) ?? ErrorCodes.WORKER;
  const error = new KotovecError(code, code === ErrorCodes.WORKER ? `${what} failed: ${failure.message}` : failure.message);
  if (failure.stack) error.stack = failure.stack;
  return error;
}

/** What a {@link WorkerHost} tells its owner. */
export interface WorkerHandlers<Reply> {
  /** Every message the worker posts. */
  onMessage(reply: Reply): void;
  /**
   * Called once if the thread fails outside its own error handling (an uncaught error) or ends without
   * being asked to (killed, out of memory): a KotovecError WORKER that names the worker.
   */
  onFailure(error: KotovecError): void;
}

/** One worker thread, started from its script and supervised. */
export class WorkerHost<Request = unknown, Reply = unknown> {
  private readonly thread: Worker;
  private closing = false;
  private lost: KotovecError | undefined;
  /** Settles when the thread has ended, however it ended. */
  readonly exited: Promise<void>;

  /**
   * @param script from {@link workerScript}
   * @param what how errors name the worker ("training worker")
   * @param options `workerData` for the thread; `idle: 'unref'` lets the process exit while the thread
   *   waits for work (see {@link hold})
   */
  constructor(script: URL, readonly what: string, private readonly handlers: WorkerHandlers<Reply>, options: { workerData?: unknown; idle?: 'unref' } = {}) {
    this.thread = new Worker(script, { workerData: options.workerData });
    if (options.idle === 'unref') this.thread.unref();
    this.thread.on('message', (reply: Reply) => handlers.onMessage(reply));
    this.thread.on('error', (error) => this.fail(new KotovecError(ErrorCodes.WORKER, `${what} failed: ${error.message}`)));
    this.exited = new Promise((resolve) =>
      this.thread.on('exit', (code) => {
        if (!this.closing) this.fail(new KotovecError(ErrorCodes.WORKER, `${what} exited with code ${code}`));
        resolve();
      }),
    );
  }

  /** Why the thread can no longer be used, once it failed or ended unasked. */
  get failure(): KotovecError | undefined {
    return this.lost;
  }

  private fail(error: KotovecError): void {
    if (this.lost) return;
    this.lost = error;
    this.handlers.onFailure(error);
  }

  /** Posts a message to the worker (ignored once it has failed). */
  post(message: Request, transfer?: readonly TransferListItem[]): void {
    if (!this.lost) this.thread.postMessage(message, transfer);
  }

  /** Keeps the process alive while the worker has work (with `idle: 'unref'`); {@link release} undoes it. */
  hold(): void {
    this.thread.ref();
  }

  /** Lets the process exit again while the worker waits. */
  release(): void {
    this.thread.unref();
  }

  /**
   * Ends the thread and waits until it has: with `goodbye`, by asking it (the worker ends on its own);
   * otherwise by terminating it.
   */
  async close(goodbye?: Request): Promise<void> {
    if (this.closing) return this.exited;
    this.closing = true;
    if (goodbye !== undefined && !this.lost) {
      // Held while it ends: a process whose only pending work is this wait must not exit before it.
      this.thread.ref();
      this.thread.postMessage(goodbye);
    } else {
      await this.thread.terminate();
    }
    await this.exited;
  }
}
