/**
 * The token cache: pass 1 tokenizes the corpus once and writes it as a flat stream of 32-bit integers,
 * so every epoch after that reads integers instead of text. A record is `[length, tag, id × length]`,
 * `tag` being the document index for doc2vec or −1 for plain sentences; the ids are pass 1's counter
 * slots. Training reads the file as pass 1 wrote it: each record's slots are mapped to vocabulary ids
 * as it is read ({@link mapRecord}: words outside the vocabulary dropped), and sentences longer than
 * {@link MAX_SENTENCE_LENGTH} are trained in pieces. The writer notes a record boundary about every
 * {@link BLOCK_TOKENS} tokens, so worker threads can take the file in blocks of about equal size.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { ErrorCodes, KotovecError } from '../errors.js';

/** Longest sentence trained as one piece; longer ones are cut (gensim's MAX_WORDS_IN_BATCH rule). */
export const MAX_SENTENCE_LENGTH = 10000;
/** Integers of record header: length and tag. */
export const RECORD_HEADER = 2;
/** Tokens a block of the cache holds at least (but its last); gensim's jobs hold 10k words. */
export const BLOCK_TOKENS = 1 << 13;
const WRITE_BUFFER_INTS = 1 << 18;
/** Ints a reader buffers; at least one record of the longest length must fit. */
export const READ_BUFFER_INTS = 1 << 18;

/** Appends records to a cache file through a buffer. */
export class TokenCacheWriter {
  private readonly fd: number;
  private readonly buffer = new Int32Array(WRITE_BUFFER_INTS);
  private used = 0;
  /** Integers written so far (headers included). */
  position = 0;
  /** Record starts (ints) that begin a block: the first at 0, then one once a block holds BLOCK_TOKENS tokens. */
  private readonly starts: number[] = [0];
  private sinceStart = 0;

  /** @param path file to create (truncated if it exists) */
  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw new KotovecError(ErrorCodes.OUTPUT_UNWRITABLE, `cannot write token cache ${path}: ${(error as Error).message}`);
    }
  }

  /**
   * Appends one record.
   * @param tag document index, or −1
   * @param ids token ids
   * @param length how many of `ids` to write
   */
  write(tag: number, ids: ArrayLike<number>, length: number): void {
    this.beginRecord(this.position, length);
    if (this.used + RECORD_HEADER + length > this.buffer.length) this.flush();
    if (RECORD_HEADER + length > this.buffer.length) {
      // A record larger than the buffer (a very long line): write it through.
      this.writeInts(Int32Array.of(length, tag));
      this.writeInts(Int32Array.from({ length }, (_, i) => ids[i]!));
      return;
    }
    const buf = this.buffer;
    let at = this.used;
    buf[at++] = length;
    buf[at++] = tag;
    for (let i = 0; i < length; i++) buf[at++] = ids[i]!;
    this.used = at;
    this.position += RECORD_HEADER + length;
  }

  /** Appends whole records as they lie in `ints` (`[length, tag, id × length]` each). */
  writeRecords(ints: Int32Array): void {
    for (let at = 0; at < ints.length; at += RECORD_HEADER + ints[at]!) this.beginRecord(this.position + at, ints[at]!);
    if (this.used + ints.length > this.buffer.length) this.flush();
    if (ints.length > this.buffer.length) {
      this.writeInts(ints);
      return;
    }
    this.buffer.set(ints, this.used);
    this.used += ints.length;
    this.position += ints.length;
  }

  /** Notes a record of `length` tokens that starts at `position`: it begins a block when the last one is full. */
  private beginRecord(position: number, length: number): void {
    if (this.sinceStart >= BLOCK_TOKENS) {
      this.starts.push(position);
      this.sinceStart = 0;
    }
    this.sinceStart += length;
  }

  /**
   * The boundaries of the blocks training hands out, in ints: block b is `[blocks[b], blocks[b + 1])`,
   * the last ending at the end of the file (what is written so far). An empty file has none.
   */
  blocks(): Float64Array {
    const bounds = this.position > 0 ? [...this.starts, this.position] : [0];
    return Float64Array.from(bounds);
  }

  private writeInts(ints: Int32Array): void {
    writeSync(this.fd, new Uint8Array(ints.buffer, ints.byteOffset, ints.byteLength));
    this.position += ints.length;
  }

  private flush(): void {
    if (this.used === 0) return;
    writeSync(this.fd, new Uint8Array(this.buffer.buffer, 0, this.used * 4));
    this.used = 0;
  }

  /** Flushes and closes the file. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Visits one record: `buffer[start … start+length)` holds its ids. */
