/**
 * Tokenizers behind one interface. A tokenizer turns one (already normalised) line into tokens.
 *
 * - `simple`: runs of Unicode letters, digits and underscore — the tokens of Python's
 *   `re.findall(r"\w+", line)`; lowercasing is done by the normaliser (on by default for `simple`).
 * - `whitespace`: split on whitespace only, for pre-tokenized corpora.
 * - `ja`: Japanese morphology over IPADIC with kuromoji's exact tokens, see `japanese.ts`.
 */
import { OptionError } from '../errors.js';
import { createNormalizer, type NormalizationForm } from './normalize.js';
import { Phraser, TokenAtoms, type PhraseTable } from './phrases.js';

/** The tokenizers kotovec offers. */
export type TokenizerKind = 'simple' | 'whitespace' | 'ja';

/** Every setting that decides how text becomes tokens; stored in each model so queries tokenize alike. */
export interface TokenizerConfig {
  /** Which tokenizer. */
  kind: TokenizerKind;
  /** Unicode normalisation before tokenizing. */
  normalize: NormalizationForm;
  /** Lowercase before tokenizing. */
  lowercase: boolean;
  /** `ja` only: dictionary (base) forms instead of surface forms. */
  baseForm: boolean;
  /**
   * `ja` only: parts of speech to keep (IPADIC names such as 名詞 or 名詞-固有名詞; tokens of symbols
   * only are dropped whatever their tag); `['all']` keeps every token; empty keeps everything but symbols
   * and whitespace.
   */
  pos: string[];
  /**
   * `ja` only: a compiled MeCab dictionary read with MeCab's rules instead of the built-in IPADIC (absent).
   * The fingerprint, when set, must match the folder's files (a model remembers the one it was trained with).
   */
  dictionary?: DictionaryRef;
  /**
   * `ja` only: a user dictionary (`--user-dict`) searched after the dictionary's words, with the built-in
   * IPADIC or a MeCab dictionary. Its CSV is kept whole, so a model reads text as training did.
   */
  userDictionary?: UserDictionaryRef;
  /**
   * Phrases joined after tokenizing (`train --phrases`): a model keeps its table here, so that every query
   * reads `new york` as the token `new_york` as training did. Absent: no phrases.
   */
  phrases?: PhraseTable;
}

/** A compiled MeCab dictionary as a configuration names it. */
export interface DictionaryRef {
  /** The folder, absolute. */
  path: string;
  /** Its name (the folder's), for messages. */
  name: string;
  /** A fingerprint of its files (see `ja/mecabDictionary.ts`); empty: not checked. */
  fingerprint: string;
}

/** A user dictionary in MeCab's CSV (see `ja/userDictionary.ts`): its file's name and its text. */
export interface UserDictionaryRef {
  name: string;
  text: string;
}

/** Turns one line of text into tokens. */
export interface Tokenizer {
  /** The configuration it was built from. */
  readonly config: TokenizerConfig;
  /** Normalises and tokenizes one line. */
  tokenize(line: string): string[];
}

/** The kinds accepted by {@link resolveTokenizerConfig}. */
export const TOKENIZER_KINDS: readonly TokenizerKind[] = ['simple', 'whitespace', 'ja'];

/** The content words: what `--pos content` keeps. */
export const CONTENT_WORDS: readonly string[] = ['名詞', '動詞', '形容詞', '副詞'];

/**
 * Named sets of parts of speech: `all` (every token), `words` (all but symbols and whitespace),
 * `content` ({@link CONTENT_WORDS}).
 */
export const POS_SETS: Readonly<Record<string, readonly string[]>> = { all: ['all'], words: [], content: CONTENT_WORDS };

/**
 * `ja` defaults: surface forms of every word but symbols, as MeCab's tokens are used — chosen from the TMU
 * word-similarity figures (README's Japanese section): base forms of content words lift verbs but cost nouns
 * most of their score at gensim's learning rate.
 */
export const JA_DEFAULTS = { baseForm: false, pos: 'words' } as const;

/**
 * Fills in the defaults of a tokenizer configuration and validates it.
 * @param partial what the user set; `kind` defaults to `simple`
 * @returns a complete configuration
 * @throws OptionError for an unknown tokenizer or normalisation form
 */
