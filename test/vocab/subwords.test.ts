// Character n-grams and their hashing, as fastText computes them. The expected numbers come from
// fastText's own `Dictionary::hash` and `computeSubwords` (src/dictionary.cc), compiled and run on these
// words: a model's buckets must equal fastText's for its files to interchange.
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { resolveSubwords } from '../../src/options.js';
import { ChunkComposer, KernelArena } from '../../src/kernel/compose.js';
import { buildSubwordTable, characterNgrams, composeFromTable, compactBuckets, fastTextHash, meanOfRows, meanShifts, ngramBuckets, rowsInBucketOrder } from '../../src/vocab/subwords.js';
import { denseNgramRows, initialNgramRow, ngramRowOf, overlayNgramRows } from '../../src/kernel/ngramRows.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('fastText hashing', () => {
  it('is FNV-1a over UTF-8 bytes, each byte sign-extended (the quirk of every released model)', () => {
    expect(fastTextHash(bytes(''))).toBe(2166136261);
    expect(fastTextHash(bytes('hello'))).toBe(1335831723);
    expect(fastTextHash(bytes('<wh'))).toBe(1048167652);
    // Bytes ≥ 0x80 are where the sign extension shows: plain FNV-1a would give other values.
    expect(fastTextHash(bytes('café'))).toBe(1970454601);
    expect(fastTextHash(bytes('日本語'))).toBe(308035559);
    expect(fastTextHash(bytes('😀'))).toBe(604031496);
    const unsigned = (b: Uint8Array) => b.reduce((h, c) => Math.imul((h ^ c) >>> 0, 16777619) >>> 0, 2166136261);
    expect(unsigned(bytes('café'))).not.toBe(1970454601);
    expect(fastTextHash(bytes('xcafé'), 1)).toBe(1970454601);
  });
});

describe('character n-grams', () => {
  it('English: <where> from 3 to 6 characters, by start then length, in fastText buckets', () => {
    expect(characterNgrams('where', 3, 6)).toEqual([
      '<wh', '<whe', '<wher', '<where', 'whe', 'wher', 'where', 'where>', 'her', 'here', 'here>', 'ere', 'ere>', 're>',
    ]);
    expect(ngramBuckets('where', { minn: 3, maxn: 6, bucket: 2_000_000 })).toEqual([
      167652, 989715, 1526707, 1071586, 420941, 312621, 969176, 121234, 1473420, 1540811, 114991, 1529033, 1568469, 867498,
    ]);
  });

  it('Japanese: lengths count characters, not bytes; < and > alone are not n-grams', () => {
    expect(characterNgrams('日本語', 1, 3)).toEqual(['<日', '<日本', '日', '日本', '日本語', '本', '本語', '本語>', '語', '語>']);
    expect(ngramBuckets('日本語', { minn: 1, maxn: 3, bucket: 2_000_000 })).toEqual([1752687, 758587, 1514749, 387409, 35559, 1825417, 460575, 1674355, 1408283, 1432255]);
  });

  it('emoji (four bytes) and accents (two) are one character each', () => {
    expect(characterNgrams('a😀é', 1, 2)).toEqual(['<a', 'a', 'a😀', '😀', '😀é', 'é', 'é>']);
    expect(ngramBuckets('a😀é', { minn: 1, maxn: 2, bucket: 1000 })).toEqual([750, 220, 937, 496, 240, 777, 781]);
    expect(ngramBuckets('é', { minn: 1, maxn: 6, bucket: 2_000_000 })).toEqual([36627, 806231, 1043777, 1996781]);
  });

  it('maxn 0 and fastText end-of-sentence word have none; a short word keeps what fits', () => {
    expect(characterNgrams('where', 3, 0)).toEqual([]);
    expect(characterNgrams('</s>', 3, 6)).toEqual([]);
    expect(characterNgrams('a', 3, 6)).toEqual(['<a>']);
  });

  it('settings out of range are refused naming the option', () => {
    expect(() => resolveSubwords({ minn: 0 })).toThrow(OptionError);
    expect(() => resolveSubwords({ minn: 4, maxn: 3 })).toThrow(/--maxn \(3\) must not be under --minn \(4\)/);
    expect(() => resolveSubwords({ bucket: 0 })).toThrow(/--bucket must be an integer/);
    expect(resolveSubwords({ maxn: 0, bucket: 1 })).toEqual({ minn: 3, maxn: 0, bucket: 1 });
    expect(resolveSubwords(true)).toEqual({ minn: 3, maxn: 6, bucket: 2_000_000 });
    expect(resolveSubwords(false)).toBeUndefined();
  });
});

