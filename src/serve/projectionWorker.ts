/** Worker-thread entry of t-SNE maps (see `projectionPool.ts`): one map per message. */
import { parentPort } from 'node:worker_threads';
import { failureOf } from '../workerThreads.js';
import { tsne } from './projection.js';
import type { ProjectionReply, ProjectionRequest } from './projectionPool.js';

parentPort!.on('message', ({ rows, n, dim }: ProjectionRequest) => {
  let reply: ProjectionReply;
  try {
    const xy = tsne(rows, n, dim);
    reply = { xy };
    parentPort!.postMessage(reply, [xy.buffer as ArrayBuffer]);
  } catch (error) {
    reply = { error: failureOf(error) };
    parentPort!.postMessage(reply);
  }
});
