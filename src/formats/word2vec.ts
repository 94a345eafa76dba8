/**
 * The word2vec formats that word2vec C, gensim and fastText read and write:
 * - text: a header `"<count> <dim>\n"`, then a line `word v1 v2 … vdim` per word;
 * - binary: the same header, then per word `word` + space + dim little-endian float32 + `\n`.
 * Writers stream rows to the file; they never build the whole file in memory.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { ErrorCodes, KotovecError } from '../errors.js';

/** Rows to export: keys and a row-major matrix. */
export interface VectorRows {
  keys: readonly string[];
  vectors: Float32Array;
  dim: number;
}

/** Rows to export read a range at a time (a model file streamed block by block). */
export interface VectorSource {
  count: number;
  dim: number;
  /** Keys of rows `start` to `end` − 1. */
  keys(start: number, end: number): readonly string[];
  /** Vectors of rows `start` to `end` − 1, row-major. */
  vectors(start: number, end: number): Float32Array;
}

/** Rows a writer asks a {@link VectorSource} for at a time. */
const RANGE_ROWS = 8192;

/** A {@link VectorSource} over rows in memory. */
export function rowsSource(rows: VectorRows): VectorSource {
  return {
    count: rows.keys.length,
    dim: rows.dim,
    keys: (start, end) => rows.keys.slice(start, end),
    vectors: (start, end) => rows.vectors.subarray(start * rows.dim, end * rows.dim),
  };
}

const WHITESPACE = /\s/;

/** True for a key the word2vec formats cannot hold: empty, or with whitespace (it would split the line). */
export function unwritableKey(key: string): boolean {
  return key.length === 0 || WHITESPACE.test(key);
}

/**
 * Writes rows in word2vec binary or text format, a range of rows at a time. Keys the formats cannot hold
 * (empty, or with whitespace: a model trained before tokenizers dropped whitespace tokens may hold one)
 * are left out, and returned.
 * @param path file to write (created or truncated)
 * @param rows keys and vectors, in memory or read a range at a time
 * @param binary binary (true) or text (false)
 * @param limit keep only the first `limit` rows (0: all)
 * @returns the keys left out
 */
export function writeWord2Vec(path: string, rows: VectorRows | VectorSource, binary: boolean, limit = 0): { written: number; skipped: string[] } {
  const source = 'count' in rows ? rows : rowsSource(rows);
  const rowCount = limit > 0 ? Math.min(limit, source.count) : source.count;
  const { dim } = source;
  // The header counts the rows written: the keys left out are found first (keys are cheap to read).
  const skipped: string[] = [];
  for (let start = 0; start < rowCount; start += RANGE_ROWS) for (const key of source.keys(start, Math.min(rowCount, start + RANGE_ROWS))) if (unwritableKey(key)) skipped.push(key);
  const count = rowCount - skipped.length;
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new KotovecError(ErrorCodes.OUTPUT_UNWRITABLE, `cannot write ${path}: ${(error as Error).message}`);
  }
  try {
    const chunks: Buffer[] = [Buffer.from(`${count} ${dim}\n`, 'utf8')];
    let pending = chunks[0]!.length;
    const flush = () => {
      writeSync(fd, Buffer.concat(chunks));
      chunks.length = 0;
      pending = 0;
    };
    for (let start = 0; start < rowCount; start += RANGE_ROWS) {
      const end = Math.min(rowCount, start + RANGE_ROWS);
      const keys = source.keys(start, end);
      const vectors = source.vectors(start, end);
      for (let i = 0; i < end - start; i++) {
        const key = keys[i]!;
        if (skipped.length > 0 && unwritableKey(key)) continue;
        const row = vectors.subarray(i * dim, (i + 1) * dim);
        let chunk: Buffer;
        if (binary) {
          const head = Buffer.from(`${key} `, 'utf8');
          chunk = Buffer.allocUnsafe(head.length + dim * 4 + 1);
          head.copy(chunk, 0);
          // Little-endian float32, as every machine Node runs on: the bytes as they are.
          chunk.set(new Uint8Array(row.buffer, row.byteOffset, dim * 4), head.length);
          chunk[chunk.length - 1] = 10;
        } else {
          const parts: string[] = [key];
          for (let k = 0; k < dim; k++) parts.push(formatFloat(row[k]!));
          chunk = Buffer.from(parts.join(' ') + '\n', 'utf8');
        }
        chunks.push(chunk);
        pending += chunk.length;
        if (pending > 1 << 20) flush();
      }
    }
    flush();
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
  return { written: count, skipped };
}

/** Shortest decimal that reads back as the same float32. */
export function formatFloat(value: number): string {
  for (let digits = 6; digits < 10; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}
