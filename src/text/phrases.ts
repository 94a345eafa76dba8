/**
 * Phrases: collocations joined into one token (`new york` → `new_york`) between the tokenizer and the
 * counter, as gensim's `Phrases`/`FrozenPhrases` join them. This module holds what applying phrases needs —
 * the settings, the connector words, tokens as sequences of atoms and the frozen phrase table; learning the
 * table from counts is vocab/phrases.ts.
 *
 * gensim keys its counts by the joined string, so a token that itself holds the delimiter (`new_york`, on a
 * second pass) and the pair `new` + `york` share one count, and a table entry is scored from the first and
 * last pieces of its string. Here every token is a sequence of atoms — its pieces between delimiters — and
 * every count and table entry is keyed by its atom sequence: the same identities, without a string a pair.
 */
import { OptionError } from '../errors.js';

/**
 * How a candidate pair is scored: gensim's default, normalized pointwise mutual information, or word2vec C's
 * `word2phrase` (the default formula over the corpus's words instead of the vocabulary's size, in float32).
 */
export type PhraseScoring = 'default' | 'npmi' | 'word2phrase';

/** The settings of phrase learning, as gensim's `Phrases` names them. */
export interface PhraseSettings {
  /** Pairs seen fewer times are never phrases (gensim `min_count`). */
  minCount: number;
  /** A pair becomes a phrase when its score is above this (gensim `threshold`). */
  threshold: number;
  scoring: PhraseScoring;
  /** Words that may sit inside a phrase but never start or end one (gensim `connector_words`). */
  connectors: readonly string[];
  /** Joins the tokens of a phrase (gensim `delimiter`). */
  delimiter: string;
  /** Passes: 2 learns phrases of phrases on the text the first pass joined. */
  passes: number;
  /** Distinct words and pairs kept while counting; beyond, the rarest are pruned (gensim `max_vocab_size`). */
  maxVocab: number;
}

/** gensim's `ENGLISH_CONNECTOR_WORDS`: articles, some prepositions and conjunctions. */
export const ENGLISH_CONNECTOR_WORDS: readonly string[] = ['a', 'an', 'the', 'for', 'of', 'with', 'without', 'at', 'from', 'to', 'in', 'on', 'by', 'and', 'or'];

/** gensim's defaults (its `max_vocab_size` too), with English connector words. */
export const PHRASE_DEFAULTS: PhraseSettings = {
  minCount: 5,
  threshold: 10,
  scoring: 'default',
  connectors: ENGLISH_CONNECTOR_WORDS,
  delimiter: '_',
  passes: 1,
  maxVocab: 40_000_000,
};

/**
 * What `train --phrases` learns with: gensim's defaults but the threshold of word2vec's word2phrase (100).
 * gensim's 10 also joins grammatical pairs (had_been, i_am, much_better) and costs a model trained on the
 * joined text its analogies (0.03 on the English bench text); at 100 the scores are those of the words
 * alone, the collocations (new_york, united_states) still joined.
 */
export const TRAIN_PHRASE_DEFAULTS: PhraseSettings = { ...PHRASE_DEFAULTS, threshold: 100 };

/**
 * Checks phrase settings as gensim does, in the command line's words.
 * @throws OptionError for a min-count under 1, a threshold ≤ 0 (default scoring) or outside (−1, 1] (npmi),
 *   an empty delimiter, a pass count outside 1–10 or a vocabulary bound under 1
 */
