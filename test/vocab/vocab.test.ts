import { describe, expect, it } from 'vitest';
import { WordCounter } from '../../src/vocab/counter.js';
import { buildHuffmanTree } from '../../src/vocab/huffman.js';
import { buildNoiseTable, keepProbabilities, keepThresholds, noiseTableProbabilities } from '../../src/vocab/sampling.js';
import { buildVocabulary } from '../../src/vocab/vocabulary.js';
import { Random } from '../../src/kernel/random.js';

function count(tokens: string[], maxVocab = 0): WordCounter {
  const counter = new WordCounter(maxVocab);
  for (const token of tokens) counter.add(token);
  return counter;
}

describe('vocabulary', () => {
  it('orders by count, ties in first-seen order, and applies min-count', () => {
    const counter = count('b a c a b d a e e'.split(' '));
    const { vocabulary, slotToId } = buildVocabulary(counter, 2);
    expect(vocabulary.words).toEqual(['a', 'b', 'e']);
    expect(Array.from(vocabulary.counts)).toEqual([3, 2, 2]);
    // slots are first-seen order: b a c d e
    expect(Array.from(slotToId)).toEqual([1, 0, -1, -1, 2]);
    expect(vocabulary.id('e')).toBe(2);
    expect(vocabulary.id('c')).toBe(-1);
    expect(vocabulary.totalCount).toBe(7);
  });

  it('prunes the rarest words while counting, as gensim max_vocab_size does', () => {
    // a is frequent; every other word is seen once and pruned when the table overflows.
    const tokens: string[] = [];
    for (let i = 0; i < 100; i++) tokens.push('a', 'a', `rare${i}`);
    const counter = count(tokens, 10);
    expect(counter.size).toBeLessThanOrEqual(10);
    expect(counter.prunes).toBeGreaterThan(0);
    const { vocabulary } = buildVocabulary(counter, 1);
    expect(vocabulary.words[0]).toBe('a');
    expect(vocabulary.counts[0]).toBe(200);
  });

  it('fails clearly when nothing survives min-count', () => {
    expect(() => buildVocabulary(count(['a', 'b']), 5)).toThrow(/min-count/);
    expect(() => buildVocabulary(count([]), 1)).toThrow(/no tokens/);
  });
});

