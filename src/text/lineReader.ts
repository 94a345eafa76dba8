/**
 * Streaming line reader: files, folders (recursively, in a stable order), `.gz` files and `-` for stdin.
 * Never reads a whole file into memory. Invalid UTF-8 is replaced (U+FFFD) and counted; a line longer
 * than `maxLineChars` is split into pieces rather than failing; a file whose first block holds a NUL byte
 * is refused as binary.
 *
 * @example
 * ```ts
 * const stats = newReadStats();
 * for await (const batch of readLineBatches(await resolveInputs(['corpus/']), {}, stats)) {
 *   for (const line of batch) console.log(line);
 * }
 * ```
 */
import { closeSync, createReadStream, openSync, promises as fsp, readSync, type Stats } from 'node:fs';
import { join, relative } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { ErrorCodes, KotovecError } from '../errors.js';
import { isGzipFile } from '../gzipFile.js';

/** Default longest line, in UTF-16 code units (characters), before a line is split. */
export const DEFAULT_MAX_LINE_CHARS = 1_000_000;
const SNIFF_BYTES = 8192;
const BATCH_LINES = 512;
/** A batch is also handed on once it holds this many characters (a few overlong lines fill it). */
const BATCH_CHARS = 1 << 21;

/** One input to read: a file path, or `-` for standard input. */
export interface InputFile {
  /** The path as given or found in a folder; `-` for stdin. */
  path: string;
  /** The name to report and, for `--docs files`, the document id (path relative to the folder given). */
  name: string;
  /** Size on disk in bytes (0 for stdin). */
  size: number;
  /** True when the file was found inside a folder rather than named directly. */
  fromFolder: boolean;
  /**
   * True for a pipe, a FIFO or a device (`<(…)`, `/dev/stdin`): read as a stream, as stdin is — it cannot
   * be read twice or at a position, so gzip is recognised from the first bytes that flow.
   */
  stream?: boolean;
  /**
   * Read only the bytes from here on (a plain file on disk; a part of it counted on its own thread): the
   * bytes before are another reader's, so no byte-order mark or binary check applies here.
   */
  from?: number;
  /** Read only the bytes before this offset (a plain file on disk; see {@link from}). */
  to?: number;
}

/** Counters a read fills in; shared with the caller for progress and the final report. */
export interface ReadStats {
  /** Bytes read from disk (compressed bytes for `.gz`). */
  bytesRead: number;
  /** Sum of the input sizes on disk (0 when unknown, e.g. stdin). */
  totalBytes: number;
  /** Lines delivered (a split line counts once per piece). */
  lines: number;
  /** Invalid UTF-8 sequences replaced by U+FFFD. */
  invalidUtf8: number;
  /** Lines that were longer than the limit and got split (or cut, with `overlong: 'truncate'`). */
  splitLines: number;
  /** Files skipped inside folders because they looked binary. */
  skippedBinary: string[];
}

/** Options for {@link readLineBatches}. */
export interface ReadOptions {
  /** Longest line in characters before it is split (default 1,000,000). */
  maxLineChars?: number;
  /**
   * What to do with a longer line: `split` it into pieces delivered as lines (training: no text is
   * lost), or `truncate` it to its first piece and skip the rest (queries, where a line is one document
   * and must give one answer). Default `split`.
   */
  overlong?: 'split' | 'truncate';
  /** Aborting it ends the read at once (even while waiting for stdin) with an INTERRUPTED error. */
  signal?: AbortSignal;
}

/** A fresh, zeroed {@link ReadStats}. */
export function newReadStats(): ReadStats {
  return { bytesRead: 0, totalBytes: 0, lines: 0, invalidUtf8: 0, splitLines: 0, skippedBinary: [] };
}

async function statOrThrow(path: string): Promise<Stats> {
  try {
    return await fsp.stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new KotovecError(ErrorCodes.INPUT_NOT_FOUND, `input not found: ${path}`);
    }
    throw new KotovecError(ErrorCodes.INPUT_UNREADABLE, `cannot read ${path}: ${(error as Error).message}`);
  }
}

