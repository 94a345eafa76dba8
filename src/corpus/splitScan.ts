/**
 * Pass 1 from the bytes on several threads: a corpus of plain files on disk is cut into parts at lines'
 * starts, the first part counted on the calling thread and each other on a worker (`countPartWorker.ts`),
 * each with a counter and a token cache of its own. Then each later part's words are filed after those of
 * the parts before it (a word new in a part takes the next slot, in the order that part met them: the
 * slots of first-seen order over the whole corpus) and its records are appended to the first part's
 * cache with their slots (and document tags) mapped. The result equals counting the corpus on one thread,
 * slot for slot and int for int.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { ErrorCodes, KotovecError } from '../errors.js';
import { countedWordCounter, type ByteCounter, type CountedWords, type RecordSink } from '../text/byteCounter.js';
import { isPlainTextFile, readLineBlocks, type InputFile, type ReadOptions, type ReadStats } from '../text/lineReader.js';
import type { TokenizerConfig } from '../text/tokenizers.js';
import { errorFromWorker, WorkerHost, workerScript, type WorkerFailure } from '../workerThreads.js';
import { RECORD_HEADER, type TokenCacheWriter } from './tokenCache.js';
import type { WordCounter } from '../vocab/counter.js';

/** Bytes a part holds at least: a thread costs more to start than it saves on less. */
export const SPLIT_MIN_BYTES = 8 << 20;

/** The corpus cut into parts: the files (or ranges of a file) of each, in order. */
export interface SplitPlan {
  parts: InputFile[][];
}

/** What the worker counted in its part. */
export interface CountedPart extends CountedWords {
  tokens: number;
  /** Lines counted (a document each with `--docs lines`). */
  lines: number;
  sentences: number;
  emptyDocuments: number;
  /** U+FFFD characters the counter met in lines it decoded. */
  replacements: number;
  read: ReadStats;
  cacheInts: number;
}

/** What the part's worker is given. */
export interface PartJob {
  files: InputFile[];
  tokenizer: TokenizerConfig;
  documentLines: boolean;
  maxLineChars?: number;
  /** Where the part's token cache goes (none: no cache). */
  cachePath?: string;
}

/** Messages from a part's worker. */
export type PartReply = { type: 'progress'; bytesRead: number; tokens: number } | { type: 'done'; part: CountedPart } | ({ type: 'error' } & WorkerFailure);

/** Messages to a part's worker. */
export type PartRequest = { type: 'abort' };

/**
 * Where to cut `files` into parts for `threads` counting threads: at the first line's start after each
 * share of the bytes, inside plain text files; the calling thread's part a little larger, as the workers
 * take a while to start. Null when one thread counts them: one thread, less than `minBytes` (default
 * {@link SPLIT_MIN_BYTES}) for each of two parts, standard input or a pipe among them, or a cut in a gzip
 * file (which can only be read from its start).
 */
export function splitPlan(files: readonly InputFile[], threads: number, minBytes = SPLIT_MIN_BYTES): SplitPlan | null {
  if (files.some((f) => f.path === '-' || f.stream)) return null;
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const count = Math.min(threads, Math.floor(total / minBytes));
  if (count < 2) return null;
  // Shares: the first FIRST_SHARE, the others one each.
  const share = total / (count - 1 + FIRST_SHARE);
  const parts: InputFile[][] = [];
  let part: InputFile[] = [];
  let cutAt = share * FIRST_SHARE;
  let before = 0;
  for (const file of files) {
    let from = 0;
    while (parts.length < count - 1 && before + file.size > cutAt) {
      if (cutAt <= before && from === 0) {
        // The cut falls at this file's start.
        if (part.length > 0) parts.push(part);
        part = [];
        cutAt += share;
        continue;
      }
      if (from === 0 && !isPlainTextFile(file)) return null;
      const cut = lineStartAfter(file, Math.max(from, Math.floor(cutAt - before)));
      if (cut === null) break;
      part.push(rangeOf(file, from, cut));
      parts.push(part);
      part = [];
      from = cut;
      cutAt += share;
    }
    part.push(rangeOf(file, from, file.size));
    before += file.size;
  }
  parts.push(part);
  return parts.length > 1 ? { parts } : null;
}

/** What of the calling thread's part is larger than a worker's. */
const FIRST_SHARE = 1.15;

/** `file`'s bytes `[from … to)` as an input (the whole file when they are all of it). */
function rangeOf(file: InputFile, from: number, to: number): InputFile {
  if (from === 0 && to === file.size) return file;
  return { ...file, size: to - from, ...(from > 0 ? { from } : {}), ...(to < file.size ? { to } : {}) };
}

