import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheBlocks, finalizeTokenCache, forEachRecord, TokenCacheReader, TokenCacheWriter } from '../../src/corpus/tokenCache.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

function readBack(path: string, from: number, to: number) {
  const records: { tag: number; ids: number[] }[] = [];
  forEachRecord(path, from, to, (buffer, start, length, tag) => records.push({ tag, ids: Array.from(buffer.subarray(start, start + length)) }));
  return records;
}

describe('token cache', () => {
  it('round-trips records, including ones larger than the read buffer', () => {
    const path = join(dir, 'round.cache');
    const writer = new TokenCacheWriter(path);
    const huge = Array.from({ length: 300000 }, (_, i) => i % 1000);
    writer.write(-1, [1, 2, 3], 3);
    writer.write(7, [], 0);
    writer.write(-1, huge, huge.length);
    writer.write(-1, [4], 1);
    writer.close();
    const records = readBack(path, 0, writer.position);
    expect(records.length).toBe(4);
    expect(records[0]).toEqual({ tag: -1, ids: [1, 2, 3] });
    expect(records[1]).toEqual({ tag: 7, ids: [] });
    expect(records[2]!.ids).toEqual(huge);
    expect(records[3]).toEqual({ tag: -1, ids: [4] });
  });

  it('finalizes: maps slots, drops unknown words, cuts long sentences, keeps empty documents', () => {
    const path = join(dir, 'prov.cache');
    const writer = new TokenCacheWriter(path);
    writer.write(-1, [0, 1, 2, 0], 4); // slot 1 is unknown
    writer.write(-1, [1, 1], 2); // all unknown: dropped
    writer.write(3, [1], 1); // a document with no known word: kept
    writer.write(-1, [0, 2, 0, 2, 0], 5); // cut at 2
    writer.close();
    const slotToId = Int32Array.of(5, -1, 6);
    const final = finalizeTokenCache(path, writer.position, join(dir, 'final.cache'), slotToId, 2, 1);
    const records = readBack(final.path, 0, final.ints);
    expect(records).toEqual([
      { tag: -1, ids: [5, 6] },
      { tag: -1, ids: [5] },
      { tag: 3, ids: [] },
      { tag: -1, ids: [5, 6] },
      { tag: -1, ids: [5, 6] },
      { tag: -1, ids: [5] },
    ]);
    expect(final.words).toBe(8);
    // The blocks between checkpoints cover the file exactly once, in order, none of them empty.
    const blocks = cacheBlocks(final);
    expect(blocks[0]).toBe(0);
    expect(blocks.at(-1)).toBe(final.ints);
    for (let b = 1; b < blocks.length; b++) expect(blocks[b]!).toBeGreaterThan(blocks[b - 1]!);
    expect(blocks.length - 1).toBeGreaterThan(2);
    // One reader (one open file, one buffer) reads them all, in any order, as the workers do.
    const reader = new TokenCacheReader(final.path, new Int32Array(8));
    const byBlock: { tag: number; ids: number[] }[][] = [];
    try {
      for (const b of [2, 0, 1, ...Array.from({ length: blocks.length - 4 }, (_, i) => i + 3)]) {
        const records: { tag: number; ids: number[] }[] = [];
        reader.forEachRecord(blocks[b]!, blocks[b + 1]!, (buffer, start, length, tag) => records.push({ tag, ids: Array.from(buffer.subarray(start, start + length)) }));
        byBlock[b] = records;
      }
    } finally {
      reader.close();
    }
    expect(byBlock.flat()).toEqual(records);
  });
});
