/**
 * The layout of the Japanese dictionary image (see dictionary.ts): its format constants, the arrays it
 * holds ({@link JapaneseDictionary}) and how they are opened over one buffer. Apart from the loader, so that
 * the builder (buildDictionary.ts) and the lattice read the layout without importing the loader, which
 * imports the builder.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ErrorCodes, KotovecError } from '../../errors.js';

/** First int of an image. */
export const DICTIONARY_MAGIC = 0x4b564a44; // "KVJD"
/** Bumped whenever the image layout changes; an image of another version is rebuilt in memory. */
export const DICTIONARY_FORMAT = 7;
/**
 * Header ints: magic, format, rightSize, knownEntries, meta offset, meta length, defaultClass, leftSize,
 * the right id of the start of a piece, the left id of its end; then offset and length of each section.
 */
export const HEADER_INTS = 16;
export const SECTIONS = [
  'trie',
  'charCode',
  'entries',
  'entryBase',
  'cost',
  'charClass',
  'classFlags',
  'unkStart',
  'unkEntries',
  'stringStart',
  'stringUnits',
] as const;
export type SectionName = (typeof SECTIONS)[number];
export const SECTION_TYPES: Record<SectionName, Int32ArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor | Uint8ArrayConstructor> = {
  trie: Int32Array,
  charCode: Uint16Array,
  entries: Int16Array,
  entryBase: Int32Array,
  cost: Int16Array,
  charClass: Uint8Array,
  classFlags: Uint8Array,
  unkStart: Int32Array,
  unkEntries: Int32Array,
  stringStart: Int32Array,
  stringUnits: Uint16Array,
};

/** A trie value is (first entry << VALUE_COUNT_BITS) | number of entries (see {@link JapaneseDictionary.trie}). */
export const VALUE_COUNT_BITS = 6;
export const VALUE_COUNT_MASK = (1 << VALUE_COUNT_BITS) - 1;

/** Bits of {@link JapaneseDictionary.classFlags}. */
export const CLASS_INVOKE = 1;
export const CLASS_GROUP = 2;

/** The dictionary's arrays; every one is a view into {@link JapaneseDictionary.buffer}. */
export interface JapaneseDictionary {
  /** The whole image (shared between threads). */
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  /**
   * The shared WebAssembly memory the image lies in, from byte 0 (the WebAssembly lattice reads it there;
   * see `latticeWasm.ts`), when it was loaded into one.
   */
  readonly memory?: WebAssembly.Memory;
  /**
   * Double-array trie over characters (see `charTrie.ts`), base, check and value side by side:
   * child = trie[3 * node] + charCode[unit], valid when trie[3 * child + 1] === node; trie[3 * node + 2]
   * is the value of the word ending there, or -1. A value is its entries, consecutive ids:
   * `value >> VALUE_COUNT_BITS` the first, `value & VALUE_COUNT_MASK` how many (one load, not two, a word).
   */
  readonly trie: Int32Array;
  /** The trie's code of each UTF-16 code unit (0: in no word). */
  readonly charCode: Uint16Array;
  /**
   * Per entry e, side by side: entries[4e] left context id, [4e + 1] right context id, [4e + 2] word
   * cost, [4e + 3] part-of-speech id.
   */
  readonly entries: Int16Array;
  /** Per entry: its base-form string (-1: none). */
  readonly entryBase: Int32Array;
  /**
   * Connection costs from a node with right context id r to one with left context id l, stored by left
   * id: cost[l * rightSize + r] (a node's predecessors are then read from one row).
   */
  readonly cost: Int16Array;
  readonly rightSize: number;
  /** Number of left context ids. */
  readonly leftSize: number;
  /** Right context id of the start of a piece (BOS), left context id of its end (EOS). */
  readonly startRight: number;
  readonly endLeft: number;
  /** Character class of each UTF-16 code unit (a high surrogate's pair is class {@link defaultClass}). */
  readonly charClass: Uint8Array;
  /** Per class: {@link CLASS_INVOKE} | {@link CLASS_GROUP}. */
  readonly classFlags: Uint8Array;
  /** Entries tried for an unknown word starting with a character of class c: unkEntries[unkStart[c] … unkStart[c + 1]). */
  readonly unkStart: Int32Array;
  readonly unkEntries: Int32Array;
  /** The class of characters outside the table (kuromoji's DEFAULT). */
  readonly defaultClass: number;
  /** Known entries are below this id, unknown-word entries at or above it. */
  readonly knownEntries: number;
  /** Part of speech of each id: [level 1, level 2] (e.g. 名詞, 固有名詞). */
  readonly partsOfSpeech: readonly (readonly [string, string])[];
  /** Strings (base forms): units stringUnits[stringStart[i] … stringStart[i + 1]). */
  readonly stringStart: Int32Array;
  readonly stringUnits: Uint16Array;
}

