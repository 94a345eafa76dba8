import { readFileSync, writeFileSync, existsSync, readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writeProjector } from '../../src/formats/projector.js';
import { formatFloat, writeWord2Vec } from '../../src/formats/word2vec.js';
import { readWord2Vec } from '../../src/formats/word2vecReader.js';
import { openModel } from '../../src/query/model.js';
import { importWord2Vec } from '../../src/store/importer.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const rows = { keys: ['東京', 'cat', 'é'], vectors: Float32Array.from([1, -0.5, 0.25, 2, 0, -1]), dim: 2 };

function f32(value: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatLE(value);
  return [...b];
}

async function readAll(path: string, format?: 'word2vec-bin' | 'word2vec-text') {
  const words: string[] = [];
  const vectors: number[][] = [];
  const header = await readWord2Vec(path, () => {}, (w, v) => (words.push(w), vectors.push(Array.from(v))), format);
  return { header, words, vectors };
}

describe('word2vec writers', () => {
  it('write binary bytes exactly as word2vec C does', () => {
    const path = join(dir, 'exact.bin');
    writeWord2Vec(path, rows, true);
    const expected = Buffer.from([
      ...Buffer.from('3 2\n'),
      ...Buffer.from('東京 '), ...f32(1), ...f32(-0.5), 10,
      ...Buffer.from('cat '), ...f32(0.25), ...f32(2), 10,
      ...Buffer.from('é '), ...f32(0), ...f32(-1), 10,
    ]);
    expect(readFileSync(path).equals(expected)).toBe(true);
  });

  it('write text with the shortest exact floats, and honour --limit', () => {
    const path = join(dir, 'exact.txt');
    writeWord2Vec(path, rows, false, 2);
    expect(readFileSync(path, 'utf8')).toBe('2 2\n東京 1 -0.5\ncat 0.25 2\n');
    expect(Math.fround(Number(formatFloat(Math.fround(0.1))))).toBe(Math.fround(0.1));
  });

  it('leave out keys the formats cannot hold (whitespace, empty), counted out of the header and returned', () => {
    const path = join(dir, 'space.txt');
    expect(writeWord2Vec(path, { ...rows, keys: ['a b', 'c', ' '] }, false)).toEqual({ written: 1, skipped: ['a b', ' '] });
    expect(readFileSync(path, 'utf8')).toBe('1 2\nc 0.25 2\n');
    expect(existsSync(path)).toBe(true);
  });

  it('write the projector files', () => {
    const folder = join(dir, 'projector');
    mkdirSync(folder);
    writeProjector(folder, rows);
    expect(readFileSync(join(folder, 'vectors.tsv'), 'utf8')).toBe('1\t-0.5\n0.25\t2\n0\t-1\n');
    expect(readFileSync(join(folder, 'metadata.tsv'), 'utf8')).toBe('東京\ncat\né\n');
  });
});

