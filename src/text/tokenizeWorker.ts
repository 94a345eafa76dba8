/** Worker-thread entry of the tokenizer pool: builds the tokenizer once, then tokenizes batches. */
import { parentPort, workerData } from 'node:worker_threads';
import type { TokenizeReply, TokenizeRequest } from './tokenizePool.js';
import { createTokenizer, type TokenizerConfig } from './tokenizers.js';

const ready = createTokenizer(workerData as TokenizerConfig);
parentPort!.on('message', async (request: TokenizeRequest) => {
  let reply: TokenizeReply;
  try {
    const tokenizer = await ready;
    reply = { id: request.id, tokens: request.texts.map((text) => tokenizer.tokenize(text)) };
  } catch (error) {
    const err = error as Error & { code?: string };
    reply = { id: request.id, error: { message: err.message, code: err.code } };
  }
  parentPort!.postMessage(reply);
});
