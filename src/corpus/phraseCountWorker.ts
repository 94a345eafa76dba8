/** Worker-thread entry of phrase counting (see phraseCountThread.ts): counts the lines it is sent, in order. */
import { parentPort, workerData } from 'node:worker_threads';
import { TokenAtoms } from '../text/phrases.js';
import { PhraseCounter } from '../vocab/phrases.js';
import { failureOf } from '../workerThreads.js';
import type { PhraseCountReply, PhraseCountRequest, PhraseCountWorkerData } from './phraseCountThread.js';

const { delimiter, connectors, wholeTokens, settings, replay, expectedPairs } = workerData as PhraseCountWorkerData;
const atoms = new TokenAtoms(delimiter, connectors, wholeTokens);
if (replay) atoms.adopt(replay);
const counter = new PhraseCounter(atoms, settings, expectedPairs);
const reply = (message: PhraseCountReply) => parentPort!.postMessage(message);

parentPort!.on('message', (request: PhraseCountRequest) => {
  try {
    if (request.kind === 'lines') {
      atoms.adopt(request);
      const { data, length } = request;
      for (let at = 0; at < length; ) {
        const count = data[at]!;
        counter.addSentence(data.subarray(at + 1, at + 1 + count));
        at += count + 1;
      }
      reply({ kind: 'counted-lines' });
    } else {
      reply({ kind: 'counted', pass: counter.export(), words: counter.words, pairs: counter.pairs.size, prunings: counter.prunings, vocabulary: counter.vocabularySize });
    }
  } catch (error) {
    reply({ kind: 'error', ...failureOf(error) });
  }
});
