/** Worker-thread entry of corpus preparation (see `prepareThread.ts`): runs one job and posts its result. */
import { parentPort, workerData } from 'node:worker_threads';
import { failureOf } from '../workerThreads.js';
import { prepareCorpus, type PrepareJob } from './prepare.js';
import type { PrepareReply, PrepareRequest } from './prepareThread.js';

const port = parentPort!;
const controller = new AbortController();
port.on('message', (request: PrepareRequest) => {
  if (request.type === 'abort') controller.abort();
});
const post = (reply: PrepareReply) => port.postMessage(reply);
try {
  const prepared = await prepareCorpus(workerData as PrepareJob, controller.signal, (progress) => post({ type: 'progress', progress }));
  post({ type: 'done', prepared });
} catch (error) {
  post({ type: 'error', ...failureOf(error) });
}
