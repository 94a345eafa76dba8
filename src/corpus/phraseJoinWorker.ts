/**
 * Worker-thread entry of phrase joining (see phraseJob.ts): takes in the tokens at once, then, told the
 * table, joins the phrases of a part of a spool's lines and writes them as text, one line a line, to a file
 * of its own.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { Phraser, TokenAtoms } from '../text/phrases.js';
import { failureOf } from '../workerThreads.js';
import { joinLines, type PhraseJoinReply, type PhraseJoinRequest, type PhraseJoinWorkerData } from './phraseJob.js';
import { TokenSpool } from './tokenSpool.js';

const job = workerData as PhraseJoinWorkerData;
const reply = (message: PhraseJoinReply) => parentPort!.postMessage(message);
try {
  const atoms = new TokenAtoms(job.delimiter, job.connectors, job.wholeTokens);
  atoms.adopt(job.replay);
  parentPort!.once('message', (request: PhraseJoinRequest) => {
    try {
      const phraser = new Phraser(atoms, request.passes, request.threshold);
      const spool = new TokenSpool(job.spool, 'read');
      const fd = openSync(job.output, 'w');
      let lines = 0;
      try {
        for (const chunk of joinLines(spool.read(job.from), atoms, phraser, request.fromPass)) {
          writeSync(fd, chunk.text);
          lines += chunk.lines;
        }
      } finally {
        closeSync(fd);
        spool.close();
      }
      reply({ kind: 'joined', lines });
    } catch (error) {
      reply({ kind: 'error', ...failureOf(error) });
    }
  });
} catch (error) {
  reply({ kind: 'error', ...failureOf(error) });
}
