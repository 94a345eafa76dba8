/**
 * Writes a model to SQLite atomically: the database is built in a temporary file beside the target and
 * renamed over it only when complete, so a failed or interrupted run never leaves a partial model and
 * never damages the model already at that path.
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCodes, KotovecError } from '../errors.js';
import type { ModelData, SubwordData } from '../model.js';
import { keptNgramRows } from '../kernel/ngramRows.js';
import {
  CREATE_DOCUMENT_INDEX, CREATE_RARE_WORDS, CREATE_SCHEMA, CREATE_SUBWORD_BLOCKS, CREATE_SUBWORD_BUCKETS, CREATE_WORD_INDEX, FORMAT_NAME, PAGE_SIZE, PLAIN_SCHEMA_VERSION, SCHEMA_VERSION,
  createOutputBlocks, outputBlockTable, type OutputKind,
} from './schema.js';
import { decodeRows, type Precision } from './precision.js';
import { ScanIndexWriter, scannable, type ScanMatrix } from './scanIndex.js';
import { BatchInsert } from './batchInsert.js';
import { areNumbered, numberedMeta } from './documentIds.js';
import { VectorBlockWriter, type BlockTable } from './vectorBlocks.js';
import { removeTemporary, temporaryPathBeside, trackTemporary, untrackTemporary } from '../atomicFile.js';

export { removeTemporaries, removeTemporary, trackTemporary } from '../atomicFile.js';

/** Options of {@link writeModel}. */
export interface WriteOptions {
  /** Replace an existing file (default: refuse). */
  force?: boolean;
  /** How word and document vectors are stored (default: the model's own, else f32). */
  precision?: Precision;
}

/**
 * Writes an output file that is not a model atomically: `write` fills a temporary file beside `path`,
 * which is renamed over it when complete (and removed on failure or interruption).
 * @throws KotovecError OUTPUT_UNWRITABLE (a KotovecError from `write` passes as it is)
 */
export function writeOutputFile(path: string, write: (temporary: string) => void): void {
  const temporary = outputTemporary(path);
  try {
    write(temporary.path);
    renameSync(temporary.path, path);
  } catch (error) {
    throw temporary.failed(path, error);
  } finally {
    removeTemporary(temporary.path);
  }
}

/**
 * {@link writeOutputFile} for a `write` that takes its time and lets signals in between its steps: a run
 * stopped before the end leaves no output.
 */
export async function writeOutputFileAsync(path: string, write: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = outputTemporary(path);
  try {
    await write(temporary.path);
    renameSync(temporary.path, path);
  } catch (error) {
    throw temporary.failed(path, error);
  } finally {
    removeTemporary(temporary.path);
  }
}

/** A tracked temporary beside `path`, and the error to throw when writing it failed (it is removed first). */
function outputTemporary(path: string): { path: string; failed: (target: string, error: unknown) => KotovecError } {
  const temporary = temporaryPathBeside(path);
  trackTemporary(temporary);
  return {
    path: temporary,
    failed(target, error) {
      rmSync(temporary, { force: true });
      if (error instanceof KotovecError) return error;
      return new KotovecError(ErrorCodes.OUTPUT_UNWRITABLE, `cannot write ${target}: ${(error as Error).message}`);
    },
  };
}


/** Plain words for the usual reasons a file cannot be created. */
const WRITE_FAILURES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'files cannot be created there',
};

/**
 * Checks that `path` can be written: its folder exists, a file can be created in it and, unless
 * `force`, nothing is there yet.
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
  // Find out now, not after hours of training, whether a file can be created there.
  const probe = `${temporaryPathBeside(path)}.probe`;
  try {
    closeSync(openSync(probe, 'wx'));
    rmSync(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const why = WRITE_FAILURES[code] ?? (error as Error).message;
    throw new KotovecError(ErrorCodes.OUTPUT_UNWRITABLE, `cannot write in the output folder ${folder}: ${why}`);
  }
}

export { temporaryPathBeside };

/** Every `meta` entry of a model, as strings. */
export function metaEntries(model: Omit<ModelData, 'words' | 'counts' | 'wordVectors' | 'outputNs' | 'outputHs' | 'docIds' | 'docVectors'>): [string, string][] {
  return [
    ['format', FORMAT_NAME],
    ['origin', model.origin],
    ['dim', String(model.dim)],
    ['doc_dim', String(model.docDim)],
    ['hyperparameters', JSON.stringify(model.hyper ?? null)],
    ['tokenizer', JSON.stringify(model.tokenizer ?? null)],
    ['stats', JSON.stringify(model.stats ?? null)],
    ['created_at', model.createdAt],
    ['precision', model.precision ?? 'f32'],
    ...(model.subwords ? [['subwords', JSON.stringify(subwordMeta(model.subwords))] as [string, string]] : []),
    ...(model.lineage ? [['lineage', JSON.stringify(model.lineage)] as [string, string]] : []),
  ];
}

