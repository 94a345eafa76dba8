/**
 * Worker-thread entry of pass 1's counting pool for the fast tokenizers (`simple`, `whitespace`): each
 * batch's tokens become ids of this thread's own word table, sent back with the words it met for the
 * first time, so the calling thread counts a token by its id instead of by its characters (see
 * `countingPool` in tokenizePool.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { WordCounter } from '../vocab/counter.js';
import { failureOf } from '../workerThreads.js';
import { fastLineCounter, type CountReply, type CountRequest, type CountWorkerData } from './tokenizePool.js';

const { config } = workerData as CountWorkerData;
const ready = fastLineCounter(config);
/** This thread's ids: the slots of a counter that never prunes. */
const table = new WordCounter(0);
let reported = 0;
const buffer = { slots: new Int32Array(1 << 12) };
parentPort!.on('message', async (request: CountRequest) => {
  let reply: CountReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const countLine = await ready;
    const counts = new Int32Array(request.texts.length);
    let ids = new Int32Array(1 << 14);
    let used = 0;
    for (let i = 0; i < request.texts.length; i++) {
      const n = countLine(request.texts[i]!, table, buffer);
      counts[i] = n;
      if (used + n > ids.length) {
        const grown = new Int32Array(Math.max(used + n, ids.length * 2));
        grown.set(ids.subarray(0, used));
        ids = grown;
      }
      ids.set(buffer.slots.subarray(0, n), used);
      used += n;
    }
    const words: string[] = [];
    for (let slot = reported; slot < table.slotCount; slot++) words.push(table.wordOf(slot));
    reported = table.slotCount;
    const sent = ids.slice(0, used);
    transfer.push(counts.buffer, sent.buffer);
    reply = { id: request.id, counts, ids: sent, words };
  } catch (error) {
    reply = { id: request.id, error: failureOf(error) };
  }
  parentPort!.postMessage(reply, transfer);
});
