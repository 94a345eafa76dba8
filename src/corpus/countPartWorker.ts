/** Worker-thread entry of pass 1's second part (see `splitScan.ts`): counts its files and posts the count. */
import { parentPort, workerData } from 'node:worker_threads';
import { ErrorCodes, KotovecError } from '../errors.js';
import { newReadStats } from '../text/lineReader.js';
import { createBatchTokenizer } from '../text/tokenizePool.js';
import { failureOf } from '../workerThreads.js';
import { countLineBlocks, type PartJob, type PartReply, type PartRequest } from './splitScan.js';
import { TokenCacheWriter } from './tokenCache.js';

const port = parentPort!;
const controller = new AbortController();
port.on('message', (request: PartRequest) => {
  if (request.type === 'abort') controller.abort();
});
const post = (reply: PartReply) => port.postMessage(reply);
const job = workerData as PartJob;
try {
  const bytes = (await createBatchTokenizer(job.tokenizer, 1)).byteCounter?.();
  if (!bytes) throw new KotovecError(ErrorCodes.WORKER, 'no byte counter for this tokenizer');
  const read = newReadStats();
  const writer = job.cachePath ? new TokenCacheWriter(job.cachePath) : undefined;
  let lastReport = 0;
  try {
    await countLineBlocks(job.files, { maxLineChars: job.maxLineChars, signal: controller.signal }, read, bytes, writer, job.documentLines, () => {
      if (controller.signal.aborted) throw new KotovecError(ErrorCodes.INTERRUPTED, 'interrupted');
      const now = Date.now();
      if (now - lastReport > 200) {
        lastReport = now;
        post({ type: 'progress', bytesRead: read.bytesRead, tokens: bytes.tokens });
      }
    });
  } finally {
    writer?.close();
  }
  const { words, counts } = bytes.table();
  post({
    type: 'done',
    part: { words, counts, tokens: bytes.tokens, lines: bytes.lines, sentences: bytes.sentences, emptyDocuments: bytes.emptyDocuments, replacements: bytes.replacements, read, cacheInts: writer?.position ?? 0 },
  });
} catch (error) {
  post({ type: 'error', ...failureOf(error) });
}
