/**
 * The `ja` tokenizer: morphological analysis by one of two engines behind one interface (`ja/engine.ts`) —
 * the built-in IPADIC (the dictionary of MeCab's IPADIC, as kuromoji 0.1.2 ships it) with kotovec's own
 * lattice, which gives kuromoji's tokens exactly, or any compiled MeCab dictionary (`--dict DIR`) with
 * MeCab's own rules (`ja/mecabLattice.ts`), which gives `mecab -d DIR`'s tokens. On top of the analysis:
 * the form kept (surface or base form) and the part-of-speech filter.
 *
 * The built-in engine replaces the characters kuromoji cannot take (control characters but tab, lone
 * surrogates) with spaces first. A dictionary is loaded once per process and can be handed to other threads
 * without a copy ({@link engineShare}).
 */
import type { TokenCounter } from './tokenizePool.js';
import type { SlotBuffer } from './directTokens.js';
import { hashRange, hashWord } from '../vocab/counter.js';
import { loadDictionary, openDictionaryImage } from './ja/dictionary.js';
import { BuiltinEngine, type MorphologyEngine } from './ja/engine.js';
import type { TokenizerConfig } from './tokenizers.js';
import type { MecabDictionary, MecabDictionaryTransfer } from './ja/mecabDictionary.js';
import { ErrorCodes, KotovecError } from '../errors.js';
import type { Utf8Builder } from './utf8Builder.js';

export { sanitizeForKuromoji } from './ja/engine.js';

/** Whether `c` is a code unit JavaScript's `\s` matches. */
function isSpaceUnit(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Whether text[start … end) is whitespace alone (or empty). */
export function isBlankRange(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isSpaceUnit(text.charCodeAt(i))) return false;
  return true;
}
// IPADIC tags half-width punctuation (what NFKC makes of ！？「」) as 名詞-サ変接続, so symbols are also
// recognised by their characters.
const ONLY_SYMBOLS = /^[\p{P}\p{S}\s]+$/u;

const UNDECIDED = 0;
const KEEP = 1;
const DROP = 2;

/**
 * The `ja` tokenizer over one dictionary: tokens as strings ({@link tokenize}) or counted straight into a
 * word counter ({@link count}).
 */
export class JapaneseAnalysis {
  private readonly baseForm: boolean;
  private readonly keepAll: boolean;
  private readonly wanted: Set<string> | null;
  /** Per entry: the filter's decision (known entries only; unknown ones depend on their text). */
  private readonly decision: Uint8Array;
  private readonly baseStrings: (string | undefined)[] = [];
  private readonly baseHashes: Int32Array;

  /**
   * @param engine the analyser and its dictionary
   * @param config the forms and parts of speech to keep
   */
  constructor(
    readonly engine: MorphologyEngine,
    config: Pick<TokenizerConfig, 'baseForm' | 'pos'>,
  ) {
    this.baseForm = config.baseForm;
    this.keepAll = config.pos.length === 1 && config.pos[0] === 'all';
    this.wanted = config.pos.length === 0 || this.keepAll ? null : new Set(config.pos);
    this.decision = new Uint8Array(engine.entryCount);
    this.baseHashes = new Int32Array(engine.baseFormCount);
  }

  /** Whether the token of `entry` over text[start … end) passes the part-of-speech filter (never a blank one). */
  private keeps(text: string, start: number, end: number, entry: number): boolean {
    // Whitespace is never a word, whatever the filter (NFKC makes U+3000 a space, and the lattice gives it).
    if (this.keepAll) return !isBlankRange(text, start, end);
    const known = entry < this.engine.knownEntries;
    if (known) {
      const decided = this.decision[entry]!;
      if (decided !== UNDECIDED) return decided === KEEP;
    }
    const [pos, detail] = this.engine.partOfSpeech(entry);
    let keep: boolean;
    const surface = text.slice(start, end);
    const isSpace = detail === '空白' || surface.trim() === '';
    if (isSpace || ONLY_SYMBOLS.test(surface)) keep = false;
    else if (this.wanted === null) keep = !this.engine.symbolTags.has(pos);
    else keep = this.wanted.has(pos) || this.wanted.has(`${pos}-${detail}`);
    if (known) this.decision[entry] = keep ? KEEP : DROP;
    return keep;
  }

  private baseString(id: number): string {
    let s = this.baseStrings[id];
    if (s === undefined) {
      s = this.engine.baseForm(id);
      this.baseStrings[id] = s;
      this.baseHashes[id] = hashWord(s);
    }
    return s;
  }

