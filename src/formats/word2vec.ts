/**
 * The word2vec formats that word2vec C, gensim and fastText read and write:
 * - text: a header `"<count> <dim>\n"`, then a line `word v1 v2 … vdim` per word;
 * - binary: the same header, then per word `word` + space + dim little-endian float32 + `\n`.
 * Writers stream rows to the file; they never build the whole file in memory.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { ErrorCodes, KotovecError } from '../errors.js';

/** Rows to export: keys and a row-major matrix. */
export interface VectorRows {
  keys: readonly string[];
  vectors: Float32Array;
  dim: number;
}

const WHITESPACE = /\s/;

function checkKey(key: string): void {
  if (key.length === 0 || WHITESPACE.test(key)) {
    throw new KotovecError(ErrorCodes.BAD_FORMAT, `cannot export ${JSON.stringify(key)}: word2vec formats do not allow empty keys or keys with whitespace`);
  }
}

/**
 * Writes rows in word2vec binary or text format.
 * @param path file to write (created or truncated)
 * @param rows keys and vectors
 * @param binary binary (true) or text (false)
 * @param limit keep only the first `limit` rows (0: all)
 * @throws KotovecError BAD_FORMAT for a key with whitespace (checked before anything is written)
 */
export function writeWord2Vec(path: string, rows: VectorRows, binary: boolean, limit = 0): void {
  const count = limit > 0 ? Math.min(limit, rows.keys.length) : rows.keys.length;
  for (let i = 0; i < count; i++) checkKey(rows.keys[i]!);
  const { dim, vectors } = rows;
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
    for (let i = 0; i < count; i++) {
      const row = vectors.subarray(i * dim, (i + 1) * dim);
      let chunk: Buffer;
      if (binary) {
        const key = Buffer.from(`${rows.keys[i]} `, 'utf8');
        chunk = Buffer.alloc(key.length + dim * 4 + 1);
        key.copy(chunk, 0);
        for (let k = 0; k < dim; k++) chunk.writeFloatLE(row[k]!, key.length + k * 4);
        chunk[chunk.length - 1] = 10;
      } else {
        const parts: string[] = [rows.keys[i]!];
        for (let k = 0; k < dim; k++) parts.push(formatFloat(row[k]!));
        chunk = Buffer.from(parts.join(' ') + '\n', 'utf8');
      }
      chunks.push(chunk);
      pending += chunk.length;
      if (pending > 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
}

/** Shortest decimal that reads back as the same float32. */
export function formatFloat(value: number): string {
  for (let digits = 6; digits < 10; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}
