// Subword models from the command line: trained with --subwords, every query answers a word the corpus
// never held and says so, `vectors` prints any word's vector, `evaluate` scores every pair, and the
// settings are refused in one line when out of range.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openModel } from '../../src/query/model.js';
import { startServer } from '../../src/serve/server.js';
import { kotovec } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const EN = join(__dirname, '..', '..', 'corpora', 'en');
const JA = join(__dirname, '..', '..', 'corpora', 'ja');
const dir = tempDir();
const model = join(dir, 'ft.db');
const plain = join(dir, 'w2v.db');

beforeAll(() => {
  for (const [out, extra] of [[model, ['--subwords', '--bucket', '50000']], [plain, []]] as const) {
    const result = kotovec(['train', EN, '-o', out, '--threads', '1', '--progress', 'none', ...extra]);
    if (result.code !== 0) throw new Error(result.stderr);
  }
}, 120_000);

describe('a subword model on the command line', () => {
  it('similar and analogy answer a word the corpus never held, and say it was composed', () => {
    const answer = kotovec(['similar', model, 'martianz', '-k', '10', '--json']);
    expect(answer.code, answer.stderr).toBe(0);
    const json = JSON.parse(answer.stdout);
    expect(json.query).toEqual([{ text: 'martianz', tokens: ['martianz'], unknown: [], composed: ['martianz'] }]);
    expect(json.results.map((r: { word: string }) => r.word)).toContain('martian');
    const text = kotovec(['similar', model, 'martianz', '-k', '3']);
    expect(text.stderr).toBe('kotovec: not in the vocabulary, composed from n-grams: martianz\n');
    const analogy = kotovec(['analogy', model, 'man', 'martianz', 'woman', '--json']);
    expect(analogy.code, analogy.stderr).toBe(0);
    expect(JSON.parse(analogy.stdout).query[1].composed).toEqual(['martianz']);
    // The word2vec model still refuses it.
    const refused = kotovec(['similar', plain, 'martianz']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('kotovec: word not in the model: "martianz" (E_UNKNOWN_WORD)\n');
  });

  it('vectors prints any word of a subword model, and zeros (with a note) for a word another model lacks', () => {
    const out = kotovec(['vectors', model, 'martians', 'martianz']);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trim().split('\n').map((line) => line.split(' '));
    expect(lines.map((l) => l[0])).toEqual(['martians', 'martianz']);
    for (const line of lines) expect(line.slice(1).map(Number).every((v) => Number.isFinite(v) && v !== 0)).toBe(true);
    expect(lines[0]!).toHaveLength(101);
    // From stdin, a word a line; JSON says which were composed.
    const json = kotovec(['vectors', model, '--json'], 'martians\nmartianz\n');
    expect(json.stdout.trim().split('\n').map((l) => JSON.parse(l).composed)).toEqual([false, true]);
    // The stored vector of a vocabulary word, as `similar` uses it.
    const plainOut = kotovec(['vectors', plain, 'martians', 'martianz']);
    expect(plainOut.code).toBe(0);
    expect(plainOut.stdout.trim().split('\n')[1]).toBe(`martianz ${Array(100).fill('0').join(' ')}`);
    expect(plainOut.stderr).toBe('kotovec: note: 1 word has no vector in this model (not in its vocabulary): printed as zeros\n');
  });

  it('evaluate scores every pair and reports the in-vocabulary figure beside', () => {
    const pairs = join(dir, 'pairs.tsv');
    const rows = ['martians\tmartian\t9', 'martianz\tmartians\t8.5', 'machine\tmachines\t8', 'machinez\tengine\t6', 'queen\tthe\t1', 'xylophonez\tthe\t0.5'];
    writeFileSync(pairs, rows.join('\n') + '\n');
    const result = kotovec(['evaluate', model, '--pairs', pairs, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { pairs: scored } = JSON.parse(result.stdout);
    expect(scored).toMatchObject({ pairs: 6, oov: 0, coverage: 1, subwords: 3 });
    expect(scored.inVocabulary).toMatchObject({ pairs: 3, oov: 3, coverage: 0.5 });
    const text = kotovec(['evaluate', model, '--pairs', pairs]);
    expect(text.stdout).toMatch(/\(6 pairs, coverage 100\.0%, 3 with a word composed from its n-grams; 0 skipped/);
    expect(text.stdout).toMatch(/pairs, in vocabulary\t.*\(3 pairs, coverage 50\.0%/);
  });

  it('the API answers a word the model does not hold as the command line does', async () => {
    const server = await startServer({ models: [{ name: 'ft', path: model, model: openModel(model, { outputs: true, docs: true }) }], port: 0 });
    try {
      const get = async (path: string) => (await fetch(new URL(path, server.url))).json();
      expect(await get('/api/similar?word=martianz&k=5')).toEqual(JSON.parse(kotovec(['similar', model, 'martianz', '-k', '5', '--json']).stdout));
      const vector = await get('/api/vector?word=martianz');
      expect(vector.query.composed).toEqual(['martianz']);
      expect(vector.vector).toHaveLength(100);
      const phrase = await get('/api/vector?word=' + encodeURIComponent('the martianz'));
      expect(phrase.query).toEqual({ text: 'the martianz', tokens: ['the', 'martianz'], unknown: [], composed: ['martianz'] });
    } finally {
      await server.close();
    }
  });

  it('info shows the n-gram settings; out-of-range settings are one line each', () => {
    expect(JSON.parse(kotovec(['info', model, '--json']).stdout).hyperparameters.subwords).toEqual({ minn: 3, maxn: 6, bucket: 50000 });
    for (const [args, message] of [
      [['--minn', '0'], /--minn must be an integer from 1 to 100 \(got 0\)/],
      [['--minn', '5', '--maxn', '4'], /--maxn \(4\) must not be under --minn \(5\)/],
      [['--subwords', '--model', 'pv-dbow'], /subword vectors are trained by --model cbow or skipgram \(got pv-dbow\)/],
    ] as const) {
      const result = kotovec(['train', EN, '-o', join(dir, 'x.db'), ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
  });

  it('Japanese subword models default to skip-gram over one- and two-character n-grams', () => {
    const ja = join(dir, 'ja.db');
    const result = kotovec(['train', JA, '--tokenizer', 'ja', '--subwords', '--bucket', '20000', '--dim', '10', '--epochs', '1', '--threads', '1', '-o', ja, '--progress', 'none']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(kotovec(['info', ja, '--json']).stdout).hyperparameters).toMatchObject({ model: 'skipgram', alpha: 0.05, subwords: { minn: 1, maxn: 2, bucket: 20000 } });
  });
});
