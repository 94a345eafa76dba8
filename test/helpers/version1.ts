import Database from 'better-sqlite3';
import type { ModelData } from '../../src/model.js';

/**
 * Writes a model as kotovec wrote them before schema 2: float32 rows in `word_vectors`, no precision,
 * no scan index, `user_version` 1. For tests that old files are still read, queried and upgraded.
 */
export function writeVersion1Model(path: string, model: ModelData): void {
  const db = new Database(path);
  db.exec(`
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE vocab (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE, count INTEGER NOT NULL);
CREATE TABLE word_vectors (id INTEGER PRIMARY KEY REFERENCES vocab(id), vector BLOB NOT NULL);
CREATE TABLE output_weights (kind TEXT NOT NULL, row INTEGER NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (kind, row)) WITHOUT ROWID;
CREATE TABLE documents (id INTEGER PRIMARY KEY, tag TEXT NOT NULL UNIQUE, vector BLOB NOT NULL);`);
  const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  for (const [key, value] of [
    ['format', 'kotovec'], ['origin', model.origin], ['dim', String(model.dim)], ['doc_dim', String(model.docDim)],
    ['hyperparameters', JSON.stringify(model.hyper ?? null)], ['tokenizer', JSON.stringify(model.tokenizer ?? null)],
    ['stats', JSON.stringify(model.stats ?? null)], ['created_at', model.createdAt],
  ]) meta.run(key, value);
  const blob = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const dim = model.dim;
  db.transaction(() => {
    model.words.forEach((word, id) => {
      db.prepare('INSERT INTO vocab (id, word, count) VALUES (?, ?, ?)').run(id, word, model.counts[id]);
      db.prepare('INSERT INTO word_vectors (id, vector) VALUES (?, ?)').run(id, blob(model.wordVectors.subarray(id * dim, (id + 1) * dim)));
    });
    for (const [kind, weights] of [['ns', model.outputNs], ['hs', model.outputHs]] as const) {
      for (let row = 0; weights && row * dim < weights.length; row++) {
        db.prepare('INSERT INTO output_weights (kind, row, vector) VALUES (?, ?, ?)').run(kind, row, blob(weights.subarray(row * dim, (row + 1) * dim)));
      }
    }
    model.docIds.forEach((tag, id) => {
      db.prepare('INSERT INTO documents (id, tag, vector) VALUES (?, ?, ?)').run(id, tag, blob(model.docVectors!.subarray(id * model.docDim, (id + 1) * model.docDim)));
    });
  })();
  db.pragma('user_version = 1');
  db.close();
}
