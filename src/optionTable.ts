/**
 * Every option of every command, declared once: its flag, type, default, range, help text and the
 * commands that take it. The command-line options are made from this table (`cli/options.ts`), and so
 * is the validation of every value — the library's (`options.ts`) and the shell's — with messages that
 * name the option as the command line spells it (`--dim must be an integer from 1 to 10000 (got 0)`).
 */
import { OptionError } from './errors.js';

/** The commands of the command line. */
export type CommandName =
  | 'tokenize'
  | 'phrases'
  | 'vocab'
  | 'train'
  | 'similar'
  | 'analogy'
  | 'export'
  | 'import'
  | 'evaluate'
  | 'info'
  | 'infer'
  | 'similar-docs'
  | 'serve'
  | 'upgrade'
  | 'vectors';

/** What a value is. */
export type OptionType =
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'number'; min: number; max: number; openMin?: boolean }
  | { kind: 'choice'; choices: readonly string[] }
  | { kind: 'switch' }
  | { kind: 'text'; placeholder: string };

/** One option. */
export interface OptionSpec {
  /** The long flag without dashes, e.g. `min-count`. */
  flag: string;
  /** A one-letter alias, e.g. `k`. */
  short?: string;
  type: OptionType;
  /** How the help names the value (default: n, x, kind, or the text type's placeholder). */
  placeholder?: string;
  help: string;
  /** The commands that take it. */
  commands: readonly CommandName[];
  /** The default, or a default for some commands (`{ train: 5, vocab: 1 }`); none: the option is unset unless given. */
  default?: string | number | boolean | Partial<Record<CommandName, string | number | boolean>>;
  /** How the help describes a default that is not a plain value (e.g. `the number of CPUs`). */
  defaultText?: string;
  /** A switch that also has a `--no-…` form (or only that form, with `negatedHelp` alone). */
  negatedHelp?: string;
  /** Only the `--no-…` form exists (the switch is on by default). */
  onlyNegated?: boolean;
  /** Must be given. */
  required?: boolean;
  /** A text option whose value may be left out (`--phrases` alone, or `--phrases table.tsv`). */
  optionalValue?: boolean;
}

const CHOICES = {
  model: ['cbow', 'skipgram', 'pv-dm', 'pv-dbow', 'pv-dm+dbow'],
  loss: ['ns', 'hs'],
  docs: ['lines', 'tsv', 'files'],
  kernel: ['wasm', 'js', 'native'],
  tokenizer: ['simple', 'whitespace', 'ja'],
  normalize: ['NFKC', 'NFC', 'none'],
  progress: ['auto', 'json', 'none'],
  method: ['cosadd', 'cosmul'],
  exportFormat: ['word2vec-bin', 'word2vec-text', 'projector', 'fasttext-bin'],
  importFormat: ['word2vec-bin', 'word2vec-text', 'fasttext-bin'],
  subsampling: ['expected', 'random'],
  precision: ['f32', 'f16', 'int8'],
  scoring: ['default', 'npmi', 'word2phrase'],
  order: ['shuffled', 'file'],
} as const;

/** The choices of each choice option, for the library's types. */
export const OPTION_CHOICES = CHOICES;

/** Largest thread count accepted (more than this is surely a typo). */
export const MAX_THREADS = 256;

const int = (min: number, max: number): OptionType => ({ kind: 'integer', min, max });
const num = (min: number, max: number, openMin = false): OptionType => ({ kind: 'number', min, max, openMin });
const choice = (choices: readonly string[]): OptionType => ({ kind: 'choice', choices });
const text = (placeholder: string): OptionType => ({ kind: 'text', placeholder });
const SWITCH: OptionType = { kind: 'switch' };
const TRAIN: CommandName[] = ['train'];
const TEXT_READERS: CommandName[] = ['tokenize', 'phrases', 'vocab', 'train'];
const PRECISION_HELP = 'how word and document vectors are stored: f32 (exact), f16 (half the size) or int8 (a quarter; answers move slightly)';

