/**
 * Making the dictionary image (see `dictionary.ts`) from kuromoji's files, through kuromoji's own loader.
 * Run once by the build (`npm run build:dict`), or in memory when no image is built.
 *
 * Context ids are renumbered by how often real text uses them (counted by analysing the bundled
 * Aozora sample), so that the connection costs the analysis reads most sit together in a small corner
 * of the matrix that stays in the processor's cache. Costs and tokens are unchanged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomically } from '../../atomicFile.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { ErrorCodes, KotovecError } from '../../errors.js';
import {
  CLASS_GROUP,
  CLASS_INVOKE,
  DICTIONARY_FORMAT,
  DICTIONARY_MAGIC,
  HEADER_INTS,
  SECTIONS,
  SECTION_TYPES,
  VALUE_COUNT_BITS,
  VALUE_COUNT_MASK,
  kuromojiDictionaryPath,
  openDictionaryImage,
  type SectionName,
} from './dictionaryImage.js';
import { buildCharTrie, keysOfByteTrie } from './charTrie.js';
import { LatticeAnalyzer } from './lattice.js';

/** kuromoji's byte buffer (its loader's). */
export interface KuromojiByteBuffer {
  buffer: Uint8Array;
  getShort(index: number): number;
  getInt(index: number): number;
  getString(index: number): string;
}
/** kuromoji's token-info dictionary: records of left id, right id, cost and a feature offset. */
export interface KuromojiInfoDictionary {
  dictionary: KuromojiByteBuffer;
  pos_buffer: KuromojiByteBuffer;
  target_map: Record<string, number[]>;
  getFeatures(id: string | number): string;
}
/** kuromoji's dictionaries as its loader gives them. */
export interface KuromojiDictionaries {
  trie: { bc: { getBaseBuffer(): Int32Array; getCheckBuffer(): Int32Array } };
  token_info_dictionary: KuromojiInfoDictionary;
  connection_costs: { forward_dimension: number; backward_dimension: number; buffer: Int16Array };
  unknown_dictionary: KuromojiInfoDictionary & {
    character_definition: {
      character_category_map: Uint8Array;
      compatible_category_map: Uint32Array;
      invoke_definition_map: {
        map: { class_name: string; is_always_invoke: number; is_grouping: number; max_length: number }[];
        lookup(name: string): number | null;
      };
    };
  };
}

/**
 * kuromoji's dictionaries, read through kuromoji's own loader.
 * @throws KotovecError TOKENIZER when they cannot be read
 */