async function listFolder(root: string, folder: string, out: InputFile[]): Promise<void> {
  let entries;
  try {
    entries = await fsp.readdir(folder, { withFileTypes: true });
  } catch (error) {
    throw new KotovecError(ErrorCodes.INPUT_UNREADABLE, `cannot read folder ${folder}: ${(error as Error).message}`);
  }
  const names = entries.filter((e) => !e.name.startsWith('.')).map((e) => e.name);
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const path = join(folder, name);
    const stats = await fsp.stat(path).catch(() => undefined);
    if (!stats) continue;
    if (stats.isDirectory()) await listFolder(root, path, out);
    else if (stats.isFile()) out.push({ path, name: relative(root, path), size: stats.size, fromFolder: true });
  }
}

/**
 * Expands the inputs the user named into files: folders recursively (hidden entries skipped, names in
 * code-point order), `-` kept as stdin.
 * @param inputs paths of files or folders, or `-`
 * @returns the files to read, in order
 * @throws KotovecError INPUT_NOT_FOUND for a missing path, NO_TEXT_FILES for a folder without files
 */
export async function resolveInputs(inputs: readonly string[]): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const input of inputs) {
    if (input === '-') {
      files.push({ path: '-', name: '-', size: 0, fromFolder: false });
      continue;
    }
    const stats = await statOrThrow(input);
    if (stats.isDirectory()) {
      const found: InputFile[] = [];
      await listFolder(input, input, found);
      if (found.length === 0) throw new KotovecError(ErrorCodes.NO_TEXT_FILES, `folder has no text files: ${input}`);
      files.push(...found);
    } else {
      files.push({ path: input, name: input, size: stats.isFile() ? stats.size : 0, fromFolder: false, ...(stats.isFile() ? {} : { stream: true }) });
    }
  }
  return files;
}

/**
 * True when `file` is a plain file on disk that a reader can start at any byte: not standard input, a pipe
 * or gzip, and its first block holds no NUL byte (so no reader would skip it or refuse it as binary).
 */
