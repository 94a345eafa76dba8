/**
 * What the `ja` tokenizer reads from a morphological engine, whichever dictionary is behind it: the built-in
 * image with kuromoji's rules ({@link BuiltinEngine}) or a compiled MeCab dictionary with MeCab's
 * (`mecabEngine.ts`). Tokens are UTF-16 ranges of the line and entry ids; the tags and base forms of an entry
 * are the same on every thread that opened the same dictionary, so ids can cross threads.
 */
import { dictionaryString, type JapaneseDictionary } from './dictionaryImage.js';
import { LatticeAnalyzer, type TokenLattice } from './lattice.js';
import { createWasmLattice } from './latticeWasm.js';
import { splitFeatures, UserLexicon, type UserEntries } from './userDictionary.js';
import type { Utf8Builder } from '../utf8Builder.js';

/** A morphological analyser over one dictionary, as the `ja` tokenizer uses it. */
export interface MorphologyEngine {
  /** Analyses one line; returns the number of tokens ({@link tokenStart}, {@link tokenEnd}, {@link tokenEntry}). */
  analyze(text: string): number;
  /** UTF-16 range in the line and entry of each token of the last {@link analyze} call. */
  readonly tokenStart: Int32Array;
  readonly tokenEnd: Int32Array;
  readonly tokenEntry: Int32Array;
  /** Entry ids are below this. */
  readonly entryCount: number;
  /** Entries below this are dictionary words; above, unknown-word entries (whose tags hold for any text). */
  readonly knownEntries: number;
  /** Part of speech of an entry: its first two levels (名詞, 固有名詞). */
  partOfSpeech(entry: number): readonly [string, string];
  /** The id of an entry's base form (-1: the surface is the base form); ids are below {@link baseFormCount}. */
  baseFormId(entry: number): number;
  readonly baseFormCount: number;
  /** The base form of an id. */
  baseForm(id: number): string;
  /** First-level tags of symbols and whitespace (dropped unless every token is kept). */
  readonly symbolTags: ReadonlySet<string>;
  /** Replaces the characters the engine cannot take. */
  sanitize(line: string): string;
  /** The surface of token i of the last analysis of `text`, as the engine's own output would print it. */
  surface(text: string, i: number): string;
  /** The features of token i of the last analysis, comma-separated as the dictionary gives them. */
  feature(i: number): string;
  /**
   * Where the engine can, in one step: analyses `text` and appends the surfaces of its tokens, but those of
   * whitespace alone, to `out` as UTF-8, one space between them and a newline after (what `tokenize --pos
   * all --no-base-form` prints). {@link tokenStart} and the others are then not this text's.
   */
  readonly writeSurfaces?: (text: string, out: Utf8Builder) => void;
}

/**
 * An engine's {@link MorphologyEngine.writeSurfaces} over its analyser: analyse, then let the analyser write
 * the surfaces; undefined when the analyser cannot write them (its TypeScript twin).
 */
export function surfaceWriter(analyser: {
  analyze(text: string): number;
  writeSurfaces?(out: Utf8Builder): void;
}): ((text: string, out: Utf8Builder) => void) | undefined {
  if (!analyser.writeSurfaces) return undefined;
  return (text, out) => {
    analyser.analyze(text);
    analyser.writeSurfaces!(out);
  };
}

// Control characters (but tab) and lone surrogates make kuromoji throw.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// eslint-disable-next-line no-control-regex
const MAYBE_UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f\ud800-\udfff]/;

/** Replaces the characters kuromoji cannot take (control characters but tab, lone surrogates) with spaces. */
export function sanitizeForKuromoji(line: string): string {
  return MAYBE_UNSAFE.test(line) ? line.replace(UNSAFE, ' ') : line;
}

const IPADIC_SYMBOLS: ReadonlySet<string> = new Set(['記号']);

/** IPADIC's field of the base form (原形) in a feature string. */
const IPADIC_BASE_FIELD = 6;

/**
 * The built-in IPADIC image with kuromoji's exact rules (`lattice.ts`), and a user dictionary's words when
 * one is given (entries from {@link LatticeAnalyzer.userBase}; their base forms follow the image's strings).
 */
export class BuiltinEngine implements MorphologyEngine {
  private readonly analyzer: TokenLattice;
  readonly writeSurfaces?: (text: string, out: Utf8Builder) => void;
  readonly entryCount: number;
  readonly knownEntries: number;
  readonly baseFormCount: number;
  readonly symbolTags = IPADIC_SYMBOLS;
  private readonly userBase: number;
  private readonly userTags: (readonly [string, string])[] = [];
  /** Per user entry: the id of its base form (-1: its surface), and those forms. */
  private readonly userBaseIds: Int32Array;
  private readonly userBaseForms: string[] = [];

  /**
   * @param dictionary the built-in image
   * @param user a user dictionary's entries, resolved against the image (`resolveBuiltinUserEntries`)
   */
  constructor(
    readonly dictionary: JapaneseDictionary,
    readonly user: UserEntries | null = null,
  ) {
    // The WebAssembly lattice where it can be had (its TypeScript twin otherwise).
    const lexicon = user ? new UserLexicon(user, 'utf16') : null;
    this.analyzer = createWasmLattice(dictionary, lexicon) ?? new LatticeAnalyzer(dictionary, lexicon);
    this.userBase = this.analyzer.userBase;
    this.writeSurfaces = surfaceWriter(this.analyzer);
    this.knownEntries = dictionary.knownEntries;
    const strings = dictionary.stringStart.length;
    const features = user?.features ?? [];
    this.userBaseIds = new Int32Array(features.length).fill(-1);
    features.forEach((feature, k) => {
      const fields = splitFeatures(feature);
      this.userTags.push([fields[0] ?? '*', fields[1] ?? '*']);
      const base = fields[IPADIC_BASE_FIELD];
      if (base !== undefined && base !== '' && base !== '*') {
        this.userBaseIds[k] = strings + this.userBaseForms.length;
        this.userBaseForms.push(base);
      }
    });
    this.entryCount = this.userBase + features.length;
    this.baseFormCount = strings + this.userBaseForms.length;
  }

  analyze(text: string): number {
    return this.analyzer.analyze(text);
  }

  get tokenStart(): Int32Array {
    return this.analyzer.tokenStart;
  }

  get tokenEnd(): Int32Array {
    return this.analyzer.tokenEnd;
  }

  get tokenEntry(): Int32Array {
    return this.analyzer.tokenEntry;
  }

  partOfSpeech(entry: number): readonly [string, string] {
    if (entry >= this.userBase) return this.userTags[entry - this.userBase]!;
    return this.dictionary.partsOfSpeech[this.dictionary.entries[4 * entry + 3]!]!;
  }

  baseFormId(entry: number): number {
    if (entry >= this.userBase) return this.userBaseIds[entry - this.userBase]!;
    return this.dictionary.entryBase[entry]!;
  }

  baseForm(id: number): string {
    const strings = this.dictionary.stringStart.length;
    if (id >= strings) return this.userBaseForms[id - strings]!;
    return dictionaryString(this.dictionary, id);
  }

  sanitize(line: string): string {
    return sanitizeForKuromoji(line);
  }

  surface(text: string, i: number): string {
    return text.slice(this.tokenStart[i], this.tokenEnd[i]);
  }

  /** The image keeps two levels of part of speech and the base form: `名詞,固有名詞,東京`. */
  feature(i: number): string {
    const entry = this.tokenEntry[i]!;
    const base = this.baseFormId(entry);
    return [...this.partOfSpeech(entry), base >= 0 ? this.baseForm(base) : '*'].join(',');
  }
}
