/**
 * Corpus preparation (`prepare.ts`) on a thread of its own. Reading and tokenizing a corpus allocates a
 * great deal of short-lived memory (decoded text, lines, tokens, the counter of every distinct word), and
 * V8 keeps the heap it grew for that — its young generation among it — long after the garbage is gone:
 * on the main thread it would stay resident through the whole of training. On a worker, that heap goes
 * away with the worker, and training starts from the runtime's own footprint; only the vocabulary and
 * the description of the token cache (a file) come back.
 *
 * Standard input cannot be read from a worker (it has no stdin of its own), so a run that reads `-`
 * prepares its corpus on the calling thread.
 */
import { errorFromWorker, WorkerHost, workerScript, type WorkerFailure } from '../workerThreads.js';
import { prepareCorpus, type PrepareJob, type PreparedCorpus } from './prepare.js';
import type { ScanProgress } from './scan.js';

/** Messages from the preparation worker. */
export type PrepareReply =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'done'; prepared: PreparedCorpus }
  | ({ type: 'error' } & WorkerFailure);

/** Messages to the preparation worker. */
export type PrepareRequest = { type: 'abort' };

/**
 * Prepares the corpus on a worker thread (on this thread when an input is standard input).
 * @param signal aborting it stops pass 1 with an INTERRUPTED error
 * @throws the preparation's own errors, with their codes and messages; KotovecError WORKER if the thread dies
 */
export function prepareCorpusOnThread(job: PrepareJob, signal?: AbortSignal, onProgress?: (p: ScanProgress) => void): Promise<PreparedCorpus> {
  if (job.files.some((f) => f.path === '-')) return prepareCorpus(job, signal, onProgress);
  return new Promise<PreparedCorpus>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      // The worker has said all it will: end it, and answer once it is gone (its heap with it).
      void worker.close().finally(outcome);
    };
    const worker = new WorkerHost<PrepareRequest, PrepareReply>(workerScript(import.meta.url, 'corpus/prepareWorker.js', 'corpus worker'), 'corpus worker', {
      onMessage(reply) {
        if (reply.type === 'progress') onProgress?.(reply.progress);
        else if (reply.type === 'done') settle(() => resolve(reply.prepared));
        else settle(() => reject(errorFromWorker(reply, 'corpus worker')));
      },
      onFailure: (error) => settle(() => reject(error)),
    }, { workerData: job });
    const abort = () => worker.post({ type: 'abort' });
    signal?.addEventListener('abort', abort, { once: true });
    if (signal?.aborted) abort();
  });
}
