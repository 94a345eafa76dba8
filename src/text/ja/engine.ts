/**
 * What the `ja` tokenizer reads from a morphological engine, whichever dictionary is behind it: the built-in
 * image with kuromoji's rules ({@link BuiltinEngine}) or a compiled MeCab dictionary with MeCab's
 * (`mecabEngine.ts`). Tokens are UTF-16 ranges of the line and entry ids; the tags and base forms of an entry
 * are the same on every thread that opened the same dictionary, so ids can cross threads.
 */
import { dictionaryString, type JapaneseDictionary } from './dictionaryImage.js';
import { LatticeAnalyzer, type TokenLattice } from './lattice.js';
import { createWasmLattice } from './latticeWasm.js';
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

/** The built-in IPADIC image with kuromoji's exact rules (`lattice.ts`). */
export class BuiltinEngine implements MorphologyEngine {
  private readonly analyzer: TokenLattice;
  readonly writeSurfaces?: (text: string, out: Utf8Builder) => void;
  readonly entryCount: number;
  readonly knownEntries: number;
  readonly baseFormCount: number;
  readonly symbolTags = IPADIC_SYMBOLS;

  /** @param dictionary the built-in image */
  constructor(readonly dictionary: JapaneseDictionary) {
    // The WebAssembly lattice where it can be had (its TypeScript twin otherwise).
    this.analyzer = createWasmLattice(dictionary) ?? new LatticeAnalyzer(dictionary);
    this.writeSurfaces = surfaceWriter(this.analyzer);
    this.knownEntries = dictionary.knownEntries;
    this.entryCount = dictionary.entryBase.length;
    this.baseFormCount = dictionary.stringStart.length;
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
    return this.dictionary.partsOfSpeech[this.dictionary.entries[4 * entry + 3]!]!;
  }

  baseFormId(entry: number): number {
    return this.dictionary.entryBase[entry]!;
  }

  baseForm(id: number): string {
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
