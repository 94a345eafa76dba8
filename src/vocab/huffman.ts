/**
 * Huffman coding of the vocabulary for hierarchical softmax (Morin & Bengio 2005; Mikolov et al. 2013):
 * frequent words get short codes. Inner nodes are numbered 0 … V−2 in the order they are made, the root
 * being V−2; each word's path lists, root first, the inner nodes it passes (`points`) and the branch
 * taken at each (`codes`: 0 for the first of the two nodes merged, 1 for the second).
 *
 * Many trees are optimal when counts tie, and which one is built changes what is learnt. Two orders:
 * - `gensim` (the default): gensim's `_build_heap`, a binary heap compared on counts alone, so ties fall
 *   as Python's `heapq` leaves them. Replayed step by step here, it gives gensim's tree exactly (how it
 *   compares with the other order: bench/RESULTS.md).
 * - `word2vec`: word2vec C's `CreateBinaryTree`, two queues where a tie goes to the inner node. Models
 *   written before the tree order was recorded used it, so inference rebuilds their tree this way.
 *
 * Which word of a run of equal counts takes which of their leaves is a choice too. The vocabulary keeps
 * such words in first-seen order, so words met first in the same book sit side by side, and merged in
 * turn they become siblings that the tree must tell apart by their contexts, which are alike. gensim
 * 4.2's vocabulary comes out of an unstable sort (numpy's argsort, reversed) and word2vec C's out of
 * `qsort`, so their ties fall in an order unrelated to the text. `scrambled` (the default) deals the
 * leaves of each run of equal counts in an order drawn from a fixed seed, so the tree depends on the
 * counts alone; `first-seen` keeps the vocabulary's order, as models written before the choice was
 * recorded did. CBOW with hierarchical softmax learns word similarity better with scrambled ties
 * (WordSim-353, one thread, six seeds: 0.354 against 0.337; bench/RESULTS.md).
 */
import type { HuffmanOrder, HuffmanTies } from '../options.js';

/** Codes and paths of every word, flattened: word w's entries are `offsets[w]` … `offsets[w+1]−1`. */
export interface HuffmanTree {
  offsets: Int32Array;
  codes: Uint8Array;
  points: Int32Array;
}

export type { HuffmanOrder, HuffmanTies };

/** The seed of the scrambled order of equal counts (fixed: the tree is a function of the counts). */
const TIE_SEED = 0x5eed7ee5;

/**
 * Leaf → word: the identity, or with each run of equal counts dealt in an order drawn from {@link TIE_SEED}.
 */
function leafWords(counts: ArrayLike<number>, ties: HuffmanTies): Int32Array {
  const n = counts.length;
  const wordAt = new Int32Array(n);
  for (let i = 0; i < n; i++) wordAt[i] = i;
  if (ties === 'first-seen') return wordAt;
  // A generator of its own: the order is part of what a model file means (inference rebuilds the tree
  // from the counts), so it must not move when the training loops' generator does. Its draws are those
  // of kernel/random.ts today (seed mixed, xorshift32, output multiplied), which the vocabulary, below
  // the kernel, may not import.
  let state = Math.imul((TIE_SEED >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
  state ^= state >>> 13;
  state = Math.imul(state, 0xc2b2ae35);
  state ^= state >>> 16;
  if (state === 0) state = 0x6d2b79f5;
  const below = (bound: number): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return Math.floor((Math.imul(state, 0x9e3779bb) >>> 0) * bound * 2.3283064365386963e-10);
  };
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && counts[b] === counts[a]) b++;
    for (let i = b - 1; i > a; i--) {
      const j = a + below(i - a + 1);
      const t = wordAt[i]!;
      wordAt[i] = wordAt[j]!;
      wordAt[j] = t;
    }
    a = b;
  }
  return wordAt;
}

/**
 * Order of merges, gensim's way: a binary heap of node ids compared on counts only, with the exact moves
 * of CPython's `heapq` (`heapify`, `heappop`, `heappush`), so equal counts pop in the same order.
 */
class CountHeap {
  private readonly items: Int32Array;
  private length = 0;

  constructor(private readonly count: Float64Array, leaves: number) {
    this.items = new Int32Array(leaves);
    for (let i = 0; i < leaves; i++) this.items[i] = i;
    this.length = leaves;
    for (let i = (leaves >> 1) - 1; i >= 0; i--) this.siftUp(i);
  }

