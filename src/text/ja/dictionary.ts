/**
 * The IPADIC dictionary as flat typed arrays over one buffer, so that every thread can use a single
 * shared copy and no object is made per word.
 *
 * The source is the dictionary kuromoji 0.1.2 ships (`node_modules/kuromoji/dict/*.dat.gz`, MeCab's
 * IPADIC compiled by kuromoji): a double-array trie over UTF-8 bytes whose leaves hold a value, a map from
 * values to word entries (left and right context ids, word cost, features), a connection-cost matrix, and
 * the unknown-word tables (a character class for each UTF-16 code unit; for each class whether it is
 * always tried, whether it groups, and its entries). {@link buildDictionaryImage} reads them through
 * kuromoji's own loader once and lays them out in one image; the build writes that image beside the
 * compiled module (`ipadic.bin`), and {@link loadDictionary} reads it into a `SharedArrayBuffer`.
 *
 * Entries are numbered from 0: kuromoji's known entries first (its byte offset / 10), then the unknown
 * entries. Only what tokens need is kept: context ids, cost, part of speech (two levels) and base form.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, writeFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, KotovecError } from '../../errors.js';

const MAGIC = 0x4b564a44; // "KVJD"
/** Bumped whenever the image layout changes; an image of another version is rebuilt in memory. */
export const DICTIONARY_FORMAT = 1;
const HEADER_INTS = 16;
const SECTIONS = [
  'base',
  'check',
  'valueStart',
  'valueEntries',
  'entryLeft',
  'entryRight',
  'entryCost',
  'entryPos',
  'entryBase',
  'cost',
  'charClass',
  'classFlags',
  'unkStart',
  'unkEntries',
  'stringStart',
  'stringUnits',
] as const;
type SectionName = (typeof SECTIONS)[number];
const SECTION_TYPES: Record<SectionName, Int32ArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor | Uint8ArrayConstructor> = {
  base: Int32Array,
  check: Int32Array,
  valueStart: Int32Array,
  valueEntries: Int32Array,
  entryLeft: Int16Array,
  entryRight: Int16Array,
  entryCost: Int16Array,
  entryPos: Uint16Array,
  entryBase: Int32Array,
  cost: Int16Array,
  charClass: Uint8Array,
  classFlags: Uint8Array,
  unkStart: Int32Array,
  unkEntries: Int32Array,
  stringStart: Int32Array,
  stringUnits: Uint16Array,
};

/** Bits of {@link JapaneseDictionary.classFlags}. */
export const CLASS_INVOKE = 1;
export const CLASS_GROUP = 2;

/** The dictionary's arrays; every one is a view into {@link JapaneseDictionary.buffer}. */
export interface JapaneseDictionary {
  /** The whole image (shared between threads). */
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  /** Double-array trie over UTF-8 bytes: child = base[parent] + byte, valid when check[child] === parent. */
  readonly base: Int32Array;
  readonly check: Int32Array;
  /** Entries of trie value v: valueEntries[valueStart[v] … valueStart[v + 1]). */
  readonly valueStart: Int32Array;
  readonly valueEntries: Int32Array;
  /** Per entry: left and right context ids, word cost, part-of-speech id, base-form string (-1: none). */
  readonly entryLeft: Int16Array;
  readonly entryRight: Int16Array;
  readonly entryCost: Int16Array;
  readonly entryPos: Uint16Array;
  readonly entryBase: Int32Array;
  /**
   * Connection costs from a node with right context id r to one with left context id l, stored by left
   * id: cost[l * rightSize + r] (a node's predecessors are then read from one row).
   */
  readonly cost: Int16Array;
  readonly rightSize: number;
  /** Number of left context ids. */
  readonly leftSize: number;
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

/** The image file written by the build, beside the compiled module. */
export function dictionaryImagePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, 'ipadic.bin');
  if (existsSync(built)) return built;
  // Running from sources (tests): the build's copy.
  return join(here, '..', '..', '..', 'dist', 'text', 'ja', 'ipadic.bin');
}

