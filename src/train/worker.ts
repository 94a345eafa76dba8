/** Worker-thread entry: runs {@link runWorker} on its `workerData` and posts one {@link WorkerReply}. */
import { parentPort, workerData } from 'node:worker_threads';
import { runWorker } from './kernel.js';
import type { WorkerInit, WorkerReply } from './protocol.js';

const started = performance.now();
let reply: WorkerReply;
try {
  reply = runWorker(workerData as WorkerInit) ? { type: 'done', seconds: (performance.now() - started) / 1000 } : { type: 'stopped' };
} catch (error) {
  const err = error as Error & { code?: string };
  reply = { type: 'error', code: err.code, message: err.message, stack: err.stack };
}
parentPort!.postMessage(reply);
