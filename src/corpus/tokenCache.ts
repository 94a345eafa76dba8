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

/**
 * Reads records from a cache file between two integer offsets, in buffered chunks.
 * Each call of `visit` sees `buffer[start … start+length)` as the record's ids. `readBuffer` (for
 * example a view into WebAssembly memory) is used while records fit in it.
 */
export function forEachRecord(
  path: string,
  fromInt: number,
  toInt: number,
  visit: (buffer: Int32Array, start: number, length: number, tag: number) => void,
  readBuffer?: Int32Array,
): void {
  const fd = openSync(path, 'r');
  try {
    let buffer = readBuffer ?? new Int32Array(READ_BUFFER_INTS);
    let bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    let filled = 0; // ints in buffer
    let at = 0; // next record start in buffer
    let fileInt = fromInt; // file offset (ints) of buffer[filled]
    for (;;) {
      // Make sure a whole header and record are in the buffer.
      const available = filled - at;
      const need = available >= RECORD_HEADER ? RECORD_HEADER + buffer[at]! : RECORD_HEADER;
      if (available < need) {
        if (fileInt >= toInt && available === 0) return;
        if (fileInt >= toInt) throw new KotovecError(ErrorCodes.BAD_FORMAT, `token cache ${path} is truncated`);
        buffer.copyWithin(0, at, filled);
        filled = available;
        at = 0;
        if (need > buffer.length) {
          const grown = new Int32Array(need * 2);
          grown.set(buffer.subarray(0, filled));
          buffer = grown;
          bytes = new Uint8Array(buffer.buffer);
        }
        const wantInts = Math.min(buffer.length - filled, toInt - fileInt);
        const got = readSync(fd, bytes, filled * 4, wantInts * 4, fileInt * 4);
        if (got <= 0 || got % 4 !== 0) throw new KotovecError(ErrorCodes.BAD_FORMAT, `token cache ${path} is truncated`);
        filled += got / 4;
        fileInt += got / 4;
        continue;
      }
      const length = buffer[at]!;
      const tag = buffer[at + 1]!;
      visit(buffer, at + RECORD_HEADER, length, tag);
      at += RECORD_HEADER + length;
    }
  } finally {
    closeSync(fd);
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
 * Deals the cache out to `threads` workers the way gensim deals out jobs: the blocks between
 * consecutive checkpoints (about 8k words each, like gensim's 10k-word jobs) go round-robin, block b
 * to worker b mod threads, so all workers move through the corpus together, in its order. (Each worker
 * used to get one contiguous half, so at each moment the threads trained on different parts of the
 * text; CBOW on two threads then scored lower on WordSim-353 than on one.) Workers without a block are
 * left out.
 * @returns per worker, its ranges `[fromInt, toInt)` in file order
 */
export function dealCache(cache: FinalTokenCache, threads: number): { fromInt: number; toInt: number; words: number }[][] {
  const shares: { fromInt: number; toInt: number; words: number }[][] = Array.from({ length: threads }, () => []);
  const cps = cache.checkpoints;
  for (let b = 0; b + 1 < cps.length; b++) {
    if (cps[b + 1]!.offset <= cps[b]!.offset) continue;
    shares[b % threads]!.push({ fromInt: cps[b]!.offset, toInt: cps[b + 1]!.offset, words: cps[b + 1]!.words - cps[b]!.words });
  }
  return shares.filter((share) => share.length > 0);
}
