/**
 * Worker-thread entry of the Japanese tokenizer pool: opens the dictionary the pool shares, then
 * tokenizes batches into strings or spans.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { failureOf } from '../workerThreads.js';
import { createJapaneseAnalysis } from './japanese.js';
import { createNormalizer } from './normalize.js';
import { Utf8Builder } from './utf8Builder.js';
import { analyzeBatch, writeBatchLines, type TokenizeReply, type TokenizeRequest, type TokenizeWorkerData } from './tokenizePool.js';

const { config, dictionary } = workerData as TokenizeWorkerData;
const normalize = createNormalizer({ form: config.normalize, lowercase: config.lowercase });
const ready = createJapaneseAnalysis(config, dictionary);
const out = new Utf8Builder();
parentPort!.on('message', async (request: TokenizeRequest) => {
  let reply: TokenizeReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const analysis = await ready;
    if (request.as === 'tokens') {
      reply = { id: request.id, tokens: request.texts.map((text) => analysis.tokenize(normalize(text))) };
    } else if (request.as === 'lines') {
      const lines = writeBatchLines(analysis, normalize, request.texts, out);
      transfer.push(lines.buffer as ArrayBuffer);
      reply = { id: request.id, lines };
    } else {
      const batch = analyzeBatch(analysis, normalize, request.texts);
      transfer.push(batch.counts.buffer as ArrayBuffer, batch.spans.buffer as ArrayBuffer);
      reply = { id: request.id, ...batch };
    }
  } catch (error) {
    reply = { id: request.id, error: failureOf(error) };
  }
  parentPort!.postMessage(reply, transfer);
});
