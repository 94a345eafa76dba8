/**
 * Pass 1 over the corpus: read lines, tokenize, count words and (optionally) write the token
 * cache. Also reads documents for doc2vec: a line each (`lines`, id = 0-based line number as gensim's
 * TaggedLineDocument), `id<TAB>text` lines (`tsv`), or a file each (`files`, id = path inside the folder).
 */
import { rmSync } from 'node:fs';
import { ErrorCodes, KotovecError } from '../errors.js';
import type { DocsMode } from '../options.js';
import type { ByteCounter } from '../text/byteCounter.js';
import { countReplacements, newReadStats, readLineBatches, readLineBlocks, type InputFile, type ReadOptions, type ReadStats } from '../text/lineReader.js';
import { countingOf, type BatchTokenizer, type CountableBatch } from '../text/tokenizePool.js';
import { WordCounter } from '../vocab/counter.js';
import type { TokenizerConfig } from '../text/tokenizers.js';
import { addReadStats, appendMapped, countLineBlocks, CountMerger, PartWorker, splitPlan, type CountedPart, type SplitPlan } from './splitScan.js';
import { TokenCacheWriter } from './tokenCache.js';

export type { DocsMode };

/** Progress of pass 1, reported through {@link ScanOptions.onProgress}. */
export interface ScanProgress {
  bytesRead: number;
  totalBytes: number;
  lines: number;
  tokens: number;
}

/** Options of {@link scanCorpus}. */
export interface ScanOptions extends ReadOptions {
  /** Tokenizes batches of lines (on worker threads for Japanese). */
  tokenizer: BatchTokenizer;
  docs?: DocsMode;
  /** Prune the counts beyond this many distinct words (0: no limit). */
  maxVocab?: number;
  /** Write the token cache here. */
  cachePath?: string;
  /** Called now and then while scanning. */
  onProgress?: (progress: ScanProgress) => void;
  /**
   * Threads pass 1 may count on, and the tokenizer's configuration for a second one: lines counted from
   * their bytes are then cut into parts counted side by side (see `splitScan.ts`), each part at least
   * `minBytes` (default `SPLIT_MIN_BYTES`). Default: one thread.
   */
  countThreads?: { threads: number; config: TokenizerConfig; minBytes?: number };
}

/** What pass 1 found. */
export interface ScanResult {
  counter: WordCounter;
  read: ReadStats;
  /** Lines (or documents) that held at least one token. */
  sentences: number;
  /** Document ids by index (doc modes only). */
  docIds: string[];
  /** Documents with no token at all (they are kept, with no training). */
  emptyDocs: number;
  /** Ints written to the token cache. */
  cacheInts: number;
  /** The token cache's blocks (see `TokenCacheWriter.blocks`); `[0]` when no cache was written. */
  cacheBlocks: Float64Array;
}

/**
 * Reads `id<TAB>text` lines one after another: each line's id and text, or null for a blank line (no
 * document).
 * @throws KotovecError BAD_FORMAT for a line without a tab, DUPLICATE_ID for an id given twice
 */
export function tsvDocumentReader(): (line: string) => { id: string; text: string } | null {
  return tsvDocuments().line;
}

/** An `id<TAB>text` line as bytes: its id, and where its text lies in the block. */
interface TsvBytesDocument {
  id: string;
  textStart: number;
  textEnd: number;
}

const isAsciiSpace = (byte: number) => byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);

/**
 * {@link tsvDocumentReader}'s rules for lines given as text (`line`) or as bytes (`bytes`: the line
 * `block[start … end)`, without its newline), in one count of lines and one set of ids.
 */
