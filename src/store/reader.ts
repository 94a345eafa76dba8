/**
 * Reads a model file back. Every way a file can fail to be a kotovec model — missing, not SQLite,
 * another program's SQLite database, written by a newer kotovec, damaged — is a KotovecError with a
 * one-line message, never a raw SQLite error.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ErrorCodes, KotovecError } from '../errors.js';
import type { ModelData, ModelOrigin } from '../model.js';
import { FORMAT_NAME, OLDEST_SCHEMA_VERSION, SCHEMA_VERSION, outputBlockTable, type OutputKind } from './schema.js';
import { numberedDocuments } from './documentIds.js';
import { checkVectorBlocks, readVectorBlocks, readVectorRange } from './vectorBlocks.js';
import type { VectorSource } from '../formats/word2vec.js';
import { decodeRows, precisionOf, rowBytes as bytesPerRow, type Precision } from './precision.js';
import { readSubwordData, subwordSettingsOf } from './subwordRows.js';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** Which optional parts to load. */
export interface ReadParts {
  /** Output weights (needed for inference and continued training). */
  outputs?: boolean;
  /** Document vectors. */
  docs?: boolean;
  /** The words under min-count and their counts (continued training). */
  rare?: boolean;
  /** A subword model's whole input matrix (continued training, export); queries read rows by id instead. */
  subwords?: boolean;
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
    if (version < OLDEST_SCHEMA_VERSION) throw new KotovecError(ErrorCodes.BAD_MODEL, `model ${path} is incomplete (no schema version)`);
    return db;
  } catch (error) {
    db?.close();
    throw damaged(path, error);
  }
}

