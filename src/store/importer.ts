/**
 * Importing word vectors from word2vec binary/text files (gensim's `save_word2vec_format`, word2vec C,
 * fastText `.vec`) into a kotovec model file. The main thread reads and parses the file; a worker thread
 * (importWorker.ts; the main thread itself for a small file) writes the rows — vocabulary, vector blocks
 * at the precision asked for, scan index — in one transaction, batches of rows passing between them with at most a few in flight, so a
 * GoogleNews-sized file never sits in memory. The model appears at its path only when the whole file was
 * read. Imported models answer similarity queries and evaluation, not inference.
 */
import type { KotovecError } from '../errors.js';
import { readWord2Vec, type Word2VecFormat, type Word2VecHeader } from '../formats/word2vecReader.js';
import { errorFromWorker, workerScript, WorkerHost, type WorkerFailure } from '../workerThreads.js';
import type { Precision } from './precision.js';
import { decodeRows, encodeRow, rowBytes } from './precision.js';
import { SCAN_BLOCK_ROWS, ScanQuantizer, scannable, type ScanBlock } from './scanIndex.js';
import { writeDatabaseAtomically, writeMeta } from './writer.js';
import { ImportRows } from './importRows.js';

/** What an import read. */
export interface ImportResult extends Word2VecHeader {
  seconds: number;
  precision: Precision;
}

/** Progress of an import: rows read of the header's count. */
export interface ImportProgress {
  rows: number;
  totalRows: number;
}

/** Options of {@link importWord2Vec}. */
export interface ImportOptions {
  /** Skip format detection. */
  format?: Word2VecFormat;
  /** Replace `output` if it exists. */
  force?: boolean;
  /** How to store the vectors (default f32). */
  precision?: Precision;
  /** Called after every batch of rows. */
  onProgress?: (progress: ImportProgress) => void;
}

/** What the writer thread is started with. */
export interface ImportWorkerData {
  path: string;
  /** The file imported, for messages. */
  source: string;
  precision: Precision;
  dim: number;
}

/**
 * A batch of rows to write — their vectors encoded at the model's precision, back to back, and their scan
 * block (null for a dimension without one) — or the end.
 */
export type ImportRequest = { first: number; words: string[]; encoded: Uint8Array; scan: ScanBlock | null } | { finish: true };
/** A batch written, the end committed, or a failure. */
export type ImportReply = { rows: number } | { finished: true } | { error: WorkerFailure };

/** Rows a batch (one scan block); batches in flight at most. */
const BATCH_ROWS = SCAN_BLOCK_ROWS;
const IN_FLIGHT = 3;

/** Where the importer's batches go: a writer thread, or the importing thread itself for a small file. */
interface RowWriter {
  write(first: number, words: string[], encoded: Uint8Array, scan: ScanBlock | null): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Files with at most this many values (rows × dimension) are written on the importing thread: starting a
 * writer thread takes longer than writing them.
 */
const SMALL_FILE_VALUES = 1 << 20;

/** The rows written on the importing thread. */
class LocalRowWriter implements RowWriter {
  private readonly rows: ImportRows;

  constructor(data: ImportWorkerData) {
    this.rows = new ImportRows(data.path, data.source, data.precision, data.dim);
  }

  async write(first: number, words: string[], encoded: Uint8Array, scan: ScanBlock | null): Promise<void> {
    this.rows.write(first, words, encoded, scan);
  }

  async finish(): Promise<void> {
    this.rows.finish();
  }

  async abort(): Promise<void> {
    this.rows.close();
  }
}

/** The writer thread as the importer sees it: post batches, wait for room, finish. */
class ThreadRowWriter implements RowWriter {
  private readonly host: WorkerHost<ImportRequest, ImportReply>;
  private inFlight = 0;
  private failure: KotovecError | undefined;
  private wake: (() => void) | undefined;
  private finished = false;

  constructor(data: ImportWorkerData) {
    this.host = new WorkerHost(workerScript(import.meta.url, 'store/importWorker.js', 'import writer'), 'import writer', {
      onMessage: (reply) => {
        if ('error' in reply) this.failure ??= errorFromWorker(reply.error, 'import writer');
        else if ('finished' in reply) this.finished = true;
        else this.inFlight--;
        this.wake?.();
      },
      onFailure: (error) => {
        this.failure ??= error;
        this.wake?.();
      },
    }, { workerData: data });
  }

