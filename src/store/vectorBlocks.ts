/**
 * Vectors in blocks: `word_blocks` (and `document_blocks`) hold {@link blockRows} consecutive rows a BLOB
 * (block b holds rows nb…nb+n−1, each encoded at the model's precision). A million vectors are 15,625 inserts
 * instead of a million, a full read is a handful of concatenated chunks, and reading a few rows by id
 * (a query's candidates) reads one 77 kB BLOB a row at most (300 float32 values).
 */
import type Database from 'better-sqlite3';
import { ErrorCodes, KotovecError } from '../errors.js';
import { decodeRows, encodeRow, rowBytes, type Precision } from './precision.js';
import type { OutputBlockTable } from './schema.js';

/** Bytes a block holds at least: more than a 64 KiB page, so a block fills whole overflow pages. */
const BLOCK_BYTES = 72 * 1024;

/**
 * Rows per block: the smallest multiple of 64 whose bytes reach 72 KiB (64 float32 rows of 300
 * values; 128 at f16, 256 at int8). Part of the schema: a block that took just over half a 64 KiB page
 * would leave the rest of the page empty (f16 × 300 in 64-row blocks made files half as big again).
 */
export function blockRows(precision: Precision, dim: number): number {
  return 64 * Math.max(1, Math.ceil(BLOCK_BYTES / (64 * rowBytes(precision, dim))));
}

/** The tables of blocks: word vectors, document vectors, a subword model's input rows, output weights. */
export type BlockTable = 'word_blocks' | 'document_blocks' | 'subword_blocks' | OutputBlockTable;

const WHAT: Record<BlockTable, string> = {
  word_blocks: 'word vectors',
  document_blocks: 'document vectors',
  subword_blocks: 'subword rows',
  output_ns_blocks: 'ns output weights',
  output_hs_blocks: 'hs output weights',
  output_dbow_ns_blocks: 'dbow-ns output weights',
  output_dbow_hs_blocks: 'dbow-hs output weights',
};

/** Bytes one SQL query may concatenate: far below SQLite's 1 GB limit. */
const CHUNK_BYTES = 64 << 20;

/** Writes rows in order, a block at a time. */
export class VectorBlockWriter {
  private readonly bytes: number;
  private readonly buffer: Buffer;
  private rows = 0;
  private block = 0;
  private readonly insert: Database.Statement;

  private readonly perBlock: number;

  constructor(db: Database.Database, table: BlockTable, private readonly precision: Precision, private readonly dim: number) {
    this.bytes = rowBytes(precision, dim);
    this.perBlock = blockRows(precision, dim);
    this.buffer = Buffer.alloc(this.perBlock * this.bytes);
    this.insert = db.prepare(`INSERT INTO ${table} (block, rows, vectors) VALUES (?, ?, ?)`);
  }

  /** Adds the next row. */
  push(values: Float32Array): void {
    encodeRow(values, this.precision, this.buffer.subarray(this.rows * this.bytes, (this.rows + 1) * this.bytes));
    if (++this.rows === this.perBlock) this.flush();
  }

  /**
   * Adds `count` rows already encoded at the writer's precision, back to back. Rows that start a block
   * are written straight from `bytes`, without a copy.
   */
  pushEncoded(bytes: Uint8Array, count: number): void {
    let row = 0;
    for (; this.rows === 0 && row + this.perBlock <= count; row += this.perBlock) {
      const block = bytes.subarray(row * this.bytes, (row + this.perBlock) * this.bytes);
      this.insert.run(this.block++, this.perBlock, Buffer.from(block.buffer, block.byteOffset, block.byteLength));
    }
    for (; row < count; row++) {
      this.buffer.set(bytes.subarray(row * this.bytes, (row + 1) * this.bytes), this.rows * this.bytes);
      if (++this.rows === this.perBlock) this.flush();
    }
  }

  /** Adds consecutive rows (`dim` floats each): float32 rows as they lie in memory (little-endian), others encoded. */
  pushRows(values: Float32Array): void {
    const { dim } = this;
    if (this.precision === 'f32') {
      this.pushEncoded(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), values.length / dim);
      return;
    }
    for (let at = 0; at < values.length; at += dim) this.push(values.subarray(at, at + dim));
  }

  /** The encoded bytes of the row pushed last (until the next push). */
  lastRow(): Buffer {
    const row = (this.rows === 0 ? this.perBlock : this.rows) - 1;
    return this.buffer.subarray(row * this.bytes, (row + 1) * this.bytes);
  }

  private flush(): void {
    if (this.rows === 0) return;
    this.insert.run(this.block++, this.rows, this.buffer.subarray(0, this.rows * this.bytes));
    this.rows = 0;
  }

  /** Writes the last, partial block. */
  finish(): void {
    this.flush();
  }
}