describe('subword table and composition', () => {
  it('lists each word own row, then words + bucket for each n-gram', () => {
    const settings = { minn: 3, maxn: 3, bucket: 1000 };
    const table = buildSubwordTable(['where', 'a'], settings);
    expect(Array.from(table.offsets)).toEqual([0, 6, 8]);
    expect(Array.from(table.rows.subarray(0, 6))).toEqual([0, ...ngramBuckets('where', settings).map((b) => 2 + b)]);
    expect(Array.from(table.rows.subarray(6))).toEqual([1, 2 + ngramBuckets('a', settings)[0]!]);
  });

  it('a vector is the float32 mean of its rows; no rows give zeros', () => {
    const matrix = new Float32Array([1, 2, 3, 4, 0.1, 0.2]);
    expect(Array.from(meanOfRows(matrix, [0, 1, 2], 2))).toEqual([Math.fround(Math.fround(Math.fround(1 + 3) + Math.fround(0.1)) * Math.fround(1 / 3)), Math.fround(Math.fround(6 + Math.fround(0.2)) * Math.fround(1 / 3))]);
    expect(Array.from(meanOfRows(matrix, [], 2))).toEqual([0, 0]);
  });
});

describe('the bucket layout while training', () => {
  it('holds the used buckets only, in order of first use, and gives them back in bucket order', () => {
    const settings = { minn: 2, maxn: 2, bucket: 50 };
    const words = ['ab', 'ba', 'abab'];
    const table = buildSubwordTable(words, settings);
    const before = Array.from(table.rows);
    const layout = compactBuckets(table, words.length, settings.bucket);
    const used = [...new Set(before.filter((r) => r >= 3).map((r) => r - 3))];
    // Order of first use; every row of the table now points at its bucket's position; unused buckets have none.
    expect(Array.from(layout.buckets)).toEqual(used);
    before.forEach((row, i) => expect(table.rows[i]).toBe(row < 3 ? row : 3 + layout.position[row - 3]!));
    for (let b = 0; b < 50; b++) expect(layout.position[b]).toBe(used.indexOf(b));
    expect(layout.position[ngramBuckets('ab', settings)[0]!]).toBe(0);
    // Rows laid out by position come back ascending by bucket.
    const dim = 3;
    const laidOut = new Float32Array(used.length * dim);
    used.forEach((b, p) => laidOut.set([b, b + 0.5, -b], p * dim));
    const { buckets, rows } = rowsInBucketOrder(laidOut, layout, dim);
    expect(Array.from(buckets)).toEqual([...used].sort((a, b) => a - b));
    buckets.forEach((b, i) => expect(Array.from(rows.subarray(i * dim, (i + 1) * dim))).toEqual([b, b + 0.5, -b]));
  });
});

describe('n-gram rows kept sparse', () => {
  const dim = 5;
  const sparse = { minn: 3, maxn: 6, bucket: 10, trainedBuckets: Int32Array.from([2, 7]), initSeed: 42, ngramRows: Float32Array.from({ length: 2 * dim }, (_, i) => 100 + i) };

  it("a bucket's initial row depends on the seed and the bucket alone, in fastText's range", () => {
    const a = new Float32Array(dim);
    const b = new Float32Array(dim);
    initialNgramRow(42, 3, dim, a);
    initialNgramRow(42, 3, dim, b);
    expect(Array.from(a)).toEqual(Array.from(b));
    initialNgramRow(42, 4, dim, b);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    initialNgramRow(43, 3, dim, b);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    for (const v of a) expect(Math.abs(v)).toBeLessThanOrEqual(1 / dim);
  });

  it('reads a kept row as it is and any other as its initial row', () => {
    const out = new Float32Array(dim);
    ngramRowOf(sparse, dim, 7, out);
    expect(Array.from(out)).toEqual([105, 106, 107, 108, 109]);
    ngramRowOf(sparse, dim, 4, out);
    const initial = new Float32Array(dim);
    initialNgramRow(42, 4, dim, initial);
    expect(Array.from(out)).toEqual(Array.from(initial));
    const dense = denseNgramRows(sparse, dim);
    expect(dense).toHaveLength(10 * dim);
    expect(Array.from(dense.subarray(2 * dim, 3 * dim))).toEqual([100, 101, 102, 103, 104]);
    expect(Array.from(dense.subarray(4 * dim, 5 * dim))).toEqual(Array.from(initial));
  });

  it('a continued model keeps the source rows no training moved: dense stays dense, sparse stays sparse', () => {
    const trained = { minn: 3, maxn: 6, bucket: 10, trainedBuckets: Int32Array.from([2, 5]), initSeed: 9, ngramRows: new Float32Array(2 * dim).fill(-1) };
    const merged = overlayNgramRows(sparse, trained, dim);
    expect(Array.from(merged.trainedBuckets!)).toEqual([2, 5, 7]);
    expect(merged.initSeed).toBe(42);
    expect(Array.from(denseNgramRows(merged, dim).subarray(7 * dim, 8 * dim))).toEqual([105, 106, 107, 108, 109]);
    expect(Array.from(denseNgramRows(merged, dim).subarray(5 * dim, 6 * dim))).toEqual([-1, -1, -1, -1, -1]);
    const source = { minn: 3, maxn: 6, bucket: 10, ngramRows: Float32Array.from({ length: 10 * dim }, (_, i) => i) };
    const dense = overlayNgramRows(source, trained, dim);
    expect(dense.trainedBuckets).toBeUndefined();
    expect(Array.from(dense.ngramRows!.subarray(5 * dim, 6 * dim))).toEqual([-1, -1, -1, -1, -1]);
    expect(Array.from(dense.ngramRows!.subarray(7 * dim, 8 * dim))).toEqual([35, 36, 37, 38, 39]);
  });
});

