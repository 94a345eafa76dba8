/**
 * Learning phrases, gensim's `Phrases` exactly: the counts of words and of each word with the next word that
 * is not a connector (the connectors between them part of the pair), pruned as gensim's `max_vocab_size`
 * prunes; then every counted pair scored and kept when its score is above the threshold (`export_phrases`).
 * Counts are keyed by atom sequences (text/phrases.ts), which gives gensim's identities of joined strings.
 */
import { SequenceTable, tagOf, type PhrasePass, type PhraseSettings, type TokenAtoms } from '../text/phrases.js';

/**
 * word2vec's and gensim's default score: (count(ab) − min_count) ÷ (count(a) · count(b)) · |vocabulary|,
 * where the vocabulary is every counted word and pair (gensim's `len(vocab)`).
 */
export function defaultScore(countA: number, countB: number, countAB: number, vocabularySize: number, minCount: number): number {
  const denominator = countA * countB;
  if (denominator === 0) return -Infinity;
  return ((countAB - minCount) / denominator) * vocabularySize;
}

/**
 * Normalized pointwise mutual information, in [−1, 1]: ln(p(ab) ÷ (p(a) · p(b))) ÷ −ln p(ab), each p a count
 * over the corpus's words; −∞ under min_count (gensim's `npmi_scorer`).
 */
export function npmiScore(countA: number, countB: number, countAB: number, corpusWords: number, minCount: number): number {
  if (countAB < minCount) return -Infinity;
  const pa = countA / corpusWords;
  const pb = countB / corpusWords;
  const pab = countAB / corpusWords;
  if (pab <= 0 || pa <= 0 || pb <= 0) return -Infinity;
  return Math.log(pab / (pa * pb)) / -Math.log(pab);
}

/**
 * word2vec C's `word2phrase`: (count(ab) − min_count) ÷ count(a) ÷ count(b) × the corpus's words, in float32
 * as its `real`; 0 when either word is seen fewer than min_count times.
 */
export function word2phraseScore(countA: number, countB: number, countAB: number, corpusWords: number, minCount: number): number {
  if (countA < minCount || countB < minCount) return 0;
  const f = Math.fround;
  return f(f(f(f(countAB - minCount) / f(countA)) / f(countB)) * f(corpusWords));
}

/** The counts of one pass of learning. */
export class PhraseCounter {
  /** Counts of single-atom words, by atom id. */
  private unigrams = new Float64Array(1024);
  /** Counts of every key of two atoms or more: pairs, and words that hold the delimiter. */
  readonly pairs: SequenceTable;
  /** Distinct single-atom words counted. */
  private unigramKeys = 0;
  /** Words read, connectors included (gensim's `corpus_word_count`). */
  words = 0;
  /** gensim's `min_reduce`: the next pruning drops counts under it. */
  private minReduce = 1;
  /** How many prunings there were. */
  prunings = 0;
  private readonly between: number[] = [];
  /** A line's keys (atoms, one after another), where each starts and ends, and their tags. */
  private lineKeys = new Int32Array(1024);
  private keyStart = new Int32Array(256);
  private keyEnd = new Int32Array(256);
  private tags = new Int32Array(256);
  /** Where the touched slots end up, so that reading them is not dead code. */
  sink = 0;
  /** The last word that is not a connector, of the lines so far (−1: none). */
  private lastToken = -1;

  /**
   * @param expectedPairs how many pairs the text is expected to hold: the table starts that big (it grows
   *   as needed either way; a good guess saves growing)
   */
  constructor(
    private readonly atoms: TokenAtoms,
    private readonly settings: PhraseSettings,
    expectedPairs = 0,
  ) {
    let capacity = 1 << 18;
    while (capacity * 3 < expectedPairs * 4) capacity *= 2;
    this.pairs = new SequenceTable(capacity);
  }

  /** Distinct words and pairs counted (gensim's `len(vocab)`). */
  get vocabularySize(): number {
    return this.unigramKeys + this.pairs.size;
  }

  /** The count of a single-atom word. */
  unigramCount(atom: number): number {
    return atom < this.unigrams.length ? this.unigrams[atom]! : 0;
  }

  private countAtom(atom: number): void {
    if (atom >= this.unigrams.length) {
      const grown = new Float64Array(Math.max(atom + 1, this.unigrams.length * 2));
      grown.set(this.unigrams);
      this.unigrams = grown;
    }
    if (this.unigrams[atom] === 0) this.unigramKeys++;
    this.unigrams[atom]++;
  }

