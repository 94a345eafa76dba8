/**
 * Worker-thread entry. Started once per training run (while pass 1 still reads the corpus, so its start-up
 * costs no training time), it posts `ready`, then runs {@link runWorker} for every `train` request and
 * answers each with one {@link WorkerReply}, until `close`.
 */
import { parentPort } from 'node:worker_threads';
import { failureOf } from '../workerThreads.js';
import { runWorker } from './workerLoop.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

const port = parentPort!;
port.on('message', (request: WorkerRequest) => {
  if (request.type === 'close') {
    port.close();
    return;
  }
  const started = performance.now();
  let reply: WorkerReply;
  try {
    const outcome = runWorker(request.init);
    reply = outcome.finished
      ? { type: 'done', seconds: (performance.now() - started) / 1000, words: outcome.words, nonFinite: outcome.nonFinite }
      : { type: 'stopped' };
  } catch (error) {
    reply = { type: 'error', ...failureOf(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);
