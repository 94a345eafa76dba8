/**
 * Training options: their types, defaults and validation. Options are validated once, at the boundary,
 * and every message names the option as the command line spells it (`--dim must be …`).
 */
import { availableParallelism } from 'node:os';
import { OptionError } from './errors.js';
import type { DocsMode } from './corpus/scan.js';
import { resolveTokenizerConfig, type TokenizerConfig } from './text/tokenizers.js';
import type { HuffmanOrder } from './vocab/huffman.js';

/** The model architectures. */
export type ModelKind = 'cbow' | 'skipgram' | 'pv-dm' | 'pv-dbow' | 'pv-dm+dbow';
/** The output layers (losses). */
export type LossKind = 'ns' | 'hs';

/** Every architecture name accepted by `--model`. */
export const MODEL_KINDS: readonly ModelKind[] = ['cbow', 'skipgram', 'pv-dm', 'pv-dbow', 'pv-dm+dbow'];
/** Every loss name accepted by `--loss`. */
export const LOSS_KINDS: readonly LossKind[] = ['ns', 'hs'];
/** Every document format accepted by `--docs`. */
export const DOCS_MODES: readonly DocsMode[] = ['none', 'lines', 'tsv', 'files'];

/** Hyperparameters of a training run (everything that decides the weights, with the seed). */
export interface Hyperparameters {
  model: ModelKind;
  loss: LossKind;
  dim: number;
  window: number;
  negative: number;
  minCount: number;
  maxVocab: number;
  sample: number;
  epochs: number;
  alpha: number;
  minAlpha: number;
  nsExponent: number;
  /** CBOW / PV-DM: average the inputs (true, gensim's default) or sum them. */
  cbowMean: boolean;
  /** PV-DBOW: train skip-gram word vectors alongside. */
  dbowWords: boolean;
  seed: number;
  /**
   * How the hierarchical-softmax tree breaks ties between equal counts: `gensim` for every model trained
   * now; absent in model files written before it was recorded, which used `word2vec`.
   */
  huffmanOrder?: HuffmanOrder;
}

/** Options of a training run, as a library user passes them; anything missing takes its default. */
export interface TrainOptions extends Partial<Omit<Hyperparameters, 'alpha'>> {
  /** Files, folders or `-`. */
  inputs: string[];
  /** Start learning rate; default 0.05 for CBOW, 0.025 otherwise (word2vec C; gensim's Doc2Vec). */
  alpha?: number;
  /** Worker threads (default: the number of CPUs). */
  threads?: number;
  /** How text becomes tokens. */
  tokenizer?: Partial<TokenizerConfig>;
  /** Documents for doc2vec (`lines`, `tsv`, `files`); required by the pv-* models. */
  docs?: DocsMode;
  /** Longest line in characters before it is split. */
  maxLineChars?: number;
  /** Keep pass 1 (token cache and counts) in this folder and reuse it on the same input and settings. */
  cache?: string;
  /** Inner loops in WebAssembly SIMD (`wasm`, default) or plain TypeScript (`js`). */
  kernel?: 'wasm' | 'js';
}

/** Defaults of {@link Hyperparameters} (alpha depends on the model). */
export const DEFAULTS = {
  model: 'cbow' as ModelKind,
  loss: 'ns' as LossKind,
  dim: 100,
  window: 5,
  negative: 5,
  minCount: 5,
  maxVocab: 0,
  sample: 1e-3,
  epochs: 5,
  minAlpha: 0.0001,
  nsExponent: 0.75,
  cbowMean: true,
  dbowWords: false,
  seed: 1,
};

/** The default start learning rate: word2vec C's choice for word2vec (0.05 CBOW, 0.025 skip-gram), gensim's 0.025 for doc2vec. */
export function defaultAlpha(model: ModelKind): number {
  return model === 'cbow' ? 0.05 : 0.025;
}

/** Validated, complete training settings. */
export interface ResolvedTrainOptions {
  inputs: string[];
  hyper: Hyperparameters;
  threads: number;
  tokenizer: TokenizerConfig;
  docs: DocsMode;
  maxLineChars: number;
  cache?: string;
  kernel: 'wasm' | 'js';
}