let cached: JapaneseDictionary | undefined;

/**
 * The dictionary of this process: the built image read into shared memory once (a few milliseconds), or,
 * when no current image is built, made from kuromoji's files in memory (about a second).
 * @throws KotovecError TOKENIZER when neither can be read
 */
export async function loadDictionary(): Promise<JapaneseDictionary> {
  if (cached) return cached;
  const path = dictionaryImagePath();
  if (existsSync(path)) {
    const image = readImage(path);
    if (image) return (cached = image);
  }
  cached = openDictionaryImage(shareImage(await buildDictionaryImage()));
  return cached;
}

/**
 * Opens an image a thread was handed (the shared buffer of another thread's {@link loadDictionary}).
 * @throws KotovecError TOKENIZER when the buffer is not a dictionary image of this version
 */
export function openDictionaryImage(buffer: SharedArrayBuffer | ArrayBuffer): JapaneseDictionary {
  const header = new Int32Array(buffer, 0, HEADER_INTS + SECTIONS.length * 2);
  if (header[0] !== MAGIC || header[1] !== DICTIONARY_FORMAT) {
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
    base: views.base as Int32Array,
    check: views.check as Int32Array,
    valueStart: views.valueStart as Int32Array,
    valueEntries: views.valueEntries as Int32Array,
    entryLeft: views.entryLeft as Int16Array,
    entryRight: views.entryRight as Int16Array,
    entryCost: views.entryCost as Int16Array,
    entryPos: views.entryPos as Uint16Array,
    entryBase: views.entryBase as Int32Array,
    cost: views.cost as Int16Array,
    rightSize: header[2]!,
    leftSize: header[7]!,
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

function readImage(path: string): JapaneseDictionary | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = new SharedArrayBuffer(size);
    const bytes = new Uint8Array(buffer);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, bytes, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    const header = new Int32Array(buffer, 0, 2);
    if (done !== size || header[0] !== MAGIC || header[1] !== DICTIONARY_FORMAT) return undefined;
    return openDictionaryImage(buffer);
  } finally {
    closeSync(fd);
  }
}

function shareImage(image: Uint8Array): SharedArrayBuffer {
  const shared = new SharedArrayBuffer(image.byteLength);
  new Uint8Array(shared).set(image);
  return shared;
}

interface KuromojiByteBuffer {
  buffer: Uint8Array;
  getShort(index: number): number;
  getInt(index: number): number;
  getString(index: number): string;
}
interface KuromojiInfoDictionary {
  dictionary: KuromojiByteBuffer;
  pos_buffer: KuromojiByteBuffer;
  target_map: Record<string, number[]>;
  getFeatures(id: string | number): string;
}
interface KuromojiDictionaries {
  trie: { bc: { getBaseBuffer(): Int32Array; getCheckBuffer(): Int32Array } };
  token_info_dictionary: KuromojiInfoDictionary;
  connection_costs: { forward_dimension: number; backward_dimension: number; buffer: Int16Array };
  unknown_dictionary: KuromojiInfoDictionary & {
    character_definition: {
      character_category_map: Uint8Array;
      invoke_definition_map: { map: { class_name: string; is_always_invoke: number; is_grouping: number }[]; lookup(name: string): number | null };
    };
  };
}

/** Folder of kuromoji's bundled IPADIC dictionary. */
export function kuromojiDictionaryPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('kuromoji/package.json')), 'dict');
}

function loadKuromojiDictionaries(): Promise<KuromojiDictionaries> {
  const require = createRequire(import.meta.url);
  const DictionaryLoader = require('kuromoji/src/loader/NodeDictionaryLoader.js') as new (path: string) => {
    load(cb: (err: Error | null, dic: KuromojiDictionaries) => void): void;
  };
  return new Promise((resolve, reject) => {
    new DictionaryLoader(kuromojiDictionaryPath()).load((err, dic) => {
      if (err) reject(new KotovecError(ErrorCodes.TOKENIZER, `cannot load the Japanese dictionary: ${err.message}`));
      else resolve(dic);
    });
  });
}

