// fastText's .bin: a model written by fastText itself reads back with its vectors (in and out of the
// vocabulary) equal to `fasttext print-word-vectors`; kotovec's own subword models round-trip through
// the format to the bit; and every file that is not a complete unsupervised model is refused in one line,
// with nothing written.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFastText, writeFastText } from '../../src/formats/fasttext.js';
import { Model } from '../../src/query/model.js';
import { fastTextFromModel, modelFromFastText } from '../../src/store/fastText.js';
import { trainModel } from '../../src/train/trainer.js';
import { kotovec } from '../helpers/cli.js';
import { denseNgramRows } from '../../src/kernel/ngramRows.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'fasttext');
const EN = join(__dirname, '..', '..', 'corpora', 'en');
const dir = tempDir();
const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** `fasttext print-word-vectors` output: word → values. */
function printed(path: string): Map<string, number[]> {
  return new Map(readFileSync(path, 'utf8').trim().split('\n').map((line) => {
    const [word, ...values] = line.trim().split(' ');
    return [word!, values.map(Number)];
  }));
}

describe('a .bin written by fastText', () => {
  it('reads with fastText’s arguments, dictionary and matrices', () => {
    const ft = readFastText(join(FIXTURES, 'tiny-sg.bin'));
    expect(ft.args).toMatchObject({ dim: 8, model: 'skipgram', loss: 'ns', bucket: 2000, minn: 2, maxn: 4, minCount: 20, epoch: 3 });
    expect(ft.words).toContain('</s>');
    expect(ft.words).toContain('martians');
    expect(ft.ngramRows).toHaveLength(2000 * 8);
  });

  it('gives every word the vector fastText prints, in the vocabulary or not', () => {
    const model = new Model(modelFromFastText(readFastText(join(FIXTURES, 'tiny-sg.bin'))));
    const expected = printed(join(FIXTURES, 'tiny-sg.vectors.txt'));
    const inVocabulary = [...expected.keys()].filter((w) => model.words.has(w));
    expect(inVocabulary.length).toBeGreaterThanOrEqual(2);
    expect(inVocabulary.length).toBeLessThan(expected.size);
    for (const [word, values] of expected) {
      const vector = model.vector(word);
      // fastText prints five significant digits.
      const tolerance = 1e-4 * Math.max(...values.map(Math.abs));
      values.forEach((v, k) => expect(Math.abs(vector[k]! - v), `${word}[${k}]`).toBeLessThanOrEqual(tolerance));
    }
  });

  it('imports on the command line by its magic number, and answers any word', () => {
    const out = join(dir, 'tiny.db');
    const result = kotovec(['import', join(FIXTURES, 'tiny-sg.bin'), '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/imported a fastText model: \d+ words and 2000 n-gram buckets of dimension 8/);
    const vectors = kotovec(['vectors', out], readFileSync(join(FIXTURES, 'tiny-sg.words.txt')));
    const expected = printed(join(FIXTURES, 'tiny-sg.vectors.txt'));
    for (const line of vectors.stdout.trim().split('\n')) {
      const [word, ...values] = line.split(' ');
      const want = expected.get(word!)!;
      values.map(Number).forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThanOrEqual(1e-4 * Math.max(...want.map(Math.abs))));
    }
    const similar = kotovec(['similar', out, 'unmartianlike', '--json']);
    expect(similar.code, similar.stderr).toBe(0);
    expect(JSON.parse(similar.stdout).query[0].composed).toEqual(['unmartianlike']);
  });
});

describe('kotovec subword models as .bin', () => {
  it('round-trip to the bit, and read back with the same vector for every word', async () => {
    for (const loss of ['ns', 'hs'] as const) {
      const model = await trainModel({ inputs: [EN], threads: 1, epochs: 1, dim: 12, loss, model: 'skipgram', subwords: { minn: 2, maxn: 5, bucket: 3000 } });
      const path = join(dir, `round-${loss}.bin`);
      writeFastText(path, fastTextFromModel(model));
      const back = readFastText(path);
      expect(back.args).toMatchObject({ dim: 12, model: 'skipgram', loss, minn: 2, maxn: 5, bucket: 3000, window: 5, negative: 5 });
      expect(back.words).toEqual(model.words);
      expect(Array.from(back.counts)).toEqual(Array.from(model.counts));
      expect(bytes(back.wordRows).equals(bytes(model.subwords!.wordRows!))).toBe(true);
      // The .bin holds every bucket's row: those training moved, and the others' initial rows computed again.
      expect(model.subwords!.trainedBuckets!.length).toBeLessThan(3000);
      expect(bytes(back.ngramRows).equals(bytes(denseNgramRows(model.subwords!, 12)))).toBe(true);
      if (loss === 'ns') expect(bytes(back.output!).equals(bytes(model.outputNs!))).toBe(true);
      const again = modelFromFastText(back);
      expect(bytes(again.wordVectors).equals(bytes(model.wordVectors))).toBe(true);
      expect(Array.from(new Model(again).vector('martianz'))).toEqual(Array.from(new Model(model).vector('martianz')));
    }
  });

  it('export --format fasttext-bin writes one; a word2vec model is refused in one line', async () => {
    const db = join(dir, 'sub.db');
    expect(kotovec(['train', EN, '-o', db, '--subwords', '--bucket', '5000', '--dim', '10', '--epochs', '1', '--threads', '1', '--progress', 'none']).code).toBe(0);
    const bin = join(dir, 'sub.bin');
    const exported = kotovec(['export', db, '-o', bin, '--format', 'fasttext-bin']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFastText(bin).args).toMatchObject({ dim: 10, model: 'cbow', bucket: 5000, minn: 3, maxn: 6 });
    expect(kotovec(['export', db, '-o', bin, '--format', 'fasttext-bin']).stderr).toMatch(/output exists.*E_OUTPUT_EXISTS/);
    const plain = join(dir, 'plain.db');
    expect(kotovec(['train', EN, '-o', plain, '--dim', '10', '--epochs', '1', '--progress', 'none']).code).toBe(0);
    const refused = kotovec(['export', plain, '-o', join(dir, 'plain.bin'), '--format', 'fasttext-bin']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('kotovec: a fastText .bin holds a subword model: this one has none (export it as word2vec-bin, or train with --subwords) (E_UNSUPPORTED)\n');
    expect(existsSync(join(dir, 'plain.bin'))).toBe(false);
    // A word2vec .bin stays a word2vec .bin.
    const w2v = join(dir, 'plain-w2v.bin');
    expect(kotovec(['export', plain, '-o', w2v]).code).toBe(0);
    const imported = kotovec(['import', w2v, '-o', join(dir, 'w2v.db')]);
    expect(imported.stderr).toMatch(/\(word2vec-bin\)/);
  });
});

describe('files that are not a complete unsupervised fastText model', () => {
  const good = readFileSync(join(FIXTURES, 'tiny-sg.bin'));
  const refuse = (name: string, content: Buffer, message: RegExp) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    const out = join(dir, `${name}.db`);
    const result = kotovec(['import', path, '-o', out, '--format', 'fasttext-bin']);
    expect(result.code, name).toBe(1);
    expect(result.stderr.trim().split('\n'), name).toHaveLength(1);
    expect(result.stderr, name).toMatch(message);
    expect(existsSync(out)).toBe(false);
  };

  it('quantized (.ftz) and supervised models', () => {
    refuse('sup.bin', readFileSync(join(FIXTURES, 'tiny-sup.bin')), /a supervised \(label\) fastText model.*E_BAD_FORMAT/);
    refuse('sup.ftz', readFileSync(join(FIXTURES, 'tiny-sup.ftz')), /supervised.*E_BAD_FORMAT/);
    const quantized = Buffer.from(good);
    // The byte after the dictionary says whether the input matrix is quantized.
    const ft = readFastText(join(FIXTURES, 'tiny-sg.bin'));
    const matrixBytes = 1 + 16 + (ft.words.length + ft.args.bucket) * ft.args.dim * 4 + 1 + 16 + ft.words.length * ft.args.dim * 4;
    quantized[good.length - matrixBytes] = 1;
    refuse('quantized.bin', quantized, /a quantized fastText model \(\.ftz\).*E_BAD_FORMAT/);
  });

  it('another version, another file, a damaged header', () => {
    const v13 = Buffer.from(good);
    v13.writeInt32LE(13, 4);
    refuse('v13.bin', v13, /fastText file format version 13; kotovec reads versions 11 and 12/);
    refuse('text.bin', Buffer.from('2 3\nа 1 2 3\n'), /not a fastText model \(no fastText magic number\)/);
    const badDim = Buffer.from(good);
    badDim.writeInt32LE(-8, 8);
    refuse('dim.bin', badDim, /damaged arguments/);
  });

  it('every truncation, and bytes after the end', () => {
    for (const length of [0, 4, 8, 40, 60, 61, 200, 1000, good.length - 1000, good.length - 1]) {
      refuse(`cut-${length}.bin`, good.subarray(0, length), length < 4 ? /not a fastText model|truncated/ : /truncated|not a complete fastText model/);
    }
    refuse('long.bin', Buffer.concat([good, Buffer.from([1, 2, 3])]), /3 bytes after the output matrix/);
  });
});
