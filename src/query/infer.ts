/**
 * Inferring a vector for a new document (Le & Mikolov 2014; gensim's `Doc2Vec.infer_vector`): a fresh
 * document vector is trained against the model's frozen word vectors and output weights, the learning
 * rate falling linearly from `alpha` to `minAlpha` epoch by epoch. The starting vector comes from a hash
 * of the text (gensim's `pseudorandom_weak_vector`), the seed drives the window sizes and noise draws. It
 * runs in this thread with the same WebAssembly kernel as training, over a private copy of the weights.
 *
 * Frequent-word subsampling is taken in expectation by default: every word is kept and each prediction
 * learns at the rate times the probability that subsampling keeps its target word, the same mean update
 * as dropping words at random (gensim's way, `subsampling: 'random'`) without that draw's noise, which is
 * most of the seed-to-seed spread (figures: bench/RESULTS.md, from bench/infer-same-weights.mjs and
 * bench/docs-lee.mjs).
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import type { ModelData } from '../model.js';
import type { Hyperparameters } from '../options.js';
import { MAX_SENTENCE_LENGTH } from '../corpus/tokenCache.js';
import { allocateMemory, floatView, planLayout, writeTables, type MemoryLayout } from '../kernel/memory.js';
import { Random } from '../kernel/random.js';
import { buildHuffmanTree } from '../vocab/huffman.js';
import { buildNoiseTable, keepProbabilities, keepThresholds } from '../vocab/sampling.js';
import { compileKernel, instantiateKernel, type KernelExports } from '../kernel/wasm.js';

/** Options of an inference. */
export interface InferOptions {
  /** Epochs (default: the model's training epochs). */
  epochs?: number;
  /** Start learning rate (default: the model's). */
  alpha?: number;
  /** End learning rate (default: the model's). */
  minAlpha?: number;
  /** Random seed: the same seed and text give the same vector (default 1). */
  seed?: number;
  /**
   * `expected` (default): keep every word and scale each prediction by its target's keep probability;
   * `random`: drop frequent words at random each epoch, as training and gensim's `infer_vector` do.
   */
  subsampling?: InferSubsampling;
}

/** How inference applies frequent-word subsampling. */
export type InferSubsampling = 'expected' | 'random';

/** One half (PV-DM or PV-DBOW) of the inference machinery. */
interface Half {
  kernel: KernelExports;
  layout: MemoryLayout;
  memory: WebAssembly.Memory;
  dbow: boolean;
}

function hash32(text: string, seed: number): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Why a model cannot infer document vectors, or null when it can (a trained doc2vec model with its output weights). */
export function whyNoInference(model: ModelData): string | null {
  if (!model.hyper || !model.hyper.model.startsWith('pv-') || model.origin !== 'trained') {
    return 'this model cannot infer document vectors: it is not a trained doc2vec model (pv-dm, pv-dbow, pv-dm+dbow)';
  }
  if (!model.outputNs && !model.outputHs) return 'this model has no output weights, which inference needs';
  return null;
}

/** Infers document vectors for a trained doc2vec model. */
export class DocumentInferrer {
  private readonly halves: Half[];
  private readonly hyper: Hyperparameters;
  private readonly index: Map<string, number>;

  /**
   * Prepares the weights (copied once).
   * @throws KotovecError UNSUPPORTED for a model that cannot infer (word2vec, imported vectors)
   */
  constructor(private readonly model: ModelData) {
    const why = whyNoInference(model);
    if (why) throw new KotovecError(ErrorCodes.UNSUPPORTED, why);
    const hyper = model.hyper!;
    this.hyper = hyper;
    this.index = new Map(model.words.map((w, i) => [w, i]));
    const kinds = hyper.model === 'pv-dm+dbow' ? (['pv-dm', 'pv-dbow'] as const) : ([hyper.model] as const);
    this.halves = kinds.map((kind, i) => this.prepare(kind === 'pv-dbow', i === 0 ? model.outputNs : model.dbowOutputNs ?? null, i === 0 ? model.outputHs : model.dbowOutputHs ?? null));
  }