/**
 * Opens an image a thread was handed (the shared memory or buffer of another thread's `loadDictionary`).
 * @param image the image's buffer, or the shared WebAssembly memory it starts at byte 0 of
 * @throws KotovecError TOKENIZER when the buffer is not a dictionary image of this version
 */
export function openDictionaryImage(image: SharedArrayBuffer | ArrayBuffer | WebAssembly.Memory): JapaneseDictionary {
  const memory = image instanceof WebAssembly.Memory ? image : undefined;
  const buffer = memory ? memory.buffer : (image as SharedArrayBuffer | ArrayBuffer);
  const header = new Int32Array(buffer, 0, HEADER_INTS + SECTIONS.length * 2);
  if (header[0] !== DICTIONARY_MAGIC || header[1] !== DICTIONARY_FORMAT) {
    throw new KotovecError(ErrorCodes.TOKENIZER, 'the Japanese dictionary image is not of this version: run `npm run build`');
  }
  const views = {} as Record<SectionName, Int32Array | Int16Array | Uint16Array | Uint8Array>;
  SECTIONS.forEach((name, i) => {
    const offset = header[HEADER_INTS + i * 2]!;
    const length = header[HEADER_INTS + i * 2 + 1]!;
    views[name] = new SECTION_TYPES[name](buffer as ArrayBuffer, offset, length);
  });
  const metaOffset = header[4]!;
  const metaLength = header[5]!;
  const meta = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, metaOffset, metaLength).slice())) as {
    partsOfSpeech: [string, string][];
  };
  return {
    buffer,
    ...(memory ? { memory } : {}),
    trie: views.trie as Int32Array,
    charCode: views.charCode as Uint16Array,
    entries: views.entries as Int16Array,
    entryBase: views.entryBase as Int32Array,
    cost: views.cost as Int16Array,
    rightSize: header[2]!,
    leftSize: header[7]!,
    startRight: header[8]!,
    endLeft: header[9]!,
    charClass: views.charClass as Uint8Array,
    classFlags: views.classFlags as Uint8Array,
    unkStart: views.unkStart as Int32Array,
    unkEntries: views.unkEntries as Int32Array,
    defaultClass: header[6]!,
    knownEntries: header[3]!,
    partsOfSpeech: meta.partsOfSpeech,
    stringStart: views.stringStart as Int32Array,
    stringUnits: views.stringUnits as Uint16Array,
  };
}

/** String i of the dictionary's string table. */
export function dictionaryString(dictionary: JapaneseDictionary, index: number): string {
  const start = dictionary.stringStart[index]!;
  const end = dictionary.stringStart[index + 1]!;
  let text = '';
  for (let i = start; i < end; i += 4096) {
    text += String.fromCharCode.apply(null, dictionary.stringUnits.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  }
  return text;
}

/** Folder of kuromoji's bundled IPADIC dictionary (the source of the image, and the tests' oracle). */
export function kuromojiDictionaryPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('kuromoji/package.json')), 'dict');
}