export type RecordVisitor = (buffer: Int32Array, start: number, length: number, tag: number) => void;

/**
 * Reads records from one cache file, range after range, through one open file and one buffer (a
 * training worker reads thousands of ranges per epoch).
 */
export class TokenCacheReader {
  private readonly fd: number;
  private buffer: Int32Array;
  private bytes: Uint8Array;

  /**
   * @param path the cache file
   * @param readBuffer where records are read to (for example a view into WebAssembly memory); replaced
   *   by a larger private buffer only for a record that does not fit
   */
  constructor(readonly path: string, readBuffer?: Int32Array) {
    this.fd = openSync(path, 'r');
    this.buffer = readBuffer ?? new Int32Array(READ_BUFFER_INTS);
    this.bytes = new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
  }

  /**
   * Visits the records between two integer offsets, in file order.
   * @throws KotovecError BAD_FORMAT when the file ends inside a record
   */
  forEachRecord(fromInt: number, toInt: number, visit: RecordVisitor): void {
    let { buffer, bytes } = this;
    let filled = 0; // ints in buffer
    let at = 0; // next record start in buffer
    let fileInt = fromInt; // file offset (ints) of buffer[filled]
    for (;;) {
      // Make sure a whole header and record are in the buffer.
      const available = filled - at;
      const need = available >= RECORD_HEADER ? RECORD_HEADER + buffer[at]! : RECORD_HEADER;
      if (available < need) {
        if (fileInt >= toInt && available === 0) return;
        if (fileInt >= toInt) throw new KotovecError(ErrorCodes.BAD_FORMAT, `token cache ${this.path} is truncated`);
        buffer.copyWithin(0, at, filled);
        filled = available;
        at = 0;
        if (need > buffer.length) {
          const grown = new Int32Array(need * 2);
          grown.set(buffer.subarray(0, filled));
          buffer = this.buffer = grown;
          bytes = this.bytes = new Uint8Array(grown.buffer);
        }
        const wantInts = Math.min(buffer.length - filled, toInt - fileInt);
        const got = readSync(this.fd, bytes, filled * 4, wantInts * 4, fileInt * 4);
        if (got <= 0 || got % 4 !== 0) throw new KotovecError(ErrorCodes.BAD_FORMAT, `token cache ${this.path} is truncated`);
        filled += got / 4;
        fileInt += got / 4;
        continue;
      }
      const length = buffer[at]!;
      const tag = buffer[at + 1]!;
      visit(buffer, at + RECORD_HEADER, length, tag);
      at += RECORD_HEADER + length;
    }
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Reads records from a cache file between two integer offsets, in buffered chunks.
 * Each call of `visit` sees `buffer[start … start+length)` as the record's ids. `readBuffer` (for
 * example a view into WebAssembly memory) is used while records fit in it.
 */
export function forEachRecord(path: string, fromInt: number, toInt: number, visit: RecordVisitor, readBuffer?: Int32Array): void {
  const reader = new TokenCacheReader(path, readBuffer);
  try {
    reader.forEachRecord(fromInt, toInt, visit);
  } finally {
    reader.close();
  }
}

/** A token cache as training reads it. */
export interface TrainingCache {
  path: string;
  /** Length of the file in ints. */
  ints: number;
  /** Tokens training keeps an epoch: those whose word is in the vocabulary. */
  words: number;
  /**
   * Block boundaries in ints (see {@link TokenCacheWriter.blocks}). Worker threads take the next block
   * from a shared counter as they finish one, as gensim's threads take jobs from its queue: all threads
   * move through the corpus together, in its order, and a thread that runs slower (a busy core) simply
   * takes fewer blocks.
   */
  blocks: Float64Array;
  /** Counter slot (the cache's ids) → vocabulary id, or −1 for a word outside the vocabulary. */
  slotToId: Int32Array;
}

/**
 * Maps a record's slots to vocabulary ids in place, dropping words outside the vocabulary: afterwards
 * `ids[start … start+n)` holds the kept ids, in order.
 * @returns n, how many were kept
 */
export function mapRecord(ids: Int32Array, start: number, length: number, slotToId: Int32Array): number {
  let n = start;
  for (let i = start, end = start + length; i < end; i++) {
    const id = slotToId[ids[i]!]!;
    if (id >= 0) ids[n++] = id;
  }
  return n - start;
}