/** A model database being built at a temporary path beside its target. */
interface PendingDatabase {
  db: Database.Database;
  temporary: string;
  path: string;
}

function beginDatabase(path: string, force: boolean | undefined): PendingDatabase {
  checkOutputPath(path, force);
  const temporary = temporaryPathBeside(path);
  trackTemporary(temporary);
  try {
    const db = new Database(temporary);
    // Big pages: a scan reads a few hundred large BLOBs, each a chain of overflow pages.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(CREATE_SCHEMA);
    return { db, temporary, path };
  } catch (error) {
    removeTemporary(temporary);
    throw new KotovecError(ErrorCodes.OUTPUT_UNWRITABLE, `cannot write model ${path}: ${(error as Error).message}`);
  }
}

function commitDatabase(pending: PendingDatabase): void {
  // A file is written as the oldest schema that holds what it holds, so older kotovec versions read it.
  const numbered = pending.db.prepare("SELECT 1 FROM meta WHERE key = 'document_ids'").get();
  pending.db.pragma(`user_version = ${numbered ? SCHEMA_VERSION : PLAIN_SCHEMA_VERSION}`);
  pending.db.close();
  renameSync(pending.temporary, pending.path);
  untrackTemporary(pending.temporary);
}

function abandonDatabase(pending: PendingDatabase, error: unknown): KotovecError {
  if (pending.db.open) pending.db.close();
  removeTemporary(pending.temporary);
  if (error instanceof KotovecError) return error;
  return new KotovecError(ErrorCodes.OUTPUT_UNWRITABLE, `cannot write model ${pending.path}: ${(error as Error).message}`);
}

/**
 * Builds a model database at a temporary path beside `path` and renames it over `path` only when
 * `build` succeeds; on failure the temporary file is removed and `path` is left as it was.
 * @param build fills the empty (schema-created) database (other connections may write it at its
 *   `temporary` path while `db` is idle)
 * @throws KotovecError OUTPUT_EXISTS (without `force`), OUTPUT_UNWRITABLE, or what `build` throws
 */
export async function writeDatabaseAtomically(path: string, force: boolean | undefined, build: (db: Database.Database, temporary: string) => Promise<void>): Promise<void> {
  const pending = beginDatabase(path, force);
  try {
    await build(pending.db, pending.temporary);
    commitDatabase(pending);
  } catch (error) {
    throw abandonDatabase(pending, error);
  }
}

/** Writes the `meta` rows of a model. */
export function writeMeta(db: Database.Database, model: Parameters<typeof metaEntries>[0]): void {
  insertMeta(db, metaEntries(model));
}

function insertMeta(db: Database.Database, entries: [string, string][]): void {
  const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  for (const [key, value] of entries) meta.run(key, value);
}

/**
 * Inserts every row of `model`, pausing (yield) after each `chunkRows` rows so a caller can commit
 * and let signals in between chunks.
 */
function* insertRows(db: Database.Database, model: ModelData, chunkRows: number): Generator<void> {
  writeMeta(db, model);
  const dim = model.dim;
  const precision = model.precision ?? 'f32';
  yield* insertWords(db, model.words, model.counts, model.wordVectors, dim, precision, chunkRows);
  if (model.subwords) yield* insertSubwordRows(db, model, precision, chunkRows);
  let rows = 0;
  for (const [kind, weights] of [['ns', model.outputNs], ['hs', model.outputHs], ['dbow-ns', model.dbowOutputNs], ['dbow-hs', model.dbowOutputHs]] as const) {
    if (weights) yield* insertOutputRows(db, kind, weights, dim, chunkRows);
  }
  if (model.rareWords && model.rareWords.length > 0) {
    db.exec(CREATE_RARE_WORDS);
    const rare = new BatchInsert(db, 'rare_words', ['word', 'count']);
    // In key order, the table (keyed by word) grows at its end.
    const words = model.rareWords;
    const order = Array.from(words.keys()).sort((a, b) => (words[a]! < words[b]! ? -1 : 1));
    for (const i of order) {
      rare.add(words[i], model.rareCounts![i]);
      if (++rows % chunkRows === 0) {
        rare.finish();
        yield;
      }
    }
    rare.finish();
  }
  if (model.docVectors) {
    // Documents numbered 0, 1, 2, … (`--docs lines`) are keyed by their numbers: no rows of ids.
    const numbered = areNumbered(model.docIds);
    if (numbered) insertMeta(db, numberedMeta(model.docIds.length));
    const docs = numbered ? null : { table: 'documents', columns: ['id', 'tag'], row: (id: number) => [id, model.docIds[id]] };
    yield* insertMatrix(db, docs, 'document_blocks', 'docs', model.docVectors, model.docIds.length, model.docDim, precision, chunkRows);
  }
  db.exec(CREATE_DOCUMENT_INDEX);
}

