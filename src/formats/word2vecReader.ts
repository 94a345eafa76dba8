/**
 * A streaming reader of the word2vec formats (and fastText's `.vec`, which is the text format): the
 * header `"<count> <dim>"`, then rows, in binary (word, space, dim little-endian float32, optional
 * newline — gensim writes none) or text (`word v1 … vdim`, optional trailing space). `.gz` files are
 * read through gunzip. Rows are handed to a callback one at a time, so memory stays bounded whatever
 * the file's size. A truncated or malformed file is an error that says where (row and byte offset).
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { ErrorCodes, KotovecError } from '../errors.js';
import { isGzipFile } from '../gzipFile.js';

/** The word2vec flavours. */
export type Word2VecFormat = 'word2vec-bin' | 'word2vec-text';

/** What the header said and which format was found. */
export interface Word2VecHeader {
  count: number;
  dim: number;
  format: Word2VecFormat;
}

const MAX_WORD_BYTES = 1 << 16;
const MAX_DIM = 100000;

/** Buffered byte source over a stream of chunks, tracking the absolute byte offset. */
class ByteSource {
  private buffer: Buffer = Buffer.alloc(0);
  private at = 0;
  /** Absolute offset of buffer[0]. */
  private base = 0;
  private done = false;
  private readonly iterator: AsyncIterator<Buffer>;

  constructor(stream: Readable) {
    this.iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** Byte offset of the next unread byte. */
  get offset(): number {
    return this.base + this.at;
  }

  /** Makes at least `n` unread bytes available, unless the input ends first. Returns how many there are. */
  async fill(n: number): Promise<number> {
    while (this.buffer.length - this.at < n && !this.done) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const rest = this.buffer.subarray(this.at);
      this.base += this.at;
      this.buffer = rest.length > 0 ? Buffer.concat([rest, next.value]) : next.value;
      this.at = 0;
    }
    return this.buffer.length - this.at;
  }

  /** Reads up to (not including) `byte`, consuming the byte too; null at end of input before any byte. */
  async readUntil(byte: number, limit: number): Promise<Buffer | null> {
    let searchFrom = this.at;
    for (;;) {
      const found = this.buffer.indexOf(byte, searchFrom);
      if (found !== -1 && found - this.at <= limit) {
        const out = this.buffer.subarray(this.at, found);
        this.at = found + 1;
        return out;
      }
      const available = this.buffer.length - this.at;
      if (available > limit) return null;
      searchFrom = this.buffer.length;
      const before = available;
      const now = await this.fill(available + 1);
      if (now === before) {
        // End of input: hand back what is left (a last line without its newline).
        if (now === 0) return null;
        const out = this.buffer.subarray(this.at);
        this.at = this.buffer.length;
        return out;
      }
      searchFrom = this.at + before;
    }
  }

  /** Skips bytes equal to `byte`. */
  async skip(byte: number): Promise<void> {
    for (;;) {
      if ((await this.fill(1)) === 0) return;
      if (this.buffer[this.at] !== byte) return;
      this.at++;
    }
  }