export function loadKuromojiDictionaries(): Promise<KuromojiDictionaries> {
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

  // Trie: kuromoji's words and values, in a trie over characters.
  const sample = sampleLines();
  const unitWeight = new Float64Array(65536);
  for (const line of sample) for (let i = 0; i < line.length; i++) unitWeight[line.charCodeAt(i)]!++;
  const byteTrie = dic.trie.bc;
  const { keys, values: keyValues } = keysOfByteTrie(byteTrie.getBaseBuffer(), byteTrie.getCheckBuffer(), byteTrie.getCheckBuffer().length);
  const { trie, charCode } = buildCharTrie(keys, keyValues, unitWeight);

  // Values → entries, numbered so that each value's entries are consecutive (kuromoji's token-info ids
  // are byte offsets of 10-byte records).
  let maxValue = -1;
  for (const key of Object.keys(known.target_map)) maxValue = Math.max(maxValue, Number(key));
  const valueStart = new Int32Array(maxValue + 2);
  const records: number[] = [];
  for (let v = 0; v <= maxValue; v++) {
    valueStart[v] = records.length;
    for (const id of known.target_map[v] ?? []) records.push(Number(id));
  }
  valueStart[maxValue + 1] = records.length;
  const knownEntries = records.length;

  const unkRecords: number[] = [];
  for (const list of Object.values(unknown.target_map)) for (const id of list) unkRecords.push(Number(id));
  const unkCount = unkRecords.length === 0 ? 0 : Math.max(...unkRecords) / 10 + 1;
  const total = knownEntries + unkCount;
  const entries = new Int16Array(4 * total);
  const entryBase = new Int32Array(total).fill(-1);
  const posIds = new Map<string, number>();
  const partsOfSpeech: [string, string][] = [];
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const fill = (source: KuromojiInfoDictionary, record: number, entry: number) => {
    entries[4 * entry] = source.dictionary.getShort(record);
    entries[4 * entry + 1] = source.dictionary.getShort(record + 2);
    entries[4 * entry + 2] = source.dictionary.getShort(record + 4);
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
    entries[4 * entry + 3] = posId;
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
  records.forEach((record, e) => fill(known, record, e));
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
  const layout: Layout = {
    valueTrie: trie,
    valueStart,
    sections: {
      trie: packedTrie(trie, valueStart),
      charCode,
      entries,
      entryBase,
      cost: byLeftId(costs.buffer.subarray(2), costs.forward_dimension, costs.backward_dimension),
      charClass,
      classFlags,
      unkStart,
      unkEntries: Int32Array.from(unkEntries),
      stringStart,
      stringUnits,
    },
    rightSize: costs.forward_dimension,
    leftSize: costs.backward_dimension,
    knownEntries,
    defaultClass,
    startRight: 0,
    endLeft: 0,
    partsOfSpeech,
  };
  return layOut(sample.length > 0 ? reorderByUse(layout, sample) : layout);
}

/**
 * The trie with each value replaced by its entries, packed (first entry, count: see
 * {@link JapaneseDictionary.trie}).
 * @throws Error when a value has more entries than the packing holds (the build would be wrong)
 */
function packedTrie(valueTrie: Int32Array, valueStart: Int32Array): Int32Array {
  const trie = Int32Array.from(valueTrie);
  for (let i = 2; i < trie.length; i += 3) {
    const v = trie[i]!;
    if (v < 0) continue;
    const first = valueStart[v]!;
    const count = valueStart[v + 1]! - first;
    if (count > VALUE_COUNT_MASK || first >= 2 ** (31 - VALUE_COUNT_BITS)) throw new Error(`trie value ${v} (${count} entries from ${first}) does not pack`);
    trie[i] = (first << VALUE_COUNT_BITS) | count;
  }
  return trie;
}

/** What an image holds, before it is laid out in bytes. */
interface Layout {
  /** The trie with value ids (the image holds it packed), and the entries of value v: valueStart[v] … valueStart[v + 1] - 1. */
  valueTrie: Int32Array;
  valueStart: Int32Array;
  sections: Record<SectionName, ArrayBufferView>;
  rightSize: number;
  leftSize: number;
  knownEntries: number;
  defaultClass: number;
  startRight: number;
  endLeft: number;
  partsOfSpeech: [string, string][];
}

function layOut(layout: Layout): Uint8Array {
  const meta = new TextEncoder().encode(JSON.stringify({ partsOfSpeech: layout.partsOfSpeech }));
  const align = (n: number) => (n + 7) & ~7;
  let offset = align((HEADER_INTS + SECTIONS.length * 2) * 4);
  const header = new Int32Array(HEADER_INTS + SECTIONS.length * 2);
  header.set([DICTIONARY_MAGIC, DICTIONARY_FORMAT, layout.rightSize, layout.knownEntries, 0, 0, layout.defaultClass, layout.leftSize, layout.startRight, layout.endLeft]);
  const placed: [number, ArrayBufferView][] = [];
  SECTIONS.forEach((name, i) => {
    const view = layout.sections[name];
    header[HEADER_INTS + i * 2] = offset;
    header[HEADER_INTS + i * 2 + 1] = view.byteLength / SECTION_TYPES[name].BYTES_PER_ELEMENT;
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

/** The bundled Aozora sample's lines, or none when the package has no sample. */
function sampleLines(): string[] {
  const path = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'corpora', 'ja', 'aozora-sample.txt.gz');
  if (!existsSync(path)) return [];
  return gunzipSync(readFileSync(path)).toString('utf8').split('\n');
}

/**
 * Renumbers what the analysis reads at random by how often the nodes of the sample's lattices use it,
 * most used first: the left and right context ids (permuting the cost matrix to match), and the trie's
 * values with their entries (rewriting the trie's values to match).
 */
function reorderByUse(layout: Layout, sample: readonly string[]): Layout {
  const dictionary = openDictionaryImage(layOut(layout).buffer as ArrayBuffer);
  const analyzer = new LatticeAnalyzer(dictionary);
  const uses = {
    left: new Float64Array(layout.leftSize),
    right: new Float64Array(layout.rightSize),
    entry: new Float64Array(layout.sections.entryBase.byteLength / 4),
  };
  analyzer.uses = uses;
  for (const line of sample) analyzer.analyze(line);
  const rank = (counts: ArrayLike<number>): Int32Array => {
    const order = Array.from({ length: counts.length }, (_, i) => i).sort((a, b) => counts[b]! - counts[a]! || a - b);
    const newId = new Int32Array(counts.length);
    order.forEach((id, i) => (newId[id] = i));
    return newId;
  };
  const newLeft = rank(uses.left);
  const newRight = rank(uses.right);

  // Values, by the uses of their entries; each value's entries stay together and in order.
  const valueStart = layout.valueStart;
  const values = valueStart.length - 1;
  const valueUses = new Float64Array(values);
  for (let v = 0; v < values; v++) for (let e = valueStart[v]!; e < valueStart[v + 1]!; e++) valueUses[v]! += uses.entry[e]!;
  const newValue = rank(valueUses);
  const valueOrder = new Int32Array(values);
  newValue.forEach((to, from) => (valueOrder[to] = from));
  const newEntry = new Int32Array(uses.entry.length);
  const newValueStart = new Int32Array(values + 1);
  let next = 0;
  for (let to = 0; to < values; to++) {
    const v = valueOrder[to]!;
    newValueStart[to] = next;
    for (let e = valueStart[v]!; e < valueStart[v + 1]!; e++) newEntry[e] = next++;
  }
  newValueStart[values] = next;
  for (let e = layout.knownEntries; e < newEntry.length; e++) newEntry[e] = e;

  const oldEntries = layout.sections.entries as Int16Array;
  const oldBase = layout.sections.entryBase as Int32Array;
  const entries = new Int16Array(oldEntries.length);
  const entryBase = new Int32Array(oldBase.length);
  for (let e = 0; e < oldBase.length; e++) {
    const to = newEntry[e]!;
    entries[4 * to] = newLeft[oldEntries[4 * e]!]!;
    entries[4 * to + 1] = newRight[oldEntries[4 * e + 1]!]!;
    entries[4 * to + 2] = oldEntries[4 * e + 2]!;
    entries[4 * to + 3] = oldEntries[4 * e + 3]!;
    entryBase[to] = oldBase[e]!;
  }
  const valueTrie = Int32Array.from(layout.valueTrie);
  for (let i = 2; i < valueTrie.length; i += 3) if (valueTrie[i]! >= 0) valueTrie[i] = newValue[valueTrie[i]!]!;
  const oldCost = layout.sections.cost as Int16Array;
  const cost = new Int16Array(oldCost.length);
  for (let l = 0; l < layout.leftSize; l++) {
    for (let r = 0; r < layout.rightSize; r++) cost[newLeft[l]! * layout.rightSize + newRight[r]!] = oldCost[l * layout.rightSize + r]!;
  }
  return {
    ...layout,
    valueTrie,
    valueStart: newValueStart,
    sections: { ...layout.sections, trie: packedTrie(valueTrie, newValueStart), entries, entryBase, cost },
    startRight: newRight[layout.startRight]!,
    endLeft: newLeft[layout.endLeft]!,
  };
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
  writeFileAtomically(path, await buildDictionaryImage());
}
