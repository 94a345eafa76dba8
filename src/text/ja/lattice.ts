/**
 * Japanese morphological analysis: the lattice of every dictionary word and unknown-word candidate of a
 * sentence, and the cheapest path through it (Viterbi) under the dictionary's word and connection
 * costs — the method of MeCab (Kudo, Yamamoto and Matsumoto 2004, "Applying Conditional Random Fields
 * to Japanese Morphological Analysis"), with kuromoji 0.1.2's exact rules, so that the tokens are
 * kuromoji's to the letter:
 *
 * - the text is cut after each 、 and 。 and every piece is analysed on its own;
 * - positions count code points (a surrogate pair is one), but an unknown word of two or more characters
 *   is as long as its UTF-16 length, as in kuromoji;
 * - at each position, the dictionary words that start there, in trie order (shortest first, then entry
 *   order); unknown-word candidates when no word was found or the character's class is always tried: the
 *   character alone, or for a grouping class the run of characters of the same class (no length limit);
 * - each node takes the first cheapest predecessor among the nodes ending where it starts, in the order
 *   they were added; when nothing reaches the end of a piece (an unknown word counted in UTF-16 units
 *   can overshoot it), the path is the one to the predecessor of the last node reached, as kuromoji's
 *   search leaves it.
 *
 * Nodes live in flat typed arrays reused from sentence to sentence: no object per node or token. The
 * result is a list of tokens as (start, end, entry): a text range and a dictionary entry (an entry at or
 * above `knownEntries` is an unknown word).
 * Making strings is left to the caller.
 *
 * @example
 * const analyzer = new LatticeAnalyzer(await loadDictionary());
 * const n = analyzer.analyze('すもももももももものうち');
 * // analyzer.tokenStart[0 … n), tokenEnd, tokenEntry: すもも / も / もも / も / もも / の / うち
 */
import type { Utf8Builder } from '../utf8Builder.js';
import { CLASS_GROUP, CLASS_INVOKE, VALUE_COUNT_BITS, VALUE_COUNT_MASK, type JapaneseDictionary } from './dictionaryImage.js';

const IDEOGRAPHIC_COMMA = 0x3001;
const IDEOGRAPHIC_FULL_STOP = 0x3002;

function grownInt32(array: Int32Array, needed: number): Int32Array {
  if (needed <= array.length) return array;
  const grown = new Int32Array(Math.max(needed, array.length * 2));
  grown.set(array);
  return grown;
}

/** What an analysis gives: tokens as text ranges and entries (this class, or the WebAssembly one of `latticeWasm.ts`). */
export interface TokenLattice {
  /** Analyses one text; returns the number of tokens ({@link tokenStart}, {@link tokenEnd}, {@link tokenEntry}). */
  analyze(text: string): number;
  readonly tokenStart: Int32Array;
  readonly tokenEnd: Int32Array;
  readonly tokenEntry: Int32Array;
  /**
   * When the lattice can: appends the surfaces of the last analysis's tokens, but those of whitespace
   * alone, to `out` as UTF-8, one space between them and a newline after.
   */
  writeSurfaces?(out: Utf8Builder): void;
}

/** Runs the analysis; one per thread (it keeps scratch arrays). */
export class LatticeAnalyzer implements TokenLattice {
  /** Text range and entry of each token of the last {@link analyze} call. */
  tokenStart: Int32Array = new Int32Array(1024);
  tokenEnd: Int32Array = new Int32Array(1024);
  tokenEntry: Int32Array = new Int32Array(1024);

  // Per code point of the current piece: its UTF-16 offset, class, and the end of its class run.
  private offset: Int32Array = new Int32Array(256);
  private classOf = new Uint8Array(256);
  private runEnd: Int32Array = new Int32Array(256);
  // Lists of the nodes ending at each position, in the order they were added.
  private endHead: Int32Array = new Int32Array(512);
  private endTail: Int32Array = new Int32Array(512);
  // Nodes; node 0 is the start of the piece.
  private nodeEntry: Int32Array = new Int32Array(4096);
  private nodeRight: Int32Array = new Int32Array(4096);
  private nodeCost = new Float64Array(4096);
  private nodePrev: Int32Array = new Int32Array(4096);
  private nodeNext: Int32Array = new Int32Array(4096);
  private nodeStart: Int32Array = new Int32Array(4096);
  private nodeEnd: Int32Array = new Int32Array(4096);
  private nodes = 0;
  private path: Int32Array = new Int32Array(256);

  // The cheapest predecessor for each left context id at the current position (valid when stamped).
  private readonly leftStamp: Int32Array;
  private readonly leftBest: Float64Array;
  private readonly leftPrev: Int32Array;
  private stamp = 0;

  /** When set, every node of every lattice adds one to the uses of its entry and context ids. */
  uses: { left: Float64Array; right: Float64Array; entry: Float64Array } | null = null;

