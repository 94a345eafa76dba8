/**
 * The `ja` tokenizer: morphological analysis over IPADIC (the dictionary of MeCab's IPADIC, as kuromoji
 * 0.1.2 ships it) with kotovec's own lattice engine (`ja/lattice.ts`), which gives kuromoji's tokens
 * exactly. On top of the analysis: the form kept (surface or base form) and the part-of-speech filter.
 *
 * Characters kuromoji cannot take (control characters but tab, lone surrogates) are replaced with spaces
 * first, so the tokens are those kuromoji gives for the sanitised line. The dictionary is loaded once per
 * process and can be handed to other threads without a copy ({@link JapaneseAnalysis.dictionary}).
 */
import type { TokenCounter } from './tokenizePool.js';
import type { SlotBuffer } from './directTokens.js';
import { hashRange, hashWord } from '../vocab/counter.js';
import { dictionaryString, loadDictionary, openDictionaryImage, type JapaneseDictionary } from './ja/dictionary.js';
import { LatticeAnalyzer } from './ja/lattice.js';
import type { TokenizerConfig } from './tokenizers.js';

// Control characters (but tab) and lone surrogates make kuromoji throw.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// eslint-disable-next-line no-control-regex
const MAYBE_UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f\ud800-\udfff]/;

/** Replaces the characters kuromoji cannot take (control characters but tab, lone surrogates) with spaces. */
export function sanitizeForKuromoji(line: string): string {
  return MAYBE_UNSAFE.test(line) ? line.replace(UNSAFE, ' ') : line;
}

// IPADIC tags half-width punctuation (what NFKC makes of ！？「」) as 名詞-サ変接続, so symbols are also
// recognised by their characters.
/** A text of whitespace alone. */
const BLANK = /^\s*$/;
const ONLY_SYMBOLS = /^[\p{P}\p{S}\s]+$/u;

const UNDECIDED = 0;
const KEEP = 1;
const DROP = 2;

/**
 * The `ja` tokenizer over one dictionary: tokens as strings ({@link tokenize}) or counted straight into a
 * word counter ({@link count}).
 */
export class JapaneseAnalysis {
  private readonly analyzer: LatticeAnalyzer;
  private readonly baseForm: boolean;
  private readonly keepAll: boolean;
  private readonly wanted: Set<string> | null;
  /** Per entry: the filter's decision (known entries only; unknown ones depend on their text). */
  private readonly decision: Uint8Array;
  private readonly baseStrings: (string | undefined)[] = [];
  private readonly baseHashes: Int32Array;

  /**
   * @param dictionary the dictionary (see {@link loadDictionary})
   * @param config the forms and parts of speech to keep
   */
  constructor(
    readonly dictionary: JapaneseDictionary,
    config: Pick<TokenizerConfig, 'baseForm' | 'pos'>,
  ) {
    this.analyzer = new LatticeAnalyzer(dictionary);
    this.baseForm = config.baseForm;
    this.keepAll = config.pos.length === 1 && config.pos[0] === 'all';
    this.wanted = config.pos.length === 0 || this.keepAll ? null : new Set(config.pos);
    this.decision = new Uint8Array(dictionary.entryBase.length);
    this.baseHashes = new Int32Array(dictionary.stringStart.length);
  }

  /** Whether the token of `entry` over text[start … end) passes the part-of-speech filter (never a blank one). */
  private keeps(text: string, start: number, end: number, entry: number): boolean {
    // Whitespace is never a word, whatever the filter (NFKC makes U+3000 a space, and the lattice gives it).
    if (this.keepAll) return end > start && !BLANK.test(text.slice(start, end));
    const known = entry < this.dictionary.knownEntries;
    if (known) {
      const decided = this.decision[entry]!;
      if (decided !== UNDECIDED) return decided === KEEP;
    }
    const [pos, detail] = this.dictionary.partsOfSpeech[this.dictionary.entries[4 * entry + 3]!]!;
    let keep: boolean;
    const surface = text.slice(start, end);
    const isSpace = detail === '空白' || surface.trim() === '';
    if (isSpace || ONLY_SYMBOLS.test(surface)) keep = false;
    else if (this.wanted === null) keep = pos !== '記号';
    else keep = this.wanted.has(pos) || this.wanted.has(`${pos}-${detail}`);
    if (known) this.decision[entry] = keep ? KEEP : DROP;
    return keep;
  }

  private baseString(id: number): string {
    let s = this.baseStrings[id];
    if (s === undefined) {
      s = dictionaryString(this.dictionary, id);
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
    const text = sanitizeForKuromoji(line);
    const a = this.analyzer;
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
      spans[3 * kept + 2] = this.baseForm ? this.dictionary.entryBase[entry]! : -1;
      kept++;
    }
    return { text, count: kept };
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
 * Builds the `ja` tokenizer for a configuration.
 * @param config forms and parts of speech
 * @param shared a dictionary image another thread loaded (its `buffer`), to use without a copy
 * @throws KotovecError TOKENIZER when the dictionary cannot be loaded
 */
export async function createJapaneseAnalysis(
  config: Pick<TokenizerConfig, 'baseForm' | 'pos'>,
  shared?: SharedArrayBuffer,
): Promise<JapaneseAnalysis> {
  const dictionary = shared ? openDictionaryImage(shared) : await loadDictionary();
  return new JapaneseAnalysis(dictionary, config);
}
