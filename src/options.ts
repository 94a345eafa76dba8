/**
 * Training options: their types, defaults and validation. Ranges and defaults come from the option
 * table (`optionTable.ts`); options are validated once, at the boundary, and every message names the
 * option as the command line spells it (`--dim must be …`).
 */
import { availableParallelism } from 'node:os';
import { OptionError } from './errors.js';
import { OPTION_CHOICES, optionDefault, optionSpec, resolveOption } from './optionTable.js';
import { resolveTokenizerConfig, type TokenizerConfig } from './text/tokenizers.js';

/** The model architectures. */
export type ModelKind = (typeof OPTION_CHOICES.model)[number];
/** The output layers (losses). */
export type LossKind = (typeof OPTION_CHOICES.loss)[number];
/** How documents are delimited: `none` trains words only (each line a sentence). */
export type DocsMode = 'none' | (typeof OPTION_CHOICES.docs)[number];
/** How a model file stores word and document vectors (store/precision.ts). */
export type Precision = (typeof OPTION_CHOICES.precision)[number];
/** The inner loops: WebAssembly SIMD or plain TypeScript. */
export type KernelKind = (typeof OPTION_CHOICES.kernel)[number];
/**
 * How the hierarchical-softmax tree breaks ties between equal counts: gensim's heap order (every model
 * trained now) or word2vec C's (model files written before the order was recorded).
 */
export type HuffmanOrder = 'gensim' | 'word2vec';
/**
 * Which word of a run of equal counts takes which leaf of the hierarchical-softmax tree: `scrambled`, an
 * order drawn once from a fixed seed (every model trained now), or `first-seen`, the vocabulary's own
 * order (model files written before it was recorded).
 */
export type HuffmanTies = 'scrambled' | 'first-seen';

/** The character n-grams of a subword model (fastText's `-minn`, `-maxn`, `-bucket`). */
export interface SubwordSettings {
  /** Shortest n-gram, in characters. */
  minn: number;
  /** Longest n-gram, in characters (0: no n-grams). */
  maxn: number;
  /** Hash buckets: rows of n-gram vectors. */
  bucket: number;
}

/** fastText's defaults for unsupervised models. */
export const SUBWORD_DEFAULTS: SubwordSettings = { minn: 3, maxn: 6, bucket: 2_000_000 };

/**
 * The n-grams of a Japanese subword model: one and two characters. Chosen from figures (bench/RESULTS.md):
 * on the Aozora corpus, skip-gram with these scores the TMU noun and verb sets above the whole-word
 * model on the pairs both cover (seeds 1 and 2), where CBOW (any n-gram lengths tried) and longer
 * n-grams lose on verbs.
 */
export const JAPANESE_SUBWORD_DEFAULTS: SubwordSettings = { minn: 1, maxn: 2, bucket: 2_000_000 };

/** The start learning rate of subword models: fastText's `-lr` for cbow and skipgram alike. */
export const SUBWORD_ALPHA = 0.05;

/** The order an epoch takes the text in. */
export type TextOrder = (typeof OPTION_CHOICES.order)[number];

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
  /**
   * Which word of equal count takes which leaf: `scrambled` for every model trained now; absent in model
   * files written before it was recorded, which used `first-seen`.
   */
  huffmanTies?: HuffmanTies;
  /**
   * The order each epoch takes the text in (train/workerLoop.ts `blockOrder`): `shuffled` pieces, or
   * `file` order; absent in model files written before it was recorded.
   */
  order?: TextOrder;
  /** Subword models (fastText): the character n-grams; absent for word2vec and doc2vec. */
  subwords?: SubwordSettings;
}

