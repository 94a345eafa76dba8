/**
 * A training pass's shared memory: laid out, tables written, vectors initialised (by the workers, or
 * here when a model is continued and its rows are copied in), and the checks of the weights after.
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import type { Hyperparameters, ResolvedTrainOptions } from '../options.js';
import { buildHuffmanTree } from '../vocab/huffman.js';
import { buildNoiseTable, keepProbabilities, keepThresholds } from '../vocab/sampling.js';
import type { Vocabulary } from '../vocab/vocabulary.js';
import { buildSubwordTable, compactBuckets, meanShifts, type BucketLayout } from '../vocab/subwords.js';
import { initialNgramRow } from '../kernel/ngramRows.js';
import { allocateMemory, floatView, planLayout, writeTables, type MemoryLayout } from '../kernel/memory.js';
import type { ModelData } from '../model.js';
import { hasCounts, seedRows, type PassSeed } from './continuation.js';
import { hotMergeWeights } from './hotWeights.js';
import { anchorStrengths } from './anchor.js';
import { HOT_SYNC_WORDS, vectorSeeds } from './protocol.js';
import { Random } from '../kernel/random.js';
import { compileKernel, type KernelExports } from '../kernel/wasm.js';

/**
 * Fills `vectors` with uniform values in [−1/dim, 1/dim), as gensim 4 initialises word and document
 * vectors (`prep_vectors`; word2vec C uses half that range). Output weights start at zero.
 */
export function initializeVectors(vectors: Float32Array, dim: number, seed: number): void {
  const random = new Random(seed);
  for (let i = 0; i < vectors.length; i++) vectors[i] = (random.nextFloat() * 2 - 1) / dim;
}

/**
 * Refuses weights that are no longer finite (a diverged run) rather than saving garbage.
 * @param kernel when given (and `values` lies in its memory), counts in WebAssembly SIMD
 * @throws KotovecError DIVERGED
 */
export function assertFinite(name: string, values: Float32Array | null | undefined, kernel?: KernelExports | null): void {
  if (!values) return;
  let finite = true;
  if (kernel) finite = kernel.countNonFinite(values.byteOffset, values.length) === 0;
  else {
    for (let i = 0; i < values.length && finite; i++) finite = Number.isFinite(values[i]!);
  }
  if (!finite) throw divergence(name);
}

/** The error for weights that are no longer finite. */
export function divergence(name: string): KotovecError {
  return new KotovecError(ErrorCodes.DIVERGED, `training diverged: ${name} has non-finite values (try a smaller --alpha)`);
}

/**
 * Output rows each worker keeps a private copy of (and as many of the most frequent words' input rows),
 * merged every 10,000 words (see `setHot` in assembly/config.ts). Only with several threads: one thread
 * runs gensim's loop exactly (over the blocks in the epoch's order). Measured on two threads with the
 * blocks shuffled (bench/RESULTS.md):
 * - skip-gram with hierarchical softmax keeps 64: with 1,024, SimLex-999 fell to 0.19–0.20 (gensim 0.26) and
 *   WordSim-353 to 0.37–0.40; with 64 or none, 0.26 and 0.41–0.44, and 64 keeps the speed of 1,024;
 * - subword models keep none, as fastText shares every row: private rows cost skip-gram over subwords 0.02
 *   of analogy, and the n-gram rows, most of what such a model writes, were never private;
 * - every other mode keeps 1,024 (CBOW with hierarchical softmax takes twice as long without them, and
 *   learns the same).
 * `KOTOVEC_HOT_ROWS` sets the number (for measurements).
 */
export function hotOutputRows(hyper: Pick<Hyperparameters, 'model' | 'loss' | 'subwords'>): number {
  const fromEnv = Number(process.env.KOTOVEC_HOT_ROWS);
  if (process.env.KOTOVEC_HOT_ROWS && Number.isInteger(fromEnv) && fromEnv >= 0) return fromEnv;
  if (hyper.subwords) return 0;
  if (hyper.model === 'skipgram' && hyper.loss === 'hs') return SKIPGRAM_HS_HOT_ROWS;
  return HOT_OUTPUT_ROWS;
}
const HOT_OUTPUT_ROWS = 1024;
const SKIPGRAM_HS_HOT_ROWS = 64;

/** The shared memory of a pass: its layout, the tables written in, and the initial vectors. */
export interface PassWeights {
  memory: WebAssembly.Memory;
  layout: MemoryLayout;
  /** The compiled WebAssembly kernel, or null for `--kernel js`. */
  wasm: WebAssembly.Module | null;
  /** The words' own input rows (subword models: before composition). */
  wordVectors: Float32Array;
  /**
   * Subword models: the rows of the n-gram buckets the vocabulary uses, after the words', laid out by
   * `buckets` (vocab/subwords.ts `compactBuckets`); else null.
   */
  ngramVectors: Float32Array | null;
  buckets: BucketLayout | null;
  docVectors: Float32Array | null;
  /** True when the vectors were filled here (TypeScript kernel, continued model), not by the workers. */
  filledHere: boolean;
}