  /** Counts one sentence (a line of token ids), then prunes when the counts outgrow the bound. */
  addSentence(line: ArrayLike<number>): void {
    const { atoms, between } = this;
    between.length = 0;
    // First every key of the line — its words' and its pairs' — then their slots asked for together
    // (SequenceTable.touch), then the counts: the table's cache misses overlap.
    let keys = this.lineKeys;
    let count = 0;
    let used = 0;
    // word2phrase counts the pair of a line's last word and the next line's first (its learning reads one
    // stream of words; it never joins them): so does its scoring here.
    let start = this.settings.scoring === 'word2phrase' ? this.lastToken : -1;
    // The start's only atom (−1 when it has several): a pair of two such words — nearly every pair — is
    // keyed without looking at the atoms' lists.
    let startAtom = start >= 0 ? atoms.singleAtom(start) : -1;
    for (let i = 0; i < line.length; i++) {
      const token = line[i]!;
      if (atoms.isApart(token)) {
        // Counted as a word, never in a pair.
        this.countAtom(atoms.singleAtom(token));
        start = -1;
        if (between.length !== 0) between.length = 0;
        this.words++;
        continue;
      }
      if (!atoms.isConnector(token)) {
        const atom = atoms.singleAtom(token);
        if (atom >= 0) this.countAtom(atom);
        else {
          const need = used + atoms.atomCount(token);
          if (need > keys.length) keys = this.lineKeys = growInts(keys, need);
          this.keyStart[count] = used;
          used = atoms.appendAtoms(token, keys, used);
          this.keyEnd[count++] = used;
        }
        if (start >= 0 && startAtom >= 0 && atom >= 0 && between.length === 0) {
          if (used + 2 > keys.length) keys = this.lineKeys = growInts(keys, used + 2);
          this.keyStart[count] = used;
          keys[used++] = startAtom;
          keys[used++] = atom;
          this.keyEnd[count++] = used;
        } else if (start >= 0) {
          let need = used + atoms.atomCount(start) + atoms.atomCount(token);
          for (const t of between) need += atoms.atomCount(t);
          if (need > keys.length) keys = this.lineKeys = growInts(keys, need);
          if (count >= this.keyStart.length) this.growKeyRanges();
          this.keyStart[count] = used;
          used = atoms.appendAtoms(start, keys, used);
          for (const t of between) used = atoms.appendAtoms(t, keys, used);
          used = atoms.appendAtoms(token, keys, used);
          this.keyEnd[count++] = used;
        }
        if (count + 2 >= this.keyStart.length) this.growKeyRanges();
        start = token;
        startAtom = atom;
        if (between.length !== 0) between.length = 0;
      } else if (start >= 0) between.push(token);
      this.words++;
    }
    this.lastToken = start;
    const tags = this.tags.length >= count ? this.tags : (this.tags = new Int32Array(count * 2));
    let sink = 0;
    for (let k = 0; k < count; k++) {
      tags[k] = tagOf(keys, this.keyStart[k]!, this.keyEnd[k]! - this.keyStart[k]!);
      sink ^= this.pairs.touch(tags[k]!);
    }
    this.sink ^= sink;
    for (let k = 0; k < count; k++) this.pairs.add(keys, this.keyStart[k]!, this.keyEnd[k]! - this.keyStart[k]!, 1, tags[k]!);
    if (this.vocabularySize > this.settings.maxVocab) this.prune();
  }

  private growKeyRanges(): void {
    this.keyStart = growInts(this.keyStart, this.keyStart.length * 2);
    this.keyEnd = growInts(this.keyEnd, this.keyEnd.length * 2);
  }

  /** gensim's `prune_vocab`: drops every count under `min_reduce`, which then grows by one. */
  private prune(): void {
    const limit = this.minReduce;
    for (let a = 0; a < this.unigrams.length; a++) {
      const count = this.unigrams[a]!;
      if (count > 0 && count < limit) {
        this.unigrams[a] = 0;
        this.unigramKeys--;
      }
    }
    this.pairs.filter((entry) => this.pairs.values[entry]! >= limit);
    this.minReduce++;
    this.prunings++;
  }

  /**
   * The phrases: every key of two atoms or more whose first and last atoms are counted words, scored
   * (gensim's `export_phrases`, in the order the keys were first counted), kept above the threshold.
   */
  export(): PhrasePass {
    const { minCount, threshold, scoring, delimiter } = this.settings;
    const size = this.vocabularySize;
    const pass: PhrasePass = { phrases: [], counts: [], scores: [] };
    for (let entry = 0; entry < this.pairs.size; entry++) {
      const key = this.pairs.key(entry);
      const countA = this.unigramCount(key[0]!);
      if (countA <= 0) continue;
      const countB = this.unigramCount(key[key.length - 1]!);
      if (countB <= 0) continue;
      const countAB = this.pairs.values[entry]!;
      if (countAB <= 0) continue;
      const score =
        scoring === 'npmi' ? npmiScore(countA, countB, countAB, this.words, minCount)
        : scoring === 'word2phrase' ? word2phraseScore(countA, countB, countAB, this.words, minCount)
        : defaultScore(countA, countB, countAB, size, minCount);
      if (score <= threshold) continue;
      const phrase = Array.from(key, (atom) => this.atoms.atoms[atom]!).join(delimiter);
      // A phrase spelt like a word of the text that is kept apart (see TokenAtoms) would be that word.
      if (this.atoms.isApartWord(phrase)) continue;
      pass.phrases.push(phrase);
      pass.counts.push(countAB);
      pass.scores.push(score);
    }
    return pass;
  }
}

function growInts(array: Int32Array<ArrayBuffer>, least: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(Math.max(least, array.length * 2));
  out.set(array);
  return out;
}
