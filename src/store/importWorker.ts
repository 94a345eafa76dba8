/**
 * Worker-thread side of `import` (see importer.ts): it owns the SQLite writes (importRows.ts) while the
 * main thread reads and parses the file, so the two run at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { failureOf } from '../workerThreads.js';
import type { ImportReply, ImportRequest, ImportWorkerData } from './importer.js';
import { ImportRows } from './importRows.js';

const { path, source, precision, dim } = workerData as ImportWorkerData;
const rows = new ImportRows(path, source, precision, dim);

parentPort!.on('message', (request: ImportRequest) => {
  let reply: ImportReply;
  try {
    if ('words' in request) {
      rows.write(request.first, request.words, request.encoded, request.scan);
      reply = { rows: request.words.length };
    } else {
      rows.finish();
      reply = { finished: true };
    }
  } catch (error) {
    rows.close();
    reply = { error: failureOf(error) };
  }
  parentPort!.postMessage(reply);
  if ('finished' in reply || 'error' in reply) parentPort!.close();
});
