/**
 * Reads a model file back. Every way a file can fail to be a kotovec model — missing, not SQLite,
 * another program's SQLite database, written by a newer kotovec, damaged — is a KotovecError with a
 * one-line message, never a raw SQLite error.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ErrorCodes, KotovecError } from '../errors.js';
import type { ModelData, ModelOrigin } from '../model.js';
import { FORMAT_NAME, SCHEMA_VERSION } from './schema.js';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** Which optional parts to load. */
export interface ReadParts {
  /** Output weights (needed for inference and continued training). */
  outputs?: boolean;
  /** Document vectors. */
  docs?: boolean;
}

function checkHeader(path: string): void {
  if (!existsSync(path)) throw new KotovecError(ErrorCodes.INPUT_NOT_FOUND, `model not found: ${path}`);
  if (statSync(path).isDirectory()) throw new KotovecError(ErrorCodes.BAD_MODEL, `model path is a folder: ${path}`);
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    const read = readSync(fd, head, 0, 16, 0);
    if (read < 16 || head.toString('latin1') !== SQLITE_MAGIC) {
      throw new KotovecError(ErrorCodes.BAD_MODEL, `not a kotovec model (not an SQLite database): ${path}`);
    }
  } finally {
    closeSync(fd);
  }
}

function damaged(path: string, error: unknown): KotovecError {
  if (error instanceof KotovecError) return error;
  return new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged or unreadable: ${path} (${(error as Error).message})`);
}

/**
 * Opens a model file read-only after checking that it is one.
 * @throws KotovecError INPUT_NOT_FOUND, BAD_MODEL, MODEL_TOO_NEW
 */
export function openModelDatabase(path: string): Database.Database {
  checkHeader(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    // Memory-mapped reads cut the cost of scanning every vector row by about a third.
    db.pragma('mmap_size = 1073741824');
    const version = db.pragma('user_version', { simple: true }) as number;
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    if (!hasMeta) throw new KotovecError(ErrorCodes.BAD_MODEL, `not a kotovec model (an SQLite database of something else): ${path}`);
    const format = db.prepare("SELECT value FROM meta WHERE key = 'format'").get() as { value: string } | undefined;
    if (format?.value !== FORMAT_NAME) throw new KotovecError(ErrorCodes.BAD_MODEL, `not a kotovec model (an SQLite database of something else): ${path}`);
    if (version > SCHEMA_VERSION) {
      throw new KotovecError(ErrorCodes.MODEL_TOO_NEW, `model ${path} has schema version ${version}; this kotovec reads up to ${SCHEMA_VERSION}: upgrade kotovec`);
    }
    if (version < 1) throw new KotovecError(ErrorCodes.BAD_MODEL, `model ${path} is incomplete (no schema version)`);
    return db;
  } catch (error) {
    db?.close();
    throw damaged(path, error);
  }
}

function readRows(db: Database.Database, sql: string, rows: number, dim: number, what: string, path: string): Float32Array {
  const out = new Float32Array(rows * dim);
  const bytes = new Uint8Array(out.buffer);
  const rowBytes = dim * 4;
  let count = 0;
  for (const row of db.prepare(sql).raw().iterate() as IterableIterator<[number, Buffer]>) {
    const [index, blob] = row;
    if (!Buffer.isBuffer(blob) || blob.byteLength !== rowBytes || !Number.isInteger(index) || index < 0 || index >= rows) {
      throw new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${path} (${what} row ${index} is malformed)`);
    }
    blob.copy(bytes, index * rowBytes);
    count++;
  }
  if (count !== rows) throw new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${path} (${count} of ${rows} ${what} rows)`);
  return out;
}

/**
 * Reads a model into memory.
 * @param path the model file
 * @param parts which optional parts to load (word vectors and vocabulary are always read)
 * @throws KotovecError INPUT_NOT_FOUND, BAD_MODEL, MODEL_TOO_NEW
 */
export function readModel(path: string, parts: ReadParts = {}): ModelData {
  const db = openModelDatabase(path);
  try {
    const meta = new Map((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const json = (key: string) => JSON.parse(meta.get(key) ?? 'null');
    const dim = Number(meta.get('dim'));
    const docDim = Number(meta.get('doc_dim') ?? 0);
    if (!Number.isInteger(dim) || dim <= 0) throw new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${path} (bad dimension)`);
    const vocabRows = db.prepare('SELECT id, word, count FROM vocab ORDER BY id').raw().all() as [number, string, number][];
    const words: string[] = new Array(vocabRows.length);
    const counts = new Float64Array(vocabRows.length);
    vocabRows.forEach(([id, word, count], i) => {
      if (id !== i) throw new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${path} (vocabulary ids are not contiguous)`);
      words[i] = word;
      counts[i] = count;
    });
    const wordVectors = readRows(db, 'SELECT id, vector FROM word_vectors', words.length, dim, 'word vector', path);
    const outputs = (kind: string): Float32Array | null => {
      if (!parts.outputs) return null;
      const rows = (db.prepare('SELECT count(*) AS n FROM output_weights WHERE kind = ?').get(kind) as { n: number }).n;
      return rows > 0 ? readRows(db, `SELECT row, vector FROM output_weights WHERE kind = '${kind}'`, rows, dim, 'output', path) : null;
    };
    let docIds: string[] = [];
    let docVectors: Float32Array | null = null;
    if (parts.docs && docDim > 0) {
      const tags = db.prepare('SELECT tag FROM documents ORDER BY id').raw().all() as [string][];
      docIds = tags.map(([tag]) => tag);
      docVectors = readRows(db, 'SELECT id, vector FROM documents', docIds.length, docDim, 'document', path);
    }
    return {
      origin: (meta.get('origin') ?? 'trained') as ModelOrigin,
      hyper: json('hyperparameters') ?? undefined,
      tokenizer: json('tokenizer') ?? undefined,
      dim,
      words,
      counts,
      wordVectors,
      outputNs: outputs('ns'),
      outputHs: outputs('hs'),
      dbowOutputNs: outputs('dbow-ns'),
      dbowOutputHs: outputs('dbow-hs'),
      docIds,
      docVectors,
      docDim,
      stats: json('stats') ?? undefined,
      createdAt: meta.get('created_at') ?? '',
    };
  } catch (error) {
    throw damaged(path, error);
  } finally {
    db.close();
  }
}
