/**
 * A user dictionary in MeCab's CSV (`surface,left id,right id,cost,features…`, the format `mecab-dict-index
 * -u` compiles), read as MeCab reads it and searched as MeCab searches a compiled user dictionary:
 *
 * - a line is split as MeCab's `tokenizeCSV` splits it: spaces and tabs before a field skipped, a field in
 *   double quotes may hold commas (`""` a quote), and the fifth field is the rest of the line;
 * - entries are ordered by surface (bytes, a stable sort: one surface's entries keep their file order), and
 *   the lattice asks for the user words after the system ones, shortest first, as MeCab's `lookup` does;
 * - an entry whose ids or cost are left empty gets them from the system dictionary, from the words of
 *   the same part of speech (the first four feature fields): the left and right ids most of those words
 *   have, and the lowest cost among them — so a user's word is preferred to a split into words of its
 *   class. (MeCab computes them from a trained model with `-m`, which dictionaries as installed lack.)
 *
 * Malformed lines (fewer than five fields, an empty surface, ids or a cost that are not integers in range)
 * are refused with their line number.
 */
import { ErrorCodes, KotovecError } from '../../errors.js';

/** One line of a user dictionary; a missing id or cost is null. */
export interface UserEntry {
  surface: string;
  left: number | null;
  right: number | null;
  cost: number | null;
  feature: string;
  line: number;
}

/** Resolved user entries in MeCab's order, as threads share them. */
export interface UserEntries {
  /** The file's name (for messages). */
  name: string;
  surfaces: string[];
  left: Int32Array;
  right: Int32Array;
  cost: Int32Array;
  features: string[];
}

function malformed(name: string, line: number, why: string): KotovecError {
  return new KotovecError(ErrorCodes.TOKENIZER, `user dictionary ${name}, line ${line}: ${why}`);
}

/** MeCab's `tokenizeCSV` with at most `max` fields (the last one is the rest of the line). */
export function splitMecabCsv(line: string, max: number): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (fields.length === max - 1) {
      fields.push(line.slice(i));
      return fields;
    }
    let field = '';
    if (line[i] === '"') {
      i++;
      for (; i < line.length; i++) {
        if (line[i] === '"') {
          i++;
          if (line[i] !== '"') break;
        }
        field += line[i] ?? '';
      }
      const comma = line.indexOf(',', i);
      i = comma < 0 ? line.length : comma;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      field = line.slice(i, end);
      i = end;
    }
    fields.push(field);
    i++; // past the comma
  }
  return fields;
}

const INTEGER = /^[+-]?\d+$/;

/**
 * Reads a user dictionary's lines.
 * @param text the CSV
 * @param name the file's name, for messages
 * @param sizes the system dictionary's id ranges
 * @throws KotovecError TOKENIZER naming the first malformed line
 */
export function parseUserDictionary(text: string, name: string, sizes: { leftSize: number; rightSize: number }): UserEntry[] {
  const entries: UserEntry[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (content.trim() === '') return;
    const fields = splitMecabCsv(content, 5);
    if (fields.length < 5) throw malformed(name, line, `${fields.length} field${fields.length === 1 ? '' : 's'}, not surface,left id,right id,cost,features`);
    const [surface, leftText, rightText, costText, feature] = fields as [string, string, string, string, string];
    if (surface === '') throw malformed(name, line, 'the surface is empty');
    if (feature === '') throw malformed(name, line, 'no features');
    const integer = (text: string, what: string, low: number, high: number): number | null => {
      const t = text.trim();
      if (t === '') return null;
      if (!INTEGER.test(t)) throw malformed(name, line, `the ${what} "${text}" is not an integer`);
      const value = Number(t);
      if (value < low || value > high) throw malformed(name, line, `the ${what} ${value} is outside ${low}…${high}`);
      return value;
    };
    // MeCab's matrix is read as matrix[right of the word before + leftSize · left of this one]: a word's
    // left id indexes the rows (rightSize of them), its right id the columns (leftSize).
    const left = integer(leftText, 'left id', 0, sizes.rightSize - 1);
    const right = integer(rightText, 'right id', 0, sizes.leftSize - 1);
    const cost = integer(costText, 'cost', -32768, 32767);
    entries.push({ surface, left, right, cost, feature, line });
  });
  return entries;
}

/** The part-of-speech key of a feature string: its first four fields. */
export function partOfSpeechKey(feature: string, split: (feature: string) => string[]): string {
  return split(feature).slice(0, 4).join(',');
}

/** What the system dictionary offers for a part of speech: the commonest ids and the lowest cost. */
export interface ClassDefaults {
  left: number;
  right: number;
  cost: number;
}

/** Counts, per part of speech, the system words' (left, right) id pairs and their lowest cost. */
export class ClassTallies {
  private readonly tallies = new Map<string, { pairs: Map<number, number>; cost: number }>();

