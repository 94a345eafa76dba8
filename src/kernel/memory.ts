/**
 * Shared memory for training. Every matrix and table lives in one shared `WebAssembly.Memory` (its buffer
 * is a SharedArrayBuffer), so worker threads update the same weights in place and the WebAssembly kernel
 * works on the very rows the TypeScript code sees through `Float32Array` views. Regions are 16-byte
 * aligned for SIMD loads. wasm32 memory tops out at 4 GiB, which bounds vocabulary × dim.
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import { READ_BUFFER_INTS, MAX_SENTENCE_LENGTH } from '../corpus/tokenCache.js';
import type { HuffmanTree } from '../vocab/huffman.js';
import type { NoiseTable } from '../vocab/sampling.js';
import type { SubwordTable } from '../vocab/subwords.js';
import { buildSigmoidTables, SIGMOID_TABLE_SIZE } from './sigmoid.js';

const PAGE = 65536;
/** The first page is left to the WebAssembly module itself. */
const BASE = PAGE;
/** Largest memory a wasm32 module can address (65536 pages). */
export const MAX_MEMORY_BYTES = 65536 * PAGE;

/**
 * How many context words skip-gram + HS takes down the centre word's path together: the kernel's `GROUP`
 * (assembly/train.ts, exported as `contextGroup`), for which each thread has gradient rows.
 */
export const CONTEXT_GROUP = 16;
/** The kernel's `SLOTS` (exported as `contextSlots`): room for a group's words or a CBOW bag's row addresses. */
export const CONTEXT_SLOTS = 64;

/** Byte offsets of one thread's scratch regions. */
export interface ThreadScratch {
  hidden: number;
  gradient: number;
  sentence: number;
  /** CONTEXT_GROUP gradient rows, then CONTEXT_SLOTS i32 slots (assembly/train.ts `GROUP`, `SLOTS`). */
  group: number;
  readBuffer: number;
  /** Private copy of the hot output rows and its snapshot (0 when `hotRows` is 0). */
  hotLocal: number;
  hotBase: number;
  /** The same for the input vectors of the `hotRows` most frequent words. */
  hotInputLocal: number;
  hotInputBase: number;
}

/** Byte offsets of every region (0 for an absent one) and the total size. */
export interface MemoryLayout {
  dim: number;
  vocabSize: number;
  docCount: number;
  /**
   * Subword models: the n-gram rows after the words' rows in syn0 — those of the buckets the vocabulary
   * uses (vocab/subwords.ts `compactBuckets`) — 0 for word2vec.
   */
  ngramRows: number;
  syn0: number;
  syn1neg: number;
  syn1: number;
  docs: number;
  sigmoid: number;
  lossPositive: number;
  lossNegative: number;
  noiseThreshold: number;
  noiseAlias: number;
  keepThreshold: number;
  huffmanOffsets: number;
  huffmanCodes: number;
  huffmanPoints: number;
  /** Subword models: i32 × (vocab + 1) offsets and the i32 rows of each word (vocab/subwords.ts); else 0. */
  subwordOffsets: number;
  subwordRows: number;
  /** Subword models: f32 × vocab, each word's mean shift (vocab/subwords.ts `meanShifts`); else 0. */
  subwordShifts: number;
  /** Subword models: i32 × ngramRows, the bucket each n-gram row holds; else 0. */
  ngramBuckets: number;
  threads: ThreadScratch[];
  /** Hot output rows each thread keeps a private copy of (0: none). */
  hotRows: number;
  /** Merge weights of the hot rows: f32 × hotRows for the output rows, then f32 × hotRows for the inputs. */
  hotWeights: number;
  /** u8 × vocab: 1 for a word whose input vector stays fixed (`--freeze-words`); 0 when none is. */
  lockedRows: number;
  /** Continued training: the source's input rows, output rows (NS) and a pull strength per word (0: none). */
  anchorInputs: number;
  anchorOutputs: number;
  anchorStrength: number;
  /** f32 × vocab: each row's share of the way to its anchor at the current pull (written by its worker). */
  anchorRates: number;
  bytes: number;
}

