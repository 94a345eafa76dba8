import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dealCache, finalizeTokenCache, forEachRecord, TokenCacheWriter } from '../../src/corpus/tokenCache.js';
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
    // Dealing the blocks between checkpoints round-robin covers the file exactly once, in order.
    const shares = dealCache(final, 2);
    expect(shares).toHaveLength(2);
    const blocks = shares.flatMap((share, worker) => share.map((range) => ({ ...range, worker }))).sort((a, b) => a.fromInt - b.fromInt);
    expect(blocks[0]!.fromInt).toBe(0);
    expect(blocks.at(-1)!.toInt).toBe(final.ints);
    blocks.forEach((block, i) => {
      expect(block.worker).toBe(i % 2); // block b to worker b mod 2
      if (i > 0) expect(block.fromInt).toBe(blocks[i - 1]!.toInt);
    });
    expect(blocks.reduce((s, p) => s + p.words, 0)).toBe(8);
    expect(blocks.flatMap((p) => readBack(final.path, p.fromInt, p.toInt))).toEqual(records);
    // More workers than blocks: the idle ones are left out.
    expect(dealCache(final, 50).length).toBe(blocks.length);
  });
});
