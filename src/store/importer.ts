/**
 * Importing word vectors from word2vec binary/text files (gensim's `save_word2vec_format`, word2vec C,
 * fastText `.vec`) into a kotovec model file. The main thread reads and parses the file; a worker thread
 * (importWorker.ts) writes the rows — vocabulary, vector blocks at the precision asked for, scan index —
 * in one transaction, batches of rows passing between them with at most a few in flight, so a
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

/** A batch of rows to write (with their scan block, null for a dimension without one), or the end. */
export type ImportRequest = { first: number; words: string[]; values: Float32Array; scan: ScanBlock | null } | { finish: true };
/** A batch written, the end committed, or a failure. */
export type ImportReply = { rows: number } | { finished: true } | { error: WorkerFailure };

/** Rows a batch (one scan block); batches in flight at most. */
const BATCH_ROWS = SCAN_BLOCK_ROWS;
const IN_FLIGHT = 3;

/** The writer thread as the importer sees it: post batches, wait for room, finish. */
class RowWriter {
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
  async write(first: number, words: string[], values: Float32Array, scan: ScanBlock | null): Promise<void> {
    await this.until(() => this.inFlight < IN_FLIGHT);
    this.inFlight++;
    const transfer = [values.buffer as ArrayBuffer, ...(scan ? [scan.scales.buffer as ArrayBuffer, scan.codes.buffer as ArrayBuffer] : [])];
    this.host.post({ first, words, values, scan }, transfer);
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
    let values = new Float32Array(0);
    let first = 0;
    let announced: Word2VecHeader | undefined;
    // The scan index is made here, on the parsing thread, from the vectors as stored (so that its error
    // bound holds for what queries read); the writer thread only writes.
    let quantizer: ScanQuantizer | null = null;
    let full: ScanBlock | null = null;
    let encoded = new Uint8Array(0);
    let stored = new Float32Array(0);
    const send = async (h: Word2VecHeader) => {
      const scan = full ?? quantizer?.take() ?? null;
      full = null;
      await writer!.write(first, words, values.subarray(0, words.length * h.dim), scan);
      first += words.length;
      options.onProgress?.({ rows: first, totalRows: h.count });
      words = [];
      values = new Float32Array(BATCH_ROWS * h.dim);
    };
    try {
      header = await readWord2Vec(
        input,
        (h) => {
          announced = h;
          writeMeta(db, { origin: 'imported', dim: h.dim, docDim: 0, createdAt: new Date().toISOString(), precision });
          writer = new RowWriter({ path: temporary, source: input, precision, dim: h.dim });
          values = new Float32Array(BATCH_ROWS * h.dim);
          if (scannable(h.dim)) quantizer = new ScanQuantizer(h.dim);
          encoded = new Uint8Array(rowBytes(precision, h.dim));
          stored = new Float32Array(h.dim);
          options.onProgress?.({ rows: 0, totalRows: h.count });
        },
        (word, vector) => {
          values.set(vector, words.length * vector.length);
          words.push(word);
          // A batch is one scan block: the quantizer completes its block with the batch's last row.
          if (quantizer) full = quantizer.push(precision === 'f32' ? vector : decodeRows(encodeRow(vector, precision, encoded), precision, 1, vector.length, stored)) ?? full;
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