/** What the layout must hold. */
export interface LayoutRequest {
  dim: number;
  vocabSize: number;
  docCount: number;
  negativeSampling: boolean;
  hierarchicalSoftmax: boolean;
  huffmanLength: number;
  threads: number;
  /** Hot output rows per thread (multi-threaded training; default 0). */
  hotRows?: number;
  /** Whether some word vectors stay fixed (a lock byte per word). */
  lockedRows?: boolean;
  /** Whether the rows are pulled towards a continued model's (anchor copies and strengths). */
  anchored?: boolean;
  /** Subword models: the n-gram rows beside the words' (one a used bucket) and the length of the subword table's rows. */
  subwords?: { ngramRows: number; tableLength: number };
}

/**
 * Plans where each region goes.
 * @throws KotovecError UNSUPPORTED when the model would exceed 4 GiB
 */
export function planLayout(request: LayoutRequest): MemoryLayout {
  let at = BASE;
  const take = (bytes: number) => {
    if (bytes === 0) return 0;
    const offset = at;
    at += Math.ceil(bytes / 16) * 16;
    return offset;
  };
  const { dim, vocabSize, docCount } = request;
  const row = dim * 4;
  const ngramRows = request.subwords?.ngramRows ?? 0;
  const layout: MemoryLayout = {
    dim,
    vocabSize,
    docCount,
    ngramRows,
    syn0: take((vocabSize + ngramRows) * row),
    syn1neg: request.negativeSampling ? take(vocabSize * row) : 0,
    syn1: request.hierarchicalSoftmax ? take(Math.max(1, vocabSize - 1) * row) : 0,
    docs: take(docCount * row),
    sigmoid: take(SIGMOID_TABLE_SIZE * 4),
    lossPositive: take(SIGMOID_TABLE_SIZE * 4),
    lossNegative: take(SIGMOID_TABLE_SIZE * 4),
    noiseThreshold: request.negativeSampling ? take(vocabSize * 4) : 0,
    noiseAlias: request.negativeSampling ? take(vocabSize * 4) : 0,
    keepThreshold: take(vocabSize * 4),
    huffmanOffsets: request.hierarchicalSoftmax ? take((vocabSize + 1) * 4) : 0,
    huffmanCodes: request.hierarchicalSoftmax ? take(request.huffmanLength) : 0,
    huffmanPoints: request.hierarchicalSoftmax ? take(request.huffmanLength * 4) : 0,
    subwordOffsets: request.subwords ? take((vocabSize + 1) * 4) : 0,
    subwordRows: request.subwords ? take(request.subwords.tableLength * 4) : 0,
    subwordShifts: request.subwords ? take(vocabSize * 4) : 0,
    ngramBuckets: request.subwords ? take(ngramRows * 4) : 0,
    threads: [],
    hotRows: request.hotRows ?? 0,
    hotWeights: take(2 * (request.hotRows ?? 0) * 4),
    lockedRows: request.lockedRows ? take(vocabSize) : 0,
    anchorInputs: request.anchored ? take(vocabSize * row) : 0,
    anchorOutputs: request.anchored && request.negativeSampling ? take(vocabSize * row) : 0,
    anchorStrength: request.anchored ? take(vocabSize * 4) : 0,
    anchorRates: request.anchored ? take(vocabSize * 4) : 0,
    bytes: 0,
  };
  // Each thread's scratch starts on its own 4 KB page: the rows one thread writes at every step must not
  // share a cache line with what another thread reads (false sharing costs Hogwild its scaling).
  for (let t = 0; t < request.threads; t++) {
    at = Math.ceil(at / 4096) * 4096;
    layout.threads.push({
      hidden: take(row),
      gradient: take(row),
      sentence: take(MAX_SENTENCE_LENGTH * 4),
      group: take(CONTEXT_GROUP * row + CONTEXT_SLOTS * 4),
      readBuffer: take(READ_BUFFER_INTS * 4),
      hotLocal: take(layout.hotRows * row),
      hotBase: take(layout.hotRows * row),
      hotInputLocal: take(layout.hotRows * row),
      hotInputBase: take(layout.hotRows * row),
    });
  }
  at = Math.ceil(at / 4096) * 4096;
  layout.bytes = at;
  if (at > MAX_MEMORY_BYTES) {
    throw new KotovecError(
      ErrorCodes.UNSUPPORTED,
      `model too large for shared WebAssembly memory (${(at / 2 ** 30).toFixed(1)} GiB > 4 GiB): lower --dim or raise --min-count` +
        (ngramRows > 0 ? ' (or lower --bucket)' : '') +
        (request.anchored ? " (or --anchor 0: holding a continued model's rows keeps a copy of them)" : ''),
    );
  }
  return layout;
}