export function isPlainTextFile(file: InputFile): boolean {
  if (file.path === '-' || file.stream || file.size === 0) return false;
  try {
    if (isGzipFile(file.path)) return false;
    const fd = openSync(file.path, 'r');
    try {
      const head = Buffer.alloc(Math.min(SNIFF_BYTES, file.size));
      return !looksBinary(head.subarray(0, readSync(fd, head, 0, head.length, 0)));
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

function looksBinary(block: Buffer): boolean {
  return block.subarray(0, SNIFF_BYTES).includes(0);
}

/** How many U+FFFD characters `text` holds (invalid UTF-8 replaced, or written as such). */
export function countReplacements(text: string): number {
  let count = 0;
  let at = text.indexOf('\uFFFD');
  while (at !== -1) {
    count++;
    at = text.indexOf('\uFFFD', at + 1);
  }
  return count;
}

/**
 * The first bytes of a stream, put back so that they are read again: whether it is gzip (1f 8b).
 * @throws the stream's error; KotovecError INTERRUPTED when `signal` aborts the wait
 */
async function sniffGzip(stream: Readable, signal?: AbortSignal): Promise<boolean> {
  const first = await new Promise<Buffer | null>((resolve, reject) => {
    const done = () => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onReadable = () => {
      const chunk = stream.read() as Buffer | null;
      if (chunk === null) return;
      done();
      resolve(chunk);
    };
    const onEnd = () => {
      done();
      resolve(null);
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onAbort = () => {
      done();
      stream.destroy();
      reject(new KotovecError(ErrorCodes.INTERRUPTED, 'interrupted'));
    };
    stream.on('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('error', onError);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  if (first === null) return false;
  stream.unshift(first);
  return first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
}

async function openStream(file: InputFile, stats: ReadStats, signal?: AbortSignal): Promise<{ stream: Readable; countsBytes: boolean }> {
  // Recognise gzip by its magic bytes before any data flows (a pipe: by its first bytes, put back).
  const range = { start: file.from, end: file.to === undefined ? undefined : file.to - 1 };
  const raw: Readable = file.path === '-' ? process.stdin : createReadStream(file.path, { highWaterMark: 1 << 18, ...range });
  const isGzip = file.path === '-' || (file.from ?? 0) > 0 ? false : file.stream ? await sniffGzip(raw, signal) : isGzipFile(file.path);
  if (!isGzip) return { stream: raw, countsBytes: false };
  const gunzip = createGunzip({ chunkSize: 1 << 18 });
  raw.on('error', (error) => gunzip.destroy(error));
  // pipe() attaches its own 'data' listener, so counting compressed bytes here loses nothing.
  raw.on('data', (chunk: Buffer) => {
    stats.bytesRead += chunk.length;
  });
  return { stream: raw.pipe(gunzip), countsBytes: true };
}


/**
 * Cuts decoded text into lines, batch by batch: a line longer than the limit is cut into pieces of at most
 * `maxLineChars` characters (never inside a surrogate pair), or with `truncate` kept to its first piece; a
 * trailing `\r` is dropped. Fed a file's bytes chunk after chunk.
 */
class LineSplitter {
  private readonly decoder: TextDecoder;
  private readonly maxChars: number;
  private readonly truncate: boolean;
  private carry = '';
  // With `truncate`, true from the cut of an overlong line to its newline: that text is skipped.
  private skipping = false;
  // True once pieces of the line in `carry` have been delivered (it is counted as split once).
  private continued = false;
  private batch: string[] = [];
  private batchChars = 0;

  /** @param atStart whether the bytes begin the file (a byte-order mark there is dropped) */
  constructor(options: ReadOptions, private readonly stats: ReadStats, atStart: boolean) {
    this.maxChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
    this.truncate = options.overlong === 'truncate';
    this.decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: !atStart });
  }

  private emit(line: string): void {
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    this.batch.push(line);
    this.batchChars += line.length;
    this.stats.lines++;
  }

  private emitLong(line: string): void {
    const { maxChars, stats } = this;
    if (!this.truncate) {
      for (const part of splitLong(line, maxChars, stats)) this.emit(part);
    } else if (line.length > maxChars) {
      stats.splitLines++;
      this.emit(line.slice(0, safeCut(line, maxChars)));
    } else this.emit(line);
  }

  /** Takes the next bytes of the file. */
  push(chunk: Uint8Array): void {
    const { maxChars, stats } = this;
    const text = this.decoder.decode(chunk, { stream: true });
    if (text.includes('\uFFFD')) stats.invalidUtf8 += countReplacements(text);
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const piece = text.slice(start, newline);
      if (this.skipping) {
        this.skipping = false;
      } else if (this.carry.length > 0) {
        const line = this.carry + piece;
        if (this.continued) for (const part of splitLong(line, maxChars, null)) this.emit(part);
        else this.emitLong(line);
        this.carry = '';
        this.continued = false;
      } else if (piece.length > maxChars) {
        this.emitLong(piece);
      } else {
        this.emit(piece);
      }
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length && !this.skipping) {
      this.carry += text.slice(start);
      if (this.carry.length > maxChars && this.truncate) {
        this.emitLong(this.carry);
        this.carry = '';
        this.skipping = true;
      } else if (this.carry.length > maxChars) {
        // Flush whole pieces of an overlong line now so memory stays bounded.
        let carry = this.carry;
        const cut = safeCut(carry, maxChars);
        this.emit(carry.slice(0, cut));
        if (!this.continued) stats.splitLines++;
        this.continued = true;
        carry = carry.slice(cut);
        while (carry.length > maxChars) {
          const next = safeCut(carry, maxChars);
          this.emit(carry.slice(0, next));
          carry = carry.slice(next);
        }
        this.carry = carry;
      }
    }
  }

  /** The lines cut so far, once there are enough for a batch. */
  takeFull(): string[] | undefined {
    if (this.batch.length < BATCH_LINES && this.batchChars < BATCH_CHARS) return undefined;
    return this.take();
  }

  private take(): string[] {
    const batch = this.batch;
    this.batch = [];
    this.batchChars = 0;
    return batch;
  }

  /** Ends the file: the lines not yet taken, the last one included. */
  finish(): string[] {
    const { maxChars, stats } = this;
    const tail = this.decoder.decode();
    if (tail.includes('\uFFFD')) stats.invalidUtf8 += countReplacements(tail);
    if (!this.skipping) this.carry += tail;
    if (this.carry.length > 0 && this.continued) for (const part of splitLong(this.carry, maxChars, null)) this.emit(part);
    else if (this.carry.length > 0) this.emitLong(this.carry);
    this.carry = '';
    return this.take();
  }
}

/** Turns a stream's failure into the reader's errors. */
function readError(error: unknown, file: InputFile): KotovecError {
  if (error instanceof KotovecError) return error;
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return new KotovecError(ErrorCodes.INPUT_NOT_FOUND, `input not found: ${file.name}`);
  if (err.code === 'EISDIR') return new KotovecError(ErrorCodes.INPUT_UNREADABLE, `input is a folder: ${file.name}`);
  if (err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR' || err.code === 'Z_STREAM_ERROR') {
    return new KotovecError(ErrorCodes.INPUT_UNREADABLE, `corrupt gzip data in ${file.name}: ${err.message}`);
  }
  return new KotovecError(ErrorCodes.INPUT_UNREADABLE, `cannot read ${file.name}: ${err.message}`);
}

/**
 * The byte chunks of one file as they are read, the first checked for NUL bytes; `bytesRead` kept.
 * @throws KotovecError INPUT_BINARY when the first block holds a NUL byte; INPUT_UNREADABLE on I/O or gzip errors
 */
async function* readFileChunks(file: InputFile, options: ReadOptions, stats: ReadStats): AsyncGenerator<Buffer> {
  let stream: Readable | undefined;
  try {
    const opened = await openStream(file, stats, options.signal);
    stream = opened.stream;
    if (options.signal) {
      const stop = () => opened.stream.destroy(new KotovecError(ErrorCodes.INTERRUPTED, 'interrupted'));
      if (options.signal.aborted) stop();
      options.signal.addEventListener('abort', stop, { once: true });
      opened.stream.once('close', () => options.signal?.removeEventListener('abort', stop));
    }
    let sniffed = (file.from ?? 0) > 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!opened.countsBytes) stats.bytesRead += chunk.length;
      if (!sniffed) {
        sniffed = true;
        if (looksBinary(chunk)) {
          throw new KotovecError(ErrorCodes.INPUT_BINARY, `input looks binary (NUL bytes), not text: ${file.name}`);
        }
      }
      yield chunk;
    }
  } catch (error) {
    throw readError(error, file);
  } finally {
    if (stream && file.path !== '-') stream.destroy();
  }
}

/**
 * Reads the lines of one file in batches. A line longer than the limit is cut into pieces of at most
 * `maxLineChars` characters (never inside a surrogate pair). A trailing `\r` is dropped.
 * @throws KotovecError INPUT_BINARY when the first block holds a NUL byte; INPUT_UNREADABLE on I/O or gzip errors
 */
export async function* readFileLineBatches(
  file: InputFile,
  options: ReadOptions,
  stats: ReadStats,
): AsyncGenerator<string[]> {
  const splitter = new LineSplitter(options, stats, true);
  for await (const chunk of readFileChunks(file, options, stats)) {
    splitter.push(chunk);
    const batch = splitter.takeFull();
    if (batch) yield batch;
  }
  const last = splitter.finish();
  if (last.length > 0) yield last;
}

/**
 * A piece of a file as {@link readLineBlocks} gives it: whole lines as the file's bytes (each ended by a
 * newline, but perhaps the file's last), or lines as text.
 */
export type LineBlock = { bytes: Uint8Array; lines?: undefined } | { lines: string[]; bytes?: undefined };

const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];

/**
 * Reads one file in blocks of whole lines as they lie in the file, for counting straight from the bytes:
 * the file's byte-order mark left out, and nothing decoded or checked (a trailing `\r` and invalid UTF-8 are
 * the reader's to handle; `lines` counts the lines). A line longer in bytes than the limit in characters
 * could need cutting: from there on the file is read as {@link readFileLineBatches} reads it, as text.
 */
async function* readFileLineBlocks(file: InputFile, options: ReadOptions, stats: ReadStats): AsyncGenerator<LineBlock> {
  const maxChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  let carry: Uint8Array | undefined;
  let atStart = !((file.from ?? 0) > 0);
  let splitter: LineSplitter | undefined;
  for await (const chunk of readFileChunks(file, options, stats)) {
    // The line begun in `carry` is completed by a copy (a piece of its own); the rest of the chunk is
    // taken as it is.
    let pieces: Uint8Array[] = [chunk];
    if (carry) {
      const newline = chunk.indexOf(10);
      const head = newline < 0 ? chunk.length : newline + 1;
      pieces = [Buffer.concat([carry, chunk.subarray(0, head)]), chunk.subarray(head)];
      carry = undefined;
    }
    for (let data of pieces) {
      if (data.length === 0) continue;
      if (splitter) {
        splitter.push(data);
        const lines = splitter.takeFull();
        if (lines) yield { lines };
        continue;
      }
      if (carry) data = Buffer.concat([carry, data]);
      carry = undefined;
      if (atStart) {
        if (data.length < BYTE_ORDER_MARK.length && data.every((b, i) => b === BYTE_ORDER_MARK[i])) {
          carry = data;
          continue;
        }
        atStart = false;
        if (BYTE_ORDER_MARK.every((b, i) => data[i] === b)) data = data.subarray(BYTE_ORDER_MARK.length);
      }
      // Whole lines go as bytes, up to one that may need cutting (longer in bytes than the limit in
      // characters): from there on the file is read as text.
      let end = 0;
      let overlong = false;
      for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, newline + 1)) {
        if (newline - end > maxChars) {
          overlong = true;
          break;
        }
        stats.lines++;
        end = newline + 1;
      }
      if (end > 0) yield { bytes: data.subarray(0, end) };
      const rest = data.subarray(end);
      if (overlong || rest.length > maxChars) {
        splitter = new LineSplitter(options, stats, false);
        splitter.push(rest);
        const lines = splitter.takeFull();
        if (lines) yield { lines };
      } else if (rest.length > 0) carry = rest;
    }
  }
  if (splitter) {
    const lines = splitter.finish();
    if (lines.length > 0) yield { lines };
  } else if (carry && carry.length > 0) {
    stats.lines++;
    yield { bytes: carry };
  }
}

