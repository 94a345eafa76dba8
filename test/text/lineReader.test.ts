import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { newReadStats, readLineBatches, resolveInputs } from '../../src/text/lineReader.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

async function readAll(inputs: string[], maxLineChars?: number, overlong?: 'split' | 'truncate') {
  const stats = newReadStats();
  const lines: string[] = [];
  let largestBatch = 0;
  for await (const batch of readLineBatches(await resolveInputs(inputs), { maxLineChars, overlong }, stats)) {
    lines.push(...batch);
    largestBatch = Math.max(largestBatch, batch.reduce((sum, line) => sum + line.length, 0));
  }
  return { lines, stats, largestBatch };
}

describe('line reader', () => {
  it('reads plain and gzip files, with or without a final newline, and drops \\r', async () => {
    writeFileSync(join(dir, 'a.txt'), 'one\r\ntwo\nthree');
    writeFileSync(join(dir, 'b.txt.gz'), gzipSync(Buffer.from('four\nfive\n')));
    const { lines } = await readAll([join(dir, 'a.txt'), join(dir, 'b.txt.gz')]);
    expect(lines).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it('recognises gzip by its magic bytes whatever the name', async () => {
    writeFileSync(join(dir, 'packed.data'), gzipSync(Buffer.from('hidden gzip\n')));
    expect((await readAll([join(dir, 'packed.data')])).lines).toEqual(['hidden gzip']);
  });

  it('walks folders recursively in a stable order and skips hidden files', async () => {
    const folder = join(dir, 'tree');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'b.txt'), 'b\n');
    writeFileSync(join(folder, 'a.txt'), 'a\n');
    writeFileSync(join(folder, 'sub', 'c.txt'), 'c\n');
    writeFileSync(join(folder, '.hidden'), 'hidden\n');
    const files = await resolveInputs([folder]);
    expect(files.map((f) => f.name)).toEqual(['a.txt', 'b.txt', join('sub', 'c.txt')]);
    expect((await readAll([folder])).lines).toEqual(['a', 'b', 'c']);
  });

  it('splits a line longer than the limit instead of failing, without cutting a surrogate pair', async () => {
    const long = 'x'.repeat(2500) + '😀' + 'y'.repeat(10);
    writeFileSync(join(dir, 'long.txt'), `short\n${long}\nend\n`);
    const { lines, stats } = await readAll([join(dir, 'long.txt')], 1000);
    expect(lines[0]).toBe('short');
    expect(lines.at(-1)).toBe('end');
    expect(lines.slice(1, -1).join('')).toBe(long);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(1000);
    expect(stats.splitLines).toBeGreaterThan(0);
    expect(lines.join('')).not.toMatch(/\uFFFD/);
  });

  it('a line spanning many read blocks: split into pieces (counted once), or cut to its start', async () => {
    const long = Array.from({ length: 120_000 }, (_, i) => `w${i % 997}`).join(' '); // ~600k chars, 3+ blocks
    writeFileSync(join(dir, 'spanning.txt'), `short\n${long}\nend\n${long}`);
    const split = await readAll([join(dir, 'spanning.txt')], 100_000);
    expect(split.lines[0]).toBe('short');
    const end = split.lines.indexOf('end');
    expect(split.lines.slice(1, end).join('')).toBe(long);
    expect(split.lines.slice(end + 1).join('')).toBe(long);
    for (const line of split.lines) expect(line.length).toBeLessThanOrEqual(100_000);
    expect(split.stats.splitLines).toBe(2);
    const cut = await readAll([join(dir, 'spanning.txt')], 100_000, 'truncate');
    expect(cut.lines).toHaveLength(4);
    expect(cut.lines[0]).toBe('short');
    expect(cut.lines[2]).toBe('end');
    for (const i of [1, 3]) {
      expect(long.startsWith(cut.lines[i]!)).toBe(true);
      expect(cut.lines[i]!.length).toBeGreaterThan(90_000);
      expect(cut.lines[i]!.length).toBeLessThanOrEqual(100_000);
    }
    expect(cut.stats.splitLines).toBe(2);
  });

  it('hands on batches of bounded size however long the lines', async () => {
    const line = 'abc '.repeat(250_000); // 1M chars
    writeFileSync(join(dir, 'many-long.txt'), `${line}\n`.repeat(12));
    const { lines, largestBatch } = await readAll([join(dir, 'many-long.txt')]);
    expect(lines.join('').length).toBe(12 * line.length);
    expect(largestBatch).toBeLessThanOrEqual(4_000_000);
  });

  it('replaces and counts invalid UTF-8', async () => {
    writeFileSync(join(dir, 'bad.txt'), Buffer.concat([Buffer.from('ok '), Buffer.from([0xff, 0xfe]), Buffer.from(' fine\n')]));
    const { lines, stats } = await readAll([join(dir, 'bad.txt')]);
    expect(lines[0]).toMatch(/^ok .* fine$/);
    expect(stats.invalidUtf8).toBe(2);
  });

  it('refuses a binary file named directly, naming it', async () => {
    writeFileSync(join(dir, 'blob.bin'), Buffer.from([1, 2, 0, 3, 0, 0, 7]));
    await expect(readAll([join(dir, 'blob.bin')])).rejects.toMatchObject({ code: 'E_INPUT_BINARY', message: expect.stringContaining('blob.bin') });
  });

  it('skips a binary file found inside a folder and reports it', async () => {
    const folder = join(dir, 'mixed');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.txt'), 'text\n');
    writeFileSync(join(folder, 'b.bin'), Buffer.from([0, 0, 0]));
    const { lines, stats } = await readAll([folder]);
    expect(lines).toEqual(['text']);
    expect(stats.skippedBinary).toEqual([join(folder, 'b.bin')]);
  });

  it('fails clearly on a missing input and on a folder without files', async () => {
    await expect(resolveInputs([join(dir, 'nope.txt')])).rejects.toMatchObject({ code: 'E_INPUT_NOT_FOUND' });
    mkdirSync(join(dir, 'empty'));
    await expect(resolveInputs([join(dir, 'empty')])).rejects.toMatchObject({ code: 'E_NO_TEXT_FILES' });
  });

  it('fails clearly on corrupt gzip data', async () => {
    const good = gzipSync(Buffer.from('a'.repeat(10000)));
    writeFileSync(join(dir, 'broken.gz'), good.subarray(0, good.length - 12));
    await expect(readAll([join(dir, 'broken.gz')])).rejects.toMatchObject({ code: 'E_INPUT_UNREADABLE' });
  });
});