/** Allocates the shared memory for a layout (zero-filled). */
export function allocateMemory(layout: MemoryLayout): WebAssembly.Memory {
  const pages = Math.ceil(layout.bytes / PAGE);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/** A Float32Array view of `count` floats at `offset` (empty when the region is absent). */
export function floatView(memory: WebAssembly.Memory, offset: number, count: number): Float32Array {
  return offset === 0 ? new Float32Array(0) : new Float32Array(memory.buffer, offset, count);
}

/** Copies the read-only tables into their regions. */
export function writeTables(
  memory: WebAssembly.Memory,
  layout: MemoryLayout,
  tables: { keep: Uint32Array; noise?: NoiseTable; huffman?: HuffmanTree; subwords?: SubwordTable; ngramBuckets?: Int32Array },
): void {
  const { buffer } = memory;
  const sigmoid = buildSigmoidTables();
  new Float32Array(buffer, layout.sigmoid, SIGMOID_TABLE_SIZE).set(sigmoid.sigmoid);
  new Float32Array(buffer, layout.lossPositive, SIGMOID_TABLE_SIZE).set(sigmoid.lossPositive);
  new Float32Array(buffer, layout.lossNegative, SIGMOID_TABLE_SIZE).set(sigmoid.lossNegative);
  new Uint32Array(buffer, layout.keepThreshold, layout.vocabSize).set(tables.keep);
  if (tables.noise && layout.noiseThreshold) {
    new Uint32Array(buffer, layout.noiseThreshold, layout.vocabSize).set(tables.noise.threshold);
    new Int32Array(buffer, layout.noiseAlias, layout.vocabSize).set(tables.noise.alias);
  }
  if (tables.huffman && layout.huffmanOffsets) {
    new Int32Array(buffer, layout.huffmanOffsets, layout.vocabSize + 1).set(tables.huffman.offsets);
    new Uint8Array(buffer, layout.huffmanCodes, tables.huffman.codes.length).set(tables.huffman.codes);
    new Int32Array(buffer, layout.huffmanPoints, tables.huffman.points.length).set(tables.huffman.points);
  }
  if (tables.subwords && layout.subwordOffsets) {
    new Int32Array(buffer, layout.subwordOffsets, layout.vocabSize + 1).set(tables.subwords.offsets);
    new Int32Array(buffer, layout.subwordRows, tables.subwords.rows.length).set(tables.subwords.rows);
  }
  if (tables.ngramBuckets && layout.ngramBuckets) new Int32Array(buffer, layout.ngramBuckets, layout.ngramRows).set(tables.ngramBuckets);
}

/** Views of the subword table a layout holds (its length is the last offset) and of the words' mean shifts. */
export function subwordViews(memory: WebAssembly.Memory, layout: MemoryLayout): SubwordTable & { shifts: Float32Array } {
  const offsets = new Int32Array(memory.buffer, layout.subwordOffsets, layout.vocabSize + 1);
  return {
    offsets,
    rows: new Int32Array(memory.buffer, layout.subwordRows, offsets[layout.vocabSize]!),
    shifts: new Float32Array(memory.buffer, layout.subwordShifts, layout.vocabSize),
  };
}