  /**
   * Analyses one (normalised) line and keeps the tokens that pass the filter as spans: for token i,
   * `spans[3i]` and `spans[3i + 1]` its range in the sanitised line, `spans[3i + 2]` its base-form string id
   * (-1: the token is its surface form).
   * @param line the line
   * @returns the sanitised line the spans point into, and the number of tokens kept
   */
  analyze(line: string): { text: string; count: number } {
    const text = this.engine.sanitize(line);
    const a = this.engine;
    const n = a.analyze(text);
    if (this.spans.length < 3 * n) this.spans = new Int32Array(Math.max(3 * n, 2 * this.spans.length));
    const spans = this.spans;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const start = a.tokenStart[i]!;
      const end = a.tokenEnd[i]!;
      const entry = a.tokenEntry[i]!;
      if (!this.keeps(text, start, end, entry)) continue;
      spans[3 * kept] = start;
      spans[3 * kept + 1] = end;
      spans[3 * kept + 2] = this.baseForm ? a.baseFormId(entry) : -1;
      kept++;
    }
    return { text, count: kept };
  }

  /**
   * The tokens of one (normalised) line that pass the filter, with their features, as MeCab prints them
   * (`surface<TAB>features`; the base form instead of the surface when base forms are kept). With every
   * part of speech kept, whitespace tokens are rows too, as in MeCab's output (a row cannot be misread).
   */
  describe(line: string): string[] {
    const text = this.engine.sanitize(line);
    const e = this.engine;
    const n = e.analyze(text);
    const rows: string[] = [];
    for (let i = 0; i < n; i++) {
      const entry = e.tokenEntry[i]!;
      if (!this.keepAll && !this.keeps(text, e.tokenStart[i]!, e.tokenEnd[i]!, entry)) continue;
      const base = this.baseForm ? e.baseFormId(entry) : -1;
      rows.push(`${base >= 0 ? this.baseString(base) : e.surface(text, i)}\t${e.feature(i)}`);
    }
    return rows;
  }

  /** Spans of the last {@link analyze} call. */
  spans = new Int32Array(3 * 1024);

  /**
   * Tokens of one (normalised) line.
   * @param line the line
   * @returns the tokens kept, as surface or base forms
   */
  tokenize(line: string): string[] {
    const { text, count } = this.analyze(line);
    const tokens: string[] = new Array(count);
    const spans = this.spans;
    for (let i = 0; i < count; i++) {
      const base = spans[3 * i + 2]!;
      tokens[i] = base >= 0 ? this.baseString(base) : text.slice(spans[3 * i]!, spans[3 * i + 1]!);
    }
    return tokens;
  }

  /**
   * Writes the tokens of one (normalised) line as `tokenize` prints them — space-separated, then a newline —
   * straight from the line into `out`, without a string per token.
   */
  writeTokens(line: string, out: Utf8Builder): void {
    const engine = this.engine;
    if (this.keepAll && !this.baseForm && engine.writeSurfaces) {
      // Every token's surface but whitespace: the engine writes them itself.
      engine.writeSurfaces(engine.sanitize(line), out);
      return;
    }
    const { text, count } = this.analyze(line);
    const spans = this.spans;
    for (let i = 0; i < count; i++) {
      if (i > 0) out.appendByte(0x20);
      const base = spans[3 * i + 2]!;
      if (base >= 0) out.appendString(this.baseString(base));
      else out.appendRange(text, spans[3 * i]!, spans[3 * i + 1]!);
    }
    out.appendByte(0x0a);
  }

  /**
   * Tokenizes one line and counts its tokens at once (see {@link countSpans}).
   * @returns the number of tokens counted
   */
  count(line: string, counter: TokenCounter, buffer: SlotBuffer): number {
    const { text, count } = this.analyze(line);
    return this.countSpans(text, this.spans, 0, count, counter, buffer);
  }

  /**
   * Counts `count` tokens given as spans (from `spans[3 * from]` on, laid out as {@link analyze} lays
   * them) of `text`, writing their slots into `buffer.slots` (grown as needed). Surface forms are counted
   * from their place in the text, so only words the counter has not seen become strings.
   * @returns `count`
   */
  countSpans(text: string, spans: Int32Array, from: number, count: number, counter: TokenCounter, buffer: SlotBuffer): number {
    if (buffer.slots.length < count) buffer.slots = new Int32Array(Math.max(count, buffer.slots.length * 2));
    const slots = buffer.slots;
    for (let i = 0; i < count; i++) {
      const at = 3 * (from + i);
      const base = spans[at + 2]!;
      if (base >= 0) {
        const word = this.baseString(base);
        slots[i] = counter.addRange(word, 0, word.length, this.baseHashes[base]!, null);
      } else {
        const start = spans[at]!;
        const end = spans[at + 1]!;
        slots[i] = counter.addRange(text, start, end, hashRange(text, start, end), null);
      }
    }
    return count;
  }
}