/** Options of a training run, as a library user passes them; anything missing takes its default. */
export interface TrainOptions extends Partial<Omit<Hyperparameters, 'alpha' | 'subwords'>> {
  /**
   * Subword vectors (fastText's model): `true` for fastText's n-grams (3 to 6 characters, 2,000,000
   * buckets), or the settings to change; off by default.
   */
  subwords?: boolean | Partial<SubwordSettings>;
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
  kernel?: KernelKind;
  /**
   * Phrases (gensim's `Phrases`) joined before counting: `true` learns them from the inputs with gensim's
   * defaults (English connector words, none for `ja`), a path reads a saved table (`kotovec phrases
   * --save-table`), a table is used as it is. The model keeps the table: its queries join them too.
   */
  phrases?: boolean | string | NonNullable<TokenizerConfig['phrases']>;
  /**
   * Continue from this model file (or a word2vec binary/text or .vec file): settings not given here are
   * the model's, its words keep their vectors and output weights, and the vocabulary grows by the new
   * text's words (see `train/continuation.ts`).
   */
  from?: string;
  /** With `from`: the source's word vectors stay fixed. */
  freezeWords?: boolean;
  /**
   * With `from`: how firmly the source's rows are held to their trained values, in proportion to each
   * word's count in the source (see `train/anchor.ts`; 0: not held).
   */
  anchor?: number;
}

const trainDefault = <T>(flag: string): T => optionDefault(optionSpec('train', flag), 'train') as T;

/** Defaults of {@link Hyperparameters} (alpha depends on the model), from the option table. */
export const DEFAULTS = {
  model: trainDefault<ModelKind>('model'),
  loss: trainDefault<LossKind>('loss'),
  dim: trainDefault<number>('dim'),
  window: trainDefault<number>('window'),
  negative: trainDefault<number>('negative'),
  minCount: trainDefault<number>('min-count'),
  maxVocab: trainDefault<number>('max-vocab'),
  sample: trainDefault<number>('sample'),
  epochs: trainDefault<number>('epochs'),
  minAlpha: trainDefault<number>('min-alpha'),
  nsExponent: trainDefault<number>('ns-exponent'),
  cbowMean: trainDefault<boolean>('cbow-mean'),
  dbowWords: false,
  seed: trainDefault<number>('seed'),
};

/** The default start learning rate: word2vec C's choice for word2vec (0.05 CBOW, 0.025 skip-gram), gensim's 0.025 for doc2vec. */
export function defaultAlpha(model: ModelKind): number {
  return model === 'cbow' ? 0.05 : 0.025;
}

/**
 * Default `--anchor`, measured on English halves (bench/RESULTS.md): 0.03 for CBOW (and PV-DM) with
 * negative sampling; 0.1 for skip-gram-style models (skip-gram, PV-DBOW), which forget more at 0.03, and
 * for hierarchical softmax, whose output layer is rebuilt and holds nothing of the old text.
 */
export function defaultAnchor(model: ModelKind, loss: LossKind): number {
  return loss === 'ns' && (model === 'cbow' || model === 'pv-dm') ? 0.03 : 0.1;
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
  /** The kernel asked for, or `auto` when none was: the train layer then chooses (src/train/trainer.ts). */
  kernel: KernelKind | 'auto';
  from?: string;
  freezeWords: boolean;
  anchor: number;
}

/**
 * `--max-vocab` is 0 (no limit) or at least 2: pruning to one word would keep nothing to learn from.
 * @throws OptionError otherwise
 */
export function checkMaxVocab(maxVocab: number): void {
  if (maxVocab === 1) throw new OptionError(`--max-vocab must be 0 (no limit) or at least 2 (got ${maxVocab})`);
}

/**
 * The n-gram settings a run asked for: fastText's defaults for those not given (one- and two-character
 * n-grams for Japanese); none when off.
 * @throws OptionError for a value out of range, or `--maxn` under `--minn`
 */
export function resolveSubwords(given: TrainOptions['subwords'], japanese = false): SubwordSettings | undefined {
  if (!given) return undefined;
  const settings = { ...(japanese ? JAPANESE_SUBWORD_DEFAULTS : SUBWORD_DEFAULTS), ...(given === true ? {} : given) };
  for (const flag of ['minn', 'maxn', 'bucket'] as const) settings[flag] = resolveOption('train', flag, settings[flag]) as number;
  if (settings.maxn > 0 && settings.maxn < settings.minn) throw new OptionError(`--maxn (${settings.maxn}) must not be under --minn (${settings.minn})`);
  return settings;
}

/**
 * Fills in defaults and validates every option.
 * @throws OptionError naming the first invalid option
 */