function damaged(path: string, table: BlockTable, detail: string): KotovecError {
  return new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${path} (${WHAT[table]}: ${detail})`);
}

/**
 * Checks that the blocks hold `rows` rows: complete, in order, each of the right size.
 * @throws KotovecError BAD_MODEL naming the damage
 */
export function checkVectorBlocks(db: Database.Database, table: BlockTable, rows: number, dim: number, precision: Precision, path: string): void {
  const bytes = rowBytes(precision, dim);
  const per = blockRows(precision, dim);
  const blocks = Math.ceil(rows / per);
  const [count, total, first, last, wrong] = db
    .prepare(`SELECT count(*), coalesce(sum(rows), 0), min(block), max(block), sum(length(vectors) != rows * ? OR (rows != ? AND block != ?)) FROM ${table}`)
    .raw()
    .get(bytes, per, blocks - 1) as [number, number, number | null, number | null, number | null];
  if (total !== rows) throw damaged(path, table, `${total} of ${rows} rows`);
  if (rows === 0) return;
  if (count !== blocks || first !== 0 || last !== blocks - 1) throw damaged(path, table, `blocks run from ${first} to ${last}, expected 0 to ${blocks - 1}`);
  if (wrong) throw damaged(path, table, `${wrong} blocks are not rows of ${dim} ${precision === 'f32' ? 'float32' : precision} values`);
}

/**
 * Reads rows `start` to `end` − 1 (blocks checked by {@link checkVectorBlocks} first), decoded.
 * @param out where to write ((end − start) × dim floats); a new array when absent
 */
export function readVectorRange(db: Database.Database, table: BlockTable, start: number, end: number, dim: number, precision: Precision, path: string, out = new Float32Array((end - start) * dim)): Float32Array {
  const bytes = rowBytes(precision, dim);
  const per = blockRows(precision, dim);
  const firstBlock = Math.floor(start / per);
  const endBlock = Math.ceil(end / per);
  const blob = db
    .prepare(`SELECT CAST(group_concat(vectors, '') AS BLOB) FROM (SELECT vectors FROM ${table} WHERE block >= ? AND block < ? ORDER BY block)`)
    .pluck()
    .get(firstBlock, endBlock) as Buffer | null;
  const skip = (start - firstBlock * per) * bytes;
  if (!Buffer.isBuffer(blob) || blob.byteLength < skip + (end - start) * bytes) throw damaged(path, table, `rows ${start}–${end - 1} do not add up`);
  return decodeRows(blob.subarray(skip, skip + (end - start) * bytes), precision, end - start, dim, out);
}

/**
 * Reads all `rows` vectors of a table, checking that the blocks are complete, in order and of the right size.
 * @throws KotovecError BAD_MODEL naming the damage
 */
export function readVectorBlocks(db: Database.Database, table: BlockTable, rows: number, dim: number, precision: Precision, path: string): Float32Array {
  checkVectorBlocks(db, table, rows, dim, precision, path);
  const out = new Float32Array(rows * dim);
  const per = blockRows(precision, dim);
  const chunkRows = Math.max(1, Math.floor(CHUNK_BYTES / (per * rowBytes(precision, dim)))) * per;
  for (let start = 0; start < rows; start += chunkRows) {
    const end = Math.min(rows, start + chunkRows);
    readVectorRange(db, table, start, end, dim, precision, path, out.subarray(start * dim, end * dim));
  }
  return out;
}

/**
 * Reads some rows: the blocks that hold them, decoded.
 * @param rowIds row ids (any order)
 * @returns the rows' values in the order given
 * @throws KotovecError BAD_MODEL when a row is missing
 */
export function readVectorRows(db: Database.Database, table: BlockTable, rowIds: readonly number[], dim: number, precision: Precision, path: string): Float32Array {
  const bytes = rowBytes(precision, dim);
  const per = blockRows(precision, dim);
  const wanted = [...new Set(rowIds.map((row) => Math.floor(row / per)))];
  const blocks = new Map<number, Buffer>();
  const statement = db.prepare(`SELECT block, vectors FROM ${table} WHERE block IN (SELECT value FROM json_each(?))`).raw();
  for (const [block, vectors] of statement.all(JSON.stringify(wanted)) as [number, Buffer][]) blocks.set(block, vectors);
  const out = new Float32Array(rowIds.length * dim);
  rowIds.forEach((row, i) => {
    const block = blocks.get(Math.floor(row / per));
    const at = (row % per) * bytes;
    if (!block || block.byteLength < at + bytes) throw damaged(path, table, `row ${row} is missing`);
    decodeRows(block.subarray(at, at + bytes), precision, 1, dim, out.subarray(i * dim, (i + 1) * dim));
  });
  return out;
}
