/**
 * Pass-1 word counting with bounded memory. Each distinct word gets a provisional id (a "slot") the first
 * time it is seen; the token cache stores slots, and {@link buildVocabulary} later maps slots to final ids.
 * With `maxVocab`, the rarest words are pruned whenever the table grows past it, exactly as gensim's
 * `max_vocab_size` does (drop every word with count ≤ `minReduce`, then raise `minReduce`).
 */

/** Plain data of a {@link WordCounter}. */
export interface CounterSnapshot {
  maxVocab: number;
  minReduce: number;
  totalTokens: number;
  prunes: number;
  slotWords: (string | null)[];
  slotCounts: number[];
}

/**
 * A copy of `word` that shares no memory with the line it was cut from. V8 keeps a substring of 13+
 * characters as a view into its parent, so one long word kept as a map key would pin a whole decoded
 * block of input (Node decodes 1 MB reads into external strings): pass 1 then held ~100 MB of text
 * for a 35k-word vocabulary. Prepending a character makes a rope; slicing it flattens a fresh copy.
 */
function detach(word: string): string {
  return word.length < 13 ? word : (' ' + word).slice(1);
}

/** FNV-1a's offset basis and prime, over UTF-16 code units (see {@link hashWord}). */
export const HASH_BASIS = 0x811c9dc5 | 0;
export const HASH_PRIME = 0x01000193;

/** The hash the counter files a word under: 32-bit FNV-1a over its UTF-16 code units. */
export function hashWord(word: string): number {
  return hashRange(word, 0, word.length);
}

/** {@link hashWord} of `text[start … end)`, without cutting it out. */
export function hashRange(text: string, start: number, end: number): number {
  let h = HASH_BASIS;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), HASH_PRIME);
  return h;
}

/**
 * Counts words; see the module comment. Words are filed in an open-addressing table of slots keyed by
 * {@link hashWord}, so a token can be counted straight from the line it is in ({@link addRange}) without
 * first becoming a string of its own: only a word seen for the first time is copied out.
 */
export class WordCounter {
  /** Slot + 1 of the word filed at each position; 0 is empty. Never more than half full. */
  private table = new Int32Array(1 << 12);
  private mask = (1 << 12) - 1;
  private hashes = new Int32Array(1024);
  private slotWords: (string | undefined)[] = [];
  private slotCounts = new Float64Array(1024);
  private live = 0;
  private minReduce = 1;
  /** Tokens counted, pruned ones included. */
  totalTokens = 0;
  /** Times the table was pruned. */
  prunes = 0;

  /** @param maxVocab prune when more than this many distinct words are held (0: never) */
  constructor(private readonly maxVocab = 0) {}

  /** Number of distinct words currently held. */
  get size(): number {
    return this.live;
  }

  /** Number of slots handed out so far (provisional ids are below this). */
  get slotCount(): number {
    return this.slotWords.length;
  }

  /**
   * Counts one token and returns its slot (provisional id).
   * @param word the token
   */
  add(word: string): number {
    return this.addRange(word, 0, word.length, hashWord(word), null);
  }

  /**
   * Counts the token `text[start … end)`, each code unit mapped through `fold` (lowercasing; null: as
   * it is), whose {@link hashWord} (of the token as counted) is `hash`, and returns its slot. A new word
   * is stored as `text.slice(start, end)`, lowercased when `fold` is given: `fold` must map each of its
   * code units to that lowercase (see `DirectTokenizer`).
   */
  addRange(text: string, start: number, end: number, hash: number, fold: Uint16Array | null): number {
    this.totalTokens++;
    const length = end - start;
    const { table, mask, hashes, slotWords } = this;
    let at = hash & mask;
    for (;;) {
      const entry = table[at]!;
      if (entry === 0) break;
      const slot = entry - 1;
      if (hashes[slot] === hash) {
        const word = slotWords[slot]!;
        if (word.length === length) {
          let k = 0;
          if (fold) while (k < length && word.charCodeAt(k) === fold[text.charCodeAt(start + k)]) k++;
          else while (k < length && word.charCodeAt(k) === text.charCodeAt(start + k)) k++;
          if (k === length) {
            this.slotCounts[slot]++;
            return slot;
          }
        }
      }
      at = (at + 1) & mask;
    }
    let word = start === 0 && end === text.length ? text : text.slice(start, end);
    if (fold) word = word.toLowerCase();
    return this.insert(detach(word), hash, at);
  }