export function checkPhraseSettings(settings: PhraseSettings): PhraseSettings {
  const { minCount, threshold, scoring, delimiter, passes, maxVocab } = settings;
  if (!Number.isInteger(minCount) || minCount < 1) throw new OptionError(`--min-count must be at least 1 for phrases (got ${minCount})`);
  if (scoring !== 'npmi' && !(threshold > 0)) throw new OptionError(`--threshold must be above 0 with --scoring ${scoring} (got ${threshold})`);
  if (scoring === 'npmi' && !(threshold > -1 && threshold <= 1)) throw new OptionError(`--threshold must be in (-1, 1] with --scoring npmi (got ${threshold})`);
  if (scoring !== 'default' && scoring !== 'npmi' && scoring !== 'word2phrase') throw new OptionError(`--scoring must be default, npmi or word2phrase (got ${String(scoring)})`);
  if (delimiter.length === 0 || /\s/.test(delimiter)) throw new OptionError('--delimiter must be a non-empty string without whitespace');
  if (!Number.isInteger(passes) || passes < 1 || passes > 10) throw new OptionError(`--passes must be an integer from 1 to 10 (got ${passes})`);
  if (!Number.isInteger(maxVocab) || maxVocab < 1) throw new OptionError(`--max-vocab must be at least 1 for phrases (got ${maxVocab})`);
  return settings;
}

/** How many tokens, atoms and pool entries a {@link TokenAtoms} held at some moment. */
export interface TokenAtomsMark {
  tokens: number;
  atoms: number;
  pool: number;
}

/**
 * Tokens by id, each a sequence of atoms (its pieces between delimiters, ids of their own), and whether it
 * is a connector word. Ids are given in order of first sight.
 *
 * With `wholeTokens` (the `ja` tokenizer: its tokens are dictionary words, never phrases joined before), a
 * token of the text that holds the delimiter (IPADIC gives `_` as a word of symbols) is one atom and never
 * part of a phrase, so that no phrase can be spelt as a word of the dictionary; only phrases joined by an
 * earlier pass are read as their pieces.
 */
export class TokenAtoms {
  private readonly tokenIds = new Map<string, number>();
  private readonly atomIds = new Map<string, number>();
  /** Token strings by id. */
  readonly tokens: string[] = [];
  /** Atom strings by id. */
  readonly atoms: string[] = [];
  private starts = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private connector = new Uint8Array(1024);
  private pool = new Int32Array(4096);
  private poolLength = 0;
  private readonly connectorSet: Set<string>;

  constructor(
    readonly delimiter: string,
    connectors: readonly string[],
    private readonly wholeTokens = false,
  ) {
    this.connectorSet = new Set(connectors);
  }

  /**
   * The id of a token, given one on first sight.
   * @param joined a phrase a pass joined (read as its pieces even with `wholeTokens`)
   */
  id(token: string, joined = false): number {
    const known = this.tokenIds.get(token);
    if (known !== undefined) return known;
    const id = this.tokens.length;
    this.tokens.push(token);
    this.tokenIds.set(token, id);
    if (id >= this.starts.length) {
      this.starts = grow(this.starts, id + 1);
      this.lengths = grow(this.lengths, id + 1);
      const c = new Uint8Array(this.starts.length);
      c.set(this.connector);
      this.connector = c;
    }
    const holdsDelimiter = token.includes(this.delimiter);
    const whole = holdsDelimiter && this.wholeTokens && !joined;
    const pieces = holdsDelimiter && !whole ? token.split(this.delimiter) : [token];
    if (this.poolLength + pieces.length > this.pool.length) this.pool = grow(this.pool, this.poolLength + pieces.length);
    this.starts[id] = this.poolLength;
    this.lengths[id] = pieces.length;
    for (const piece of pieces) this.pool[this.poolLength++] = this.atomId(piece);
    this.connector[id] = whole ? APART : this.connectorSet.has(token) ? CONNECTOR : 0;
    return id;
  }

  /**
   * The tokens in id order, each with whether a pass joined it (the `joined` of {@link TokenAtoms.id}):
   * given to `id` in this order, another TokenAtoms gives every token the same id.
   */
  replay(): TokenReplay {
    const joined = this.tokens.map((token, id) => this.wholeTokens && token.includes(this.delimiter) && this.connector[id] !== APART);
    return { tokens: this.tokens.slice(), joined };
  }