  /** One system word of part of speech `key`. */
  add(key: string, left: number, right: number, cost: number): void {
    let tally = this.tallies.get(key);
    if (!tally) this.tallies.set(key, (tally = { pairs: new Map(), cost: Infinity }));
    const pair = left * 65536 + right;
    tally.pairs.set(pair, (tally.pairs.get(pair) ?? 0) + 1);
    tally.cost = Math.min(tally.cost, cost);
  }

  /** Per part of speech: the pair most words have (the first met among equals) and the lowest cost. */
  defaults(): Map<string, ClassDefaults> {
    const defaults = new Map<string, ClassDefaults>();
    for (const [key, { pairs, cost }] of this.tallies) {
      let best = -1;
      let most = 0;
      for (const [pair, n] of pairs) if (n > most) [best, most] = [pair, n];
      defaults.set(key, { left: Math.floor(best / 65536), right: best % 65536, cost });
    }
    return defaults;
  }
}

/**
 * Fills in missing ids and costs and puts the entries in MeCab's order.
 * @param defaults the system dictionary's defaults for the parts of speech asked for (see the module comment)
 * @throws KotovecError TOKENIZER when an entry needs defaults no system word gives
 */
export function resolveUserEntries(
  entries: UserEntry[],
  name: string,
  defaults: (keys: Set<string>) => Map<string, ClassDefaults>,
  split: (feature: string) => string[],
): UserEntries {
  const incomplete = entries.filter((e) => e.left === null || e.right === null || e.cost === null);
  const keys = new Set(incomplete.map((e) => partOfSpeechKey(e.feature, split)));
  const found = keys.size > 0 ? defaults(keys) : new Map<string, ClassDefaults>();
  const bytes = entries.map((e) => Buffer.from(e.surface, 'utf8'));
  const order = entries.map((_, i) => i).sort((a, b) => Buffer.compare(bytes[a]!, bytes[b]!) || a - b);
  const n = entries.length;
  const result: UserEntries = { name, surfaces: [], left: new Int32Array(n), right: new Int32Array(n), cost: new Int32Array(n), features: [] };
  order.forEach((i, k) => {
    const e = entries[i]!;
    let { left, right, cost } = e;
    if (left === null || right === null || cost === null) {
      const key = partOfSpeechKey(e.feature, split);
      const d = found.get(key);
      if (!d) throw malformed(name, e.line, `no word of the system dictionary has the part of speech ${key} to take ids and a cost from; give them`);
      left ??= d.left;
      right ??= d.right;
      cost ??= d.cost;
    }
    result.surfaces.push(e.surface);
    result.left[k] = left;
    result.right[k] = right;
    result.cost[k] = cost;
    result.features.push(e.feature);
  });
  return result;
}

/** Splits a feature string at commas outside double quotes (MeCab's CSV), quotes removed. */
export function splitFeatures(feature: string): string[] {
  if (!feature.includes('"')) return feature.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < feature.length; i++) {
    const c = feature[i]!;
    if (quoted) {
      if (c === '"' && feature[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/**
 * The user words as a trie for common-prefix search over their UTF-8 bytes (MeCab's lattice reads bytes):
 * `next(node, byte)` steps, `first(node)` and `count(node)` give the entries whose surface ends there.
 */
export class UserLexicon {
  private readonly transitions = new Map<number, number>();
  private readonly firsts: Int32Array;
  private readonly counts: Int32Array;
  private readonly radix = 256;
  /** Bytes a surface may start with. */
  readonly starts = new Uint8Array(256);

  /** @param entries the resolved entries */
  constructor(readonly entries: UserEntries) {
    const radix = this.radix;
    const firsts: number[] = [-1];
    const counts: number[] = [0];
    let nodes = 1;
    entries.surfaces.forEach((surface, index) => {
      const key = Buffer.from(surface, 'utf8');
      this.starts[key[0]!] = 1;
      let node = 0;
      for (const unit of key) {
        const id = node * radix + unit;
        let child = this.transitions.get(id);
        if (child === undefined) {
          child = nodes++;
          this.transitions.set(id, child);
          firsts.push(-1);
          counts.push(0);
        }
        node = child;
      }
      if (firsts[node] === -1) firsts[node] = index;
      counts[node]!++;
    });
    this.firsts = Int32Array.from(firsts);
    this.counts = Int32Array.from(counts);
  }

  /** The node after `unit` from `node`, or -1. */
  next(node: number, unit: number): number {
    return this.transitions.get(node * this.radix + unit) ?? -1;
  }

  /** The first entry ending at `node` (-1: none). */
  first(node: number): number {
    return this.firsts[node]!;
  }

  /** How many entries end at `node`. */
  count(node: number): number {
    return this.counts[node]!;
  }

  /** How many nodes the trie has (the root is 0). */
  get nodeCount(): number {
    return this.firsts.length;
  }

  /** Calls `visit` with every transition of the trie: from `node` over `unit` to `child`. */
  forEachTransition(visit: (node: number, unit: number, child: number) => void): void {
    for (const [id, child] of this.transitions) visit(Math.floor(id / this.radix), id % this.radix, child);
  }
}
