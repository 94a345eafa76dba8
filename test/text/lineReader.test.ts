import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { newReadStats, readLineBatches, resolveInputs } from '../../src/text/lineReader.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

async function readAll(inputs: string[], maxLineChars?: number) {
  const stats = newReadStats();
  const lines: string[] = [];
  for await (const batch of readLineBatches(await resolveInputs(inputs), { maxLineChars }, stats)) lines.push(...batch);
  return { lines, stats };
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
