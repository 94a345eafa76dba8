/**
 * Fast similarity scans for queries: the unit-normalised matrix lives in WebAssembly memory (rows padded
 * to a multiple of 4 floats) and up to four query vectors are scored against every row in one pass with
 * SIMD (`scoreRows` in assembly/scans.ts). Used by similarity queries and by evaluation, which scores
 * thousands of analogy questions.
 */
import { scanKernel, type KernelExports } from '../kernel/wasm.js';

const PAGE = 65536;

/** A padded unit matrix and scratch for four queries and their scores. */
export class RowScorer {
  /** Floats per padded row. */
  readonly stride: number;
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: KernelExports;
  private readonly matrixAt: number;
  private readonly queriesAt: number;
  private readonly outAt: number;

  /**
   * @param rows number of rows
   * @param dim floats per row
   * @param vectors the raw row-major vectors (rows × dim); the scorer holds their unit-normalised copy
   */
  constructor(readonly rows: number, readonly dim: number, vectors: Float32Array) {
    this.stride = Math.ceil(dim / 4) * 4;
    const matrixBytes = rows * this.stride * 4;
    this.matrixAt = PAGE;
    this.queriesAt = this.matrixAt + matrixBytes;
    this.outAt = this.queriesAt + 4 * this.stride * 4;
    const total = this.outAt + 4 * rows * 4;
    ({ memory: this.memory, kernel: this.kernel } = scanKernel(total));
    const matrix = this.matrix();
    if (this.stride === dim) matrix.set(vectors.subarray(0, rows * dim));
    else for (let row = 0; row < rows; row++) matrix.set(vectors.subarray(row * dim, (row + 1) * dim), row * this.stride);
    this.kernel.normalizeRows(this.matrixAt, rows, this.stride);
  }

  /** The padded matrix (rows × stride). */
  matrix(): Float32Array {
    return new Float32Array(this.memory.buffer, this.matrixAt, this.rows * this.stride);
  }

  /**
   * Scores up to four queries against the first `rows` rows.
   * @returns one score array per query (views, valid until the next call)
   */
  score(queries: readonly ArrayLike<number>[], rows = this.rows): Float32Array[] {
    const n = Math.min(rows, this.rows);
    const scratch = new Float32Array(this.memory.buffer, this.queriesAt, 4 * this.stride);
    scratch.fill(0);
    queries.forEach((q, i) => {
      for (let k = 0; k < this.dim; k++) scratch[i * this.stride + k] = q[k]!;
    });
    this.kernel.scoreRows(this.matrixAt, n, this.stride, this.queriesAt, queries.length, this.outAt);
    return queries.map((_, i) => new Float32Array(this.memory.buffer, this.outAt + i * n * 4, n));
  }
}
