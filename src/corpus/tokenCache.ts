/**
 * The token cache: pass 1 tokenizes the corpus once and writes it as a flat stream of 32-bit integers,
 * so every epoch after that reads integers instead of text. A record is `[length, tag, id × length]`,
 * `tag` being the document index for doc2vec or −1 for plain sentences. The pass-1 cache holds
 * provisional ids (counter slots); {@link finalizeTokenCache} rewrites it with final ids, drops words
 * outside the vocabulary, cuts sentences longer than {@link MAX_SENTENCE_LENGTH} and records checkpoints
 * so worker threads can split it into parts of equal size.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { ErrorCodes, KotovecError } from '../errors.js';

/** Longest sentence trained as one piece; longer ones are cut (gensim's MAX_WORDS_IN_BATCH rule). */
export const MAX_SENTENCE_LENGTH = 10000;
/** Integers of record header: length and tag. */
export const RECORD_HEADER = 2;
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
    if (this.used + RECORD_HEADER + length > this.buffer.length) this.flush();
    if (RECORD_HEADER + length > this.buffer.length) {
      // A record larger than the buffer (only in the provisional cache): write it through.
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
    if (this.used + ints.length > this.buffer.length) this.flush();
    if (ints.length > this.buffer.length) {
      this.writeInts(ints);
      return;
    }
    this.buffer.set(ints, this.used);
    this.used += ints.length;
    this.position += ints.length;
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

/** A place to split the final cache: the record starting at `offset` (ints) has `words` words before it. */
export interface CacheCheckpoint {
  offset: number;
  words: number;
}

/** What {@link finalizeTokenCache} wrote. */
export interface FinalTokenCache {
  path: string;
  /** Length of the file in ints. */
  ints: number;
  /** Tokens kept (words in the vocabulary). */
  words: number;
  /** Records (sentence pieces) written. */
  records: number;
  /** Record boundaries roughly every `checkpointWords` words, first at 0, last at the end. */
  checkpoints: CacheCheckpoint[];
}

/**
 * Rewrites a provisional cache into the final one: ids mapped through `slotToId`, unknown words dropped,
 * sentences cut into pieces of at most `maxLength` words. Empty sentences are dropped, except for tagged
 * records (documents), which are kept so every document is seen.
 */
export function finalizeTokenCache(
  provisionalPath: string,
  provisionalInts: number,
  finalPath: string,
  slotToId: Int32Array,
  maxLength = MAX_SENTENCE_LENGTH,
  checkpointWords = 1 << 13,
): FinalTokenCache {
  const writer = new TokenCacheWriter(finalPath);
  const mapped = new Int32Array(maxLength);
  let words = 0;
  let records = 0;
  let sinceCheckpoint = 0;
  const checkpoints: CacheCheckpoint[] = [{ offset: 0, words: 0 }];
  const emit = (tag: number, n: number) => {
    if (sinceCheckpoint >= checkpointWords) {
      checkpoints.push({ offset: writer.position, words });
      sinceCheckpoint = 0;
    }
    writer.write(tag, mapped, n);
    words += n;
    sinceCheckpoint += n;
    records++;
  };
  try {
    forEachRecord(provisionalPath, 0, provisionalInts, (buffer, start, length, tag) => {
      let n = 0;
      let emitted = false;
      for (let i = start, end = start + length; i < end; i++) {
        const id = slotToId[buffer[i]!]!;
        if (id < 0) continue;
        mapped[n++] = id;
        if (n === maxLength) {
          emit(tag, n);
          emitted = true;
          n = 0;
        }
      }
      if (n > 0 || (tag >= 0 && !emitted)) emit(tag, n);
    });
  } finally {
    writer.close();
  }
  checkpoints.push({ offset: writer.position, words });
  return { path: finalPath, ints: writer.position, words, records, checkpoints };
}

/**
 * The blocks training hands out: record boundaries about every 8k words (the checkpoints; gensim's jobs
 * hold 10k words), empty blocks left out. Block b is `[blocks[b], blocks[b + 1])` in ints. Worker threads
 * take the next block from a shared counter as they finish one, as gensim's threads take jobs from its
 * queue: all threads move through the corpus together, in its order, and a thread that runs slower
 * (a busy core) simply takes fewer blocks.
 * @returns the boundaries, one more than the number of blocks
 */
export function cacheBlocks(cache: FinalTokenCache): Float64Array {
  const cps = cache.checkpoints;
  const bounds = [cps[0]!.offset];
  for (let b = 0; b + 1 < cps.length; b++) {
    if (cps[b + 1]!.offset > bounds.at(-1)!) bounds.push(cps[b + 1]!.offset);
  }
  return Float64Array.from(bounds);
}
