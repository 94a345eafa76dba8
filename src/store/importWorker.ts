/**
 * Worker-thread side of `import` (see importer.ts): it owns the SQLite writes — words, vector blocks at
 * the model's precision, the scan blocks the main thread quantised — while the main thread reads and
 * parses the file, so the two run at once. One transaction from the first batch to `finish`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ErrorCodes, KotovecError } from '../errors.js';
import { failureOf } from '../workerThreads.js';
import { CREATE_WORD_INDEX } from './schema.js';
import { BatchInsert } from './batchInsert.js';
import type { ImportReply, ImportRequest, ImportWorkerData } from './importer.js';
import { ScanBlockWriter } from './scanIndex.js';
import { VectorBlockWriter } from './vectorBlocks.js';

const { path, source, precision, dim } = workerData as ImportWorkerData;
const db = new Database(path);
db.pragma('journal_mode = OFF');
db.pragma('synchronous = OFF');
db.exec('BEGIN');
const vocab = new BatchInsert(db, 'vocab', ['id', 'word', 'count']);
const vectors = new VectorBlockWriter(db, 'word_blocks', precision, dim);
const index = new ScanBlockWriter(db, 'words');

function write({ first, words, encoded, scan }: Extract<ImportRequest, { words: string[] }>): void {
  for (let i = 0; i < words.length; i++) vocab.add(first + i, words[i], 0);
  vectors.pushEncoded(encoded, words.length);
  index.write(scan);
}

/**
 * Builds the vocabulary's word index; a word the file holds twice fails it and is named, with the row
 * where it came again.
 */
function indexWords(): void {
  try {
    db.exec(CREATE_WORD_INDEX);
  } catch (error) {
    const again = db
      .prepare('SELECT word, (SELECT id FROM vocab AS v WHERE v.word = d.word ORDER BY id LIMIT 1 OFFSET 1) AS row FROM (SELECT word FROM vocab GROUP BY word HAVING count(*) > 1) AS d ORDER BY row LIMIT 1')
      .get() as { word: string; row: number } | undefined;
    if (!again) throw error;
    throw new KotovecError(ErrorCodes.BAD_FORMAT, `${source}: duplicate word ${JSON.stringify(again.word)} (row ${again.row})`);
  }
}

parentPort!.on('message', (request: ImportRequest) => {
  let reply: ImportReply;
  try {
    if ('words' in request) {
      write(request);
      reply = { rows: request.words.length };
    } else {
      vocab.finish();
      vectors.finish();
      indexWords();
      db.exec('COMMIT');
      db.close();
      reply = { finished: true };
    }
  } catch (error) {
    reply = { error: failureOf(error) };
  }
  parentPort!.postMessage(reply);
  if ('finished' in reply || 'error' in reply) parentPort!.close();
});
