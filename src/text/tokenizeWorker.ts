/**
 * Worker-thread entry of the tokenizer pool: builds the tokenizer once, then tokenizes batches. An
 * interning request gets the tokens back as numbers: ids from this worker's own dictionary, with the
 * words it had not seen before listed in the order they got their ids (see `createInterningTokenizer`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { detach } from '../vocab/counter.js';
import type { InternReply, TokenizeReply, TokenizeRequest } from './tokenizePool.js';
import { createTokenizer, type TokenizerConfig } from './tokenizers.js';

const ready = createTokenizer(workerData as TokenizerConfig);
const dictionary = new Map<string, number>();

parentPort!.on('message', async (request: TokenizeRequest) => {
  let reply: TokenizeReply | InternReply;
  try {
    const tokenizer = await ready;
    if (!request.intern) {
      reply = { id: request.id, tokens: request.texts.map((text) => tokenizer.tokenize(text)) };
    } else {
      const lists = request.texts.map((text) => tokenizer.tokenize(text));
      let total = 0;
      for (const list of lists) total += list.length;
      const ids = new Int32Array(total);
      const lengths = new Int32Array(lists.length);
      const newWords: string[] = [];
      let at = 0;
      lists.forEach((list, i) => {
        lengths[i] = list.length;
        for (const token of list) {
          let id = dictionary.get(token);
          if (id === undefined) {
            id = dictionary.size;
            const word = detach(token);
            dictionary.set(word, id);
            newWords.push(word);
          }
          ids[at++] = id;
        }
      });
      reply = { id: request.id, ids, lengths, newWords };
      parentPort!.postMessage(reply, [ids.buffer, lengths.buffer]);
      return;
    }
  } catch (error) {
    const err = error as Error & { code?: string };
    reply = { id: request.id, error: { message: err.message, code: err.code } };
  }
  parentPort!.postMessage(reply);
});