/** The table. */
export const OPTIONS: readonly OptionSpec[] = [
  // Output files.
  { flag: 'output', short: 'o', type: text('file'), help: 'the file to write', commands: ['train', 'import', 'export'], required: true },
  { flag: 'output', short: 'o', type: text('file'), help: 'write the upgraded model here instead of replacing the file', commands: ['upgrade'] },
  { flag: 'force', short: 'f', type: SWITCH, help: 'replace the output file if it exists', commands: ['train', 'import', 'export', 'upgrade'] },
  { flag: 'precision', type: choice(CHOICES.precision), placeholder: 'p', help: PRECISION_HELP, commands: ['import'], default: 'f32' },
  { flag: 'precision', type: choice(CHOICES.precision), placeholder: 'p', help: PRECISION_HELP, commands: TRAIN, defaultText: "f32; with --from, the source's" },
  { flag: 'precision', type: choice(CHOICES.precision), placeholder: 'p', help: PRECISION_HELP, commands: ['upgrade'], defaultText: "the model's" },

  // Training.
  { flag: 'model', type: choice(CHOICES.model), help: 'architecture: cbow, skipgram (word2vec), pv-dm, pv-dbow or pv-dm+dbow (doc2vec); skipgram unless given for Japanese subword models', commands: TRAIN, default: 'cbow' },
  { flag: 'loss', type: choice(CHOICES.loss), help: 'ns (negative sampling) or hs (hierarchical softmax)', commands: TRAIN, default: 'ns' },
  { flag: 'dim', type: int(1, 10000), help: 'vector dimension', commands: TRAIN, default: 100 },
  { flag: 'window', type: int(1, 1000), help: 'context window', commands: TRAIN, default: 5 },
  { flag: 'negative', type: int(1, 1000), help: 'noise words per prediction with --loss ns', commands: TRAIN, default: 5 },
  { flag: 'min-count', type: int(1, Number.MAX_SAFE_INTEGER), help: 'ignore words seen fewer times', commands: ['train', 'vocab'], default: { train: 5, vocab: 1 } },
  { flag: 'max-vocab', type: int(0, Number.MAX_SAFE_INTEGER), help: 'prune the rarest words while counting beyond n distinct words (0: no limit)', commands: ['train', 'vocab'], default: 0 },
  { flag: 'sample', type: num(0, 1), help: 'subsampling rate of frequent words (0 disables)', commands: TRAIN, default: 1e-3 },
  { flag: 'epochs', type: int(1, 100000), help: 'passes over the corpus', commands: TRAIN, default: 5 },
  { flag: 'alpha', type: num(0, 10, true), help: 'start learning rate', commands: TRAIN, defaultText: '0.05 for cbow and subwords, 0.025 otherwise' },
  { flag: 'min-alpha', type: num(0, 10), help: 'end learning rate', commands: TRAIN, default: 0.0001 },
  { flag: 'order', type: choice(CHOICES.order), help: 'order of the text in each epoch: shuffled (pieces of about 8,000 words in an order drawn from the seed) or file', commands: TRAIN, defaultText: 'file for --tokenizer ja, shuffled otherwise' },
  { flag: 'ns-exponent', type: num(-10, 10), help: 'exponent of the noise distribution', commands: TRAIN, default: 0.75 },
  { flag: 'cbow-mean', type: SWITCH, help: 'cbow/pv-dm: average the context vectors', negatedHelp: 'cbow/pv-dm: sum the context vectors instead of averaging them', onlyNegated: true, commands: TRAIN, default: true },
  { flag: 'threads', type: int(1, MAX_THREADS), help: 'worker threads', commands: ['train', 'tokenize', 'phrases'], defaultText: 'the number of CPUs' },
  { flag: 'seed', type: int(0, 0xffffffff), help: 'random seed; with --threads 1 the result is identical run after run', commands: TRAIN, default: 1 },
  { flag: 'docs', type: choice(CHOICES.docs), placeholder: 'format', help: 'documents for doc2vec: lines (a line each), tsv (id<TAB>text) or files (a file each)', commands: TRAIN, defaultText: 'lines for the pv-* models' },
  { flag: 'dbow-words', type: SWITCH, help: 'pv-dbow: train skip-gram word vectors alongside', commands: TRAIN },
  { flag: 'cache', type: text('dir'), help: 'keep the tokenized corpus in this folder and reuse it when the same files are trained again', commands: TRAIN, defaultText: 'a temporary cache, removed' },
  { flag: 'from', type: text('model'), help: "continue training this model (or a word2vec/.vec file) on the inputs: its words, weights, settings and tokenizer carry over; the file itself is left unchanged", commands: TRAIN },
  { flag: 'anchor', type: num(0, 100), placeholder: 'strength', help: "with --from: how firmly the source's rows are held where the text it learned from put them, in proportion to each word's count there (0: not held, as gensim's update)", commands: TRAIN, defaultText: '0.03 for cbow and pv-dm with --loss ns, 0.1 otherwise' },
  { flag: 'freeze-words', type: SWITCH, help: "with --from: keep the source's word vectors fixed; only new words, documents and the output layer learn", commands: TRAIN },
  { flag: 'subwords', type: SWITCH, help: 'fastText subword vectors: a word is the mean of its own vector and its character n-grams\', so every word, seen or not, has one (cbow and skipgram)', commands: TRAIN },
  { flag: 'minn', type: int(1, 100), help: 'shortest character n-gram (turns subwords on)', commands: TRAIN, defaultText: '3 with --subwords; 1 for --tokenizer ja' },
  { flag: 'maxn', type: int(0, 100), help: 'longest character n-gram (turns subwords on; 0: none)', commands: TRAIN, defaultText: '6 with --subwords; 2 for --tokenizer ja' },
  { flag: 'bucket', type: int(1, 2 ** 31 - 1), help: 'hash buckets of n-gram vectors (turns subwords on)', commands: TRAIN, defaultText: '2000000 with --subwords' },
  { flag: 'phrases', type: text('table'), optionalValue: true, help: "join phrases (new york → new_york) before counting, as gensim's Phrases with its defaults but word2phrase's threshold (100) — or those of a table saved by `kotovec phrases --save-table`; the model keeps them, so queries join them too", commands: TRAIN },
  { flag: 'kernel', type: choice(CHOICES.kernel), help: 'inner loops: native (C built for this CPU at install, its widest SIMD; every model but subwords), wasm (WebAssembly SIMD) or js (plain TypeScript)', commands: TRAIN, defaultText: 'native where it was built with AVX-512, wasm for subwords' },

  // Phrases.
  { flag: 'output', short: 'o', type: text('file'), help: 'write the text with phrases joined here (default: stdout)', commands: ['phrases'] },
  { flag: 'force', short: 'f', type: SWITCH, help: 'replace the output files if they exist', commands: ['phrases'] },
  { flag: 'min-count', type: int(1, Number.MAX_SAFE_INTEGER), help: 'pairs seen fewer times are never phrases', commands: ['phrases'], default: 5 },
  { flag: 'threshold', type: num(-1, Number.MAX_VALUE), help: 'a pair becomes a phrase when its score is above this (default scoring: above 0; npmi: in (-1, 1])', commands: ['phrases'], default: 10 },
  { flag: 'scoring', type: choice(CHOICES.scoring), help: "default (gensim's: (count(ab) - min-count) / (count(a) count(b)) x vocabulary size), npmi, or word2phrase (word2vec C's: the same x the corpus's words, in float32; use with --connectors none)", commands: ['phrases'], default: 'default' },
  { flag: 'connectors', type: text('words'), help: 'words that may sit inside a phrase but never start or end one: english (a, the, of, and …), none, or a file of words, one a line', commands: ['phrases'], defaultText: 'english, none with --tokenizer ja' },
  { flag: 'passes', type: int(1, 10), help: 'passes: 2 also joins phrases of phrases (new_york + city → new_york_city)', commands: ['phrases'], default: 1 },
  { flag: 'delimiter', type: text('text'), help: 'joins the tokens of a phrase', commands: ['phrases'], default: '_' },
  { flag: 'max-vocab', type: int(1, Number.MAX_SAFE_INTEGER), help: "distinct words and pairs kept while counting; beyond, the rarest are pruned (gensim's max_vocab_size)", commands: ['phrases'], default: 40_000_000 },
  { flag: 'save-table', type: text('file'), help: 'also write the phrase table: phrase, count, score and pass, tab-separated (JSON for a name ending in .json)', commands: ['phrases'] },
  { flag: 'table', type: text('file'), help: 'join the phrases of a saved table instead of learning them', commands: ['phrases'] },

  // Reading text.
  { flag: 'tokenizer', type: choice(CHOICES.tokenizer), help: 'simple (letters/digits, lowercased), whitespace (pre-tokenized text) or ja (Japanese morphology over IPADIC)', commands: TEXT_READERS, default: 'simple' },
  { flag: 'normalize', type: choice(CHOICES.normalize), placeholder: 'form', help: 'Unicode normalisation', negatedHelp: 'turn Unicode normalisation off', commands: TEXT_READERS, default: 'NFKC' },
  { flag: 'lowercase', type: SWITCH, help: 'lowercase the text', negatedHelp: 'keep case', commands: TEXT_READERS, defaultText: 'on for simple, off for whitespace and ja' },
  { flag: 'base-form', type: SWITCH, help: 'ja: dictionary forms (走る for 走った)', negatedHelp: 'ja: surface forms, as written', commands: TEXT_READERS, defaultText: 'off' },
  { flag: 'pos', type: text('list'), help: 'ja: parts of speech to keep, comma-separated (e.g. 名詞,動詞,名詞-固有名詞), or content (名詞,動詞,形容詞,副詞), words (all but symbols) or all', commands: TEXT_READERS, defaultText: 'words' },
  { flag: 'dict', type: text('dir'), help: "ja: a compiled MeCab dictionary folder (e.g. /var/lib/mecab/dic/unidic), read with MeCab's own rules instead of the built-in IPADIC; a matrix over 64 MB (UniDic's) caches its head on first use in $KOTOVEC_CACHE_DIR, else $XDG_CACHE_HOME/kotovec or ~/.cache/kotovec", commands: TEXT_READERS, defaultText: 'the built-in IPADIC' },
  { flag: 'user-dict', type: text('file'), help: "ja: a user dictionary in MeCab's CSV (surface,left id,right id,cost,features…; ids and cost may be left empty; the built-in dictionary takes IPADIC's ids and then reads text MeCab's way, as mecab -u), kept in the model", commands: TEXT_READERS },
  { flag: 'features', type: SWITCH, help: "ja: print each token with its dictionary features, MeCab's way (surface<TAB>features, EOS after each line)", commands: ['tokenize'] },
  { flag: 'progress', type: choice(CHOICES.progress), placeholder: 'mode', help: 'auto (a bar when stderr is a terminal), json (JSON lines on stderr) or none', commands: ['vocab', 'train', 'import', 'phrases'], default: 'auto' },

  // Queries.
  { flag: 'top', short: 'k', type: int(1, 1_000_000), placeholder: 'k', help: 'how many answers', commands: ['similar', 'analogy', 'similar-docs'], default: 10 },
  { flag: 'method', type: choice(CHOICES.method), placeholder: 'm', help: 'cosadd (3CosAdd) or cosmul (3CosMul)', commands: ['analogy'], default: 'cosadd' },
  { flag: 'json', type: SWITCH, help: 'print the phrase table as JSON on stdout instead of the joined text', commands: ['phrases'] },
  { flag: 'json', type: SWITCH, help: 'print JSON', commands: ['vocab', 'similar', 'analogy', 'evaluate', 'info', 'infer', 'similar-docs', 'vectors'] },

  // Documents.
  { flag: 'id', type: text('id'), help: 'a trained document id', commands: ['similar-docs'] },
  { flag: 'text', type: text('text'), help: 'one document given inline', commands: ['infer', 'similar-docs'] },
  { flag: 'file', type: text('file'), help: 'a file of documents, one a line', commands: ['infer', 'similar-docs'] },
  { flag: 'epochs', type: int(1, 100000), help: 'training epochs for the new vector', commands: ['infer'], defaultText: "the model's" },
  { flag: 'alpha', type: num(0, 10, true), help: 'start learning rate of the new vector', commands: ['infer'], defaultText: "the model's" },
  { flag: 'seed', type: int(0, 0xffffffff), help: 'random seed of the inference; the same seed gives the same vector', commands: ['infer', 'similar-docs'], default: 1 },
  { flag: 'subsampling', type: choice(CHOICES.subsampling), placeholder: 'how', help: 'frequent words at inference: expected (keep all, weight by keep probability; steadier) or random (drop at random, as gensim)', commands: ['infer', 'similar-docs'], default: 'expected' },
  { flag: 'similar', type: int(1, 1_000_000), placeholder: 'k', help: 'also list the k most similar trained documents', commands: ['infer'] },

  // Files in other formats.
  { flag: 'format', type: choice(CHOICES.exportFormat), placeholder: 'format', help: 'word2vec-bin, word2vec-text, projector (a folder: vectors.tsv + metadata.tsv) or fasttext-bin (a subword model as fastText\'s .bin)', commands: ['export'], default: 'word2vec-bin' },
  { flag: 'format', type: choice(CHOICES.importFormat), placeholder: 'format', help: 'word2vec-bin, word2vec-text or fasttext-bin', commands: ['import'], defaultText: 'detected' },
  { flag: 'docs', type: SWITCH, help: 'export document vectors (ids as keys) instead of word vectors', commands: ['export'] },
  { flag: 'limit', type: int(0, Number.MAX_SAFE_INTEGER), help: 'keep only the n most frequent words (0: all)', commands: ['export'], default: 0 },

  // Evaluation.
  { flag: 'analogies', type: text('file'), help: 'analogy questions (": section" lines, then "a b c d")', commands: ['evaluate'] },
  { flag: 'pairs', type: text('file'), help: 'word pairs: word1<TAB>word2<TAB>score (# comments), or a CSV with word1, word2 and mean columns', commands: ['evaluate'] },
  { flag: 'restrict-vocab', type: int(1, Number.MAX_SAFE_INTEGER), help: 'only the n most frequent words take part', commands: ['evaluate'], default: 300000 },
  // serve
  { flag: 'host', type: text('address'), help: 'the address to listen on; anything but 127.0.0.1 or localhost lets other machines in', commands: ['serve'], default: '127.0.0.1' },
  { flag: 'port', type: int(0, 65535), help: 'the port to listen on (0: any free port)', commands: ['serve'], default: 8080 },
  { flag: 'workers', type: int(1, MAX_THREADS), help: 'server processes sharing the port, each with its own copy of the models (more answer more queries at once)', commands: ['serve'], default: 1 },
  { flag: 'tokenize', type: SWITCH, help: 'pairs: read a word the model does not hold with its tokenizer, as a phrase (the mean of its tokens)', negatedHelp: "pairs: skip a word the model does not hold instead of reading it with the model's tokenizer", onlyNegated: true, commands: ['evaluate'], default: true },
];

