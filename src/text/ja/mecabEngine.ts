/**
 * The `ja` tokenizer's engine over a compiled MeCab dictionary (`--dict DIR`): MeCab's analysis
 * (`mecabLattice.ts`) and the dictionary's feature layout, which says where the part of speech and the base
 * form are:
 *
 * | layout | recognised by | part of speech | base form | symbols |
 * | --- | --- | --- | --- | --- |
 * | UniDic | dicrc lists `f[10]: orthBase` | f[0], f[1] | f[10] (orthBase) | 補助記号, 記号, 空白 |
 * | JUMAN | a 7-field `bos-feature` | f[0], f[1] | f[4] (原形) | 特殊 |
 * | IPADIC (and any other) | otherwise | f[0], f[1] | f[6] (原形) | 記号 |
 *
 * A field of `*` or nothing means none. Entry ids are sys.dic's token indices, then unk.dic's, then the
 * user dictionary's (see `mecabLattice.ts`).
 */
import { openMecabDictionaryFrom, type MecabDictionary, type MecabDictionaryTransfer } from './mecabDictionary.js';
import { splitFeatures } from './userDictionary.js';
import type { MecabLattice } from './mecabLattice.js';
import { createMecabAnalyzer } from './mecabLatticeWasm.js';
import { surfaceWriter, type MorphologyEngine } from './engine.js';
import type { Utf8Builder } from '../utf8Builder.js';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where a dictionary's features keep what the tokenizer needs. */
export interface FeatureLayout {
  readonly name: 'ipadic' | 'unidic' | 'juman';
  readonly baseField: number;
  readonly symbolTags: ReadonlySet<string>;
}

const LAYOUTS: Record<FeatureLayout['name'], FeatureLayout> = {
  ipadic: { name: 'ipadic', baseField: 6, symbolTags: new Set(['記号']) },
  unidic: { name: 'unidic', baseField: 10, symbolTags: new Set(['補助記号', '記号', '空白']) },
  juman: { name: 'juman', baseField: 4, symbolTags: new Set(['特殊']) },
};

/** The feature layout of a dictionary, from its dicrc (see the table above). */
export function featureLayout(dictionary: MecabDictionary): FeatureLayout {
  const dicrc = join(dictionary.dir, 'dicrc');
  const text = existsSync(dicrc) ? readFileSync(dicrc, 'utf8') : '';
  if (/^;\s*f\[10\]:\s*orthBase\s*$/m.test(text)) return LAYOUTS.unidic;
  if (dictionary.bosFeature.split(',').length === 7) return LAYOUTS.juman;
  return LAYOUTS.ipadic;
}

export { splitFeatures };

/** MeCab's analysis over a compiled dictionary, as a {@link MorphologyEngine}. */
export class MecabEngine implements MorphologyEngine {
  private readonly analyzer: MecabLattice;
  readonly layout: FeatureLayout;
  readonly entryCount: number;
  readonly knownEntries: number;
  readonly baseFormCount: number;
  readonly symbolTags: ReadonlySet<string>;
  tokenStart = new Int32Array(1024);
  tokenEnd = new Int32Array(1024);
  tokenEntry = new Int32Array(1024);
  readonly writeSurfaces?: (text: string, out: Utf8Builder) => void;
  private readonly tags = new Map<number, readonly [string, string]>();
  private readonly bases = new Map<number, string | null>();

  constructor(readonly dictionary: MecabDictionary) {
    this.analyzer = createMecabAnalyzer(dictionary);
    this.layout = featureLayout(dictionary);
    this.symbolTags = this.layout.symbolTags;
    this.knownEntries = dictionary.system.tokenWords.length / 8;
    this.entryCount = this.analyzer.entryCount;
    this.baseFormCount = this.entryCount;
    this.writeSurfaces = surfaceWriter(this.analyzer);
  }

  /** The analyser, for callers that want MeCab's own output (surfaces as bytes, features). */
  get mecab(): MecabLattice {
    return this.analyzer;
  }

  analyze(text: string): number {
    const a = this.analyzer;
    const n = a.analyze(text);
    if (this.tokenStart.length < n) {
      this.tokenStart = new Int32Array(2 * n);
      this.tokenEnd = new Int32Array(2 * n);
      this.tokenEntry = new Int32Array(2 * n);
    }
    const bytes = a.bytes;
    const unitAt = a.unitAt;
    // A key may end inside a character (JUMAN has such keys): a word is then cut at that character's start.
    const unit = (at: number) => {
      while ((bytes[at]! & 0xc0) === 0x80) at--;
      return unitAt[at]!;
    };
    for (let i = 0; i < n; i++) {
      this.tokenStart[i] = unit(a.tokenStart[i]!);
      this.tokenEnd[i] = unit(a.tokenEnd[i]!);
      this.tokenEntry[i] = a.tokenIndex[i]!;
    }
    return n;
  }

  private featureOf(entry: number): string {
    return this.analyzer.entryFeature(entry);
  }

  partOfSpeech(entry: number): readonly [string, string] {
    let tags = this.tags.get(entry);
    if (!tags) {
      const fields = splitFeatures(this.featureOf(entry));
      tags = [fields[0] ?? '*', fields[1] ?? '*'];
      this.tags.set(entry, tags);
    }
    return tags;
  }

  baseFormId(entry: number): number {
    let base = this.bases.get(entry);
    if (base === undefined) {
      const field = splitFeatures(this.featureOf(entry))[this.layout.baseField];
      base = field === undefined || field === '' || field === '*' ? null : field;
      this.bases.set(entry, base);
    }
    return base === null ? -1 : entry;
  }

  baseForm(id: number): string {
    this.baseFormId(id);
    return this.bases.get(id) ?? '';
  }

  sanitize(line: string): string {
    return line;
  }

  /** MeCab's surface: its bytes decoded, even where a key ended inside a character. */
  surface(text: string, i: number): string {
    return this.analyzer.surface(text, i);
  }

  feature(i: number): string {
    return this.featureOf(this.tokenEntry[i]!);
  }
}

/** Opens the engine on a dictionary another thread read (a fresh connection matrix of this thread's own). */
export function mecabEngineFrom(transfer: MecabDictionaryTransfer): MecabEngine {
  return new MecabEngine(openMecabDictionaryFrom(transfer));
}