/**
 * Builds the dictionary image from kuromoji's files, through kuromoji's own loader.
 * @returns the image's bytes
 * @throws KotovecError TOKENIZER when kuromoji's dictionary cannot be read
 */
export async function buildDictionaryImage(): Promise<Uint8Array> {
  const dic = await loadKuromojiDictionaries();
  const known = dic.token_info_dictionary;
  const unknown = dic.unknown_dictionary;

  // Trie: kuromoji's arrays, without the tail where nothing is stored.
  const base = dic.trie.bc.getBaseBuffer();
  const check = dic.trie.bc.getCheckBuffer();
  let used = check.length;
  while (used > 257 && check[used - 1] === 0 && base[used - 1] === 0) used--;

  // Values → entries (kuromoji's token-info ids are byte offsets of 10-byte records).
  let maxValue = -1;
  for (const key of Object.keys(known.target_map)) maxValue = Math.max(maxValue, Number(key));
  const valueStart = new Int32Array(maxValue + 2);
  const valueEntries: number[] = [];
  for (let v = 0; v <= maxValue; v++) {
    valueStart[v] = valueEntries.length;
    for (const id of known.target_map[v] ?? []) valueEntries.push(Number(id) / 10);
  }
  valueStart[maxValue + 1] = valueEntries.length;
  let knownEntries = 0;
  for (const e of valueEntries) knownEntries = Math.max(knownEntries, e + 1);

  const unkIds: number[] = [];
  for (const list of Object.values(unknown.target_map)) for (const id of list) unkIds.push(Number(id));
  const unkCount = unkIds.length === 0 ? 0 : Math.max(...unkIds) / 10 + 1;
  const total = knownEntries + unkCount;
  const entryLeft = new Int16Array(total);
  const entryRight = new Int16Array(total);
  const entryCost = new Int16Array(total);
  const entryPos = new Uint16Array(total);
  const entryBase = new Int32Array(total).fill(-1);
  const posIds = new Map<string, number>();
  const partsOfSpeech: [string, string][] = [];
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const fill = (source: KuromojiInfoDictionary, record: number, entry: number) => {
    entryLeft[entry] = source.dictionary.getShort(record);
    entryRight[entry] = source.dictionary.getShort(record + 2);
    entryCost[entry] = source.dictionary.getShort(record + 4);
    const features = (source.getFeatures(record) ?? '').split(',');
    const pos = features[1] ?? '';
    const detail = features[2] ?? '';
    const posKey = `${pos},${detail}`;
    let posId = posIds.get(posKey);
    if (posId === undefined) {
      posId = partsOfSpeech.length;
      posIds.set(posKey, posId);
      partsOfSpeech.push([pos, detail]);
    }
    entryPos[entry] = posId;
    const baseForm = features[7];
    if (baseForm && baseForm !== '*') {
      let id = stringIds.get(baseForm);
      if (id === undefined) {
        id = strings.length;
        stringIds.set(baseForm, id);
        strings.push(baseForm);
      }
      entryBase[entry] = id;
    }
  };
  for (let e = 0; e < knownEntries; e++) fill(known, e * 10, e);
  for (let u = 0; u < unkCount; u++) fill(unknown, u * 10, knownEntries + u);

  // Unknown words: classes referenced by the character table (kuromoji groups by class name).
  const definition = unknown.character_definition;
  const charClass = new Uint8Array(definition.character_category_map);
  let classes = 0;
  for (const c of charClass) classes = Math.max(classes, c + 1);
  const defaultClass = definition.invoke_definition_map.lookup('DEFAULT') ?? 0;
  classes = Math.max(classes, defaultClass + 1);
  const names = definition.invoke_definition_map.map.slice(0, classes).map((c) => c.class_name);
  if (new Set(names).size !== names.length) throw new KotovecError(ErrorCodes.TOKENIZER, 'the dictionary has two character classes of one name');
  const classFlags = new Uint8Array(classes);
  const unkStart = new Int32Array(classes + 1);
  const unkEntries: number[] = [];
  for (let c = 0; c < classes; c++) {
    const info = definition.invoke_definition_map.map[c]!;
    classFlags[c] = (info.is_always_invoke === 1 ? CLASS_INVOKE : 0) | (info.is_grouping === 1 ? CLASS_GROUP : 0);
    unkStart[c] = unkEntries.length;
    for (const id of unknown.target_map[c] ?? []) unkEntries.push(knownEntries + Number(id) / 10);
  }
  unkStart[classes] = unkEntries.length;

  const stringStart = new Int32Array(strings.length + 1);
  let units = 0;
  strings.forEach((s, i) => {
    stringStart[i] = units;
    units += s.length;
  });
  stringStart[strings.length] = units;
  const stringUnits = new Uint16Array(units);
  strings.forEach((s, i) => {
    for (let j = 0; j < s.length; j++) stringUnits[stringStart[i]! + j] = s.charCodeAt(j);
  });

  const costs = dic.connection_costs;
  const sections: Record<SectionName, ArrayBufferView> = {
    base: base.subarray(0, used),
    check: check.subarray(0, used),
    valueStart,
    valueEntries: Int32Array.from(valueEntries),
    entryLeft,
    entryRight,
    entryCost,
    entryPos,
    entryBase,
    cost: byLeftId(costs.buffer.subarray(2), costs.forward_dimension, costs.backward_dimension),
    charClass,
    classFlags,
    unkStart,
    unkEntries: Int32Array.from(unkEntries),
    stringStart,
    stringUnits,
  };
  const meta = new TextEncoder().encode(JSON.stringify({ partsOfSpeech }));
  const align = (n: number) => (n + 7) & ~7;
  let offset = align((HEADER_INTS + SECTIONS.length * 2) * 4);
  const header = new Int32Array(HEADER_INTS + SECTIONS.length * 2);
  header[0] = MAGIC;
  header[1] = DICTIONARY_FORMAT;
  header[2] = costs.forward_dimension;
  header[7] = costs.backward_dimension;
  header[3] = knownEntries;
  header[6] = defaultClass;
  const placed: [number, ArrayBufferView][] = [];
  SECTIONS.forEach((name, i) => {
    const view = sections[name];
    header[HEADER_INTS + i * 2] = offset;
    header[HEADER_INTS + i * 2 + 1] = view.byteLength / (SECTION_TYPES[name].BYTES_PER_ELEMENT);
    placed.push([offset, view]);
    offset = align(offset + view.byteLength);
  });
  header[4] = offset;
  header[5] = meta.byteLength;
  const image = new Uint8Array(align(offset + meta.byteLength));
  image.set(new Uint8Array(header.buffer), 0);
  for (const [at, view] of placed) image.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), at);
  image.set(meta, offset);
  return image;
}

/** kuromoji's costs, stored by right (forward) id, laid out by left (backward) id. */
function byLeftId(byRight: Int16Array, rights: number, lefts: number): Int16Array {
  const byLeft = new Int16Array(rights * lefts);
  for (let r = 0; r < rights; r++) for (let l = 0; l < lefts; l++) byLeft[l * rights + r] = byRight[r * lefts + l]!;
  return byLeft;
}

/**
 * Writes the dictionary image to `path` (atomically: a temporary file, then a rename).
 * @throws KotovecError TOKENIZER when kuromoji's dictionary cannot be read
 */
export async function writeDictionaryImage(path: string): Promise<void> {
  const image = await buildDictionaryImage();
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, image);
  renameSync(temporary, path);
}
