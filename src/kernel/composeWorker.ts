/**
 * The composing thread of kernel/compose.ts `ChunkComposer`: the kernel over the composer's shared memory,
 * adding each chunk of rows it is sent to the words' sums while the main thread writes the chunk out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { failureOf } from '../workerThreads.js';
import type { ChunkJob, ChunkReply } from './compose.js';
import { bindKernel, compileKernel } from './wasm.js';

const kernel = bindKernel(compileKernel(), (workerData as { memory: WebAssembly.Memory }).memory);

parentPort!.on('message', (job: ChunkJob) => {
  let reply: ChunkReply;
  try {
    kernel.addChunkRows(job.chunk, job.first, job.count, job.offsets, job.rows, job.words, job.sums, job.dim);
    reply = { added: job.first };
  } catch (error) {
    reply = { failure: failureOf(error) };
  }
  parentPort!.postMessage(reply);
});
