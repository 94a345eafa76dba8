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
import { compileKernel, type KernelExports } from '../kernel/wasm.js';

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

/**
 * Writes the scan blocks of one matrix row by row (import streams rows; training hands a whole matrix
 * to {@link writeScanIndex}). Rows gather in WebAssembly memory; a full block is normalised and
 * quantised there (`quantizeRows`, SIMD) and written as one SQLite row.
 */
export class ScanIndexWriter {
  private readonly stride: number;
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: KernelExports;
  private readonly rowsAt = PAGE;
  private readonly codesAt: number;
  private readonly scalesAt: number;
  private readonly block: Float32Array;
  private rows = 0;
  private blocks = 0;
  private readonly insert: Database.Statement;

  constructor(db: Database.Database, private readonly matrix: ScanMatrix, private readonly dim: number) {
    this.stride = scanStride(dim);
    this.codesAt = this.rowsAt + SCAN_BLOCK_ROWS * this.stride * 4;
    this.scalesAt = this.codesAt + SCAN_BLOCK_ROWS * this.stride;
    const pages = Math.ceil((this.scalesAt + SCAN_BLOCK_ROWS * 4) / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    this.kernel = new WebAssembly.Instance(compileKernel(), { env: { memory: this.memory } }).exports as unknown as KernelExports;
    this.block = new Float32Array(this.memory.buffer, this.rowsAt, SCAN_BLOCK_ROWS * this.stride);
    db.exec(CREATE_SCAN_BLOCKS);
    this.insert = db.prepare('INSERT INTO scan_blocks (matrix, block, rows, scales, codes) VALUES (?, ?, ?, ?, ?)');
  }

  /** Adds the next row (raw values: it is normalised here). */
  push(values: Float32Array): void {
    this.block.set(values.subarray(0, this.dim), this.rows * this.stride);
    if (++this.rows === SCAN_BLOCK_ROWS) this.flush();
  }

  private flush(): void {
    if (this.rows === 0) return;
    this.kernel.quantizeRows(this.rowsAt, this.rows, this.stride, this.codesAt, this.scalesAt);
    const bytes = new Uint8Array(this.memory.buffer);
    const scales = Buffer.from(bytes.slice(this.scalesAt, this.scalesAt + this.rows * 4).buffer);
    const codes = Buffer.from(bytes.slice(this.codesAt, this.codesAt + this.rows * this.stride).buffer);
    this.insert.run(this.matrix, this.blocks++, this.rows, scales, codes);
    this.rows = 0;
  }

  /** Writes the last, partial block. */
  finish(): void {
    this.flush();
  }
}

/**
 * Writes the scan index of a whole row-major matrix.
 * @param onRows called every block with the rows done so far (for pausing between chunks)
 */
export function* writeScanIndex(db: Database.Database, matrix: ScanMatrix, vectors: Float32Array, dim: number): Generator<number> {
  if (!scannable(dim)) return;
  const writer = new ScanIndexWriter(db, matrix, dim);
  const rows = vectors.length / dim;
  for (let row = 0; row < rows; row++) {
    writer.push(vectors.subarray(row * dim, (row + 1) * dim));
    if ((row + 1) % SCAN_BLOCK_ROWS === 0) yield row + 1;
  }
  writer.finish();
}

/** True when the model holds a complete scan index of `matrix` with `rows` rows. */
export function hasScanIndex(db: Database.Database, matrix: ScanMatrix, rows: number): boolean {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'scan_blocks'").get();
  if (!table) return false;
  const [blocks, total] = db.prepare('SELECT count(*), coalesce(sum(rows), 0) FROM scan_blocks WHERE matrix = ?').raw().get(matrix) as [number, number];
  return blocks > 0 && total === rows;
}
