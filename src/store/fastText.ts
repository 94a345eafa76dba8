/**
 * fastText models in and out of kotovec's model file: a `.bin` (formats/fasttext.ts) becomes a subword
 * model whose vectors for any word — in the vocabulary or not — are fastText's (`print-word-vectors`),
 * and a subword model becomes a `.bin` that fastText and gensim's `load_facebook_model` read.
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import { FastTextFile, writeFastText, type FastTextModel } from '../formats/fasttext.js';
import type { ModelData } from '../model.js';
import { buildSubwordTable, composeFromTable, type SubwordTable } from '../vocab/subwords.js';
import { ChunkComposer, KernelArena } from '../kernel/compose.js';
import { denseNgramRows } from '../kernel/ngramRows.js';
import type { Precision } from './precision.js';
import { checkOutputPath, insertWords, outputBlockWriter, subwordBlockWriter, writeMeta, writeOutputFile, writeRowsInterruptibly } from './writer.js';

/** fastText's start learning rate for unsupervised models (a `.bin` does not record it). */
const FASTTEXT_LR = 0.05;

/**
 * The kotovec model a fastText model stands for: its words and counts, its input matrix as the subword
 * rows, each word's vector composed from them as fastText composes it, its negative-sampling output
 * rows (a hierarchical-softmax tree is fastText's own and is rebuilt when training continues), and its
 * settings (fastText's noise distribution, counts^0.5, as `--ns-exponent`).
 */
export function modelFromFastText(ft: FastTextModel): ModelData {
  const { args } = ft;
  const subwords = { minn: args.minn, maxn: args.maxn, bucket: args.bucket, wordRows: ft.wordRows, ngramRows: ft.ngramRows };
  return { ...fastTextModelSettings(ft), wordVectors: composeFastTextWords(ft), subwords };
}

/**
 * Each word's vector as fastText composes it, from a model held whole: its rows summed in the word's own
 * order, to the bit what a model trained here holds.
 */
function composeFastTextWords(ft: FastTextModel): Float32Array {
  const rows = ft.wordRows.length + ft.ngramRows.length;
  // readFastText gives both as views of one matrix: use it as it is rather than copy it.
  const together = ft.ngramRows.buffer === ft.wordRows.buffer && ft.ngramRows.byteOffset === ft.wordRows.byteOffset + ft.wordRows.byteLength;
  let matrix: Float32Array;
  if (together) matrix = new Float32Array(ft.wordRows.buffer, ft.wordRows.byteOffset, rows);
  else {
    matrix = new Float32Array(rows);
    matrix.set(ft.wordRows);
    matrix.set(ft.ngramRows, ft.wordRows.length);
  }
  return composeFromTable(matrix, buildSubwordTable(ft.words, ft.args), ft.args.dim);
}

/** Bytes of input rows streamed through memory at a time while importing. */
const IMPORT_CHUNK_BYTES = 128 << 20;

/**
 * A {@link ChunkComposer} in a WebAssembly kernel's memory, on a thread of its own, when the kernel is built
 * and it fits; else in TypeScript.
 */
function chunkComposer(table: SubwordTable, rows: number, dim: number): ChunkComposer {
  const chunkRows = Math.max(1, Math.min(rows, Math.floor(IMPORT_CHUNK_BYTES / (dim * 4))));
  let arena: KernelArena | undefined;
  try {
    arena = new KernelArena();
  } catch {
    arena = undefined; // the kernel is not built: TypeScript gives the same bits
  }
  if (!arena?.fits(ChunkComposer.bytes(table, dim, chunkRows))) return new ChunkComposer(table, dim, chunkRows);
  return new ChunkComposer(table, dim, chunkRows, arena, true);
}

/** The settings and vocabulary of the kotovec model a fastText model stands for (everything but its vectors). */
function fastTextModelSettings(ft: Pick<FastTextModel, 'args' | 'words' | 'counts' | 'output'>): Omit<ModelData, 'wordVectors'> {
  const { args } = ft;
  return {
    origin: 'imported',
    hyper: {
      model: args.model === 'skipgram' ? 'skipgram' : 'cbow',
      loss: args.loss === 'hs' ? 'hs' : 'ns',
      dim: args.dim,
      window: args.window,
      negative: args.negative,
      minCount: args.minCount,
      maxVocab: 0,
      sample: args.sample,
      epochs: args.epoch,
      alpha: FASTTEXT_LR,
      minAlpha: 0.0001,
      nsExponent: 0.5,
      cbowMean: true,
      dbowWords: false,
      seed: 1,
      huffmanOrder: 'gensim',
      subwords: { minn: args.minn, maxn: args.maxn, bucket: args.bucket },
    },
    dim: args.dim,
    words: ft.words,
    counts: ft.counts,
    outputNs: args.loss === 'hs' ? null : ft.output,
    outputHs: null,
    docIds: [],
    docVectors: null,
    docDim: 0,
    createdAt: new Date().toISOString(),
  };
}

/**
 * The fastText model a kotovec subword model stands for.
 * @throws KotovecError UNSUPPORTED for a model without subwords or with document vectors
 */