  /** Gives ids to the tokens of a {@link TokenAtoms.replay} (or of a part of one), in their order. */
  adopt(replay: TokenReplay): void {
    replay.tokens.forEach((token, i) => this.id(token, replay.joined[i]));
  }

  /** Where the tokens, atoms and pool end now, for {@link TokenAtoms.forgetSince}. */
  mark(): TokenAtomsMark {
    return { tokens: this.tokens.length, atoms: this.atoms.length, pool: this.poolLength };
  }

  /** Forgets every token and atom given an id since `mark` (a query's words, which need not stay). */
  forgetSince(mark: TokenAtomsMark): void {
    for (let id = mark.tokens; id < this.tokens.length; id++) this.tokenIds.delete(this.tokens[id]!);
    for (let id = mark.atoms; id < this.atoms.length; id++) this.atomIds.delete(this.atoms[id]!);
    this.tokens.length = mark.tokens;
    this.atoms.length = mark.atoms;
    this.poolLength = mark.pool;
  }

  /** The id of an atom, given one on first sight. */
  atomId(atom: string): number {
    let id = this.atomIds.get(atom);
    if (id === undefined) {
      id = this.atoms.length;
      this.atoms.push(atom);
      this.atomIds.set(atom, id);
    }
    return id;
  }

  /** True for a connector word. */
  isConnector(token: number): boolean {
    return this.connector[token] === CONNECTOR;
  }

  /** True for a token that is never part of a phrase (see `wholeTokens`). */
  isApart(token: number): boolean {
    return this.connector[token] === APART;
  }

  /** True when `word` is a token of the text kept apart from phrases. */
  isApartWord(word: string): boolean {
    const id = this.tokenIds.get(word);
    return id !== undefined && this.connector[id] === APART;
  }

  /** Appends the token's atoms to `out` at `at`; returns the new end. */
  appendAtoms(token: number, out: Int32Array, at: number): number {
    const start = this.starts[token]!;
    const length = this.lengths[token]!;
    for (let i = 0; i < length; i++) out[at + i] = this.pool[start + i]!;
    return at + length;
  }

  /** The token's first atom. */
  firstAtom(token: number): number {
    return this.pool[this.starts[token]!]!;
  }

  /** The token's last atom. */
  lastAtom(token: number): number {
    return this.pool[this.starts[token]! + this.lengths[token]! - 1]!;
  }

  /** How many atoms the token has. */
  atomCount(token: number): number {
    return this.lengths[token]!;
  }

  /** The only atom of a token without the delimiter (−1 for one with it). */
  singleAtom(token: number): number {
    return this.lengths[token] === 1 ? this.pool[this.starts[token]!]! : -1;
  }
}

/** Tokens in id order, each with whether a pass joined it: see {@link TokenAtoms.replay}. */
export interface TokenReplay {
  tokens: readonly string[];
  joined: readonly boolean[];
}

/** What a {@link TokenAtoms} is made with: with a replay, all another thread needs to give the same ids. */
export interface TokenAtomsShape {
  delimiter: string;
  connectors: readonly string[];
  wholeTokens: boolean;
}

/** Kinds of token besides ordinary words: connectors, and tokens kept apart from phrases. */
const CONNECTOR = 1;
const APART = 2;

function grow(array: Int32Array<ArrayBuffer>, least: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(Math.max(least, array.length * 2));
  out.set(array);
  return out;
}

/**
 * A hash table keyed by sequences of atom ids, each with a value (a count while learning, a score in a
 * frozen table). Open addressing; a slot holds the key's hash (its low bits the key's length), its entry and
 * its first two atoms, so that a pair — nearly every key — is found in one cache line. Keys are kept in one
 * pool in the order they came; entry e's atoms are pool[start[e] … start[e + 1]).
 */
export class SequenceTable {
  /** Stride 4: tag, entry + 1 (0: empty), first atom, second atom. */
  private slots: Int32Array<ArrayBuffer>;
  private starts = new Int32Array(1025);
  /** Values by entry. */
  values = new Float64Array(1024);
  private pool = new Int32Array(4096);
  /** Entries. */
  size = 0;