  private prepare(dbow: boolean, outputNs: Float32Array | null, outputHs: Float32Array | null): Half {
    const { dim, words, counts } = this.model;
    const hyper = this.hyper;
    const vocabSize = words.length;
    const huffman = outputHs ? buildHuffmanTree(counts, hyper.huffmanOrder ?? 'word2vec', hyper.huffmanTies ?? 'first-seen') : undefined;
    const layout = planLayout({
      dim,
      vocabSize,
      docCount: 1,
      negativeSampling: outputNs !== null,
      hierarchicalSoftmax: outputHs !== null,
      huffmanLength: huffman?.codes.length ?? 0,
      threads: 1,
    });
    const memory = allocateMemory(layout);
    writeTables(memory, layout, {
      keep: keepThresholds(keepProbabilities(counts, hyper.sample)),
      noise: outputNs ? buildNoiseTable(counts, hyper.nsExponent) : undefined,
      huffman,
    });
    if (!dbow) floatView(memory, layout.syn0, vocabSize * dim).set(this.model.wordVectors);
    if (outputNs) floatView(memory, layout.syn1neg, vocabSize * dim).set(outputNs);
    if (outputHs) floatView(memory, layout.syn1, Math.max(1, vocabSize - 1) * dim).set(outputHs);
    const kernel = instantiateKernel(compileKernel(), memory, layout, {
      negative: hyper.negative,
      window: hyper.window,
      cbowMean: hyper.cbowMean,
      hs: outputHs !== null,
    });
    kernel.setLearning(0, 0, 1);
    return { kernel, layout, memory, dbow };
  }

  /** Word ids of the tokens the model knows. */
  ids(tokens: readonly string[]): number[] {
    const ids: number[] = [];
    for (const token of tokens) {
      const id = this.index.get(token);
      if (id !== undefined) ids.push(id);
    }
    return ids;
  }

  /**
   * Infers the vector of one tokenized document.
   * @returns a vector of the model's document dimension
   * @throws KotovecError UNKNOWN_WORD when no token is in the vocabulary
   */
  infer(tokens: readonly string[], options: InferOptions = {}): Float32Array {
    const ids = Int32Array.from(this.ids(tokens));
    if (ids.length === 0) {
      throw new KotovecError(ErrorCodes.UNKNOWN_WORD, `the document has no word in the model's vocabulary (${tokens.length} tokens)`);
    }
    const epochs = options.epochs ?? this.hyper.epochs;
    const alpha = options.alpha ?? this.hyper.alpha;
    const minAlpha = options.minAlpha ?? this.hyper.minAlpha;
    const seed = options.seed ?? 1;
    if (!Number.isInteger(epochs) || epochs < 1) throw new KotovecError(ErrorCodes.BAD_OPTION, `--epochs must be a positive integer (got ${epochs})`);
    if (!Number.isFinite(alpha) || alpha <= 0) throw new KotovecError(ErrorCodes.BAD_OPTION, `--alpha must be a positive number (got ${alpha})`);
    const subsampling = options.subsampling ?? 'expected';
    if (subsampling !== 'expected' && subsampling !== 'random') {
      throw new KotovecError(ErrorCodes.BAD_OPTION, `--subsampling must be expected or random (got "${subsampling}")`);
    }
    const dim = this.model.dim;
    const out = new Float32Array(dim * this.halves.length);
    // As gensim's infer_vector: the starting vector depends on the text only; the seed drives sampling.
    const textSeed = hash32(tokens.join(' '), 0);
    this.halves.forEach((half, h) => {
      const { kernel, layout, memory } = half;
      const scratch = layout.threads[0]!;
      const docRow = floatView(memory, layout.docs, dim);
      const init = new Random(textSeed + h);
      for (let k = 0; k < dim; k++) docRow[k] = (init.nextFloat() - 0.5) / dim;
      kernel.setScratch(scratch.hidden, scratch.gradient, scratch.sentence, scratch.group, new Random(seed * 31 + h).state);
      const expected = subsampling === 'expected';
      kernel.setExpectedSubsampling(expected ? 1 : 0);
      // Every word is kept in expectation, so the ids go straight into the kernel's sentence scratch;
      // otherwise into the read buffer, which `subsample` thins into the sentence.
      const raw = new Int32Array(memory.buffer, expected ? scratch.sentence : scratch.readBuffer, MAX_SENTENCE_LENGTH);
      const delta = (alpha - minAlpha) / Math.max(epochs - 1, 1);
      let rate = alpha;
      for (let epoch = 0; epoch < epochs; epoch++) {
        for (let from = 0; from < ids.length; from += MAX_SENTENCE_LENGTH) {
          const piece = ids.subarray(from, from + MAX_SENTENCE_LENGTH);
          raw.set(piece);
          const n = expected ? piece.length : kernel.subsample(scratch.readBuffer, piece.length);
          if (n === 0) continue;
          if (half.dbow) kernel.dbow(n, rate, 0, 0);
          else kernel.cbow(n, rate, 0);
        }
        rate -= delta;
      }
      out.set(docRow, h * dim);
    });
    return out;
  }
}