function malformed(path: string, what: string, detail: string): KotovecError {
  return new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${path} (${what}: ${detail})`);
}

/** The `meta` table of an open model: its values as text, or parsed as JSON. */
export interface ModelMeta {
  get(key: string): string | undefined;
  /** The value parsed as JSON (null when absent). @throws KotovecError BAD_MODEL for a value that is not JSON */
  json<T = unknown>(key: string): T | null;
}

/**
 * Reads the `meta` table of a model opened with {@link openModelDatabase}.
 * @param path the file, for messages
 */
export function readMeta(db: Database.Database, path: string): ModelMeta {
  const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
  const meta = new Map(rows.map((r) => [r.key, r.value]));
  return {
    get: (key) => meta.get(key),
    json: <T,>(key: string): T | null => {
      try {
        return JSON.parse(meta.get(key) ?? 'null');
      } catch {
        throw malformed(path, 'settings', `${key} is not JSON`);
      }
    },
  };
}

/** Rows read per aggregate query: bounded so one concatenated BLOB stays far below SQLite's 1 GB limit. */
const CHUNK_BYTES = 64 << 20;

/**
 * Reads `rows` vectors of `dim` values stored at `precision` into one float32 matrix, row `r` of the
 * result being the row with key `r`. Fast path: SQLite concatenates a range of rows into one BLOB
 * (`group_concat` over a primary-key range scan), so JavaScript sees a few large buffers instead of one
 * small Buffer a row — about 5× faster on 100k rows. The range's row count and every row's length are
 * checked first; anything unexpected is reported as damage.
 * @param table the table; `keyColumn` its integer key, `filter` an extra condition (kind of output)
 * @param expected the number of rows there must be, or null to take as many as there are
 */
function readMatrix(
  db: Database.Database, table: string, keyColumn: string, filter: string, expected: number | null, dim: number, what: string, path: string, precision: Precision = 'f32',
): Float32Array {
  const rowBytes = bytesPerRow(precision, dim);
  const where = filter ? `${filter} AND ` : '';
  const summary = db.prepare(`SELECT count(*), min(${keyColumn}), max(${keyColumn}), sum(length(vector) != ?) FROM ${table} WHERE ${where}1`).raw().get(rowBytes) as [number, number | null, number | null, number | null];
  const [count, first, last, wrongLength] = summary;
  const rows = expected ?? count;
  if (count !== rows) throw malformed(path, what, `${count} of ${rows} rows`);
  if (rows === 0) return new Float32Array(0);
  if (first !== 0 || last !== rows - 1) throw malformed(path, what, `keys run from ${first} to ${last}, expected 0 to ${rows - 1}`);
  if (wrongLength) throw malformed(path, what, `${wrongLength} rows are not ${dim} ${precision === 'f32' ? 'float32' : precision} values`);
  const chunkRows = Math.max(1, Math.floor(CHUNK_BYTES / rowBytes));
  let out: Float32Array | undefined;
  const statement = db.prepare(
    `SELECT CAST(group_concat(vector, '') AS BLOB) FROM (SELECT vector FROM ${table} WHERE ${where}${keyColumn} >= ? AND ${keyColumn} < ? ORDER BY ${keyColumn})`,
  ).pluck();
  for (let start = 0; start < rows; start += chunkRows) {
    const end = Math.min(rows, start + chunkRows);
    const blob = statement.get(start, end) as Buffer | null;
    if (!Buffer.isBuffer(blob) || blob.byteLength !== (end - start) * rowBytes) throw malformed(path, what, `rows ${start}–${end - 1} do not add up`);
    // One float32 chunk holding everything, aligned: use it as it is instead of copying it.
    if (precision === 'f32' && start === 0 && end === rows && blob.byteOffset % 4 === 0) return new Float32Array(blob.buffer, blob.byteOffset, rows * dim);
    out ??= new Float32Array(rows * dim);
    decodeRows(blob, precision, end - start, dim, out.subarray(start * dim, end * dim));
  }
  return out!;
}

/**
 * One kind of output weights of a schema-3 file: its blocks (a row a word for negative sampling, a row an
 * inner node of the Huffman tree for hierarchical softmax), or nothing when the model has none.
 */
function readOutputBlocks(db: Database.Database, kind: OutputKind, words: number, dim: number, path: string): Float32Array {
  const table = outputBlockTable(kind);
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table)) return new Float32Array(0);
  const rows = kind.endsWith('hs') ? Math.max(1, words - 1) : words;
  return readVectorBlocks(db, table, rows, dim, 'f32', path);
}

/** Reads the vocabulary words in id order, with the same fast path (one concatenated string). */
function readWords(db: Database.Database, path: string): string[] {
  const [count, first, last] = db.prepare('SELECT count(*), min(id), max(id) FROM vocab').raw().get() as [number, number | null, number | null];
  if (count === 0) return [];
  if (first !== 0 || last !== count - 1) throw malformed(path, 'vocabulary', 'ids are not contiguous');
  const joined = db.prepare("SELECT group_concat(word, char(10)) FROM (SELECT word FROM vocab ORDER BY id)").pluck().get() as string;
  const words = joined.split('\n');
  // A word holding a newline (possible in an imported file) breaks the split: read row by row instead.
  if (words.length === count) return words;
  return db.prepare('SELECT word FROM vocab ORDER BY id').pluck().all() as string[];
}

/** Reads the vocabulary counts in id order (one joined string, like the words). */
function readCounts(db: Database.Database, rows: number, path: string): Float64Array {
  const counts = new Float64Array(rows);
  if (rows === 0) return counts;
  const joined = db.prepare("SELECT group_concat(count, ',') FROM (SELECT count FROM vocab ORDER BY id)").pluck().get() as string;
  const parts = joined.split(',');
  if (parts.length !== rows) throw malformed(path, 'vocabulary', 'counts do not match the words');
  for (let i = 0; i < rows; i++) {
    const count = Number(parts[i]);
    if (!(count >= 0)) throw malformed(path, 'vocabulary', `count ${JSON.stringify(parts[i])} of word ${i}`);
    counts[i] = count;
  }
  return counts;
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
    const meta = readMeta(db, path);
    const json = meta.json;
    const dim = Number(meta.get('dim'));
    const docDim = Number(meta.get('doc_dim') ?? 0);
    if (!Number.isInteger(dim) || dim <= 0) throw new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${path} (bad dimension)`);
    const precision = precisionOf(meta.get('precision'), path);
    const words = readWords(db, path);
    const counts = readCounts(db, words.length, path);
    const version = db.pragma('user_version', { simple: true }) as number;
    const wordVectors =
      version >= 2 ? readVectorBlocks(db, 'word_blocks', words.length, dim, precision, path) : readMatrix(db, 'word_vectors', 'id', '', words.length, dim, 'word vectors', path, precision);
    const outputs = (kind: OutputKind): Float32Array | null => {
      if (!parts.outputs) return null;
      const weights = version >= 3 ? readOutputBlocks(db, kind, words.length, dim, path) : readMatrix(db, 'output_weights', 'row', `kind = '${kind}'`, null, dim, `${kind} output weights`, path);
      return weights.length > 0 ? weights : null;
    };
    let docIds: string[] = [];
    let docVectors: Float32Array | null = null;
    if (parts.docs && docDim > 0) {
      const numbered = numberedDocuments(meta, path);
      if (numbered !== null) {
        docIds = Array.from({ length: numbered }, (_, i) => String(i));
      } else {
        const tags = db.prepare('SELECT tag FROM documents ORDER BY id').raw().all() as [string][];
        docIds = tags.map(([tag]) => tag);
      }
      docVectors =
        version >= 2
          ? readVectorBlocks(db, 'document_blocks', docIds.length, docDim, precision, path)
          : readMatrix(db, 'documents', 'id', '', docIds.length, docDim, 'document vectors', path, precision);
    }
    let rareWords: string[] | undefined;
    let rareCounts: Float64Array | undefined;
    if (parts.rare && db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rare_words'").get()) {
      const rows = db.prepare('SELECT word, count FROM rare_words').raw().all() as [string, number][];
      rareWords = rows.map(([word]) => word);
      rareCounts = Float64Array.from(rows, ([, count]) => count);
    }
    const subwordSettings = subwordSettingsOf(meta, path);
    const subwords = subwordSettings && (parts.subwords ? readSubwordData(db, meta, path, subwordSettings, words.length, dim, precision) : subwordSettings);
    return {
      origin: (meta.get('origin') ?? 'trained') as ModelOrigin,
      ...(subwords ? { subwords } : {}),
      hyper: json('hyperparameters') ?? undefined,
      tokenizer: json('tokenizer') ?? undefined,
      dim,
      precision,
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
      lineage: json('lineage') ?? undefined,
      ...(rareWords ? { rareWords, rareCounts } : {}),
    };
  } catch (error) {
    throw damaged(path, error);
  } finally {
    db.close();
  }
}

