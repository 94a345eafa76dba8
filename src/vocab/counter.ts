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

/** Counts words; see the module comment. */
export class WordCounter {
  private readonly index = new Map<string, number>();
  private slotWords: (string | undefined)[] = [];
  private slotCounts = new Float64Array(1024);
  private minReduce = 1;
  /** Tokens counted, pruned ones included. */
  totalTokens = 0;
  /** Times the table was pruned. */
  prunes = 0;

  /** @param maxVocab prune when more than this many distinct words are held (0: never) */
  constructor(private readonly maxVocab = 0) {}

  /** Number of distinct words currently held. */
  get size(): number {
    return this.index.size;
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
    this.totalTokens++;
    let slot = this.index.get(word);
    if (slot === undefined) {
      word = detach(word);
      slot = this.slotWords.length;
      this.slotWords.push(word);
      if (slot >= this.slotCounts.length) {
        const grown = new Float64Array(this.slotCounts.length * 2);
        grown.set(this.slotCounts);
        this.slotCounts = grown;
      }
      this.index.set(word, slot);
      this.slotCounts[slot] = 1;
      if (this.maxVocab > 0 && this.index.size > this.maxVocab) this.prune();
      return slot;
    }
    this.slotCounts[slot]++;
    return slot;
  }

  /** Counts every token of a sentence and writes their slots into `out` (which must be long enough). */
  addAll(words: readonly string[], out: Int32Array): void {
    for (let i = 0; i < words.length; i++) out[i] = this.add(words[i]!);
  }

  private prune(): void {
    for (const [word, slot] of this.index) {
      if (this.slotCounts[slot]! <= this.minReduce) {
        this.index.delete(word);
        this.slotWords[slot] = undefined;
        this.slotCounts[slot] = 0;
      }
    }
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
    counter.slotCounts = Float64Array.from(snapshot.slotCounts.length > 0 ? snapshot.slotCounts : [0]);
    counter.slotWords.forEach((word, slot) => {
      if (word !== undefined) counter.index.set(word, slot);
    });
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