  constructor(capacity = 1 << 12) {
    this.slots = new Int32Array(capacity * 4);
  }

  /** The entry of the key `keys[from … from + length)`, or −1. */
  find(keys: Int32Array, from: number, length: number): number {
    const tag = tagOf(keys, from, length);
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    for (let slot = (tag >>> 4) & mask; ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const entry = slots[at + 1]! - 1;
      if (entry < 0) return -1;
      if (slots[at] === tag && this.matches(at, entry, keys, from, length)) return entry;
    }
  }

  /**
   * Reads the first slot of a key of tag `tag` and returns what it holds: asking for the slots of many keys
   * this way before adding them lets their cache misses overlap instead of coming one after the other.
   */
  touch(tag: number): number {
    const slots = this.slots;
    return slots[((((tag >>> 4) & ((slots.length >> 2) - 1)) << 2) + 1)]!;
  }

  /** Adds `delta` to the key's value (a new key starts at 0); returns its entry. `tag`: the key's {@link tagOf}, when known. */
  add(keys: Int32Array, from: number, length: number, delta: number, tag = tagOf(keys, from, length)): number {
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    let slot = (tag >>> 4) & mask;
    for (; ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const entry = slots[at + 1]! - 1;
      if (entry < 0) break;
      if (slots[at] === tag && this.matches(at, entry, keys, from, length)) {
        this.values[entry] += delta;
        return entry;
      }
    }
    const entry = this.size++;
    if (entry + 1 >= this.starts.length) {
      this.starts = grow(this.starts, entry + 2);
      const values = new Float64Array(this.starts.length);
      values.set(this.values);
      this.values = values;
    }
    const start = this.starts[entry]!;
    if (start + length > this.pool.length) this.pool = grow(this.pool, start + length);
    const pool = this.pool;
    for (let i = 0; i < length; i++) pool[start + i] = keys[from + i]!;
    this.starts[entry + 1] = start + length;
    this.values[entry] = delta;
    const at = slot << 2;
    slots[at] = tag;
    slots[at + 1] = entry + 1;
    slots[at + 2] = keys[from]!;
    slots[at + 3] = length > 1 ? keys[from + 1]! : 0;
    if (this.size * 4 > (slots.length >> 2) * 3) this.rehash((slots.length >> 2) * 2);
    return entry;
  }

  /** The key of an entry (a view of the pool: copy it to keep it). */
  key(entry: number): Int32Array {
    return this.pool.subarray(this.starts[entry]!, this.starts[entry + 1]!);
  }

  /** Keeps the entries `keep` says yes to, in their order. */
  filter(keep: (entry: number) => boolean): void {
    let next = 0;
    let poolNext = 0;
    for (let entry = 0; entry < this.size; entry++) {
      if (!keep(entry)) continue;
      const start = this.starts[entry]!;
      const end = this.starts[entry + 1]!;
      this.pool.copyWithin(poolNext, start, end);
      this.starts[next] = poolNext;
      this.values[next] = this.values[entry]!;
      poolNext += end - start;
      next++;
    }
    this.starts[next] = poolNext;
    this.size = next;
    let capacity = 1 << 12;
    while (capacity * 3 < this.size * 4) capacity *= 2;
    this.reindex(capacity);
  }