export function resolveTokenizerConfig(partial: Partial<TokenizerConfig> = {}): TokenizerConfig {
  const kind = partial.kind ?? 'simple';
  if (!TOKENIZER_KINDS.includes(kind)) {
    throw new OptionError(`--tokenizer must be one of ${TOKENIZER_KINDS.join(', ')} (got "${kind}")`);
  }
  const normalize = partial.normalize ?? 'NFKC';
  if (!['NFKC', 'NFC', 'none'].includes(normalize)) {
    throw new OptionError(`--normalize must be one of NFKC, NFC, none (got "${normalize}")`);
  }
  const named = (partial.pos ?? [kind === 'ja' ? JA_DEFAULTS.pos : 'words']).map((p) => p.trim()).filter((p) => p.length > 0);
  const pos = named.length === 1 && POS_SETS[named[0]!] ? [...POS_SETS[named[0]!]!] : named;
  if (partial.dictionary && kind !== 'ja') throw new OptionError('--dict is for --tokenizer ja');
  if (partial.userDictionary && kind !== 'ja') throw new OptionError('--user-dict is for --tokenizer ja');
  if (pos.length > 1 && pos.includes('all')) throw new OptionError('--pos all keeps every token: give it alone');
  return {
    kind,
    normalize,
    lowercase: partial.lowercase ?? kind === 'simple',
    baseForm: partial.baseForm ?? (kind === 'ja' && JA_DEFAULTS.baseForm),
    pos,
    ...(partial.dictionary ? { dictionary: partial.dictionary } : {}),
    ...(partial.userDictionary ? { userDictionary: partial.userDictionary } : {}),
    ...(partial.phrases ? { phrases: partial.phrases } : {}),
  };
}

/**
 * The phrase stage of a configuration: a function that joins a line's tokens, or null without phrases.
 * @param remember keep the tokens seen (a corpus); false for queries (see `Phraser.apply`)
 */
export function phraseStage(config: TokenizerConfig, remember = true): ((tokens: string[]) => string[]) | null {
  const table = config.phrases;
  if (!table) return null;
  const atoms = new TokenAtoms(table.settings.delimiter, table.settings.connectors, config.kind === 'ja');
  const phraser = new Phraser(atoms, table.passes, table.settings.threshold);
  return (tokens) => phraser.apply(tokens, remember);
}

// Python's \w in Unicode mode: letters (L*), numbers (N*) and the underscore.
const WORD_UNICODE = /[\p{L}\p{N}_]+/gu;
const WORD_ASCII = /\w+/g;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
const WHITESPACE = /\s+/;

/** Tokens of Python's `re.findall(r"\w+", line)` (Unicode-aware). */
export function simpleTokens(line: string): string[] {
  const regex = NON_ASCII.test(line) ? WORD_UNICODE : WORD_ASCII;
  return line.match(regex) ?? [];
}

/** Tokens separated by whitespace, nothing else changed. */
export function whitespaceTokens(line: string): string[] {
  const parts = line.split(WHITESPACE);
  if (parts.length > 0 && parts[0] === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * Builds a tokenizer. The Japanese one loads kuromoji's dictionary (once per process, a few seconds).
 * @param partial tokenizer settings; missing ones take their defaults
 * @throws OptionError for invalid settings; KotovecError TOKENIZER if the dictionary cannot be loaded
 */
export async function createTokenizer(partial: Partial<TokenizerConfig> = {}): Promise<Tokenizer> {
  const config = resolveTokenizerConfig(partial);
  // A tokenizer answers queries and single lines: the phrase stage forgets their words after each line.
  const phrases = phraseStage(config, false);
  if (phrases) {
    const base = await createTokenizer({ ...config, phrases: undefined });
    return { config, tokenize: (line) => phrases(base.tokenize(line)) };
  }
  const normalize = createNormalizer({ form: config.normalize, lowercase: config.lowercase });
  if (config.kind === 'simple') return { config, tokenize: (line) => simpleTokens(normalize(line)) };
  if (config.kind === 'whitespace') return { config, tokenize: (line) => whitespaceTokens(normalize(line)) };
  const { createJapaneseAnalysis } = await import('./japanese.js');
  const japanese = await createJapaneseAnalysis(config);
  return { config, tokenize: (line) => japanese.tokenize(normalize(line)) };
}