/**
 * A model's word vectors read a range at a time (for exporting a big model without loading it), or
 * null for a file of schema 1 (read it with {@link readModel}).
 * @throws KotovecError INPUT_NOT_FOUND, BAD_MODEL, MODEL_TOO_NEW
 */
export function openWordRows(path: string): (VectorSource & { close(): void }) | null {
  const db = openModelDatabase(path);
  try {
    if ((db.pragma('user_version', { simple: true }) as number) < 2) {
      db.close();
      return null;
    }
    // Read once from start to end: mapping the file would only keep what was read resident.
    db.pragma('mmap_size = 0');
    const meta = readMeta(db, path);
    const dim = Number(meta.get('dim'));
    if (!Number.isInteger(dim) || dim <= 0) throw new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${path} (bad dimension)`);
    const precision = precisionOf(meta.get('precision'), path);
    const [count, first, last] = db.prepare('SELECT count(*), min(id), max(id) FROM vocab').raw().get() as [number, number | null, number | null];
    if (count > 0 && (first !== 0 || last !== count - 1)) throw malformed(path, 'vocabulary', 'ids are not contiguous');
    checkVectorBlocks(db, 'word_blocks', count, dim, precision, path);
    const words = db.prepare('SELECT word FROM vocab WHERE id >= ? AND id < ? ORDER BY id').pluck();
    return {
      count,
      dim,
      keys: (start, end) => words.all(start, end) as string[],
      vectors: (start, end) => readVectorRange(db, 'word_blocks', start, end, dim, precision, path),
      close: () => db.close(),
    };
  } catch (error) {
    if (db.open) db.close();
    throw damaged(path, error);
  }
}