function tsvDocuments(): {
  line: (line: string) => { id: string; text: string } | null;
  bytes: (block: Uint8Array, start: number, end: number) => TsvBytesDocument | null;
} {
  const firstLineOf = new Map<string, number>();
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  let lineNumber = 0;
  const document = (id: string) => {
    const first = firstLineOf.get(id);
    if (first !== undefined) throw new KotovecError(ErrorCodes.DUPLICATE_ID, `duplicate document id "${id}" at line ${lineNumber} (first at line ${first})`);
    firstLineOf.set(id, lineNumber);
  };
  const noTab = () => new KotovecError(ErrorCodes.BAD_FORMAT, `--docs tsv: line ${lineNumber} has no tab between id and text`);
  return {
    line(line) {
      lineNumber++;
      if (line.trim() === '') return null;
      const tab = line.indexOf('\t');
      if (tab < 0) throw noTab();
      const id = line.slice(0, tab);
      document(id);
      return { id, text: line.slice(tab + 1) };
    },
    bytes(block, start, end) {
      lineNumber++;
      if (end > start && block[end - 1] === 13) end--;
      // Blank as `trim()` has it: ASCII whitespace only, or (with other bytes) whitespace once decoded.
      let blank = true;
      let decode = false;
      for (let i = start; i < end && blank; i++) {
        const byte = block[i]!;
        if (byte >= 0x80) decode = true;
        else if (!isAsciiSpace(byte)) blank = false;
      }
      if (blank && (!decode || decoder.decode(block.subarray(start, end)).trim() === '')) return null;
      const tab = block.indexOf(9, start);
      if (tab < 0 || tab >= end) throw noTab();
      const id = decoder.decode(block.subarray(start, tab));
      document(id);
      return { id, textStart: tab + 1, textEnd: end };
    },
  };
}

/**
 * What pass 1 calls after each batch: stops it when the signal has aborted, and reports progress at most
 * every 200 ms.
 * @throws KotovecError INTERRUPTED
 */
function progressReport(options: ScanOptions, read: ReadStats, tokens: () => number, elsewhere?: { bytesRead: number; tokens: number }): () => void {
  let lastReport = 0;
  const totalBytes = read.totalBytes;
  return () => {
    if (options.signal?.aborted) throw new KotovecError(ErrorCodes.INTERRUPTED, 'interrupted');
    const now = Date.now();
    if (options.onProgress && now - lastReport > 200) {
      lastReport = now;
      options.onProgress({ bytesRead: read.bytesRead + (elsewhere?.bytesRead ?? 0), totalBytes, lines: read.lines, tokens: tokens() + (elsewhere?.tokens ?? 0) });
    }
  };
}

/**
 * Runs pass 1.
 * @throws KotovecError DUPLICATE_ID, BAD_FORMAT (tsv line without a tab), and the reader's errors
 */