  /** Takes exactly `n` bytes, or null when the input ends first. */
  async take(n: number): Promise<Buffer | null> {
    if ((await this.fill(n)) < n) return null;
    const out = this.buffer.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** True when all input is consumed. */
  async atEnd(): Promise<boolean> {
    return (await this.fill(1)) === 0;
  }

  /**
   * A binary row read at once when it is wholly buffered: leading newlines skipped, the word up to its
   * space, then `vectorBytes` bytes. Null when the buffer does not hold a whole row (the caller then
   * reads it step by step, which also reports what is wrong with it).
   */
  binaryRow(vectorBytes: number): { word: Buffer; vector: Buffer } | null {
    const buffer = this.buffer;
    let at = this.at;
    while (at < buffer.length && buffer[at] === 10) at++;
    const space = buffer.indexOf(32, at);
    if (space === -1 || space - at > MAX_WORD_BYTES || space + 1 + vectorBytes > buffer.length) return null;
    this.at = space + 1 + vectorBytes;
    return { word: buffer.subarray(at, space), vector: buffer.subarray(space + 1, space + 1 + vectorBytes) };
  }

  /** Peeks at up to `n` unread bytes. */
  async peek(n: number): Promise<Buffer> {
    await this.fill(n);
    return this.buffer.subarray(this.at, Math.min(this.buffer.length, this.at + n));
  }
}

function openInput(path: string): Readable {
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  let gzip = false;
  try {
    gzip = isGzipFile(path);
  } catch {
    // A missing or unreadable file: the stream reports it, as for any other file.
  }
  if (!gzip) return raw;
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function bad(path: string, what: string, row: number, offset: number): KotovecError {
  return new KotovecError(ErrorCodes.BAD_FORMAT, `${path}: ${what} (row ${row}, byte offset ${offset})`);
}

/** Looks at the first row to tell binary from text: a text row is a word and dim fields. */
function looksLikeText(firstRow: Buffer, dim: number): boolean {
  const newline = firstRow.indexOf(10);
  if (newline === -1) return false;
  // A binary row is a word and dim·4 raw bytes; exactly dim spaces before its first newline is unlikely.
  const fields = firstRow.subarray(0, newline).toString('latin1').trim().split(' ');
  return fields.length === dim + 1;
}

/**
 * Reads a word2vec file row by row.
 * @param path the file (gzip is recognised by its magic bytes and decompressed)
 * @param onHeader called once with the header, before any row
 * @param onRow called for each row with its word and vector (the vector is reused: copy it to keep it);
 *   a promise it returns is awaited before the next row
 * @param format force a format instead of detecting it
 * @throws KotovecError BAD_FORMAT saying where the file is malformed or truncated; INPUT_NOT_FOUND
 */
export async function readWord2Vec(
  path: string,
  onHeader: (header: Word2VecHeader) => void,
  onRow: (word: string, vector: Float32Array, row: number) => void | Promise<void>,
  format?: Word2VecFormat,
): Promise<Word2VecHeader> {
  const stream = openInput(path);
  const source = new ByteSource(stream);
  try {
    const headerLine = await source.readUntil(10, 256);
    if (!headerLine) throw bad(path, 'no word2vec header "<count> <dim>"', 0, 0);
    const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(headerLine.toString('latin1'));
    if (!match) throw bad(path, `not a word2vec file: the first line is not "<count> <dim>"`, 0, 0);
    const count = Number(match[1]);
    const dim = Number(match[2]);
    if (dim < 1 || dim > MAX_DIM) throw bad(path, `dimension ${dim} is out of range (1 to ${MAX_DIM})`, 0, 0);
    if (!Number.isSafeInteger(count)) throw bad(path, `row count ${match[1]} is out of range`, 0, 0);
    const detected: Word2VecFormat = format ?? (looksLikeText(await source.peek(MAX_WORD_BYTES + dim * 32), dim) ? 'word2vec-text' : 'word2vec-bin');
    const header: Word2VecHeader = { count, dim, format: detected };
    onHeader(header);
    const vector = new Float32Array(dim);
    const vectorBytes = new Uint8Array(vector.buffer);
    for (let row = 0; row < count; row++) {
      const rowOffset = source.offset;
      if (detected === 'word2vec-bin') {
        // Most rows are in the buffer already: read them without awaiting anything.
        const quick = source.binaryRow(dim * 4);
        if (quick) {
          const word = decodeWord(quick.word, path, row, rowOffset);
          vectorBytes.set(quick.vector);
          checkFinite(vector, word, path, row, rowOffset);
          const written = onRow(word, vector, row);
          if (written) await written;
          continue;
        }
        await source.skip(10);
        const wordBytes = await source.readUntil(32, MAX_WORD_BYTES);
        if (wordBytes === null || (await source.atEnd())) throw bad(path, `truncated: expected ${count} rows, found ${row}`, row, rowOffset);
        const word = decodeWord(wordBytes, path, row, rowOffset);
        const bytes = await source.take(dim * 4);
        if (!bytes) throw bad(path, `truncated inside the vector of ${JSON.stringify(word)}`, row, source.offset);
        // Little-endian float32, as every machine Node runs on: copy the bytes as they are.
        vectorBytes.set(bytes);
        checkFinite(vector, word, path, row, rowOffset);
        const written = onRow(word, vector, row);
        if (written) await written;
      } else {
        const line = await source.readUntil(10, MAX_WORD_BYTES + dim * 64);
        if (line === null) throw bad(path, `truncated: expected ${count} rows, found ${row}`, row, rowOffset);
        // Plain decimal rows are parsed from the bytes; anything else takes the general path below, which
        // also says what is wrong with a row.
        const quick = parseTextRow(line, dim, vector);
        if (quick !== null) {
          checkFinite(vector, quick, path, row, rowOffset);
          const written = onRow(quick, vector, row);
          if (written) await written;
          continue;
        }
        const text = decodeWord(line, path, row, rowOffset).replace(/\r$/, '').trimEnd();
        const fields = text.split(' ');
        if (fields.length !== dim + 1 || fields[0] === '') {
          throw bad(path, `row has ${fields.length - 1} values where the header says ${dim}`, row, rowOffset);
        }
        for (let k = 0; k < dim; k++) {
          const value = Number(fields[k + 1]);
          if (fields[k + 1] === '' || Number.isNaN(value)) throw bad(path, `value ${JSON.stringify(fields[k + 1])} is not a number`, row, rowOffset);
          vector[k] = value;
        }
        checkFinite(vector, fields[0]!, path, row, rowOffset);
        const written = onRow(fields[0]!, vector, row);
        if (written) await written;
      }
    }
    await source.skip(10);
    if (!(await source.atEnd())) throw bad(path, `more data after the ${count} rows the header announces`, count, source.offset);
    return header;
  } catch (error) {
    if (error instanceof KotovecError) throw error;
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new KotovecError(ErrorCodes.INPUT_NOT_FOUND, `input not found: ${path}`);
    if (err.code === 'EISDIR') throw new KotovecError(ErrorCodes.INPUT_UNREADABLE, `input is a folder: ${path}`);
    throw new KotovecError(ErrorCodes.BAD_FORMAT, `${path}: cannot read (${err.message})`);
  } finally {
    stream.destroy();
  }
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * A text row parsed straight from its bytes: the word, then exactly `dim` plain decimals (sign, digits,
 * point, exponent) separated by single spaces, trailing spaces or CR allowed. Each value is the mantissa
 * (at most 15 digits) scaled by an exact power of ten up to 10^22 — one correctly rounded operation, so
 * the same double `Number()` gives (Clinger's fast path). Null for anything else: the caller's general
 * path then reads the row (and reports what is wrong with it).
 */
function parseTextRow(line: Buffer, dim: number, vector: Float32Array): string | null {
  let end = line.length;
  while (end > 0 && (line[end - 1] === 32 || line[end - 1] === 13 || line[end - 1] === 9)) end--;
  const space = line.indexOf(32);
  if (space <= 0 || space >= end) return null;
  let at = space + 1;
  for (let k = 0; k < dim; k++) {
    if (at >= end) return null;
    let negative = false;
    if (line[at] === 45 || line[at] === 43) negative = line[at++] === 45;
    let mantissa = 0;
    let digits = 0;
    let significant = 0;
    let scale = 0;
    let byte = line[at]!;
    while (byte >= 48 && byte <= 57) {
      if (significant > 0 || byte !== 48) significant++;
      mantissa = mantissa * 10 + (byte - 48);
      digits++;
      byte = line[++at]!;
    }
    if (byte === 46) {
      byte = line[++at]!;
      while (byte >= 48 && byte <= 57) {
        if (significant > 0 || byte !== 48) significant++;
        mantissa = mantissa * 10 + (byte - 48);
        digits++;
        scale--;
        byte = line[++at]!;
      }
    }
    if (digits === 0 || significant > 15) return null;
    if (byte === 101 || byte === 69) {
      byte = line[++at]!;
      let exponentNegative = false;
      if (byte === 45 || byte === 43) {
        exponentNegative = byte === 45;
        byte = line[++at]!;
      }
      let exponent = 0;
      let exponentDigits = 0;
      while (byte >= 48 && byte <= 57 && exponentDigits < 4) {
        exponent = exponent * 10 + (byte - 48);
        exponentDigits++;
        byte = line[++at]!;
      }
      if (exponentDigits === 0 || (byte >= 48 && byte <= 57)) return null;
      scale += exponentNegative ? -exponent : exponent;
    }
    if (scale < -22 || scale > 22) return null;
    const magnitude = scale < 0 ? mantissa / POWERS_OF_TEN[-scale]! : mantissa * POWERS_OF_TEN[scale]!;
    vector[k] = negative ? -magnitude : magnitude;
    // The next field, after exactly one space; the last ends the row.
    if (k < dim - 1) {
      if (at >= end || line[at] !== 32) return null;
      at++;
    } else if (at !== end) {
      return null;
    }
  }
  try {
    return decoder.decode(line.subarray(0, space));
  } catch {
    return null;
  }
}

function decodeWord(bytes: Buffer, path: string, row: number, offset: number): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw bad(path, 'invalid UTF-8', row, offset);
  }
}

function checkFinite(vector: Float32Array, word: string, path: string, row: number, offset: number): void {
  // v·0 is 0 for every finite v and NaN for NaN and ±Infinity: one multiply-add a value, no branch.
  let probe = 0;
  for (let k = 0; k < vector.length; k++) probe += vector[k]! * 0;
  if (probe !== 0) throw bad(path, `the vector of ${JSON.stringify(word)} has a non-finite value`, row, offset);
}
