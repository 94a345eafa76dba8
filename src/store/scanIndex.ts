/**
 * The scan index: a compact copy of a model's word (or document) vectors for one-off similarity
 * queries on big models. Each row is unit-normalised and quantised to int8 with a float32 scale
 * (u ≈ scale · code); rows are grouped in blocks of {@link SCAN_BLOCK_ROWS}, one SQLite row a block
 * (`scan_blocks`), so a query reads a quarter of the float32 bytes in a few hundred large BLOBs instead of
 * a million small rows, and holds one block at a time. The approximate scores only pick candidates: the
 * answer is computed again from the stored vectors (see query/storedModel.ts), with an error bound that
 * says when the candidates surely hold the exact top k.
 */
import type Database from 'better-sqlite3';
import { scanKernel, type KernelExports } from '../kernel/wasm.js';

const PAGE = 65536;

/** Rows per block. */
export const SCAN_BLOCK_ROWS = 8192;

/** Widest rows the int8 scan handles exactly (see `scoreCodes` in assembly/scans.ts). */
export const SCAN_MAX_STRIDE = 4096;

/** Statement that creates the table of scan blocks. */
export const CREATE_SCAN_BLOCKS = `CREATE TABLE IF NOT EXISTS scan_blocks (
  matrix TEXT NOT NULL, block INTEGER NOT NULL, rows INTEGER NOT NULL, scales BLOB NOT NULL, codes BLOB NOT NULL,
  PRIMARY KEY (matrix, block))`;

/** Bytes of a row of codes: the dimension padded to a multiple of 16 (one SIMD load). */
export function scanStride(dim: number): number {
  return Math.ceil(dim / 16) * 16;
}

/** True when a matrix of this dimension gets a scan index. */
export function scannable(dim: number): boolean {
  return scanStride(dim) <= SCAN_MAX_STRIDE;
}

/** Which matrix an index belongs to. */
export type ScanMatrix = 'words' | 'docs';

/** One block of the scan index: its rows' scales and codes. */
export interface ScanBlock {
  rows: number;
  scales: Uint8Array;
  codes: Uint8Array;
}

/**
 * Makes scan blocks from rows: rows gather in WebAssembly memory; a full block is normalised and
 * quantised there (`quantizeRows`, SIMD).
 */
export class ScanQuantizer {
  private readonly stride: number;
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: KernelExports;
  private readonly rowsAt = PAGE;
  private readonly codesAt: number;
  private readonly scalesAt: number;
  private readonly block: Float32Array;
  private rows = 0;

  constructor(private readonly dim: number) {
    this.stride = scanStride(dim);
    this.codesAt = this.rowsAt + SCAN_BLOCK_ROWS * this.stride * 4;
    this.scalesAt = this.codesAt + SCAN_BLOCK_ROWS * this.stride;
    ({ memory: this.memory, kernel: this.kernel } = scanKernel(this.scalesAt + SCAN_BLOCK_ROWS * 4));
    this.block = new Float32Array(this.memory.buffer, this.rowsAt, SCAN_BLOCK_ROWS * this.stride);
  }

  /** Adds the next row (raw values: it is normalised here); a block when this row completes one. */
  push(values: Float32Array): ScanBlock | null {
    this.block.set(values.subarray(0, this.dim), this.rows * this.stride);
    return ++this.rows === SCAN_BLOCK_ROWS ? this.take() : null;
  }

  /** The rows gathered so far as a block (null when none), and a fresh start. */
  take(): ScanBlock | null {
    if (this.rows === 0) return null;
    this.kernel.quantizeRows(this.rowsAt, this.rows, this.stride, this.codesAt, this.scalesAt);
    const bytes = new Uint8Array(this.memory.buffer);
    const block = { rows: this.rows, scales: bytes.slice(this.scalesAt, this.scalesAt + this.rows * 4), codes: bytes.slice(this.codesAt, this.codesAt + this.rows * this.stride) };
    this.rows = 0;
    return block;
  }
}

/** Writes scan blocks, in order. */
export class ScanBlockWriter {
  private blocks = 0;
  private readonly insert: Database.Statement;

  constructor(db: Database.Database, private readonly matrix: ScanMatrix) {
    db.exec(CREATE_SCAN_BLOCKS);
    this.insert = db.prepare('INSERT INTO scan_blocks (matrix, block, rows, scales, codes) VALUES (?, ?, ?, ?, ?)');
  }

  /** Writes the next block (null: nothing). */
  write(block: ScanBlock | null): void {
    if (!block) return;
    const blob = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.insert.run(this.matrix, this.blocks++, block.rows, blob(block.scales), blob(block.codes));
  }
}

/** Writes the scan blocks of one matrix row by row: a {@link ScanQuantizer} into a {@link ScanBlockWriter}. */
export class ScanIndexWriter {
  private readonly quantizer: ScanQuantizer;
  private readonly writer: ScanBlockWriter;

  constructor(db: Database.Database, matrix: ScanMatrix, dim: number) {
    this.quantizer = new ScanQuantizer(dim);
    this.writer = new ScanBlockWriter(db, matrix);
  }

  /** Adds the next row (raw values). */
  push(values: Float32Array): void {
    this.writer.write(this.quantizer.push(values));
  }

  /** Writes the last, partial block. */
  finish(): void {
    this.writer.write(this.quantizer.take());
  }
}

/** True when the model holds a complete scan index of `matrix` with `rows` rows. */
export function hasScanIndex(db: Database.Database, matrix: ScanMatrix, rows: number): boolean {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'scan_blocks'").get();
  if (!table) return false;
  const [blocks, total] = db.prepare('SELECT count(*), coalesce(sum(rows), 0) FROM scan_blocks WHERE matrix = ?').raw().get(matrix) as [number, number];
  return blocks > 0 && total === rows;
}
