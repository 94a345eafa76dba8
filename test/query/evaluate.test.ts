import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateAnalogies, evaluatePairs, rank, spearman } from '../../src/query/evaluate.js';
import { openModel } from '../../src/query/model.js';
import { importWord2Vec } from '../../src/store/importer.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

describe('evaluation arithmetic', () => {
  it('ranks ties by their mean rank and computes Spearman as scipy does', () => {
    expect(rank([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // scipy.stats.spearmanr([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]).correlation == 0.8
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 12);
  });

  it('scores a tiny hand-made analogy and pair set', async () => {
    // Words on a circle: analogies a:b = c:d hold when d is c rotated like b from a.
    const src = join(dir, 'circle.txt');
    const angle = (deg: number) => `${Math.cos((deg * Math.PI) / 180)} ${Math.sin((deg * Math.PI) / 180)}`;
    writeFileSync(src, `5 2\nA ${angle(0)}\nB ${angle(40)}\nC ${angle(90)}\nD ${angle(130)}\nE ${angle(250)}\n`);
    await importWord2Vec(src, join(dir, 'circle.db'));
    const model = openModel(join(dir, 'circle.db'));
    writeFileSync(join(dir, 'q.txt'), ': rotate\na b c d\nA B C E\n: unknown\na b c zzz\n');
    const analogies = evaluateAnalogies(model.words, join(dir, 'q.txt'));
    expect(analogies.sections[0]).toMatchObject({ section: 'rotate', correct: 1, total: 2 });
    expect(analogies).toMatchObject({ correct: 1, total: 2, skipped: 1, accuracy: 0.5 });
    writeFileSync(join(dir, 'pairs.tsv'), '# comment\nA\tB\t9\nA\tC\t5\nA\tE\t1\nA\tzzz\t3\n');
    const pairs = evaluatePairs(model.words, join(dir, 'pairs.tsv'));
    expect(pairs).toMatchObject({ pairs: 3, oov: 1 });
    expect(pairs.spearman).toBeCloseTo(1, 12);
    writeFileSync(join(dir, 'pairs.csv'), 'word1,word2,mean(x),ano1,mean\nA,B,0,0,9\nA,C,0,0,5\nA,E,0,0,1\n');
    expect(evaluatePairs(model.words, join(dir, 'pairs.csv')).spearman).toBeCloseTo(1, 12);
  });

  it('scores a word the model does not hold as the phrase its tokens make, when every token is known', async () => {
    const src = join(dir, 'phrases.txt');
    writeFileSync(src, '4 2\nA 1 0\nB 0.8 0.6\nC 0 1\nD -1 0\n');
    await importWord2Vec(src, join(dir, 'phrases.db'));
    const model = openModel(join(dir, 'phrases.db'));
    writeFileSync(join(dir, 'p.tsv'), 'A\tB\t8\nA\tC\t5\nA\tD\t1\nA+C\tB\t9\nA+Z\tB\t2\n');
    const split = (text: string) => text.split('+');
    const whole = evaluatePairs(model.words, join(dir, 'p.tsv'));
    expect(whole).toMatchObject({ pairs: 3, oov: 2, composed: 0 });
    const composed = evaluatePairs(model.words, join(dir, 'p.tsv'), 300000, split);
    // A+C is (A + C)/|A + C| = (0.707, 0.707), cosine 0.99 with B; A+Z has an unknown token: skipped.
    expect(composed).toMatchObject({ pairs: 4, oov: 1, composed: 1, coverage: 0.8 });
    expect(composed.spearman).toBeCloseTo(1, 12);
  });
});
