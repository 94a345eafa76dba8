/**
 * Scanning a model's scan index (store/scanIndex.ts) block by block: each block's int8 codes are copied
 * into WebAssembly memory and scored against the query quantised to int16 (`scoreCodes`, SIMD), and
 * the best rows are kept in a bounded heap. Memory stays at one block whatever the model's size.
 */
import type Database from 'better-sqlite3';
import { ErrorCodes, KotovecError } from '../errors.js';
import { scanKernel, type KernelExports } from '../kernel/wasm.js';
import { SCAN_BLOCK_ROWS, scanStride, type ScanMatrix } from '../store/scanIndex.js';

const PAGE = 65536;

/** The candidates of a scan and what bounds the rows left out. */
export interface ScanCandidates {
  /** Rows with the best approximate scores, in no particular order. */
  rows: number[];
  /** The best approximate score among the rows left out (−Infinity when none was). */
  bestLeftOut: number;
  /** Largest possible difference between a row's approximate and exact score. */
  errorBound: number;
}

/** A min-heap of (score, row) pairs holding the best `capacity` seen. */
class BestRows {
  readonly scores: Float64Array;
  readonly rows: Int32Array;
  size = 0;
  /** The best score that did not make it, or was pushed out. */
  bestLeftOut = -Infinity;

  constructor(readonly capacity: number) {
    this.scores = new Float64Array(capacity);
    this.rows = new Int32Array(capacity);
  }

  /** The score a row must beat to get in (−Infinity until full). */
  get threshold(): number {
    return this.size < this.capacity ? -Infinity : this.scores[0]!;
  }

  offer(score: number, row: number): void {
    if (this.size < this.capacity) {
      let at = this.size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (this.scores[parent]! <= score) break;
        this.scores[at] = this.scores[parent]!;
        this.rows[at] = this.rows[parent]!;
        at = parent;
      }
      this.scores[at] = score;
      this.rows[at] = row;
      return;
    }
    if (score <= this.scores[0]!) {
      if (score > this.bestLeftOut) this.bestLeftOut = score;
      return;
    }
    if (this.scores[0]! > this.bestLeftOut) this.bestLeftOut = this.scores[0]!;
    // Sift the new pair down from the root.
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && this.scores[right]! < this.scores[left]! ? right : left;
      if (this.scores[child]! >= score) break;
      this.scores[at] = this.scores[child]!;
      this.rows[at] = this.rows[child]!;
      at = child;
    }
    this.scores[at] = score;
    this.rows[at] = row;
  }
}

/** The query quantised to int16 in WebAssembly memory, and what the error bound needs of it. */
interface QueryCodes {
  scale: number;
  l1: number;
}

function writeQuery(memory: WebAssembly.Memory, at: number, unitQuery: ArrayLike<number>, dim: number, stride: number): QueryCodes {
  let largest = 0;
  let l1 = 0;
  for (let k = 0; k < dim; k++) {
    largest = Math.max(largest, Math.abs(unitQuery[k]!));
    l1 += Math.abs(unitQuery[k]!);
  }
  const scale = largest / 32767;
  const codes = new Int16Array(memory.buffer, at, stride);
  codes.fill(0);
  for (let k = 0; k < dim; k++) codes[k] = scale > 0 ? Math.round(unitQuery[k]! / scale) : 0;
  return { scale, l1 };
}

/**
 * Offers a block's scores to the heap.
 * @returns the block's largest row scale
 */
function collect(best: BestRows, out: Float32Array, scales: Float32Array, rows: number, first: number, queryScale: number): number {
  let largestScale = 0;
  for (let r = 0; r < rows; r++) {
    const scale = scales[r]!;
    if (scale > largestScale) largestScale = scale;
    const score = out[r]! * scale * queryScale;
    if (score > best.threshold) best.offer(score, first + r);
    else if (score > best.bestLeftOut) best.bestLeftOut = score;
  }
  return largestScale;
}

function candidatesOf(best: BestRows, largestScale: number, query: QueryCodes, dim: number): ScanCandidates {
  // |u·q − approx| ≤ Σ|u−ũ||q| + Σ|ũ||q−q̃| ≤ s/2·‖q‖₁ + qs/2·(‖u‖₁ + dim·s/2), ‖u‖₁ ≤ √dim; plus float rounding.
  const errorBound = (largestScale / 2) * query.l1 + (query.scale / 2) * (Math.sqrt(dim) + (dim * largestScale) / 2) + 1e-4;
  return { rows: Array.from(best.rows.subarray(0, best.size)), bestLeftOut: best.bestLeftOut, errorBound };
}

/**
 * Scans the scan index of `matrix` in the model file for the rows nearest to a unit query vector.
 * @param db the open model
 * @param dim the matrix's dimension
 * @param unitQuery the query, unit length
 * @param count how many candidates to keep
 */