/** Largest thread count accepted (more than this is surely a typo). */
export const MAX_THREADS = 256;

function integer(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new OptionError(`--${name} must be an integer from ${min} to ${max} (got ${value})`);
  }
  return value;
}

function real(name: string, value: number, min: number, max: number, openMin = false): number {
  if (!Number.isFinite(value) || value < min || (openMin && value === min) || value > max) {
    throw new OptionError(`--${name} must be a number ${openMin ? 'above' : 'from'} ${min} ${openMin ? 'and up to' : 'to'} ${max} (got ${value})`);
  }
  return value;
}

function oneOf<T extends string>(name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) throw new OptionError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value;
}

/**
 * Fills in defaults and validates every option.
 * @throws OptionError naming the first invalid option
 */
export function resolveTrainOptions(options: TrainOptions): ResolvedTrainOptions {
  if (!Array.isArray(options.inputs) || options.inputs.length === 0) throw new OptionError('no input given: name a file, a folder or - for stdin');
  const model = oneOf('model', options.model ?? DEFAULTS.model, MODEL_KINDS);
  const docs = oneOf('docs', options.docs ?? (model.startsWith('pv-') ? 'lines' : 'none'), DOCS_MODES);
  if (model.startsWith('pv-') && docs === 'none') throw new OptionError(`--model ${model} needs documents: --docs lines, tsv or files`);
  const hyper: Hyperparameters = {
    model,
    loss: oneOf('loss', options.loss ?? DEFAULTS.loss, LOSS_KINDS),
    dim: integer('dim', options.dim ?? DEFAULTS.dim, 1, 10000),
    window: integer('window', options.window ?? DEFAULTS.window, 1, 1000),
    negative: integer('negative', options.negative ?? DEFAULTS.negative, 1, 1000),
    minCount: integer('min-count', options.minCount ?? DEFAULTS.minCount, 1, Number.MAX_SAFE_INTEGER),
    maxVocab: integer('max-vocab', options.maxVocab ?? DEFAULTS.maxVocab, 0, Number.MAX_SAFE_INTEGER),
    sample: real('sample', options.sample ?? DEFAULTS.sample, 0, 1),
    epochs: integer('epochs', options.epochs ?? DEFAULTS.epochs, 1, 100000),
    alpha: real('alpha', options.alpha ?? defaultAlpha(model), 0, 10, true),
    minAlpha: real('min-alpha', options.minAlpha ?? DEFAULTS.minAlpha, 0, 10),
    nsExponent: real('ns-exponent', options.nsExponent ?? DEFAULTS.nsExponent, -10, 10),
    cbowMean: options.cbowMean ?? DEFAULTS.cbowMean,
    dbowWords: options.dbowWords ?? DEFAULTS.dbowWords,
    seed: integer('seed', options.seed ?? DEFAULTS.seed, 0, 0xffffffff),
    huffmanOrder: oneOf('huffman-order', options.huffmanOrder ?? 'gensim', ['gensim', 'word2vec'] as const),
  };
  if (hyper.minAlpha > hyper.alpha) throw new OptionError(`--min-alpha (${hyper.minAlpha}) must not exceed --alpha (${hyper.alpha})`);
  if (hyper.maxVocab > 0 && hyper.maxVocab < 2) throw new OptionError(`--max-vocab must be 0 (no limit) or at least 2 (got ${hyper.maxVocab})`);
  const threads = integer('threads', options.threads ?? availableParallelism(), 1, MAX_THREADS);
  return {
    inputs: options.inputs,
    hyper,
    threads,
    tokenizer: resolveTokenizerConfig(options.tokenizer),
    docs,
    maxLineChars: integer('max-line-chars', options.maxLineChars ?? 1_000_000, 1000, 1 << 29),
    cache: options.cache,
    kernel: oneOf('kernel', options.kernel ?? 'wasm', ['wasm', 'js'] as const),
  };
}