/** The offset just past the first newline at or after `offset` in `file`, or null when none comes before its end. */
function lineStartAfter(file: InputFile, offset: number): number | null {
  const fd = openSync(file.path, 'r');
  try {
    const buffer = Buffer.alloc(1 << 16);
    for (let at = offset; at < file.size; ) {
      const got = readSync(fd, buffer, 0, buffer.length, at);
      if (got === 0) return null;
      const newline = buffer.subarray(0, got).indexOf(10);
      if (newline >= 0) return at + newline + 1 < file.size ? at + newline + 1 : null;
      at += got;
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Counts the lines of `files` from their bytes into `bytes`, their records to `sink`.
 * @param documentLines whether each line is a document (tagged with its number, counting from 0 here)
 * @param report called after each block (stops the count by throwing)
 */
export async function countLineBlocks(
  files: readonly InputFile[],
  options: ReadOptions,
  read: ReadStats,
  bytes: ByteCounter,
  sink: RecordSink | undefined,
  documentLines: boolean,
  report: () => void,
): Promise<void> {
  for await (const block of readLineBlocks(files, options, read)) {
    if (block.bytes) bytes.countBlock(block.bytes, documentLines ? bytes.lines : -1, sink);
    else for (const text of block.lines) bytes.countLine(text, documentLines ? bytes.lines : -1, sink);
    report();
  }
}

/** A part counted on a worker: its progress as it goes, its count at the end. */
export class PartWorker {
  private readonly worker: WorkerHost<PartRequest, PartReply>;
  private readonly outcome: Promise<CountedPart>;
  /** Bytes the worker has read so far. */
  bytesRead = 0;
  /** Tokens it has counted so far. */
  tokens = 0;

  constructor(job: PartJob) {
    let settle!: { resolve: (part: CountedPart) => void; reject: (error: Error) => void };
    this.outcome = new Promise<CountedPart>((resolve, reject) => (settle = { resolve, reject }));
    // Failures surface where the part is awaited; this keeps an early one from going unhandled.
    this.outcome.catch(() => {});
    this.worker = new WorkerHost<PartRequest, PartReply>(workerScript(import.meta.url, 'corpus/countPartWorker.js', 'count worker'), 'count worker', {
      onMessage: (reply) => {
        if (reply.type === 'progress') {
          this.bytesRead = reply.bytesRead;
          this.tokens = reply.tokens;
        } else if (reply.type === 'done') settle.resolve(reply.part);
        else settle.reject(errorFromWorker(reply, 'count worker'));
      },
      onFailure: (error) => settle.reject(error),
    }, { workerData: job });
  }

  /** The part's count, once the worker has ended. */
  async result(): Promise<CountedPart> {
    try {
      return await this.outcome;
    } finally {
      await this.worker.close();
    }
  }

  /** Asks the worker to stop counting: {@link result} then fails with an INTERRUPTED error. */
  interrupt(): void {
    this.worker.post({ type: 'abort' });
  }

  /** Ends the worker at once (its count is not needed: an error or an interruption elsewhere). */
  async stop(): Promise<void> {
    await this.worker.close();
  }
}

/** Every part's words filed in one table: see the module comment. */
export class CountMerger {
  private readonly slotOf = new Map<string, number>();
  private readonly words: string[];
  private readonly counts: number[];
  private tokens: number;

  /** Starts from the first part's words and counts, `tokens` counted in it. */
  constructor(first: CountedWords, tokens: number) {
    first.words.forEach((word, slot) => this.slotOf.set(word, slot));
    this.words = first.words.slice();
    this.counts = Array.from(first.counts);
    this.tokens = tokens;
  }

  /** Files the next part's words; returns its slots as slots of the whole. */
  add(part: CountedPart): Int32Array {
    const slots = new Int32Array(part.words.length);
    part.words.forEach((word, i) => {
      let slot = this.slotOf.get(word);
      if (slot === undefined) {
        slot = this.words.push(word) - 1;
        this.slotOf.set(word, slot);
        this.counts.push(part.counts[i]!);
      } else this.counts[slot]! += part.counts[i]!;
      slots[i] = slot;
    });
    this.tokens += part.tokens;
    return slots;
  }

  /** The whole count. */
  counter(): WordCounter {
    return countedWordCounter(this.words, this.counts, this.tokens);
  }
}

/**
 * Appends the records of the cache file at `path` (`ints` ints) to `writer`, each slot `s` written as
 * `slotOf[s]` and each document tag moved on by `tagOffset`.
 * @throws KotovecError INPUT_UNREADABLE when the file is shorter than said
 */
export function appendMapped(writer: TokenCacheWriter, path: string, ints: number, slotOf: Int32Array, tagOffset: number): void {
  const fd = openSync(path, 'r');
  try {
    let buffer = new Int32Array(1 << 18);
    let held = 0;
    for (let done = 0; done < ints; ) {
      const want = Math.min(buffer.length - held, ints - done);
      const got = readSync(fd, new Uint8Array(buffer.buffer, held * 4, want * 4), 0, want * 4, done * 4) >> 2;
      if (got === 0) throw new KotovecError(ErrorCodes.INPUT_UNREADABLE, `token cache ${path} ends early`);
      done += got;
      held += got;
      // Whole records are mapped and written; a record cut by the buffer's end waits for the next read.
      let at = 0;
      while (at + RECORD_HEADER <= held && at + RECORD_HEADER + buffer[at]! <= held) {
        const length = buffer[at]!;
        if (buffer[at + 1]! >= 0) buffer[at + 1]! += tagOffset;
        for (let i = at + RECORD_HEADER, end = at + RECORD_HEADER + length; i < end; i++) buffer[i] = slotOf[buffer[i]!]!;
        at += RECORD_HEADER + length;
      }
      writer.writeRecords(buffer.subarray(0, at));
      buffer.copyWithin(0, at, held);
      held -= at;
      if (held >= RECORD_HEADER && RECORD_HEADER + buffer[0]! > buffer.length) {
        const grown = new Int32Array(RECORD_HEADER + buffer[0]!);
        grown.set(buffer.subarray(0, held));
        buffer = grown;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Adds the read statistics of a part to `into`'s (all but the total). */
export function addReadStats(into: ReadStats, part: ReadStats): void {
  into.bytesRead += part.bytesRead;
  into.lines += part.lines;
  into.invalidUtf8 += part.invalidUtf8;
  into.splitLines += part.splitLines;
  into.skippedBinary.push(...part.skippedBinary);
}
