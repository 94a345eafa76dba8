/**
 * A big connection matrix's cached head (`src/text/ja/matrixHead.ts`, made by `matrixHeadOrder.ts`): the
 * fixture dictionary's matrix read row by row (as UniDic's is), its head made from a sample, then MeCab's
 * tokens and features on the hard text with the head, from a head found in the cache, on two threads, and
 * with a head that is damaged, foreign, removed while in use, or cannot be written.
 */
import { readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMecabDictionary, openMecabDictionaryFrom, type MecabDictionary } from '../../src/text/ja/mecabDictionary.js';
import { createMecabAnalyzer } from '../../src/text/ja/mecabLatticeWasm.js';
import { HEAD_PLACES, matrixHeadPath, openMatrixHead } from '../../src/text/ja/matrixHead.js';
import { ensureMatrixHead } from '../../src/text/ja/matrixHeadOrder.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'mecab');
const DIC = join(FIXTURE, 'dic');
const LINES = readFileSync(join(FIXTURE, 'lines.txt'), 'utf8').split('\n').slice(0, -1);
const EXPECTED = readFileSync(join(FIXTURE, 'expected.txt'), 'utf8').split('EOS\n');
/** The sample the column order is taken from: a few lines of the fixture's own, so that it meets some columns. */
const SAMPLE = LINES.slice(0, 4);
const dir = tempDir();

/** Row by row, as a matrix too big to read at once is. */
const PAGED = 0;

function expectMecabTokens(dictionary: MecabDictionary): void {
  const analyzer = createMecabAnalyzer(dictionary);
  expect(analyzer.constructor.name).toBe('WasmMecabAnalyzer');
  LINES.forEach((line, i) => {
    const n = analyzer.analyze(line);
    const rows = Array.from({ length: n }, (_, k) => `${analyzer.surface(line, k)}\t${analyzer.feature(k)}\n`);
    expect(rows.join(''), `line ${i + 1}`).toBe(EXPECTED[i]);
  });
}

async function withHead(folder: string): Promise<{ dictionary: MecabDictionary; path: string }> {
  const dictionary = await openMecabDictionary(DIC, PAGED, folder);
  expect(ensureMatrixHead(dictionary, folder, SAMPLE)).toBe('made');
  return { dictionary, path: matrixHeadPath(dictionary.name, dictionary.fingerprint, folder) };
}