/** Characters searched back from the limit for a place to cut an overlong line. */
const CUT_SEARCH = 4096;

/**
 * Where to cut an overlong line: after the last whitespace (or 。、) within the last few thousand
 * characters before the limit, so words stay whole; else at the limit, never inside a surrogate pair.
 */
function safeCut(text: string, maxChars: number): number {
  const floor = Math.max(1, maxChars - CUT_SEARCH);
  for (let i = maxChars - 1; i >= floor; i--) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x3000 || c === 0x3002 || c === 0x3001) return i + 1;
  }
  const code = text.charCodeAt(maxChars - 1);
  return code >= 0xd800 && code <= 0xdbff ? maxChars - 1 : maxChars;
}

function splitLong(line: string, maxChars: number, stats: ReadStats | null): string[] {
  if (line.length <= maxChars) return [line];
  if (stats) stats.splitLines++;
  const parts: string[] = [];
  let rest = line;
  while (rest.length > maxChars) {
    const cut = safeCut(rest, maxChars);
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  parts.push(rest);
  return parts;
}

/**
 * Reads the lines of every file in order, in batches; a batch never holds lines of two files.
 * Files found inside folders that look binary are skipped (and listed in `stats.skippedBinary`);
 * a binary file named directly is an error.
 * @param onFileEnd called when a file (not skipped) has been read to its end, before the next file's first
 *   batch: every batch of it has been taken
 */
export async function* readLineBatches(
  files: readonly InputFile[],
  options: ReadOptions,
  stats: ReadStats,
  onFileEnd?: (file: InputFile) => void,
): AsyncGenerator<string[]> {
  yield* eachFile(files, stats, (file) => readFileLineBatches(file, options, stats), onFileEnd);
}

/**
 * What `read` gives of each file in order, binary files found in folders skipped (and listed in
 * `stats.skippedBinary`); `onFileEnd` as in {@link readLineBatches}.
 */
async function* eachFile<T>(
  files: readonly InputFile[],
  stats: ReadStats,
  read: (file: InputFile) => AsyncGenerator<T>,
  onFileEnd?: (file: InputFile) => void,
): AsyncGenerator<T> {
  stats.totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  for (const file of files) {
    try {
      yield* read(file);
      onFileEnd?.(file);
    } catch (error) {
      if (file.fromFolder && error instanceof KotovecError && error.code === ErrorCodes.INPUT_BINARY) {
        stats.skippedBinary.push(file.path);
        continue;
      }
      throw error;
    }
  }
}

/**
 * Reads every file in order as {@link readFileLineBlocks} does: blocks of whole lines as bytes, or lines
 * as text where a file holds an overlong line. Folders and binary files as {@link readLineBatches}.
 */
export async function* readLineBlocks(files: readonly InputFile[], options: ReadOptions, stats: ReadStats): AsyncGenerator<LineBlock> {
  yield* eachFile(files, stats, (file) => readFileLineBlocks(file, options, stats));
}
