/**
 * fastText models in and out of kotovec's model file: a `.bin` (formats/fasttext.ts) becomes a subword
 * model whose vectors for any word — in the vocabulary or not — are fastText's (`print-word-vectors`),
 * and a subword model becomes a `.bin` that fastText and gensim's `load_facebook_model` read.
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import { readFastText, writeFastText, type FastTextModel } from '../formats/fasttext.js';
import type { ModelData } from '../model.js';
import { buildSubwordTable, composeFromTable } from '../vocab/subwords.js';
import { composeInArena, KernelArena } from '../kernel/compose.js';
import { denseNgramRows } from '../kernel/ngramRows.js';
import type { Precision } from './precision.js';
import { checkOutputPath, writeModelInterruptibly, writeOutputFile } from './writer.js';

/** fastText's start learning rate for unsupervised models (a `.bin` does not record it). */
const FASTTEXT_LR = 0.05;

/**
 * The kotovec model a fastText model stands for: its words and counts, its input matrix as the subword
 * rows, each word's vector composed from them as fastText composes it, its negative-sampling output
 * rows (a hierarchical-softmax tree is fastText's own and is rebuilt when training continues), and its
 * settings (fastText's noise distribution, counts^0.5, as `--ns-exponent`).
 */
export function modelFromFastText(ft: FastTextModel, arena?: KernelArena): ModelData {
  const { args } = ft;
  const subwords = { minn: args.minn, maxn: args.maxn, bucket: args.bucket, wordRows: ft.wordRows, ngramRows: ft.ngramRows };
  return { ...fastTextModelSettings(ft), wordVectors: composeFastTextWords(ft, arena), subwords };
}

/**
 * Each word's vector as fastText composes it: in the arena's kernel when the rows were read into it and the
 * table and vectors fit beside them, else in TypeScript (the same bits).
 */
function composeFastTextWords(ft: FastTextModel, arena?: KernelArena): Float32Array {
  const { args } = ft;
  const table = buildSubwordTable(ft.words, args);
  const rows = ft.wordRows.length + ft.ngramRows.length;
  const together = ft.ngramRows.buffer === ft.wordRows.buffer && ft.ngramRows.byteOffset === ft.wordRows.byteOffset + ft.wordRows.byteLength;
  let matrix: Float32Array;
  if (together) matrix = new Float32Array(ft.wordRows.buffer, ft.wordRows.byteOffset, rows);
  else {
    matrix = new Float32Array(rows);
    matrix.set(ft.wordRows);
    matrix.set(ft.ngramRows, ft.wordRows.length);
  }
  if (arena && together && ft.wordRows.buffer === arena.memory.buffer && arena.fits((table.offsets.length + table.rows.length + ft.wordRows.length) * 4)) {
    return composeInArena(arena, matrix, table, args.dim);
  }
  return composeFromTable(matrix, table, args.dim);
}

/** The settings and vocabulary of the kotovec model a fastText model stands for (everything but its vectors). */
function fastTextModelSettings(ft: FastTextModel): Omit<ModelData, 'wordVectors'> {
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
 * Imports a fastText `.bin` as a model, atomically.
 * @throws KotovecError BAD_FORMAT (see readFastText), OUTPUT_EXISTS, INPUT_NOT_FOUND
 */
export async function importFastText(input: string, output: string, options: { force?: boolean; precision?: Precision; signal?: AbortSignal } = {}): Promise<FastTextImportResult> {
  const started = performance.now();
  checkOutputPath(output, options.force);
  // The input matrix is read into a WebAssembly kernel's memory, where the words are composed, when it fits.
  const arena = wasmArena();
  const model = modelFromFastText(readFastText(input, arena ? { inputMatrix: (floats) => (arena.fits(floats * 4) ? arena.floats(floats) : new Float32Array(floats)) } : {}), arena);
  const precision = options.precision ?? 'f32';
  await writeModelInterruptibly(output, model, { force: options.force, precision, signal: options.signal });
  return { count: model.words.length, dim: model.dim, buckets: model.subwords!.bucket, format: 'fasttext-bin', precision, seconds: (performance.now() - started) / 1000 };
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

/** A kernel arena, or undefined when the WebAssembly kernel is not built (the words are then composed in TypeScript). */
function wasmArena(): KernelArena | undefined {
  try {
    return new KernelArena();
  } catch {
    return undefined;
  }
}