export function scanCandidates(db: Database.Database, matrix: ScanMatrix, dim: number, unitQuery: ArrayLike<number>, count: number): ScanCandidates {
  const stride = scanStride(dim);
  const codesAt = PAGE;
  const queryAt = codesAt + SCAN_BLOCK_ROWS * stride;
  const outAt = queryAt + stride * 2;
  const { memory, kernel } = scanKernel(outAt + SCAN_BLOCK_ROWS * 4);
  const query = writeQuery(memory, queryAt, unitQuery, dim, stride);
  const codes = new Uint8Array(memory.buffer, codesAt, SCAN_BLOCK_ROWS * stride);
  const out = new Float32Array(memory.buffer, outAt, SCAN_BLOCK_ROWS);
  const best = new BestRows(count);
  let largestScale = 0;
  let first = 0;
  const blocks = db.prepare('SELECT rows, scales, codes FROM scan_blocks WHERE matrix = ? ORDER BY block').raw();
  for (const [rows, scaleBytes, codeBytes] of blocks.iterate(matrix) as IterableIterator<[number, Buffer, Buffer]>) {
    if (!(rows > 0 && rows <= SCAN_BLOCK_ROWS) || scaleBytes.byteLength !== rows * 4 || codeBytes.byteLength !== rows * stride) {
      throw new KotovecError(ErrorCodes.BAD_MODEL, `the model's scan index is damaged (block at row ${first}); \`kotovec upgrade\` rebuilds it`);
    }
    const scales = new Float32Array(rows);
    new Uint8Array(scales.buffer).set(scaleBytes.subarray(0, rows * 4));
    codes.set(codeBytes.subarray(0, rows * stride));
    kernel.scoreCodes(codesAt, rows, stride, queryAt, outAt);
    largestScale = Math.max(largestScale, collect(best, out, scales, rows, first, query.scale));
    first += rows;
  }
  return candidatesOf(best, largestScale, query, dim);
}

/**
 * The int8 scan copy of a matrix held in memory (a loaded model: the server, the library): built once
 * with `quantizeRows`, scanned whole for each query. A quarter of the float32 bytes, and what a
 * query reads instead of the unit-normalised float32 copy.
 */
export class CodeMatrix {
  private readonly stride: number;
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: KernelExports;
  private readonly codesAt = PAGE;
  private readonly scalesAt: number;
  private readonly queryAt: number;
  private readonly outAt: number;
  private readonly largestScale: number;

  /**
   * @param vectors the raw row-major vectors (rows × dim)
   */
  constructor(readonly rows: number, readonly dim: number, vectors: Float32Array) {
    this.stride = scanStride(dim);
    const staging = SCAN_BLOCK_ROWS * this.stride * 4;
    this.scalesAt = this.codesAt + rows * this.stride;
    this.queryAt = this.scalesAt + rows * 4;
    // The scores of every row, and (before the first query) a block of float32 rows being quantised.
    this.outAt = this.queryAt + this.stride * 2;
    ({ memory: this.memory, kernel: this.kernel } = scanKernel(this.outAt + Math.max(rows * 4, staging)));
    const block = new Float32Array(this.memory.buffer, this.outAt, SCAN_BLOCK_ROWS * this.stride);
    for (let first = 0; first < rows; first += SCAN_BLOCK_ROWS) {
      const n = Math.min(SCAN_BLOCK_ROWS, rows - first);
      block.fill(0);
      for (let r = 0; r < n; r++) block.set(vectors.subarray((first + r) * dim, (first + r + 1) * dim), r * this.stride);
      this.kernel.quantizeRows(this.outAt, n, this.stride, this.codesAt + first * this.stride, this.scalesAt + first * 4);
    }
    const scales = new Float32Array(this.memory.buffer, this.scalesAt, rows);
    let largest = 0;
    for (let r = 0; r < rows; r++) largest = Math.max(largest, scales[r]!);
    this.largestScale = largest;
  }

  /** The `count` rows nearest to a unit query vector by their int8 scores, and the error bound. */
  scan(unitQuery: ArrayLike<number>, count: number): ScanCandidates {
    const query = writeQuery(this.memory, this.queryAt, unitQuery, this.dim, this.stride);
    this.kernel.scoreCodes(this.codesAt, this.rows, this.stride, this.queryAt, this.outAt);
    const best = new BestRows(count);
    collect(best, new Float32Array(this.memory.buffer, this.outAt, this.rows), new Float32Array(this.memory.buffer, this.scalesAt, this.rows), this.rows, 0, query.scale);
    return candidatesOf(best, this.largestScale, query, this.dim);
  }
}