  private rehash(capacity: number): void {
    const old = this.slots;
    const slots = new Int32Array(capacity * 4);
    const mask = capacity - 1;
    // The old slots in order: their keys land in the new table nearly in order too (the new index is the
    // old one with more of the hash's bits), so the writes stream instead of falling anywhere.
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 1] === 0) continue;
      let slot = (old[at]! >>> 4) & mask;
      while (slots[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
      slots.set(old.subarray(at, at + 4), slot << 2);
    }
    this.slots = slots;
  }

  /** Rebuilds the slots from the entries (after some were dropped). */
  private reindex(capacity: number): void {
    const slots = new Int32Array(capacity * 4);
    const mask = capacity - 1;
    for (let entry = 0; entry < this.size; entry++) {
      const from = this.starts[entry]!;
      const length = this.starts[entry + 1]! - from;
      const tag = tagOf(this.pool, from, length);
      let slot = (tag >>> 4) & mask;
      while (slots[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
      const at = slot << 2;
      slots[at] = tag;
      slots[at + 1] = entry + 1;
      slots[at + 2] = this.pool[from]!;
      slots[at + 3] = length > 1 ? this.pool[from + 1]! : 0;
    }
    this.slots = slots;
  }

  private matches(at: number, entry: number, keys: Int32Array, from: number, length: number): boolean {
    const slots = this.slots;
    if (slots[at + 2] !== keys[from]) return false;
    if (length === 1) return true;
    if (slots[at + 3] !== keys[from + 1]) return false;
    if (length === 2) return true;
    // The tag holds lengths up to 14 exactly; longer keys compare their lengths too.
    const start = this.starts[entry]!;
    if (this.starts[entry + 1]! - start !== length) return false;
    for (let i = 2; i < length; i++) if (this.pool[start + i] !== keys[from + i]) return false;
    return true;
  }
}

/** A key's hash with its length (up to 15) in the low four bits. */
export function tagOf(keys: Int32Array, from: number, length: number): number {
  return (hashOf(keys, from, length) & ~15) | Math.min(length, 15);
}

function hashOf(keys: Int32Array, from: number, length: number): number {
  let h = 0x811c9dc5 ^ length;
  for (let i = 0; i < length; i++) {
    h = Math.imul(h ^ keys[from + i]!, 0x01000193);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
  return (h ^ (h >>> 15)) | 0;
}

/** One pass's phrases: each phrase's atoms with its count and score (gensim's `export_phrases`). */
export interface PhrasePass {
  /** Each phrase as its tokens joined by the delimiter. */
  phrases: string[];
  counts: number[];
  scores: number[];
}

/** A learnt (or saved) phrase table: the settings and each pass's phrases. */
export interface PhraseTable {
  settings: PhraseSettings;
  passes: PhrasePass[];
}

/**
 * Joins phrases in lines of token ids, pass after pass, as gensim's `FrozenPhrases` does: left to right, a
 * token that is not a connector starts a candidate, connectors after it wait inside, and the next token that
 * is not a connector closes it — joined when the table scores the whole above the threshold, else the start
 * and the connectors go out as they were and the closing token starts the next candidate.
 */
export class Phraser {
  private readonly tables: SequenceTable[];
  /**
   * By pass, 1 for each atom that begins (`firstAtoms`) or ends (`lastAtoms`) one of its phrases: a pair
   * whose first token does not begin one, or whose second does not end one, is passed over without a
   * lookup — nearly every pair of a text.
   */
  private readonly firstAtoms: Uint8Array[];
  private readonly lastAtoms: Uint8Array[];
  /** The token each table entry joins to, once it has been seen (−1 before): a phrase's string is its atoms'. */
  private readonly joinedTokens: Int32Array[];
  private scratch = new Int32Array(64);
  private readonly between: number[] = [];
  /** The (pass, entry) pairs whose joined token was given an id during a forgetful {@link Phraser.apply}. */
  private readonly joinedSince: number[] = [];

  /**
   * @param atoms the tokens (new joined tokens are given ids in it)
   * @param passes each pass's phrases
   * @param threshold scores at or under it do not join
   */
  constructor(
    readonly atoms: TokenAtoms,
    passes: readonly PhrasePass[],
    private readonly threshold: number,
  ) {
    this.tables = passes.map((pass) => {
      const table = new SequenceTable();
      pass.phrases.forEach((phrase, i) => {
        const keys = phrase.split(atoms.delimiter).map((atom) => atoms.atomId(atom));
        table.add(Int32Array.from(keys), 0, keys.length, pass.scores[i]!);
      });
      return table;
    });
    this.joinedTokens = this.tables.map((table) => new Int32Array(table.size).fill(-1));
    const atomFlags = (pick: (key: Int32Array) => number) =>
      this.tables.map((table) => {
        const flags = new Uint8Array(atoms.atoms.length);
        for (let entry = 0; entry < table.size; entry++) flags[pick(table.key(entry))] = 1;
        return flags;
      });
    this.firstAtoms = atomFlags((key) => key[0]!);
    this.lastAtoms = atomFlags((key) => key[key.length - 1]!);
  }

  /** The number of passes. */
  get passes(): number {
    return this.tables.length;
  }

  /** Applies pass `pass` to a line of token ids; returns the line with phrases as (new) token ids. */
  applyPass(pass: number, line: ArrayLike<number>, out: number[] = []): number[] {
    out.length = 0;
    const table = this.tables[pass]!;
    const firstAtoms = this.firstAtoms[pass]!;
    const lastAtoms = this.lastAtoms[pass]!;
    const { atoms, between } = this;
    between.length = 0;
    let start = -1;
    for (let i = 0; i < line.length; i++) {
      const token = line[i]!;
      if (atoms.isConnector(token)) {
        if (start >= 0) between.push(token);
        else out.push(token);
        continue;
      }
      if (atoms.isApart(token)) {
        if (start >= 0) out.push(start, ...between);
        out.push(token);
        start = -1;
        if (between.length !== 0) between.length = 0;
        continue;
      }
      if (start < 0) {
        start = token;
        continue;
      }
      if (firstAtoms[atoms.firstAtom(start)] !== 1 || lastAtoms[atoms.lastAtom(token)] !== 1) {
        out.push(start);
        for (let k = 0; k < between.length; k++) out.push(between[k]!);
        start = token;
        if (between.length !== 0) between.length = 0;
        continue;
      }
      let length = 0;
      const need = atoms.atomCount(start) + atoms.atomCount(token) + between.reduce((n, t) => n + atoms.atomCount(t), 0);
      if (need > this.scratch.length) this.scratch = new Int32Array(need * 2);
      length = atoms.appendAtoms(start, this.scratch, length);
      for (const t of between) length = atoms.appendAtoms(t, this.scratch, length);
      length = atoms.appendAtoms(token, this.scratch, length);
      const entry = table.find(this.scratch, 0, length);
      if (entry >= 0 && table.values[entry]! > this.threshold) {
        const joined = this.joinedTokens[pass]!;
        if (joined[entry]! < 0) {
          joined[entry] = atoms.id([start, ...between, token].map((t) => atoms.tokens[t]).join(atoms.delimiter), true);
          this.joinedSince.push(pass, entry);
        }
        out.push(joined[entry]!);
        start = -1;
      } else {
        out.push(start, ...between);
        start = token;
      }
      if (between.length !== 0) between.length = 0;
    }
    if (start >= 0) out.push(start, ...between);
    return out;
  }

  /**
   * Applies every pass to a line of token strings: the line with phrases joined.
   * @param remember keep the ids given to new tokens (a corpus: its words come again); false for queries,
   *   whose words are forgotten after, so a server answering any text does not grow
   */
  apply(tokens: readonly string[], remember = true): string[] {
    const mark = remember ? null : this.atoms.mark();
    this.joinedSince.length = 0;
    let line: number[] = tokens.map((token) => this.atoms.id(token));
    for (let pass = 0; pass < this.tables.length; pass++) line = this.applyPass(pass, line, []);
    const joined = line.map((id) => this.atoms.tokens[id]!);
    if (mark) {
      for (let i = 0; i < this.joinedSince.length; i += 2) {
        const table = this.joinedTokens[this.joinedSince[i]!]!;
        const entry = this.joinedSince[i + 1]!;
        if (table[entry]! >= mark.tokens) table[entry] = -1;
      }
      this.atoms.forgetSince(mark);
    }
    return joined;
  }
}
