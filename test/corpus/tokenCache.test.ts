import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK_TOKENS, forEachRecord, mapRecord, TokenCacheReader, TokenCacheWriter } from '../../src/corpus/tokenCache.js';
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

  it('maps a record in place: slots to ids, words outside the vocabulary dropped', () => {
    const slotToId = Int32Array.of(5, -1, 6);
    const buffer = Int32Array.of(9, 9, 0, 1, 2, 0, 1, 9);
    expect(mapRecord(buffer, 2, 5, slotToId)).toBe(3);
    expect(Array.from(buffer.subarray(2, 5))).toEqual([5, 6, 5]);
    expect([buffer[0], buffer[1], buffer[7]]).toEqual([9, 9, 9]);
    expect(mapRecord(Int32Array.of(1, 1), 0, 2, slotToId)).toBe(0);
  });

  it('notes blocks of about BLOCK_TOKENS tokens that cover the file once, whichever way records were written', () => {
    const path = join(dir, 'blocks.cache');
    const writer = new TokenCacheWriter(path);
    const expected: { tag: number; ids: number[] }[] = [];
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (let r = 0; r < 400; r++) {
      const ids = Array.from({ length: next(300) }, () => next(1000));
      const tag = r % 5 === 0 ? -1 : r;
      expected.push({ tag, ids });
      if (r % 3 === 0) {
        writer.writeRecords(Int32Array.from([ids.length, tag, ...ids]));
      } else {
        writer.write(tag, ids, ids.length);
      }
    }
    writer.close();
    const tokens = expected.reduce((sum, r) => sum + r.ids.length, 0);
    const blocks = writer.blocks();
    expect(blocks[0]).toBe(0);
    expect(blocks.at(-1)).toBe(writer.position);
    for (let b = 1; b < blocks.length; b++) expect(blocks[b]!).toBeGreaterThan(blocks[b - 1]!);
    expect(blocks.length - 1).toBeGreaterThan(2);
    expect(blocks.length - 1).toBeLessThanOrEqual(Math.floor(tokens / BLOCK_TOKENS) + 1);
    // One reader (one open file, one buffer) reads them all, in any order, as the workers do; every block
    // but the last holds at least BLOCK_TOKENS tokens and ends at a record's end.
    const reader = new TokenCacheReader(path, new Int32Array(8));
    const byBlock: { tag: number; ids: number[] }[][] = [];
    try {
      const order = Array.from({ length: blocks.length - 1 }, (_, b) => b).reverse();
      for (const b of order) {
        const records: { tag: number; ids: number[] }[] = [];
        reader.forEachRecord(blocks[b]!, blocks[b + 1]!, (buffer, start, length, tag) => records.push({ tag, ids: Array.from(buffer.subarray(start, start + length)) }));
        byBlock[b] = records;
        if (b < blocks.length - 2) expect(records.reduce((sum, r) => sum + r.ids.length, 0)).toBeGreaterThanOrEqual(BLOCK_TOKENS);
      }
    } finally {
      reader.close();
    }
    expect(byBlock.flat()).toEqual(expected);
    expect(new TokenCacheWriter(join(dir, 'empty.cache')).blocks()).toEqual(Float64Array.of(0));
  });
});