  /** Removes and returns the node with the smallest count. */
  pop(): number {
    const last = this.items[--this.length]!;
    if (this.length === 0) return last;
    const top = this.items[0]!;
    this.items[0] = last;
    this.siftUp(0);
    return top;
  }

  /** Adds a node. */
  push(node: number): void {
    this.items[this.length] = node;
    this.siftDown(0, this.length++);
  }

  private less(a: number, b: number): boolean {
    return this.count[a]! < this.count[b]!;
  }

  /** heapq._siftdown: move the item at `pos` up towards `start` while it is smaller than its parent. */
  private siftDown(start: number, pos: number): void {
    const items = this.items;
    const item = items[pos]!;
    while (pos > start) {
      const parentPos = (pos - 1) >> 1;
      const parent = items[parentPos]!;
      if (!this.less(item, parent)) break;
      items[pos] = parent;
      pos = parentPos;
    }
    items[pos] = item;
  }

  /** heapq._siftup: move the smaller child up until a leaf, then settle the item with siftDown. */
  private siftUp(pos: number): void {
    const items = this.items;
    const start = pos;
    const item = items[pos]!;
    let child = 2 * pos + 1;
    while (child < this.length) {
      const right = child + 1;
      if (right < this.length && !this.less(items[child]!, items[right]!)) child = right;
      items[pos] = items[child]!;
      pos = child;
      child = 2 * pos + 1;
    }
    items[pos] = item;
    this.siftDown(start, pos);
  }
}

/**
 * Builds the tree from counts sorted most frequent first (as the vocabulary keeps them).
 * @param counts word counts by id, non-increasing
 * @param order how ties are broken (default `gensim`)
 * @param ties which word of equal count takes which leaf (default `first-seen`, the vocabulary's order)
 */
export function buildHuffmanTree(counts: ArrayLike<number>, order: HuffmanOrder = 'gensim', ties: HuffmanTies = 'first-seen'): HuffmanTree {
  const vocabSize = counts.length;
  if (vocabSize === 1) {
    // A single word: one inner node, one branch.
    return { offsets: Int32Array.of(0, 1), codes: Uint8Array.of(0), points: Int32Array.of(0) };
  }
  const count = new Float64Array(vocabSize * 2 - 1);
  const binary = new Uint8Array(vocabSize * 2 - 1);
  const parent = new Int32Array(vocabSize * 2 - 1);
  for (let i = 0; i < vocabSize; i++) count[i] = counts[i]!;
  for (let i = vocabSize; i < vocabSize * 2 - 1; i++) count[i] = Number.MAX_VALUE;
  // word2vec C: leaves sorted by count (read from the end) and inner nodes in order of creation (their
  // counts never decrease) are two queues; a tie goes to the inner node.
  let pos1 = vocabSize - 1;
  let pos2 = vocabSize;
  const heap = order === 'gensim' ? new CountHeap(count, vocabSize) : undefined;
  const pickSmallest = (): number => {
    if (heap) return heap.pop();
    if (pos1 >= 0 && count[pos1]! < count[pos2]!) return pos1--;
    return pos2++;
  };
  for (let a = 0; a < vocabSize - 1; a++) {
    const min1 = pickSmallest();
    const min2 = pickSmallest();
    count[vocabSize + a] = count[min1]! + count[min2]!;
    heap?.push(vocabSize + a);
    parent[min1] = vocabSize + a;
    parent[min2] = vocabSize + a;
    binary[min2] = 1;
  }
  const root = vocabSize * 2 - 2;
  // The tree was built over leaves; equal counts make its shape the same whichever word takes a leaf.
  const leafOf = new Int32Array(vocabSize);
  const wordAt = leafWords(counts, ties);
  for (let leaf = 0; leaf < vocabSize; leaf++) leafOf[wordAt[leaf]!] = leaf;
  const offsets = new Int32Array(vocabSize + 1);
  for (let w = 0; w < vocabSize; w++) {
    let length = 0;
    for (let node = leafOf[w]!; node !== root; node = parent[node]!) length++;
    offsets[w + 1] = offsets[w]! + length;
  }
  const codes = new Uint8Array(offsets[vocabSize]!);
  const points = new Int32Array(offsets[vocabSize]!);
  for (let w = 0; w < vocabSize; w++) {
    // Walk leaf → root, filling the word's slice from its end so it reads root first.
    let at = offsets[w + 1]! - 1;
    for (let node = leafOf[w]!; node !== root; node = parent[node]!) {
      codes[at] = binary[node]!;
      points[at] = parent[node]! - vocabSize;
      at--;
    }
  }
  return { offsets, codes, points };
}
