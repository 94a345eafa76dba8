/**
 * Loading the WebAssembly SIMD kernel (`assembly/kernel.ts` and the modules it gathers, built to `dist/kernel.wasm` by
 * `npm run build`) and binding it to a shared memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, KotovecError } from '../errors.js';
import { CONTEXT_GROUP, CONTEXT_SLOTS, type MemoryLayout } from './memory.js';

/** The kernel's exports (see assembly/kernel.ts). */
export interface KernelExports {
  configure(
    dim: number, vocabSize: number, negative: number, window: number, cbowMean: number, useHs: number,
    syn0: number, syn1neg: number, syn1: number, docs: number,
    sigmoid: number, lossPositive: number, lossNegative: number,
    noiseThreshold: number, noiseAlias: number, keepThreshold: number,
    huffmanOffsets: number, huffmanCodes: number, huffmanPoints: number,
  ): void;
  /** `group`: the thread's ThreadScratch.group region. */
  setScratch(hidden: number, gradient: number, sentence: number, group: number, seed: number): void;
  /** How many context words the kernel's skip-gram + HS takes together (memory.ts CONTEXT_GROUP). */
  contextGroup(): number;
  /** Room for words or row addresses in the thread's group scratch (memory.ts CONTEXT_SLOTS). */
  contextSlots(): number;
  setLearning(outputs: number, words: number, documents: number): void;
  setExpectedSubsampling(on: number): void;
  setDocs(docs: number): void;
  getLoss(): number;
  getOutputs(): number;
  getRandomState(): number;
  subsample(raw: number, length: number): number;
  cbow(length: number, alpha: number, doc: number): void;
  skipgram(length: number, alpha: number): void;
  dbow(length: number, alpha: number, doc: number, withWords: number): void;
  setHot(matrix: number, start: number, count: number, local: number, base: number): void;
  setHotInputs(count: number, local: number, base: number): void;
  setLockedRows(locks: number): void;
  setHotWeights(output: number, input: number): void;
  /** Subword models: the table of each word's input rows (0, 0: word2vec). */
  setSubwords(offsets: number, rows: number, shifts: number): void;
  /** 1: decisions outside [−6, 6] update with σ taken as 0 or 1 (fastText, word2vec C's NS); 0: skipped (gensim). */
  setSaturatedUpdates(on: number): void;
  cbowSubwords(length: number, alpha: number): void;
  skipgramSubwords(length: number, alpha: number): void;
  /** Similarity scans for queries (independent of the training configuration). */
  scoreRows(matrix: number, rows: number, dims: number, queries: number, count: number, out: number): void;
  normalizeRows(matrix: number, rows: number, dims: number): void;
  /** Approximate scores of an int16 query against int8 rows (`stride` bytes each, a multiple of 16). */
  scoreCodes(codes: number, rows: number, stride: number, query: number, out: number): void;
  /** The int8 scan copy of float32 rows: unit-normalised, one scale a row, codes `stride` bytes a row. */
  quantizeRows(rows: number, count: number, stride: number, codes: number, scales: number): void;
  syncHot(): void;
  /** Set-up and checks for the trainer's own thread. */
  initVectors(vectors: number, count: number, dims: number, state: number): void;
  /** Rows [from, to) of the n-gram rows at `rows`, each its bucket's initial row (`buckets`: i32 per row). */
  initNgramRows(rows: number, buckets: number, from: number, to: number, dims: number, seed: number): void;
  countNonFinite(values: number, count: number): number;
  /** Adds to each word's sum the rows of its list that lie in a chunk of the input matrix (kernel/compose.ts `ChunkComposer`). */
  addChunkRows(chunk: number, first: number, count: number, offsets: number, rows: number, words: number, sums: number, dims: number): void;
  /** Divides each word's sum by the length of its row list (float32 reciprocal), as fastText's `getWordVector` does. */
  divideSums(sums: number, offsets: number, words: number, dims: number): void;
  /** Continued training: rows [from, to) pulled towards their anchors by `rates` (see src/train/anchor.ts). */
  pullRows(rows: number, anchors: number, rates: number, from: number, to: number, dims: number): void;
}

let compiled: WebAssembly.Module | undefined;

/** Path of the built kernel: beside the compiled modules, or in `dist/` when running from sources. */
function kernelPath(): string {
  for (const relative of ['../kernel.wasm', '../../dist/kernel.wasm']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new KotovecError(ErrorCodes.WORKER, 'the WebAssembly kernel is not built: run `npm run build` (or train with --kernel js)');
}

/** Compiles the kernel once per process. */
export function compileKernel(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(kernelPath()));
  return compiled;
}

/**
 * The kernel over a shared memory, unconfigured: for the functions that take all they need as arguments
 * (`initVectors`, `countNonFinite`, `scoreRows`, `normalizeRows`).
 */
export function bindKernel(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
}

/**
 * The kernel over a fresh shared memory of at least `bytes` bytes, for the query scans (`scoreRows`,
 * `normalizeRows`, `scoreCodes`, `quantizeRows`), which take every address as an argument.
 */
export function scanKernel(bytes: number): { memory: WebAssembly.Memory; kernel: KernelExports } {
  const pages = Math.ceil(bytes / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  return { memory, kernel: bindKernel(compileKernel(), memory) };
}

/**
 * Instantiates the kernel over a shared memory and points it at the layout's regions.
 * @param settings model sizes and switches
 */
export function instantiateKernel(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  layout: MemoryLayout,
  settings: { negative: number; window: number; cbowMean: boolean; hs: boolean },
): KernelExports {
  const kernel = bindKernel(module, memory);
  if (kernel.contextGroup() !== CONTEXT_GROUP || kernel.contextSlots() !== CONTEXT_SLOTS) {
    throw new KotovecError(ErrorCodes.WORKER, 'dist/kernel.wasm does not fit this build\'s scratch layout: rebuild it (npm run build)');
  }
  kernel.configure(
    layout.dim, layout.vocabSize, settings.negative, settings.window, settings.cbowMean ? 1 : 0, settings.hs ? 1 : 0,
    layout.syn0, layout.syn1neg, layout.syn1, layout.docs,
    layout.sigmoid, layout.lossPositive, layout.lossNegative,
    layout.noiseThreshold, layout.noiseAlias, layout.keepThreshold,
    layout.huffmanOffsets, layout.huffmanCodes, layout.huffmanPoints,
  );
  return kernel;
}