/** A continued model's contribution to a pass: its rows, and whether its words stay fixed. */
export interface PassStart {
  source: ModelData;
  seed: PassSeed;
  freezeWords: boolean;
  /** `--anchor`: how firmly the source's rows are held (see anchor.ts; 0: not held). */
  anchor: number;
  /** Words of the new text per epoch (sets the strength of the hold). */
  newWords: number;
}

/**
 * Lays out and allocates a pass's shared memory and writes its tables (subsampling, noise, Huffman
 * tree). With the WebAssembly kernel the workers fill the initial vectors themselves, each its share of
 * the rows in parallel (with the very numbers drawn here otherwise), and check their share at the end.
 */
export function allocateWeights(hyper: Hyperparameters, resolved: ResolvedTrainOptions, vocabulary: Vocabulary, docCount: number, threads: number, start?: PassStart): PassWeights {
  const vocabSize = vocabulary.size;
  const dim = hyper.dim;
  const ns = hyper.loss === 'ns';
  const hs = hyper.loss === 'hs';
  const huffman = hs ? buildHuffmanTree(vocabulary.counts, hyper.huffmanOrder, hyper.huffmanTies ?? 'first-seen') : undefined;
  const subwords = hyper.subwords ? buildSubwordTable(vocabulary.words, hyper.subwords) : undefined;
  const buckets = subwords && hyper.subwords ? compactBuckets(subwords, vocabSize, hyper.subwords.bucket) : null;
  const layout = planLayout({
    dim,
    vocabSize,
    docCount,
    negativeSampling: ns,
    hierarchicalSoftmax: hs,
    huffmanLength: huffman?.codes.length ?? 0,
    threads,
    hotRows: threads > 1 && resolved.kernel !== 'js' ? hotOutputRows(hyper) : 0,
    lockedRows: start?.freezeWords,
    anchored: start !== undefined && start.anchor > 0 && hasCounts(start.source),
    subwords: subwords && buckets ? { ngramRows: buckets.buckets.length, tableLength: subwords.rows.length } : undefined,
  });
  const memory = allocateMemory(layout);
  const keep = keepProbabilities(vocabulary.counts, hyper.sample);
  if (layout.hotRows > 0) {
    // The merge weight of each private hot row, from how often a thread updates it (hotWeights.ts).
    const rows = hs ? Math.max(1, vocabSize - 1) : vocabSize;
    const outputCount = Math.min(layout.hotRows, rows);
    const weights = hotMergeWeights(hyper, vocabulary.counts, keep, huffman, hs ? rows - outputCount : 0, outputCount, Math.min(layout.hotRows, vocabSize), HOT_SYNC_WORDS, threads);
    floatView(memory, layout.hotWeights, outputCount).set(weights.output);
    floatView(memory, layout.hotWeights + layout.hotRows * 4, weights.input.length).set(weights.input);
  }
  writeTables(memory, layout, {
    keep: keepThresholds(keep),
    noise: ns ? buildNoiseTable(vocabulary.counts, hyper.nsExponent) : undefined,
    huffman,
    subwords,
    ngramBuckets: buckets?.buckets,
  });
  // The native kernel trains; the WebAssembly one still fills and checks the rows on the workers.
  const wasm = resolved.kernel !== 'js' ? compileKernel() : null;
  const wordVectors = floatView(memory, layout.syn0, vocabSize * dim);
  const ngramVectors = buckets ? new Float32Array(memory.buffer, layout.syn0 + vocabSize * dim * 4, layout.ngramRows * dim) : null;
  const docVectors = docCount > 0 ? floatView(memory, layout.docs, docCount * dim) : null;
  const filledHere = !wasm || start !== undefined;
  if (filledHere) {
    const seeds = vectorSeeds(hyper);
    initializeVectors(wordVectors, dim, seeds.words);
    if (ngramVectors && buckets) buckets.buckets.forEach((bucket, row) => initialNgramRow(seeds.ngrams, bucket, dim, ngramVectors, row * dim));
    if (docVectors) initializeVectors(docVectors, dim, seeds.docs);
  }
  if (start) {
    const outputNs = ns ? floatView(memory, layout.syn1neg, vocabSize * dim) : null;
    const ids = seedRows(start.source, start.seed, vocabulary, dim, wordVectors, outputNs, ngramVectors, buckets?.buckets);
    if (layout.anchorInputs) {
      floatView(memory, layout.anchorInputs, vocabSize * dim).set(wordVectors);
      if (outputNs && layout.anchorOutputs) floatView(memory, layout.anchorOutputs, vocabSize * dim).set(outputNs);
      anchorStrengths(ids, start.source.counts, keep, start.newWords, start.anchor, floatView(memory, layout.anchorStrength, vocabSize));
    }
    if (start.freezeWords) {
      const locks = new Uint8Array(memory.buffer, layout.lockedRows, vocabSize);
      for (const id of ids) if (id >= 0) locks[id] = 1;
    }
  }
  if (subwords) meanShifts(subwords, layout.lockedRows ? new Uint8Array(memory.buffer, layout.lockedRows, vocabSize) : null, floatView(memory, layout.subwordShifts, vocabSize));
  return { memory, layout, wasm, wordVectors, ngramVectors, buckets, docVectors, filledHere };
}