  private countUses(): void {
    const { left, right, entry: entryUses } = this.uses!;
    const entries = this.dictionary.entries;
    for (let k = 1; k < this.nodes; k++) {
      const entry = this.nodeEntry[k]!;
      entryUses[entry]!++;
      left[entries[4 * entry]!]!++;
      right[entries[4 * entry + 1]!]!++;
    }
  }

  /** @param dictionary the built-in image */
  constructor(readonly dictionary: JapaneseDictionary) {
    this.leftStamp = new Int32Array(dictionary.leftSize);
    this.leftBest = new Float64Array(dictionary.leftSize);
    this.leftPrev = new Int32Array(dictionary.leftSize);
  }

  /**
   * Analyses one text (a line).
   * @param text the text; lone surrogates and control characters should be replaced first (kuromoji
   *   cannot take them; here they only become unknown words)
   * @returns the number of tokens, described by {@link tokenStart}, {@link tokenEnd}, {@link tokenEntry}
   */
  analyze(text: string): number {
    let count = 0;
    let start = 0;
    const length = text.length;
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === IDEOGRAPHIC_COMMA || c === IDEOGRAPHIC_FULL_STOP) {
        count = this.analyzePiece(text, start, i + 1, count);
        start = i + 1;
      }
    }
    if (start < length) count = this.analyzePiece(text, start, length, count);
    return count;
  }

  private growNodes(needed: number): void {
    if (needed <= this.nodeEntry.length) return;
    const size = Math.max(needed, this.nodeEntry.length * 2);
    this.nodeEntry = grownInt32(this.nodeEntry, size);
    this.nodeRight = grownInt32(this.nodeRight, size);
    this.nodePrev = grownInt32(this.nodePrev, size);
    this.nodeNext = grownInt32(this.nodeNext, size);
    this.nodeStart = grownInt32(this.nodeStart, size);
    this.nodeEnd = grownInt32(this.nodeEnd, size);
    const cost = new Float64Array(size);
    cost.set(this.nodeCost);
    this.nodeCost = cost;
  }

  /** Analyses text[from … to) and appends its tokens after the first `count`; returns the new count. */
  private analyzePiece(text: string, from: number, to: number, count: number): number {
    const d = this.dictionary;
    const charClass = d.charClass;
    const defaultClass = d.defaultClass;

    // Code points: offsets and classes (a high surrogate takes the next unit with it, as kuromoji does).
    if (this.offset.length < to - from + 2) {
      const size = (to - from) * 2 + 2;
      this.offset = new Int32Array(size);
      this.classOf = new Uint8Array(size);
      this.runEnd = new Int32Array(size);
    }
    const offset = this.offset;
    const classOf = this.classOf;
    let n = 0;
    for (let u = from; u < to; n++) {
      offset[n] = u;
      const c = text.charCodeAt(u);
      if (c >= 0xd800 && c <= 0xdbff) {
        classOf[n] = defaultClass;
        u += 2;
      } else {
        classOf[n] = charClass[c]!;
        u += 1;
      }
    }
    offset[n] = to;
    const runEnd = this.runEnd;
    runEnd[n - 1] = n;
    for (let p = n - 2; p >= 0; p--) runEnd[p] = classOf[p + 1] === classOf[p] ? runEnd[p + 1]! : p + 1;

    // Ends can reach past n: an unknown word counts its UTF-16 length.
    const ends = 2 * n + 2;
    if (this.endHead.length < ends) {
      this.endHead = new Int32Array(ends * 2);
      this.endTail = new Int32Array(ends * 2);
    }
    const endHead = this.endHead;
    const endTail = this.endTail;
    endHead.fill(-1, 0, ends);

    this.growNodes(64);
    this.nodes = 1;
    this.nodeRight[0] = d.startRight;
    this.nodeCost[0] = 0;
    this.nodePrev[0] = -1;
    this.nodeNext[0] = -1;
    endHead[0] = 0;
    endTail[0] = 0;
    let maxEnd = 1;

    const trie = d.trie;
    const trieLength = trie.length;
    const charCode = d.charCode;
    const classFlags = d.classFlags;
    const unkStart = d.unkStart;
    const unkEntries = d.unkEntries;

    for (let p = 0; p < n; p++) {
      if (++this.stamp === 0x7fffffff) {
        this.leftStamp.fill(0);
        this.stamp = 1;
      }
      let found = false;
      // Dictionary words starting at p: walk the trie over p, p+1, … (a surrogate, in no word, ends it).
      let node = 0;
      for (let q = p; q < n; q++) {
        const code = charCode[text.charCodeAt(offset[q]!)]!;
        if (code === 0) break;
        const child = trie[3 * node]! + code;
        if (3 * child >= trieLength || trie[3 * child + 1] !== node) break;
        node = child;
        const value = trie[3 * child + 2]!;
        if (value >= 0) {
          const end = q + 1;
          for (let e = value >> VALUE_COUNT_BITS, last = e + (value & VALUE_COUNT_MASK); e < last; e++) {
            this.addNode(p, end, e, offset[p]!, offset[end]!);
          }
          if (end > maxEnd) maxEnd = end;
          found = true;
        }
      }

      // Unknown-word candidates.
      const cls = classOf[p]!;
      const flags = classFlags[cls]!;
      if (!found || (flags & CLASS_INVOKE) !== 0) {
        let end: number;
        let surfaceEnd: number;
        const run = runEnd[p]!;
        if ((flags & CLASS_GROUP) !== 0 && run - p >= 2) {
          surfaceEnd = offset[run]!;
          end = p + (surfaceEnd - offset[p]!);
        } else {
          surfaceEnd = offset[p + 1]!;
          end = p + 1;
        }
        for (let k = unkStart[cls]!, last = unkStart[cls + 1]!; k < last; k++) {
          this.addNode(p, end, unkEntries[k]!, offset[p]!, surfaceEnd);
        }
        if (end > maxEnd) maxEnd = end;
      }
    }

    if (this.uses) this.countUses();

    // The end of the piece: the cheapest node ending last.
    const cost = d.cost;
    const endRow = d.endLeft * d.rightSize;
    const nodeCost = this.nodeCost;
    const nodeRight = this.nodeRight;
    const nodeNext = this.nodeNext;
    const nodePrev = this.nodePrev;
    let best = Infinity;
    let last = -1;
    for (let k = endHead[maxEnd]!; k !== -1; k = nodeNext[k]!) {
      const c = nodeCost[k]! + cost[endRow + nodeRight[k]!]!;
      if (c < best) {
        best = c;
        last = k;
      }
    }
    if (last === -1) {
      // Nothing reaches the end. kuromoji then follows the predecessor its search found last: that of
      // the last reachable node in its order (by end, then as added).
      for (let end = maxEnd; end > 0 && last === -1; end--) {
        for (let k = endHead[end]!; k !== -1; k = nodeNext[k]!) if (nodeCost[k]! < Infinity) last = k;
      }
      if (last === -1) return count;
      last = nodePrev[last]!;
    }
    let steps = 0;
    for (let k = last; k > 0; k = nodePrev[k]!) {
      if (steps >= this.path.length) this.path = grownInt32(this.path, steps + 1);
      this.path[steps++] = k;
    }
    if (this.tokenStart.length < count + steps) {
      this.tokenStart = grownInt32(this.tokenStart, count + steps);
      this.tokenEnd = grownInt32(this.tokenEnd, count + steps);
      this.tokenEntry = grownInt32(this.tokenEntry, count + steps);
    }
    for (let i = steps - 1; i >= 0; i--) {
      const k = this.path[i]!;
      this.tokenStart[count] = this.nodeStart[k]!;
      this.tokenEnd[count] = this.nodeEnd[k]!;
      this.tokenEntry[count] = this.nodeEntry[k]!;
      count++;
    }
    return count;
  }

  /** Adds a node for `entry` over positions [p, end) and text [surfaceStart, surfaceEnd); links its cheapest predecessor. */
  private addNode(p: number, end: number, entry: number, surfaceStart: number, surfaceEnd: number): void {
    const d = this.dictionary;
    const k = this.nodes++;
    if (k >= this.nodeEntry.length) this.growNodes(k + 1);
    const nodeNext = this.nodeNext;
    const entries = this.dictionary.entries;
    const left = entries[4 * entry]!;
    let best: number;
    let prev: number;
    if (this.leftStamp[left] === this.stamp) {
      best = this.leftBest[left]!;
      prev = this.leftPrev[left]!;
    } else {
      const nodeCost = this.nodeCost;
      const nodeRight = this.nodeRight;
      const cost = d.cost;
      const row = left * d.rightSize;
      best = Infinity;
      prev = -1;
      for (let j = this.endHead[p]!; j !== -1; j = nodeNext[j]!) {
        const c = nodeCost[j]! + cost[row + nodeRight[j]!]!;
        if (c < best) {
          best = c;
          prev = j;
        }
      }
      this.leftStamp[left] = this.stamp;
      this.leftBest[left] = best;
      this.leftPrev[left] = prev;
    }
    this.nodeCost[k] = best + entries[4 * entry + 2]!;
    this.nodePrev[k] = prev;
    this.nodeRight[k] = entries[4 * entry + 1]!;
    this.nodeEntry[k] = entry;
    this.nodeStart[k] = surfaceStart;
    this.nodeEnd[k] = surfaceEnd;
    nodeNext[k] = -1;
    if (this.endHead[end] === -1) this.endHead[end] = k;
    else nodeNext[this.endTail[end]!] = k;
    this.endTail[end] = k;
  }
}