describe('word2vec reader', () => {
  it('round-trips binary and text, detecting the format, with gzip', async () => {
    for (const binary of [true, false]) {
      const path = join(dir, `round.${binary ? 'bin' : 'txt'}`);
      writeWord2Vec(path, rows, binary);
      writeFileSync(`${path}.gz`, gzipSync(readFileSync(path)));
      for (const file of [path, `${path}.gz`]) {
        const { header, words, vectors } = await readAll(file);
        expect(header).toEqual({ count: 3, dim: 2, format: binary ? 'word2vec-bin' : 'word2vec-text' });
        expect(words).toEqual(rows.keys);
        expect(vectors.flat()).toEqual(Array.from(rows.vectors));
      }
    }
  });

  it('accepts binary rows without newlines (gensim) and text without a final newline or with trailing spaces (fastText)', async () => {
    const gensimStyle = Buffer.from([...Buffer.from('2 1\n'), ...Buffer.from('a '), ...f32(1), ...Buffer.from('b '), ...f32(2)]);
    writeFileSync(join(dir, 'gensim.bin'), gensimStyle);
    expect((await readAll(join(dir, 'gensim.bin'))).vectors).toEqual([[1], [2]]);
    writeFileSync(join(dir, 'ft.vec'), '2 2\na 1 2 \nb 3 4');
    expect((await readAll(join(dir, 'ft.vec'))).vectors).toEqual([[1, 2], [3, 4]]);
  });

  it('reads every decimal spelling of a text row as Number() does', async () => {
    const tokens = [
      '0', '-0', '+1.5', '1.', '.5', '-.25', '3.14159265358979', '1e3', '1E-3', '-2.5e+2', '123456789012345', '0.000000000000000000000123',
      '1234567890123456789', '0.1234567890123456789', '1e-30', '7e22', '0x10', '00012.5000', '-1.5e-07', '4.9406564584124654e-5',
    ];
    const dim = tokens.length;
    const rows = [`w1 ${tokens.join(' ')}`, `w2 ${[...tokens].reverse().join(' ')}   `, `w3 ${tokens.join(' ')}\r`];
    const path = join(dir, 'decimals.txt');
    writeFileSync(path, `${rows.length} ${dim}\n${rows.join('\n')}\n`);
    const read: number[][] = [];
    await readWord2Vec(path, () => {}, (_word, vector) => {
      read.push(Array.from(vector));
    });
    const expected = (list: string[]) => list.map((t) => Math.fround(Number(t)));
    expect(read[0]).toEqual(expected(tokens));
    expect(read[1]).toEqual(expected([...tokens].reverse()));
    expect(read[2]).toEqual(read[0]);
  });

  it('keeps multi-byte words whole', async () => {
    const words = ['日本語', 'ß', '😀'];
    const path = join(dir, 'utf8.bin');
    writeWord2Vec(path, { keys: words, vectors: new Float32Array(3 * 3), dim: 3 }, true);
    expect((await readAll(path)).words).toEqual(words);
  });

  it('says where a file is truncated or malformed', async () => {
    const good = readFileSync(join(dir, 'round.bin'));
    writeFileSync(join(dir, 'cut.bin'), good.subarray(0, good.length - 3));
    await expect(readAll(join(dir, 'cut.bin'))).rejects.toThrow(/truncated.*\(row 2, byte offset \d+\)/);
    writeFileSync(join(dir, 'short.txt'), '2 3\na 1 2 3\nb 1 2\n');
    await expect(readAll(join(dir, 'short.txt'))).rejects.toThrow(/2 values where the header says 3 \(row 1/);
    writeFileSync(join(dir, 'nan.txt'), '1 2\na 1 x\n');
    await expect(readAll(join(dir, 'nan.txt'))).rejects.toThrow(/"x" is not a number/);
    writeFileSync(join(dir, 'noheader.txt'), 'hello world\n');
    await expect(readAll(join(dir, 'noheader.txt'))).rejects.toThrow(/not a word2vec file/);
    writeFileSync(join(dir, 'extra.txt'), '1 1\na 1\nb 2\n');
    await expect(readAll(join(dir, 'extra.txt'))).rejects.toThrow(/more data after the 1 rows/);
    writeFileSync(join(dir, 'badutf8.bin'), Buffer.from([...Buffer.from('1 1\n'), 0xff, 0xfe, 32, ...f32(1)]));
    await expect(readAll(join(dir, 'badutf8.bin'))).rejects.toThrow(/invalid UTF-8 \(row 0/);
  });
});

describe('import', () => {
  it('imports a file as a queryable model and leaves nothing behind on failure', async () => {
    const src = join(dir, 'import.txt');
    writeFileSync(src, '4 2\nking 1 1\nqueen 1 0.9\nman 1 -1\nwoman 1 -1.1\n');
    const out = join(dir, 'imported.db');
    const result = await importWord2Vec(src, out);
    expect(result).toMatchObject({ count: 4, dim: 2, format: 'word2vec-text' });
    const model = openModel(out);
    expect(model.similar(['king'], 1)[0]!.word).toBe('queen');
    await expect(model.inferVector('king')).rejects.toMatchObject({ code: 'E_UNSUPPORTED' });
    writeFileSync(join(dir, 'dup.txt'), '2 1\na 1\na 2\n');
    await expect(importWord2Vec(join(dir, 'dup.txt'), join(dir, 'dup.db'))).rejects.toThrow(/duplicate word "a"/);
    expect(existsSync(join(dir, 'dup.db'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    await expect(importWord2Vec(src, out)).rejects.toMatchObject({ code: 'E_OUTPUT_EXISTS' });
  });

  it('a file of over a million values is written on a thread of its own, with the same answers and refusals', async () => {
    const count = 11_000;
    const dim = 100;
    const keys = Array.from({ length: count }, (_, i) => `w${i}`);
    const vectors = Float32Array.from({ length: count * dim }, (_, i) => Math.sin(i * 0.37));
    const big = join(dir, 'big.bin');
    writeWord2Vec(big, { keys, vectors, dim }, true);
    const out = join(dir, 'big.db');
    expect(await importWord2Vec(big, out)).toMatchObject({ count, dim, format: 'word2vec-bin' });
    const model = openModel(out);
    expect(model.words.size).toBe(count);
    expect(Array.from(model.vector('w10999'))).toEqual(Array.from(vectors.subarray(10_999 * dim)));
    keys[10_500] = 'w7';
    writeWord2Vec(join(dir, 'big-dup.bin'), { keys, vectors, dim }, true);
    await expect(importWord2Vec(join(dir, 'big-dup.bin'), join(dir, 'big-dup.db'))).rejects.toThrow(/duplicate word "w7" \(row 10500\)/);
    expect(existsSync(join(dir, 'big-dup.db'))).toBe(false);
  });
});
