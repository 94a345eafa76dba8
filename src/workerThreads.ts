/**
 * What every worker-thread host shares: finding a worker's compiled script, and turning the failure a
 * worker posts back into a typed error on the calling thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, KotovecError } from './errors.js';

/** A failure as a worker posts it (an Error does not cross threads with its code intact). */
export interface WorkerFailure {
  code?: string;
  message: string;
  stack?: string;
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