export function resolveTrainOptions(options: TrainOptions): ResolvedTrainOptions {
  if (!Array.isArray(options.inputs) || options.inputs.length === 0) throw new OptionError('no input given: name a file, a folder or - for stdin');
  const train = <T extends string | number | boolean>(flag: string, value: T | undefined): T => resolveOption('train', flag, value) as T;
  const tokenizer = resolveTokenizerConfig(options.tokenizer);
  const japanese = tokenizer.kind === 'ja';
  // Japanese subword models learn skip-gram by default (see JAPANESE_SUBWORD_DEFAULTS).
  const model = train('model', options.model ?? (options.subwords && japanese ? 'skipgram' : undefined));
  const docs = options.docs === 'none' ? 'none' : (resolveOption('train', 'docs', options.docs ?? (model.startsWith('pv-') ? 'lines' : undefined)) as DocsMode | undefined) ?? 'none';
  if (model.startsWith('pv-') && docs === 'none') throw new OptionError(`--model ${model} needs documents: --docs lines, tsv or files`);
  const hyper: Hyperparameters = {
    model,
    loss: train('loss', options.loss),
    dim: train('dim', options.dim),
    window: train('window', options.window),
    negative: train('negative', options.negative),
    minCount: train('min-count', options.minCount),
    maxVocab: train('max-vocab', options.maxVocab),
    sample: train('sample', options.sample),
    epochs: train('epochs', options.epochs),
    alpha: train('alpha', options.alpha ?? (options.subwords ? SUBWORD_ALPHA : defaultAlpha(model))),
    minAlpha: train('min-alpha', options.minAlpha),
    nsExponent: train('ns-exponent', options.nsExponent),
    cbowMean: options.cbowMean ?? DEFAULTS.cbowMean,
    dbowWords: options.dbowWords ?? DEFAULTS.dbowWords,
    seed: train('seed', options.seed),
    huffmanOrder: options.huffmanOrder ?? 'gensim',
    huffmanTies: options.huffmanTies ?? 'scrambled',
    // Japanese keeps file order: on the TMU nouns it scores 0.070 against 0.033 shuffled (bench/RESULTS.md).
    order: train('order', options.order ?? (japanese ? 'file' : 'shuffled')),
  };
  const subwords = resolveSubwords(options.subwords, japanese);
  if (subwords) {
    if (model !== 'cbow' && model !== 'skipgram') throw new OptionError(`subword vectors are trained by --model cbow or skipgram (got ${model})`);
    hyper.subwords = subwords;
  }
  const kernel = options.kernel === undefined ? 'auto' : train('kernel', options.kernel);
  if (kernel === 'native' && subwords) throw new OptionError('--kernel native trains word and document vectors without subwords; use --kernel wasm with --subwords');
  if (hyper.huffmanOrder !== 'gensim' && hyper.huffmanOrder !== 'word2vec') throw new OptionError(`huffmanOrder must be gensim or word2vec (got "${hyper.huffmanOrder}")`);
  if (hyper.huffmanTies !== 'scrambled' && hyper.huffmanTies !== 'first-seen') throw new OptionError(`huffmanTies must be scrambled or first-seen (got "${hyper.huffmanTies}")`);
  if (options.anchor !== undefined && !options.from) throw new OptionError('--anchor needs --from: it holds the words of the model continued from');
  if (options.freezeWords && !options.from) throw new OptionError('--freeze-words needs --from: it keeps the words of the model continued from');
  if (hyper.minAlpha > hyper.alpha) throw new OptionError(`--min-alpha (${hyper.minAlpha}) must not exceed --alpha (${hyper.alpha})`);
  checkMaxVocab(hyper.maxVocab);
  const maxLineChars = options.maxLineChars ?? 1_000_000;
  if (!Number.isInteger(maxLineChars) || maxLineChars < 1000 || maxLineChars > 1 << 29) {
    throw new OptionError(`maxLineChars must be an integer from 1000 to ${1 << 29} (got ${maxLineChars})`);
  }
  return {
    inputs: options.inputs,
    hyper,
    threads: train('threads', options.threads ?? availableParallelism()),
    tokenizer,
    docs,
    maxLineChars,
    cache: options.cache,
    kernel,
    from: options.from,
    freezeWords: options.freezeWords ?? false,
    anchor: train('anchor', options.anchor ?? defaultAnchor(hyper.model, hyper.loss)),
  };
}
