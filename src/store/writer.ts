/**
 * Writes a model to SQLite atomically: the database is built in a temporary file beside the target and
 * renamed over it only when complete, so a failed or interrupted run never leaves a partial model and
 * never damages the model already at that path.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCodes, KotovecError } from '../errors.js';
import type { ModelData } from '../model.js';
import { CREATE_SCHEMA, FORMAT_NAME, SCHEMA_VERSION } from './schema.js';

/** Options of {@link writeModel}. */
export interface WriteOptions {
  /** Replace an existing file (default: refuse). */
  force?: boolean;
}

/** A float32 row as a BLOB (little-endian, as the machine is). */
export function floatsToBlob(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * Checks that `path` can be written: its folder exists and, unless `force`, nothing is there yet.
 * @throws KotovecError OUTPUT_EXISTS or OUTPUT_UNWRITABLE
 */
export function checkOutputPath(path: string, force = false): void {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new KotovecError(ErrorCodes.OUTPUT_UNWRITABLE, `output is a folder: ${path}`);
    if (!force) throw new KotovecError(ErrorCodes.OUTPUT_EXISTS, `output exists: ${path} (use --force to replace it)`);
  }
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new KotovecError(ErrorCodes.OUTPUT_UNWRITABLE, `output folder does not exist: ${folder}`);
  }
}

/** A temporary path beside `path`, on the same file system so that rename is atomic. */
export function temporaryPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now().toString(36)}`);
}

/** Every `meta` entry of a model, as strings. */
function metaEntries(model: ModelData): [string, string][] {
  return [
    ['format', FORMAT_NAME],
    ['origin', model.origin],
    ['dim', String(model.dim)],
    ['doc_dim', String(model.docDim)],
    ['hyperparameters', JSON.stringify(model.hyper ?? null)],
    ['tokenizer', JSON.stringify(model.tokenizer ?? null)],
    ['stats', JSON.stringify(model.stats ?? null)],
    ['created_at', model.createdAt],
  ];
}

/**
 * Writes `model` to `path` in one transaction, atomically.
 * @throws KotovecError OUTPUT_EXISTS (without `force`), OUTPUT_UNWRITABLE
 */
export function writeModel(path: string, model: ModelData, options: WriteOptions = {}): void {
  checkOutputPath(path, options.force);
  const temporary = temporaryPathBeside(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(temporary);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(CREATE_SCHEMA);
    const dim = model.dim;
    const write = db.transaction(() => {
      const meta = db!.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      for (const [key, value] of metaEntries(model)) meta.run(key, value);
      const vocab = db!.prepare('INSERT INTO vocab (id, word, count) VALUES (?, ?, ?)');
      const vector = db!.prepare('INSERT INTO word_vectors (id, vector) VALUES (?, ?)');
      for (let id = 0; id < model.words.length; id++) {
        vocab.run(id, model.words[id], model.counts[id]);
        vector.run(id, floatsToBlob(model.wordVectors.subarray(id * dim, (id + 1) * dim)));
      }
      const output = db!.prepare('INSERT INTO output_weights (kind, row, vector) VALUES (?, ?, ?)');
      for (const [kind, weights] of [['ns', model.outputNs], ['hs', model.outputHs], ['dbow-ns', model.dbowOutputNs], ['dbow-hs', model.dbowOutputHs]] as const) {
        if (!weights) continue;
        for (let row = 0; row * dim < weights.length; row++) output.run(kind, row, floatsToBlob(weights.subarray(row * dim, (row + 1) * dim)));
      }
      const docs = db!.prepare('INSERT INTO documents (id, tag, vector) VALUES (?, ?, ?)');
      if (model.docVectors) {
        const docDim = model.docDim;
        for (let i = 0; i < model.docIds.length; i++) docs.run(i, model.docIds[i], floatsToBlob(model.docVectors.subarray(i * docDim, (i + 1) * docDim)));
      }
    });
    write();
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    db.close();
    db = undefined;
    renameSync(temporary, path);
  } catch (error) {
    db?.close();
    rmSync(temporary, { force: true });
    if (error instanceof KotovecError) throw error;
    throw new KotovecError(ErrorCodes.OUTPUT_UNWRITABLE, `cannot write model ${path}: ${(error as Error).message}`);
  }
}