export async function scanCorpus(files: readonly InputFile[], options: ScanOptions): Promise<ScanResult> {
  const docs = options.docs ?? 'none';
  // Lines and documents in lines are counted from their bytes where the tokenizer can (with
  // `maxVocab` not: the byte counter keeps every word it meets).
  const bytes = docs !== 'files' && !options.maxVocab ? options.tokenizer.byteCounter?.() : null;
  if (bytes) return scanBytes(files, options, bytes);
  const counter = new WordCounter(options.maxVocab ?? 0);
  const read = newReadStats();
  read.totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  const writer = options.cachePath ? new TokenCacheWriter(options.cachePath) : undefined;
  const tokenizer = options.tokenizer;
  const docIds: string[] = [];
  const seenIds = new Map<string, string>();
  let slots = new Int32Array(1 << 16);
  let sentences = 0;
  let emptyDocs = 0;
  let stopped = false;

  const ensure = (n: number) => {
    if (n > slots.length) {
      const grown = new Int32Array(Math.max(n, slots.length * 2));
      grown.set(slots);
      slots = grown;
    }
  };
  const addDocId = (id: string, where: string) => {
    const previous = seenIds.get(id);
    if (previous !== undefined) {
      throw new KotovecError(ErrorCodes.DUPLICATE_ID, `duplicate document id "${id}" at ${where} (first at ${previous})`);
    }
    seenIds.set(id, where);
    docIds.push(id);
    return docIds.length - 1;
  };
  const record = (tag: number, length: number) => {
    if (length > 0) sentences++;
    else if (tag >= 0) emptyDocs++;
    if (length > 0 || tag >= 0) writer?.write(tag, slots, length);
  };
  const report = progressReport(options, read, () => counter.totalTokens);

  try {
    if (docs === 'files') {
      // A file is a document: its lines' tokens one after another. Binary files inside folders are skipped.
      let length = 0;
      const endDocument = (file: InputFile) => {
        record(addDocId(file.name, file.name), length);
        length = 0;
      };
      for await (const batch of readLineBatches(files, options, read, endDocument)) {
        for (const tokens of await tokenizer.tokenize(batch)) {
          ensure(length + tokens.length);
          for (let i = 0; i < tokens.length; i++) slots[length++] = counter.add(tokens[i]!);
        }
        report();
      }
    } else {
      // Batches are tokenized ahead while later ones are read, and each is counted, in order, as soon as it
      // is tokenized: a slow input (a pipe) shows its progress batch by batch. At most `depth` batches are
      // in flight.
      const buffer = { slots };
      const countBatch = async (batch: Promise<CountableBatch>, tags: number[]) => {
        const lines = await batch;
        // The scan ended early (an error, an interruption): nothing more goes to the closed cache.
        if (stopped) return;
        for (let i = 0; i < tags.length; i++) {
          const length = lines.count(i, counter, buffer);
          slots = buffer.slots;
          record(tags[i]!, length);
        }
        report();
      };
      let counted: Promise<void> = Promise.resolve();
      const inFlight: Promise<void>[] = [];
      const tokenizeForCounting = countingOf(tokenizer);
      // Tokenizers that run on this thread count each line as they tokenize it (no token strings).
      const countTokens = tokenizer.countTokens;
      let lineNumber = 0;
      const readTsv = tsvDocumentReader();
      for await (const batch of readLineBatches(files, options, read)) {
        const texts: string[] = [];
        const tags: number[] = [];
        for (const line of batch) {
          let text = line;
          let tag = -1;
          if (docs === 'lines') {
            tag = addDocId(String(lineNumber), `line ${lineNumber + 1}`);
          } else if (docs === 'tsv') {
            const doc = readTsv(line);
            if (!doc) {
              lineNumber++;
              continue;
            }
            tag = docIds.push(doc.id) - 1;
            text = doc.text;
          }
          lineNumber++;
          texts.push(text);
          tags.push(tag);
        }
        if (countTokens) {
          for (let i = 0; i < texts.length; i++) {
            const length = countTokens(texts[i]!, counter, buffer);
            slots = buffer.slots;
            record(tags[i]!, length);
          }
          report();
          continue;
        }
        const tokenized = tokenizeForCounting(texts);
        // Failures surface where the counting is awaited (below); these keep them from going unhandled.
        tokenized.catch(() => {});
        counted = counted.then(() => countBatch(tokenized, tags));
        counted.catch(() => {});
        inFlight.push(counted);
        while (inFlight.length >= tokenizer.depth) await inFlight.shift();
      }
      await counted;
    }
  } finally {
    stopped = true;
    writer?.close();
  }
  options.onProgress?.({ bytesRead: read.bytesRead, totalBytes: read.totalBytes, lines: read.lines, tokens: counter.totalTokens });
  return { counter, read, sentences, docIds, emptyDocs, cacheInts: writer?.position ?? 0, cacheBlocks: writer?.blocks() ?? Float64Array.of(0) };
}

/**
 * Pass 1 counted from the input's bytes (see `text/byteCounter`): plain lines, a document a line, or
 * `id<TAB>text` lines; plain lines and a document a line on several threads where `countThreads` allows and
 * the input can be cut (see `splitScan.ts`).
 */