export function fastTextFromModel(model: ModelData): FastTextModel {
  const sub = model.subwords;
  if (!sub) throw new KotovecError(ErrorCodes.UNSUPPORTED, 'a fastText .bin holds a subword model: this one has none (export it as word2vec-bin, or train with --subwords)');
  if (!sub.wordRows || !sub.ngramRows) throw new Error('fastTextFromModel needs the subword rows (read the model with them)');
  if (model.docDim > 0) throw new KotovecError(ErrorCodes.UNSUPPORTED, 'a fastText .bin holds word vectors only: this model has document vectors');
  const hyper = model.hyper;
  const tokens = model.stats?.corpusTokens ?? model.counts.reduce((sum, c) => sum + c, 0);
  return {
    version: 12,
    args: {
      dim: model.dim,
      window: hyper?.window ?? 5,
      epoch: hyper?.epochs ?? 5,
      minCount: hyper?.minCount ?? 5,
      negative: hyper?.negative ?? 5,
      wordNgrams: 1,
      loss: hyper?.loss === 'hs' ? 'hs' : 'ns',
      model: hyper?.model === 'skipgram' ? 'skipgram' : 'cbow',
      bucket: sub.bucket,
      minn: sub.minn,
      maxn: sub.maxn,
      lrUpdateRate: 100,
      sample: hyper?.sample ?? 1e-4,
    },
    words: [...model.words],
    counts: model.counts,
    tokens,
    wordRows: sub.wordRows,
    ngramRows: denseNgramRows(sub, model.dim),
    // Negative sampling's output rows are in the vocabulary's order, as fastText's; a Huffman tree's inner
    // nodes are not fastText's, so a hierarchical-softmax model's output matrix is written as zeros.
    output: model.outputNs,
  };
}

/** What an import of a `.bin` did. */
export interface FastTextImportResult {
  count: number;
  dim: number;
  buckets: number;
  format: 'fasttext-bin';
  precision: Precision;
  seconds: number;
}

/**
 * Imports a fastText `.bin` as a model, atomically. The matrices are streamed from the file through one
 * buffer straight into the model's blocks, and each word's vector is composed as its rows go past
 * ({@link ChunkComposer}, on a second thread while this one writes), so a `cc.*.300.bin` (2.2 GB) takes
 * its words' vectors and one chunk of memory, not its size.
 * @throws KotovecError BAD_FORMAT (see FastTextFile.open), OUTPUT_EXISTS, INPUT_NOT_FOUND, INTERRUPTED
 */
export async function importFastText(input: string, output: string, options: { force?: boolean; precision?: Precision; signal?: AbortSignal } = {}): Promise<FastTextImportResult> {
  const started = performance.now();
  checkOutputPath(output, options.force);
  const file = FastTextFile.open(input);
  let composer: ChunkComposer | undefined;
  try {
    const { args, words, counts } = file.header;
    const dim = args.dim;
    const precision = options.precision ?? 'f32';
    const rows = file.inputRows;
    const composing = (composer = chunkComposer(buildSubwordTable(words, args), rows, dim));
    const settings = { ...fastTextModelSettings({ ...file.header, output: null }), precision, subwords: { minn: args.minn, maxn: args.maxn, bucket: args.bucket } };
    await writeRowsInterruptibly(output, options, async function* (db) {
      writeMeta(db, settings);
      const subwordRows = subwordBlockWriter(db, precision, dim);
      for (let start = 0; start < rows; start += composing.chunkRows) {
        const count = Math.min(composing.chunkRows, rows - start);
        const chunk = composing.chunk.subarray(0, count * dim);
        file.readInputRows(start, chunk);
        // The words take their rows from the chunk (on the composing thread) while it is written out here.
        const added = composing.add(start, count);
        subwordRows.pushRows(chunk);
        await added;
        yield;
      }
      subwordRows.finish();
      yield* insertWords(db, words, counts, composing.means(), dim, precision, 20_000);
      if (args.loss === 'hs') return;
      // Negative sampling's output rows, in the vocabulary's order as fastText's (a hierarchical-softmax
      // tree is fastText's own and is rebuilt when training continues).
      const outputRows = outputBlockWriter(db, 'ns', dim);
      for (let start = 0; start < words.length; start += composing.chunkRows) {
        const chunk = composing.chunk.subarray(0, Math.min(composing.chunkRows, words.length - start) * dim);
        file.readOutputRows(start, chunk);
        outputRows.pushRows(chunk);
        yield;
      }
      outputRows.finish();
    });
    return { count: words.length, dim, buckets: args.bucket, format: 'fasttext-bin', precision, seconds: (performance.now() - started) / 1000 };
  } finally {
    file.close();
    await composer?.close();
  }
}

/**
 * Writes a subword model as a fastText `.bin`, atomically (a temporary file beside, renamed when complete).
 * @throws KotovecError UNSUPPORTED (no subwords), OUTPUT_EXISTS, OUTPUT_UNWRITABLE
 */
export function exportFastText(model: ModelData, output: string, force = false): void {
  const ft = fastTextFromModel(model);
  checkOutputPath(output, force);
  writeOutputFile(output, (temporary) => writeFastText(temporary, ft));
}