describe('Huffman tree', () => {
  it('gives prefix-free codes, shorter for frequent words, over V-1 inner nodes', () => {
    const counts = [50, 20, 15, 10, 3, 1, 1];
    const tree = buildHuffmanTree(counts);
    const codes = counts.map((_, w) => Array.from(tree.codes.subarray(tree.offsets[w]!, tree.offsets[w + 1]!)).join(''));
    for (let i = 0; i < codes.length; i++) {
      for (let j = 0; j < codes.length; j++) if (i !== j) expect(codes[j]!.startsWith(codes[i]!)).toBe(false);
    }
    for (let w = 1; w < counts.length; w++) expect(codes[w]!.length).toBeGreaterThanOrEqual(codes[w - 1]!.length);
    // Every path starts at the root, inner node V-2, and uses nodes 0 … V-2.
    for (let w = 0; w < counts.length; w++) expect(tree.points[tree.offsets[w]!]).toBe(counts.length - 2);
    for (const p of tree.points) expect(p).toBeGreaterThanOrEqual(0), expect(p).toBeLessThan(counts.length - 1);
    // Merges 1+1, 2+3, 5+10, 15+15, 20+30, 50+50 give depths 1, 2, 3, 4, 5, 6, 6.
    expect(codes.map((c) => c.length)).toEqual([1, 2, 3, 4, 5, 6, 6]);
  });

  it('breaks ties as gensim does (its heap order), or as word2vec C does when asked', () => {
    // Expected values printed by gensim 4.2 (`_assign_binary_codes`) for these counts.
    const counts = [8, 4, 4, 2, 2, 2, 2, 1, 1, 1, 1];
    const paths = (order: 'gensim' | 'word2vec') => {
      const tree = buildHuffmanTree(counts, order);
      return counts.map((_, w) => ({
        code: Array.from(tree.codes.subarray(tree.offsets[w]!, tree.offsets[w + 1]!)).join(''),
        points: Array.from(tree.points.subarray(tree.offsets[w]!, tree.offsets[w + 1]!)),
      }));
    };
    const gensim = paths('gensim');
    expect(gensim.map((p) => p.code)).toEqual(['10', '011', '010', '1101', '1111', '001', '000', '11101', '11100', '11001', '11000']);
    expect(gensim.map((p) => p.points)).toEqual([[9, 8], [9, 7, 5], [9, 7, 5], [9, 8, 6, 4], [9, 8, 6, 3], [9, 7, 2], [9, 7, 2],
      [9, 8, 6, 3, 1], [9, 8, 6, 3, 1], [9, 8, 6, 4, 0], [9, 8, 6, 4, 0]]);
    expect(buildHuffmanTree(counts).codes).toEqual(buildHuffmanTree(counts, 'gensim').codes);
    // word2vec C's two queues give a different optimal tree: a tie goes to the inner node.
    const word2vec = paths('word2vec');
    expect(word2vec.map((p) => p.code)).toEqual(['11', '00', '101', '1001', '1000', '0111', '0110', '01011', '01010', '01001', '01000']);
    const weighted = (ps: { code: string }[]) => ps.reduce((s, p, w) => s + p.code.length * counts[w]!, 0);
    expect(weighted(word2vec)).toBe(weighted(gensim));
  });

  it('scrambles which word of equal count takes which leaf, the same way every time', () => {
    // A Zipf-like vocabulary: a few frequent words, long runs of rare words with equal counts.
    const counts: number[] = [900, 500, 300, 200];
    for (const [count, run] of [[9, 40], [7, 60], [5, 200]] as const) for (let i = 0; i < run; i++) counts.push(count);
    const paths = (tree: ReturnType<typeof buildHuffmanTree>) =>
      counts.map((_, w) => Array.from(tree.codes.subarray(tree.offsets[w]!, tree.offsets[w + 1]!)).join('') + '/' + Array.from(tree.points.subarray(tree.offsets[w]!, tree.offsets[w + 1]!)).join(','));
    const seen = paths(buildHuffmanTree(counts, 'gensim', 'first-seen'));
    const scrambled = paths(buildHuffmanTree(counts, 'gensim', 'scrambled'));
    expect(paths(buildHuffmanTree(counts, 'gensim', 'scrambled'))).toEqual(scrambled);
    expect(paths(buildHuffmanTree(counts))).toEqual(seen);
    // The same tree: words of unique count keep their paths, each run of ties holds the same paths.
    expect(scrambled.slice(0, 4)).toEqual(seen.slice(0, 4));
    for (const [from, to] of [[4, 44], [44, 104], [104, 304]]) {
      expect([...scrambled.slice(from, to)].sort()).toEqual([...seen.slice(from, to)].sort());
      // … dealt in another order: few words keep their leaf, and neighbours are rarely still siblings.
      let kept = 0;
      for (let w = from; w < to; w++) if (scrambled[w] === seen[w]) kept++;
      expect(kept).toBeLessThan((to - from) / 4);
    }
    const siblings = (ps: string[]) => ps.filter((p, w) => w > 0 && p.split('/')[1] === ps[w - 1]!.split('/')[1]).length;
    expect(siblings(seen.slice(104))).toBeGreaterThan(25);
    expect(siblings(scrambled.slice(104))).toBeLessThan(10);
  });

  it('handles a single-word vocabulary', () => {
    const tree = buildHuffmanTree([7]);
    expect(tree.offsets[1]).toBe(1);
  });
});

describe('noise distribution', () => {
  it('is exactly unigram^0.75', () => {
    const counts = [1000, 300, 50, 7, 1];
    const p = noiseTableProbabilities(buildNoiseTable(counts, 0.75));
    const z = counts.reduce((s, c) => s + c ** 0.75, 0);
    counts.forEach((c, i) => expect(p[i]).toBeCloseTo(c ** 0.75 / z, 9));
  });

  it('draws with those frequencies', () => {
    const counts = [100, 10, 1];
    const table = buildNoiseTable(counts, 0.75);
    const random = new Random(3);
    const seen = [0, 0, 0];
    const draws = 200000;
    for (let i = 0; i < draws; i++) {
      const slot = random.below(3);
      seen[random.nextU32() < table.threshold[slot]! ? slot : table.alias[slot]!]++;
    }
    const z = counts.reduce((s, c) => s + c ** 0.75, 0);
    counts.forEach((c, i) => expect(seen[i]! / draws).toBeCloseTo(c ** 0.75 / z, 2));
  });
});

describe('subsampling', () => {
  it('keeps a word with probability (sqrt(c/(sT)) + 1)(sT)/c, capped at 1', () => {
    const counts = [100000, 1000, 10];
    const total = 101010;
    const keep = keepProbabilities(counts, 1e-3);
    const t = 1e-3 * total;
    expect(keep[0]).toBeCloseTo((Math.sqrt(100000 / t) + 1) * (t / 100000), 12);
    expect(keep[1]).toBeCloseTo((Math.sqrt(1000 / t) + 1) * (t / 1000), 12);
    expect(keep[2]).toBe(1);
    expect(Array.from(keepProbabilities(counts, 0))).toEqual([1, 1, 1]);
    expect(keepThresholds(keep)[2]).toBe(0xffffffff);
    expect(keepThresholds(keep)[0]).toBe(Math.floor(keep[0]! * 4294967296));
  });
});