describe('the mean shift of skip-gram', () => {
  it('is how far the mean of a word\'s rows moves when each learning row gets the gradient once', () => {
    // Word 0: rows 0, 5, 6 (distinct); word 1: rows 1, 5, 5, 7 (row 5 twice: it moves twice, and counts twice).
    const table = { offsets: Int32Array.from([0, 3, 7]), rows: Int32Array.from([0, 5, 6, 1, 5, 5, 7]) };
    const shifts = meanShifts(table, null, new Float32Array(2));
    expect(Array.from(shifts)).toEqual([1, Math.fround((1 + 2 + 2 + 1) / 4)]);
    // A locked word keeps its own row: the mean moves by the others only.
    expect(Array.from(meanShifts(table, Uint8Array.from([1, 0]), new Float32Array(2)))).toEqual([Math.fround(2 / 3), Math.fround(6 / 4)]);
    // Checked against the arithmetic: the rows moved by g, the mean moved by shift · g.
    const dim = 2;
    const matrix = Float32Array.from({ length: 8 * dim }, (_, i) => (i * 7) % 5 - 2);
    const before = meanOfRows(matrix, table.rows.subarray(3, 7), dim);
    for (const r of table.rows.subarray(3, 7)) for (let k = 0; k < dim; k++) matrix[r * dim + k] += 0.5;
    const after = meanOfRows(matrix, table.rows.subarray(3, 7), dim);
    for (let k = 0; k < dim; k++) expect(after[k]! - before[k]!).toBeCloseTo(shifts[1]! * 0.5, 6);
  });
});

describe('composing every word while the rows stream past', () => {
  const dim = 10;
  const words = ['martians', 'ab', 'x', 'ことば', '🙂🙂', 'aaaa'];
  const settings = { minn: 2, maxn: 4, bucket: 97 };
  const rows = words.length + settings.bucket;
  const table = buildSubwordTable(words, settings);
  let state = 7;
  const matrix = Float32Array.from({ length: rows * dim }, () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5) * 3.7);
  const bits = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  /** Streams `matrix` through a composer in chunks of `chunkRows` rows (the last one short). */
  const streamed = async (chunkRows: number, arena?: KernelArena, thread = false) => {
    const composer = new ChunkComposer(table, dim, chunkRows, arena, thread);
    try {
      for (let start = 0; start < rows; start += chunkRows) {
        const count = Math.min(chunkRows, rows - start);
        composer.chunk.set(matrix.subarray(start * dim, (start + count) * dim));
        await composer.add(start, count);
      }
      return composer.means().slice();
    } finally {
      await composer.close();
    }
  };

  it('in one chunk, sums as fastText does: composeFromTable to the bit, in WebAssembly and TypeScript', async () => {
    const inOrder = composeFromTable(matrix, table, dim);
    expect(bits(await streamed(rows, new KernelArena())).equals(bits(inOrder))).toBe(true);
    expect(bits(await streamed(rows)).equals(bits(inOrder))).toBe(true);
    // A repeated n-gram counts each time ('aaaa' lists 'aa' three times).
    const aaaa = words.indexOf('aaaa');
    expect(table.offsets[aaaa + 1]! - table.offsets[aaaa]!).toBeGreaterThan(new Set(table.rows.subarray(table.offsets[aaaa]!, table.offsets[aaaa + 1]!)).size);
  });

  it('in many chunks, the same bits in WebAssembly (on its thread or not) and TypeScript, and the mean to rounding', async () => {
    const inTypeScript = await streamed(16);
    expect(bits(await streamed(16, new KernelArena())).equals(bits(inTypeScript))).toBe(true);
    expect(bits(await streamed(16, new KernelArena(), true)).equals(bits(inTypeScript))).toBe(true);
    const inOrder = composeFromTable(matrix, table, dim);
    for (let i = 0; i < inOrder.length; i++) expect(Math.abs(inTypeScript[i]! - inOrder[i]!)).toBeLessThan(1e-6);
  });

  it('leaves zeros for a word without rows', async () => {
    const empty = { offsets: Int32Array.from([0, 0]), rows: new Int32Array(0) };
    const composer = new ChunkComposer(empty, dim, 4, new KernelArena());
    composer.chunk.fill(1);
    await composer.add(0, 4);
    expect(Array.from(composer.means())).toEqual(new Array(dim).fill(0));
  });
});