  /**
   * Counts once more the word of a slot returned before, if pruning has not removed it since.
   * @returns the slot, or −1 when its word was pruned (count it again by its string then)
   */
  addSlot(slot: number): number {
    if (this.slotWords[slot] === undefined) return -1;
    this.totalTokens++;
    this.slotCounts[slot]++;
    return slot;
  }

  /**
   * The word of a slot {@link addRange} returned (a counter that never prunes keeps every slot's word).
   * @throws Error for a slot pruning emptied
   */
  wordOf(slot: number): string {
    const word = this.slotWords[slot];
    if (word === undefined) throw new Error(`WordCounter.wordOf: slot ${slot} holds no word`);
    return word;
  }

  /** Files a new word at table position `at` (found empty by the caller). */
  private insert(word: string, hash: number, at: number): number {
    const slot = this.slotWords.length;
    this.slotWords.push(word);
    if (slot >= this.slotCounts.length) {
      const counts = new Float64Array(this.slotCounts.length * 2);
      counts.set(this.slotCounts);
      this.slotCounts = counts;
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.hashes[slot] = hash;
    this.slotCounts[slot] = 1;
    this.table[at] = slot + 1;
    this.live++;
    if (this.live * 2 > this.mask) this.rebuild(this.table.length * 2);
    if (this.maxVocab > 0 && this.live > this.maxVocab) this.prune();
    return slot;
  }

  /** Refiles every live word in a table of `size` positions (a power of two). */
  private rebuild(size: number): void {
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let slot = 0; slot < this.slotWords.length; slot++) {
      if (this.slotWords[slot] === undefined) continue;
      let at = this.hashes[slot]! & mask;
      while (table[at] !== 0) at = (at + 1) & mask;
      table[at] = slot + 1;
    }
    this.table = table;
    this.mask = mask;
  }

  /** Counts every token of a sentence and writes their slots into `out` (which must be long enough). */
  addAll(words: readonly string[], out: Int32Array): void {
    for (let i = 0; i < words.length; i++) out[i] = this.add(words[i]!);
  }

  private prune(): void {
    for (let slot = 0; slot < this.slotWords.length; slot++) {
      if (this.slotWords[slot] !== undefined && this.slotCounts[slot]! <= this.minReduce) {
        this.slotWords[slot] = undefined;
        this.slotCounts[slot] = 0;
        this.live--;
      }
    }
    this.rebuild(this.table.length);
    this.minReduce++;
    this.prunes++;
  }

  /** A plain-data snapshot (for the persistent token cache). */
  snapshot(): CounterSnapshot {
    return {
      maxVocab: this.maxVocab,
      minReduce: this.minReduce,
      totalTokens: this.totalTokens,
      prunes: this.prunes,
      slotWords: this.slotWords.map((w) => w ?? null),
      slotCounts: Array.from(this.slotCounts.subarray(0, this.slotWords.length)),
    };
  }

  /** Rebuilds a counter from {@link snapshot}. */
  static restore(snapshot: CounterSnapshot): WordCounter {
    const counter = new WordCounter(snapshot.maxVocab);
    counter.minReduce = snapshot.minReduce;
    counter.totalTokens = snapshot.totalTokens;
    counter.prunes = snapshot.prunes;
    counter.slotWords = snapshot.slotWords.map((w) => w ?? undefined);
    const slots = counter.slotWords.length;
    counter.slotCounts = new Float64Array(Math.max(1024, slots));
    counter.slotCounts.set(snapshot.slotCounts);
    counter.hashes = new Int32Array(Math.max(1024, slots));
    counter.live = 0;
    counter.slotWords.forEach((word, slot) => {
      if (word === undefined) return;
      counter.hashes[slot] = hashWord(word);
      counter.live++;
    });
    let size = 1 << 12;
    while (counter.live * 2 > size - 1) size *= 2;
    counter.rebuild(size);
    return counter;
  }

  /** Live entries in slot order (first-seen order): slot, word, count. */
  *entries(): IterableIterator<[slot: number, word: string, count: number]> {
    for (let slot = 0; slot < this.slotWords.length; slot++) {
      const word = this.slotWords[slot];
      if (word !== undefined) yield [slot, word, this.slotCounts[slot]!];
    }
  }
}