describe("a big matrix's cached head", () => {
  it('is made once from the columns the sample meets, then found by the next opening, with the same tokens', async () => {
    const folder = join(dir, 'made');
    const { dictionary, path } = await withHead(folder);
    const { leftSize, rightSize } = dictionary.matrix;
    const places = Math.min(HEAD_PLACES, leftSize);
    expect(dictionary.matrix.share.head).toEqual({ path, places });
    // The header, every column once, each row's first places.
    expect(statSync(path).size).toBe(32 + ((2 * leftSize + 3) & ~3) + 2 * rightSize * places);
    const head = openMatrixHead(path, leftSize, rightSize, statSync(join(DIC, 'matrix.bin')).mtimeMs)!;
    expect([...head.order].sort((a, b) => a - b)).toEqual([...Array(leftSize).keys()]);
    // The costs it keeps are the matrix's, in its order.
    const whole = await openMecabDictionary(DIC);
    const file = readFileSync(path);
    const costs = new Int16Array(file.buffer.slice(file.byteOffset + 32 + ((2 * leftSize + 3) & ~3), file.byteOffset + file.length));
    for (let row = 0; row < rightSize; row++) {
      for (let place = 0; place < places; place++) expect(costs[row * places + place]).toBe(whole.matrix.cost(row, head.order[place]!));
    }
    // The process that made it reads with it at once: the sample's rows, then the rest from the head.
    expectMecabTokens(dictionary);
    expect(expectRowsHoldTheirCosts(dictionary, whole)).toBeGreaterThan(0);
    // Another opening finds it: every column already has its place, no row is read from the matrix.
    const again = await openMecabDictionary(DIC, PAGED, folder);
    expect(again.matrix.share.head).toEqual({ path, places });
    expect(ensureMatrixHead(again, folder, SAMPLE)).toBe('had');
    expectMecabTokens(again);
    expect(expectRowsHoldTheirCosts(again, whole)).toBeGreaterThan(0);
    // Every place of the fixture's rows is in the head: each row the text needs is one read of the head.
    expect(places).toBe(leftSize);
    expect(again.matrix.bytesRead).toBe(2 * places * readRowsTouched(again).length);
    for (const d of [dictionary, whole, again]) d.matrix.close();
  });

  it('needs none for a matrix read at once, and none is made without a sample', async () => {
    const folder = join(dir, 'none');
    const whole = await openMecabDictionary(DIC, undefined, folder);
    expect(ensureMatrixHead(whole, folder, SAMPLE)).toBe('whole');
    const paged = await openMecabDictionary(DIC, PAGED, folder);
    expect(ensureMatrixHead(paged, folder, null)).toBe('none');
    expect(paged.matrix.share.head).toBeUndefined();
    expectMecabTokens(paged);
    for (const d of [whole, paged]) d.matrix.close();
  });

  it('is shared by the threads opened from the dictionary', async () => {
    const { dictionary } = await withHead(join(dir, 'threads'));
    const second = openMecabDictionaryFrom(dictionary.transfer, PAGED);
    expect(second.matrix.share.head).toEqual(dictionary.matrix.share.head);
    expectMecabTokens(second);
    expectMecabTokens(dictionary);
    const whole = await openMecabDictionary(DIC);
    expect(expectRowsHoldTheirCosts(second, whole)).toBeGreaterThan(0);
    for (const d of [dictionary, second, whole]) d.matrix.close();
  });

  it('is passed over when damaged or of another matrix, and the rows are read as without it', async () => {
    const folder = join(dir, 'damaged');
    const { dictionary, path } = await withHead(folder);
    dictionary.matrix.close();
    const intact = readFileSync(path);
    const damages: [string, () => void][] = [
      ['cut short', () => truncateSync(path, intact.length - 2)],
      ['another magic', () => writeFileSync(path, Buffer.concat([Buffer.from('XXXX'), intact.subarray(4)]))],
      ['another size', () => writeFileSync(path, Buffer.concat([intact.subarray(0, 8), Buffer.from([1, 0, 0, 0]), intact.subarray(12)]))],
      ['a column twice', () => writeFileSync(path, Buffer.concat([intact.subarray(0, 32), intact.subarray(34, 36), intact.subarray(34)]))],
      ['of a matrix modified since', () => writeFileSync(path, Buffer.concat([intact.subarray(0, 24), Buffer.alloc(8, 1), intact.subarray(32)]))],
      ['empty', () => writeFileSync(path, '')],
    ];
    for (const [what, damage] of damages) {
      damage();
      const opened = await openMecabDictionary(DIC, PAGED, folder);
      expect(opened.matrix.share.head, what).toBeUndefined();
      expectMecabTokens(opened);
      opened.matrix.close();
    }
  });

  it('falls back to the matrix when the head goes away while in use', async () => {
    const folder = join(dir, 'removed');
    const { dictionary, path } = await withHead(folder);
    dictionary.matrix.close();
    const opened = await openMecabDictionary(DIC, PAGED, folder);
    expect(opened.matrix.share.head).toBeDefined();
    rmSync(path);
    expectMecabTokens(opened);
    const whole = await openMecabDictionary(DIC);
    expect(expectRowsHoldTheirCosts(opened, whole)).toBeGreaterThan(0);
    for (const d of [opened, whole]) d.matrix.close();
  });

  it('is not made where the cache folder cannot be written, and the tokens stay', async () => {
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the folder would be');
    const dictionary = await openMecabDictionary(DIC, PAGED, blocked);
    expect(ensureMatrixHead(dictionary, blocked, SAMPLE)).toBe('none');
    expect(dictionary.matrix.share.head).toBeUndefined();
    expectMecabTokens(dictionary);
    dictionary.matrix.close();
  });
});

/**
 * Every cost the analysis holds in its rows (each row's places up to its count) is the matrix's cost of the
 * column at that place; returns how many were compared.
 */
function expectRowsHoldTheirCosts(dictionary: MecabDictionary, whole: MecabDictionary): number {
  const { leftSize, rightSize, share } = dictionary.matrix;
  const state = new Int32Array(share.memory.buffer, share.tables!.columnState, 2 + 2 * leftSize + rightSize);
  const rows = new Int16Array(share.memory.buffer, share.tables!.rows, leftSize * rightSize);
  let compared = 0;
  for (let row = 0; row < rightSize; row++) {
    for (let place = 0; place < state[2 + 2 * leftSize + row]!; place++) {
      expect(rows[row * leftSize + place], `row ${row} place ${place}`).toBe(whole.matrix.cost(row, state[2 + leftSize + place]!));
      compared++;
    }
  }
  return compared;
}

/** The rows the analysis filled (a count above 0 in the column state). */
function readRowsTouched(dictionary: MecabDictionary): number[] {
  const { leftSize, rightSize, share } = dictionary.matrix;
  const covered = new Int32Array(share.memory.buffer, share.tables!.columnState + 8 + 8 * leftSize, rightSize);
  return [...covered.keys()].filter((row) => covered[row]! > 0);
}