/**
 * Inserts the vocabulary (words and counts), the word vectors in blocks and their scan index, then the
 * word index, pausing (yield) after every `chunkRows` rows.
 */
export function* insertWords(
  db: Database.Database, words: readonly string[], counts: ArrayLike<number>, vectors: Float32Array, dim: number, precision: Precision, chunkRows: number,
): Generator<void> {
  const keys = { table: 'vocab', columns: ['id', 'word', 'count'], row: (id: number) => [id, words[id], counts[id]] };
  yield* insertMatrix(db, keys, 'word_blocks', 'words', vectors, words.length, dim, precision, chunkRows);
  db.exec(CREATE_WORD_INDEX);
}

/**
 * Inserts one matrix with its keys (null: keyed by row numbers): a key row each, the vectors in blocks at `precision`, and the scan
 * index, made from each row's stored encoding (decoded) so that its error bound holds for what queries
 * read. Pauses (yield) after every `chunkRows` rows.
 */
function* insertMatrix(
  db: Database.Database,
  keys: { table: string; columns: string[]; row: (id: number) => unknown[] } | null,
  blocks: BlockTable,
  scan: ScanMatrix,
  vectors: Float32Array,
  count: number,
  dim: number,
  precision: Precision,
  chunkRows: number,
): Generator<void> {
  const keyRows = keys && new BatchInsert(db, keys.table, keys.columns);
  const writer = new VectorBlockWriter(db, blocks, precision, dim);
  const index = scannable(dim) ? new ScanIndexWriter(db, scan, dim) : null;
  const stored = new Float32Array(dim);
  for (let start = 0; start < count; start += chunkRows) {
    const end = Math.min(count, start + chunkRows);
    if (keyRows) {
      for (let id = start; id < end; id++) keyRows.add(...keys!.row(id));
      keyRows.finish();
    }
    if (precision === 'f32') {
      // Float32 rows go to their blocks as they lie in memory.
      writer.pushRows(vectors.subarray(start * dim, end * dim));
      if (index) for (let id = start; id < end; id++) index.push(vectors.subarray(id * dim, (id + 1) * dim));
    } else {
      for (let id = start; id < end; id++) {
        writer.push(vectors.subarray(id * dim, (id + 1) * dim));
        index?.push(decodeRows(writer.lastRow(), precision, 1, dim, stored));
      }
    }
    if (end < count) yield;
  }
  writer.finish();
  index?.finish();
}

/**
 * Writes one kind of output weights, float32 in blocks (training continues from them exactly), pausing
 * (yield) after every `chunkRows` rows.
 */
export function* insertOutputRows(db: Database.Database, kind: OutputKind, weights: Float32Array, dim: number, chunkRows: number): Generator<void> {
  const writer = outputBlockWriter(db, kind, dim);
  const rows = weights.length / dim;
  for (let start = 0; start < rows; start += chunkRows) {
    const end = Math.min(rows, start + chunkRows);
    writer.pushRows(weights.subarray(start * dim, end * dim));
    if (end < rows) yield;
  }
  writer.finish();
}

/** A writer of one kind of output weights' blocks (its table created). */
export function outputBlockWriter(db: Database.Database, kind: OutputKind, dim: number): VectorBlockWriter {
  db.exec(createOutputBlocks(kind));
  return new VectorBlockWriter(db, outputBlockTable(kind), 'f32', dim);
}

/** `meta.subwords`: the n-gram settings, and the seed of the rows not kept (sparse n-gram rows). */
function subwordMeta(subwords: SubwordData): object {
  const { minn, maxn, bucket, trainedBuckets, initSeed } = subwords;
  return trainedBuckets ? { minn, maxn, bucket, initSeed: initSeed ?? 0 } : { minn, maxn, bucket };
}

