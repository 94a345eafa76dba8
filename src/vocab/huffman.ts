/**
 * Huffman coding of the vocabulary for hierarchical softmax (Morin & Bengio 2005; Mikolov et al. 2013),
 * built as word2vec C's `CreateBinaryTree` does: frequent words get short codes. Inner nodes are numbered
 * 0 … V−2, the root being V−2; each word's path lists, root first, the inner nodes it passes (`points`)
 * and the branch taken at each (`codes`, 0 or 1).
 */

/** Codes and paths of every word, flattened: word w's entries are `offsets[w]` … `offsets[w+1]−1`. */
export interface HuffmanTree {
  offsets: Int32Array;
  codes: Uint8Array;
  points: Int32Array;
}

/**
 * Builds the tree from counts sorted most frequent first (as the vocabulary keeps them).
 * @param counts word counts by id, non-increasing
 */
export function buildHuffmanTree(counts: ArrayLike<number>): HuffmanTree {
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
  let pos1 = vocabSize - 1;
  let pos2 = vocabSize;
  const pickSmallest = (): number => {
    if (pos1 >= 0 && count[pos1]! < count[pos2]!) return pos1--;
    return pos2++;
  };
  for (let a = 0; a < vocabSize - 1; a++) {
    const min1 = pickSmallest();
    const min2 = pickSmallest();
    count[vocabSize + a] = count[min1]! + count[min2]!;
    parent[min1] = vocabSize + a;
    parent[min2] = vocabSize + a;
    binary[min2] = 1;
  }
  const root = vocabSize * 2 - 2;
  const offsets = new Int32Array(vocabSize + 1);
  const lengths = new Int32Array(vocabSize);
  for (let w = 0; w < vocabSize; w++) {
    let length = 0;
    for (let node = w; node !== root; node = parent[node]!) length++;
    lengths[w] = length;
    offsets[w + 1] = offsets[w]! + length;
  }
  const codes = new Uint8Array(offsets[vocabSize]!);
  const points = new Int32Array(offsets[vocabSize]!);
  for (let w = 0; w < vocabSize; w++) {
    // Walk leaf → root, filling the word's slice from its end so it reads root first.
    let at = offsets[w + 1]! - 1;
    for (let node = w; node !== root; node = parent[node]!) {
      codes[at] = binary[node]!;
      points[at] = parent[node]! - vocabSize;
      at--;
    }
  }
  return { offsets, codes, points };
}
