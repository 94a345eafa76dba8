/**
 * t-SNE maps off the server's thread: its cost grows with the square of the points (~3 s for 1,000 on
 * one core), and the event loop must keep answering other requests meanwhile. At most
 * {@link MAX_PARALLEL_MAPS} maps run at once, each on a worker thread that ends with it; more wait.
 */
import { errorFromWorker, WorkerHost, workerScript, type WorkerFailure } from '../workerThreads.js';

/** A map to make. */
export interface ProjectionRequest {
  rows: Float32Array;
  n: number;
  dim: number;
}

/** The worker's answer. */
export type ProjectionReply = { xy: Float32Array } | { error: WorkerFailure };

/** Maps computed at the same time. */
export const MAX_PARALLEL_MAPS = 2;

let running = 0;
const waiting: (() => void)[] = [];

/** t-SNE of `n` rows of `dim` values on a worker thread. */
export async function tsneOffThread(rows: Float32Array, n: number, dim: number): Promise<Float32Array> {
  if (running >= MAX_PARALLEL_MAPS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await new Promise<Float32Array>((resolve, reject) => {
      const host: WorkerHost<ProjectionRequest, ProjectionReply> = new WorkerHost(workerScript(import.meta.url, 'serve/projectionWorker.js', 'map worker'), 'map worker', {
        onMessage: (reply) => {
          if ('xy' in reply) resolve(reply.xy);
          else reject(errorFromWorker(reply.error, 'map worker'));
          void host.close();
        },
        onFailure: reject,
      });
      host.post({ rows, n, dim }, [rows.buffer as ArrayBuffer]);
    });
  } finally {
    running--;
    waiting.shift()?.();
  }
}