  private async until(ready: () => boolean): Promise<void> {
    while (!ready() && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure) throw this.failure;
  }

  /** Posts a batch, first waiting while too many are unwritten. */
  async write(first: number, words: string[], encoded: Uint8Array, scan: ScanBlock | null): Promise<void> {
    await this.until(() => this.inFlight < IN_FLIGHT);
    this.inFlight++;
    const transfer = [encoded.buffer as ArrayBuffer, ...(scan ? [scan.scales.buffer as ArrayBuffer, scan.codes.buffer as ArrayBuffer] : [])];
    this.host.post({ first, words, encoded, scan }, transfer);
  }

  /** Waits for every batch, commits and ends the thread. */
  async finish(): Promise<void> {
    this.host.post({ finish: true });
    await this.until(() => this.finished);
    await this.host.exited;
  }

  /** Ends the thread whatever its state (after a failure). */
  async abort(): Promise<void> {
    await this.host.close();
  }
}

/**
 * Imports a word2vec-format file as a model.
 * @param input the vectors file (`.gz` too)
 * @param output the model file to write
 * @throws KotovecError BAD_FORMAT (with row and byte offset), OUTPUT_EXISTS, INPUT_NOT_FOUND
 */
export async function importWord2Vec(input: string, output: string, options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const precision = options.precision ?? 'f32';
  let header: Word2VecHeader | undefined;
  await writeDatabaseAtomically(output, options.force, async (db, temporary) => {
    let writer: RowWriter | undefined;
    let words: string[] = [];
    let first = 0;
    let announced: Word2VecHeader | undefined;
    // Rows are encoded at the model's precision here, once; the scan index is made here too, from the
    // vectors as stored (so that its error bound holds for what queries read). The writer only writes.
    let bytes = 0;
    let encoded = new Uint8Array(0);
    // The batch as float32 values (precision f32: the encoding is the values themselves).
    let encodedFloats = new Float32Array(0);
    let quantizer: ScanQuantizer | null = null;
    let full: ScanBlock | null = null;
    let stored = new Float32Array(0);
    const send = async (h: Word2VecHeader) => {
      const scan = full ?? quantizer?.take() ?? null;
      full = null;
      await writer!.write(first, words, encoded.subarray(0, words.length * bytes), scan);
      first += words.length;
      options.onProgress?.({ rows: first, totalRows: h.count });
      words = [];
      encoded = new Uint8Array(BATCH_ROWS * bytes);
      encodedFloats = new Float32Array(encoded.buffer);
    };
    try {
      header = await readWord2Vec(
        input,
        (h) => {
          announced = h;
          writeMeta(db, { origin: 'imported', dim: h.dim, docDim: 0, createdAt: new Date().toISOString(), precision });
          const data = { path: temporary, source: input, precision, dim: h.dim };
          writer = h.count * h.dim <= SMALL_FILE_VALUES ? new LocalRowWriter(data) : new ThreadRowWriter(data);
          bytes = rowBytes(precision, h.dim);
          encoded = new Uint8Array(BATCH_ROWS * bytes);
          encodedFloats = new Float32Array(encoded.buffer);
          if (scannable(h.dim)) quantizer = new ScanQuantizer(h.dim);
          stored = new Float32Array(h.dim);
          options.onProgress?.({ rows: 0, totalRows: h.count });
        },
        (word, vector) => {
          let asStored = vector;
          if (precision === 'f32') {
            encodedFloats.set(vector, words.length * vector.length);
          } else {
            const row = encodeRow(vector, precision, encoded.subarray(words.length * bytes, (words.length + 1) * bytes));
            asStored = decodeRows(row, precision, 1, vector.length, stored);
          }
          words.push(word);
          // A batch is one scan block: the quantizer completes its block with the batch's last row.
          if (quantizer) full = quantizer.push(asStored) ?? full;
          return words.length === BATCH_ROWS ? send(announced!) : undefined;
        },
        options.format,
      );
      if (words.length > 0) await send(header);
      await writer?.finish();
    } catch (error) {
      await writer?.abort();
      throw error;
    }
  });
  return { ...header!, precision, seconds: (performance.now() - started) / 1000 };
}