async function scanBytes(files: readonly InputFile[], options: ScanOptions, bytes: ByteCounter): Promise<ScanResult> {
  const docs = options.docs ?? 'none';
  const plan = docs !== 'tsv' && options.countThreads ? splitPlan(files, options.countThreads.threads, options.countThreads.minBytes) : null;
  if (plan) return scanBytesSplit(plan, options, bytes);
  const read = newReadStats();
  read.totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  const writer = options.cachePath ? new TokenCacheWriter(options.cachePath) : undefined;
  const docIds: string[] = [];
  const tsv = tsvDocuments();
  const report = progressReport(options, read, () => bytes.tokens);
  const countTsvBlock = (block: Uint8Array) => {
    bytes.load(block);
    for (let start = 0; start < block.length; ) {
      let end = block.indexOf(10, start);
      if (end < 0) end = block.length;
      const doc = tsv.bytes(block, start, end);
      if (doc) {
        read.invalidUtf8 += countReplacements(doc.id);
        bytes.countRange(block, doc.textStart, doc.textEnd, docIds.push(doc.id) - 1, writer);
      }
      start = end + 1;
    }
  };
  try {
    if (docs === 'tsv') {
      for await (const block of readLineBlocks(files, options, read)) {
        if (block.bytes) countTsvBlock(block.bytes);
        else {
          for (const line of block.lines) {
            const doc = tsv.line(line);
            if (doc) bytes.countLine(doc.text, docIds.push(doc.id) - 1, writer);
          }
        }
        report();
      }
    } else {
      await countLineBlocks(files, options, read, bytes, writer, docs === 'lines', report);
    }
  } finally {
    writer?.close();
  }
  // A document a line: its id is its 0-based line number.
  if (docs === 'lines') for (let i = 0; i < bytes.lines; i++) docIds.push(String(i));
  read.invalidUtf8 += bytes.replacements;
  const counter = bytes.toWordCounter();
  options.onProgress?.({ bytesRead: read.bytesRead, totalBytes: read.totalBytes, lines: read.lines, tokens: counter.totalTokens });
  return { counter, read, sentences: bytes.sentences, docIds, emptyDocs: bytes.emptyDocuments, cacheInts: writer?.position ?? 0, cacheBlocks: writer?.blocks() ?? Float64Array.of(0) };
}

/** {@link scanBytes} with the input cut into parts by `plan`, each but the first counted on a worker. */
async function scanBytesSplit(plan: SplitPlan, options: ScanOptions, bytes: ByteCounter): Promise<ScanResult> {
  const documentLines = options.docs === 'lines';
  const [firstFiles, ...later] = plan.parts;
  const partCaches = later.map((_, i) => options.cachePath && `${options.cachePath}.part${i + 1}`);
  const workers = later.map((files, i) => new PartWorker({ files, tokenizer: options.countThreads!.config, documentLines, maxLineChars: options.maxLineChars, cachePath: partCaches[i] }));
  const read = newReadStats();
  const totalBytes = plan.parts.flat().reduce((sum, f) => sum + f.size, 0);
  read.totalBytes = totalBytes;
  const elsewhere = {
    get bytesRead() {
      return workers.reduce((sum, w) => sum + w.bytesRead, 0);
    },
    get tokens() {
      return workers.reduce((sum, w) => sum + w.tokens, 0);
    },
  };
  const writer = options.cachePath ? new TokenCacheWriter(options.cachePath) : undefined;
  const parts: CountedPart[] = [];
  // An interruption reaches the workers too, so it is not held up by a part still being counted.
  const interrupt = () => workers.forEach((w) => w.interrupt());
  options.signal?.addEventListener('abort', interrupt, { once: true });
  let merger: CountMerger;
  // Lines (documents with `--docs lines`) counted in the parts merged so far: the next part's first tag.
  let lines = 0;
  try {
    try {
      await countLineBlocks(firstFiles!, options, read, bytes, writer, documentLines, progressReport(options, read, () => bytes.tokens, elsewhere));
      for (const worker of workers) parts.push(await worker.result());
    } catch (error) {
      await Promise.all(workers.map((w) => w.stop()));
      throw error;
    }
    merger = new CountMerger(bytes.table(), bytes.tokens);
    lines = bytes.lines;
    for (const [i, part] of parts.entries()) {
      const slots = merger.add(part);
      if (writer) appendMapped(writer, partCaches[i]!, part.cacheInts, slots, lines);
      lines += part.lines;
    }
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
    writer?.close();
    for (const path of partCaches) if (path) rmSync(path, { force: true });
  }
  read.invalidUtf8 += bytes.replacements;
  for (const part of parts) {
    addReadStats(read, part.read);
    read.invalidUtf8 += part.replacements;
  }
  read.totalBytes = totalBytes;
  const counter = merger.counter();
  options.onProgress?.({ bytesRead: read.bytesRead, totalBytes, lines: read.lines, tokens: counter.totalTokens });
  return {
    counter,
    read,
    sentences: parts.reduce((sum, p) => sum + p.sentences, bytes.sentences),
    docIds: documentLines ? Array.from({ length: lines }, (_, i) => String(i)) : [],
    emptyDocs: parts.reduce((sum, p) => sum + p.emptyDocuments, bytes.emptyDocuments),
    cacheInts: writer?.position ?? 0,
    cacheBlocks: writer?.blocks() ?? Float64Array.of(0),
  };
}