/**
 * The spec of `flag` as `command` takes it.
 * @throws Error when the table has no such option (a programming error)
 */
export function optionSpec(command: CommandName, flag: string): OptionSpec {
  const spec = OPTIONS.find((o) => o.flag === flag && o.commands.includes(command));
  if (!spec) throw new Error(`no option --${flag} for ${command}`);
  return spec;
}

/** The default of an option for a command (undefined: none, or one described by `defaultText`). */
export function optionDefault(spec: OptionSpec, command: CommandName): string | number | boolean | undefined {
  const d = spec.default;
  if (d === undefined || typeof d !== 'object') return d;
  return d[command];
}

/** The option as messages name it: `--dim`, or `-k` for an option with a one-letter alias. */
export function optionName(spec: OptionSpec): string {
  return spec.short && spec.flag === 'top' ? `-${spec.short}` : `--${spec.flag}`;
}

/**
 * Checks one value against its spec.
 * @returns the value
 * @throws OptionError naming the option, saying what it takes and what it got
 */
export function checkOption<T>(spec: OptionSpec, value: T): T {
  const name = optionName(spec);
  const type = spec.type;
  if (type.kind === 'integer') {
    const n = value as unknown as number;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < type.min || n > type.max) {
      throw new OptionError(`${name} must be an integer from ${type.min} to ${type.max} (got ${String(value)})`);
    }
  } else if (type.kind === 'number') {
    const n = value as unknown as number;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < type.min || (type.openMin && n === type.min) || n > type.max) {
      const range = type.openMin ? `above ${type.min} and up to ${type.max}` : `from ${type.min} to ${type.max}`;
      throw new OptionError(`${name} must be a number ${range} (got ${String(value)})`);
    }
  } else if (type.kind === 'choice') {
    if (!type.choices.includes(value as unknown as string)) {
      throw new OptionError(`${name} must be one of ${type.choices.join(', ')} (got "${String(value)}")`);
    }
  }
  return value;
}

/**
 * The value of `flag` for `command`: `value` checked, or the table's default when it is undefined.
 * @throws OptionError for a value outside the option's range
 */
export function resolveOption<T extends string | number | boolean>(command: CommandName, flag: string, value: T | undefined): T | undefined {
  const spec = optionSpec(command, flag);
  const resolved = value ?? (optionDefault(spec, command) as T | undefined);
  return resolved === undefined ? undefined : checkOption(spec, resolved);
}