/**
 * What a thread hands another so that it opens the same dictionary without reading it again: the built-in
 * image's shared memory, or a MeCab dictionary's shared files (with a user dictionary's entries).
 */
export type EngineShare = WebAssembly.Memory | MecabDictionaryTransfer;

const mecabOpenings = new Map<string, Promise<MecabDictionary>>();
const mecabWithUser = new Map<string, MecabDictionary>();

/**
 * The engine share of a configuration in this process: the built-in image, or the MeCab dictionary the
 * configuration names (read once per process and folder), with its user dictionary.
 * @throws KotovecError TOKENIZER when the dictionary is missing, damaged, or not the one the configuration
 *   was made with (its fingerprint differs), or a line of the user dictionary is malformed
 */
export async function engineShare(config: Pick<TokenizerConfig, 'dictionary' | 'userDictionary'>): Promise<EngineShare> {
  const ref = config.dictionary;
  const user = config.userDictionary;
  if (!ref && !user) return (await loadDictionary()).memory;
  // The built-in IPADIC with a user dictionary: MeCab's rules over its MeCab files (`ja/builtinMecab.ts`),
  // so that the tokens equal `mecab -u`.
  const path = ref ? ref.path : await import('./ja/builtinMecab.js').then(({ builtinMecabDictionaryDir }) => builtinMecabDictionaryDir());
  // The opening itself is kept, so that callers at once (two configurations, a pool's threads) share one read.
  let opening = mecabOpenings.get(path);
  if (!opening) {
    // A big matrix gets its cached head (made the first time: `ja/matrixHeadOrder.ts`) before any thread reads it.
    opening = import('./ja/mecabDictionary.js')
      .then(({ openMecabDictionary }) => openMecabDictionary(path))
      .then(async (dictionary) => {
        const { ensureMatrixHead } = await import('./ja/matrixHeadOrder.js');
        ensureMatrixHead(dictionary);
        return dictionary;
      });
    mecabOpenings.set(path, opening);
  }
  let dictionary: MecabDictionary;
  try {
    dictionary = await opening;
  } catch (error) {
    mecabOpenings.delete(path);
    if (error instanceof KotovecError && ref?.fingerprint) {
      throw new KotovecError(ErrorCodes.TOKENIZER, `this model reads text with the MeCab dictionary ${ref.name} (${ref.path}), which cannot be read here: ${error.message}`);
    }
    throw error;
  }
  if (ref?.fingerprint && ref.fingerprint !== dictionary.fingerprint) {
    throw new KotovecError(ErrorCodes.TOKENIZER, `the MeCab dictionary at ${ref.path} is not the ${ref.name} this model was trained with (fingerprint ${dictionary.fingerprint}, not ${ref.fingerprint})`);
  }
  if (!user) return dictionary.transfer;
  const key = `${path}\0${user.name}\0${user.text}`;
  let withUser = mecabWithUser.get(key);
  if (!withUser) {
    const { withUserDictionary } = await import('./ja/mecabDictionary.js');
    withUser = withUserDictionary(dictionary, user.text, user.name);
    mecabWithUser.set(key, withUser);
  }
  return withUser.transfer;
}

async function openEngine(share: EngineShare): Promise<MorphologyEngine> {
  if (share instanceof WebAssembly.Memory) return new BuiltinEngine(openDictionaryImage(share));
  const { mecabEngineFrom } = await import('./ja/mecabEngine.js');
  return mecabEngineFrom(share);
}

/**
 * Builds the `ja` tokenizer for a configuration.
 * @param config forms, parts of speech and dictionary
 * @param shared a dictionary another thread loaded ({@link engineShare}), to use without a copy
 * @throws KotovecError TOKENIZER when the dictionary cannot be loaded
 */
export async function createJapaneseAnalysis(
  config: Pick<TokenizerConfig, 'baseForm' | 'pos' | 'dictionary' | 'userDictionary'>,
  shared?: EngineShare,
): Promise<JapaneseAnalysis> {
  return new JapaneseAnalysis(await openEngine(shared ?? (await engineShare(config))), config);
}
