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
import { createReadStream, promises as fsp, type Stats } from 'node:fs';
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

function looksBinary(block: Buffer): boolean {
  return block.subarray(0, SNIFF_BYTES).includes(0);
}

function countReplacements(text: string): number {
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
  const raw: Readable = file.path === '-' ? process.stdin : createReadStream(file.path, { highWaterMark: 1 << 18 });
  const isGzip = file.path === '-' ? false : file.stream ? await sniffGzip(raw, signal) : isGzipFile(file.path);
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
 * Reads the lines of one file in batches. A line longer than the limit is cut into pieces of at most
 * `maxLineChars` characters (never inside a surrogate pair). A trailing `\r` is dropped.
 * @throws KotovecError INPUT_BINARY when the first block holds a NUL byte; INPUT_UNREADABLE on I/O or gzip errors
 */
export async function* readFileLineBatches(
  file: InputFile,
  options: ReadOptions,
  stats: ReadStats,
): AsyncGenerator<string[]> {
  const maxChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  let carry = '';
  let sniffed = false;
  let batch: string[] = [];
  let batchChars = 0;
  const truncate = options.overlong === 'truncate';
  // With `truncate`, true from the cut of an overlong line to its newline: that text is skipped.
  let skipping = false;
  // True once pieces of the line in `carry` have been delivered (it is counted as split once).
  let continued = false;
  const emit = (line: string) => {
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    batch.push(line);
    batchChars += line.length;
    stats.lines++;
  };
  const emitLong = (line: string) => {
    if (!truncate) {
      for (const part of splitLong(line, maxChars, stats)) emit(part);
    } else if (line.length > maxChars) {
      stats.splitLines++;
      emit(line.slice(0, safeCut(line, maxChars)));
    } else emit(line);
  };
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
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!opened.countsBytes) stats.bytesRead += chunk.length;
      if (!sniffed) {
        sniffed = true;
        if (looksBinary(chunk)) {
          throw new KotovecError(ErrorCodes.INPUT_BINARY, `input looks binary (NUL bytes), not text: ${file.name}`);
        }
      }
      const text = decoder.decode(chunk, { stream: true });
      if (text.includes('\uFFFD')) stats.invalidUtf8 += countReplacements(text);
      let start = 0;
      let newline = text.indexOf('\n');
      while (newline !== -1) {
        const piece = text.slice(start, newline);
        if (skipping) {
          skipping = false;
        } else if (carry.length > 0) {
          carry += piece;
          if (continued) for (const part of splitLong(carry, maxChars, null)) emit(part);
          else emitLong(carry);
          carry = '';
          continued = false;
        } else if (piece.length > maxChars) {
          emitLong(piece);
        } else {
          emit(piece);
        }
        start = newline + 1;
        newline = text.indexOf('\n', start);
      }
      if (start < text.length && !skipping) {
        carry += text.slice(start);
        if (carry.length > maxChars && truncate) {
          emitLong(carry);
          carry = '';
          skipping = true;
        } else if (carry.length > maxChars) {
          // Flush whole pieces of an overlong line now so memory stays bounded.
          const cut = safeCut(carry, maxChars);
          emit(carry.slice(0, cut));
          if (!continued) stats.splitLines++;
          continued = true;
          carry = carry.slice(cut);
          while (carry.length > maxChars) {
            const next = safeCut(carry, maxChars);
            emit(carry.slice(0, next));
            carry = carry.slice(next);
          }
        }
      }
      if (batch.length >= BATCH_LINES || batchChars >= BATCH_CHARS) {
        yield batch;
        batch = [];
        batchChars = 0;
      }
    }
    const tail = decoder.decode();
    if (tail.includes('\uFFFD')) stats.invalidUtf8 += countReplacements(tail);
    if (!skipping) carry += tail;
    if (carry.length > 0 && continued) for (const part of splitLong(carry, maxChars, null)) emit(part);
    else if (carry.length > 0) emitLong(carry);
    if (batch.length > 0) yield batch;
  } catch (error) {
    if (error instanceof KotovecError) throw error;
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new KotovecError(ErrorCodes.INPUT_NOT_FOUND, `input not found: ${file.name}`);
    if (err.code === 'EISDIR') throw new KotovecError(ErrorCodes.INPUT_UNREADABLE, `input is a folder: ${file.name}`);
    if (err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR' || err.code === 'Z_STREAM_ERROR') {
      throw new KotovecError(ErrorCodes.INPUT_UNREADABLE, `corrupt gzip data in ${file.name}: ${err.message}`);
    }
    throw new KotovecError(ErrorCodes.INPUT_UNREADABLE, `cannot read ${file.name}: ${err.message}`);
  } finally {
    if (stream && file.path !== '-') stream.destroy();
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
  stats.totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  for (const file of files) {
    try {
      yield* readFileLineBatches(file, options, stats);
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