/** Writes a subword model's input matrix: the words' own rows, then the n-gram rows it keeps (and which). */
function* insertSubwordRows(db: Database.Database, model: ModelData, precision: Precision, chunkRows: number): Generator<void> {
  const subwords = model.subwords!;
  const { wordRows, ngramRows, trainedBuckets } = subwords;
  const dim = model.dim;
  if (!wordRows || !ngramRows || ngramRows.length !== keptNgramRows(subwords) * dim || wordRows.length !== model.words.length * dim) {
    throw new Error('a subword model is written with its word rows and all its n-gram rows');
  }
  const writer = subwordBlockWriter(db, precision, dim);
  if (trainedBuckets) {
    db.exec(CREATE_SUBWORD_BUCKETS);
    db.prepare('INSERT INTO subword_buckets (id, buckets) VALUES (0, ?)').run(Buffer.from(trainedBuckets.buffer, trainedBuckets.byteOffset, trainedBuckets.byteLength));
  }
  for (const matrix of [wordRows, ngramRows]) {
    const rows = matrix.length / dim;
    for (let start = 0; start < rows; start += chunkRows) {
      const end = Math.min(rows, start + chunkRows);
      writer.pushRows(matrix.subarray(start * dim, end * dim));
      if (end < rows) yield;
    }
  }
  writer.finish();
}

/** A writer of a subword model's input rows (`subword_blocks`, created) at `precision`. */
export function subwordBlockWriter(db: Database.Database, precision: Precision, dim: number): VectorBlockWriter {
  db.exec(CREATE_SUBWORD_BLOCKS);
  return new VectorBlockWriter(db, 'subword_blocks', precision, dim);
}

function withPrecision(model: ModelData, precision: Precision | undefined): ModelData {
  return precision && precision !== model.precision ? { ...model, precision } : model;
}

/**
 * Writes `model` to `path` in one transaction, atomically.
 * @throws KotovecError OUTPUT_EXISTS (without `force`), OUTPUT_UNWRITABLE
 */
export function writeModel(path: string, model: ModelData, options: WriteOptions = {}): void {
  model = withPrecision(model, options.precision);
  const pending = beginDatabase(path, options.force);
  const { db } = pending;
  try {
    db.transaction(() => {
      for (const _ of insertRows(db, model, Number.MAX_SAFE_INTEGER));
    })();
    commitDatabase(pending);
  } catch (error) {
    throw abandonDatabase(pending, error);
  }
}

/** Options of {@link writeModelInterruptibly}. */
export interface InterruptibleWriteOptions extends WriteOptions {
  /** Aborting it (Ctrl-C) stops the write: the temporary file goes, any existing model stays as it was. */
  signal?: AbortSignal;
  /** Rows written between two looks at the signal (default 20,000). */
  chunkRows?: number;
}

/**
 * Writes `model` to `path` atomically like {@link writeModel}, but in chunks with a turn of the event
 * loop between them, so a signal that arrives while a large model is being written is seen: the write
 * stops, the temporary file is removed and the file at `path` (if any) is left untouched. The last look
 * is just before the rename.
 * @throws KotovecError INTERRUPTED when the signal aborts it; OUTPUT_EXISTS, OUTPUT_UNWRITABLE
 */
export async function writeModelInterruptibly(path: string, model: ModelData, options: InterruptibleWriteOptions = {}): Promise<void> {
  model = withPrecision(model, options.precision);
  await writeRowsInterruptibly(path, options, (db) => insertRows(db, model, options.chunkRows ?? 20_000));
}

/**
 * Builds a model database atomically from `fill`, which inserts rows into the empty (schema-created)
 * database (synchronously, or awaiting its own work) and pauses (yield) between chunks: each pause
 * commits and turns the event loop, so a signal is seen as in {@link writeModelInterruptibly}. Each table
 * of blocks is written by one writer (its inserts stay in order across pauses).
 * @throws KotovecError INTERRUPTED when the signal aborts it; OUTPUT_EXISTS, OUTPUT_UNWRITABLE, or what `fill` throws
 */
export async function writeRowsInterruptibly(
  path: string, options: { force?: boolean; signal?: AbortSignal }, fill: (db: Database.Database) => Iterable<void> | AsyncIterable<void>,
): Promise<void> {
  const pending = beginDatabase(path, options.force);
  const { db } = pending;
  const check = async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) throw new KotovecError(ErrorCodes.INTERRUPTED, 'interrupted while writing the model');
  };
  try {
    db.exec('BEGIN');
    for await (const _ of fill(db)) {
      db.exec('COMMIT');
      await check();
      db.exec('BEGIN');
    }
    db.exec('COMMIT');
    await check();
    commitDatabase(pending);
  } catch (error) {
    throw abandonDatabase(pending, error);
  }
}
