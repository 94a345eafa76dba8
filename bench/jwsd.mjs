// Scores models on the TMU Japanese word-similarity sets (noun, verb) the way `kotovec evaluate --pairs`
// does: a word the model does not hold is read as a phrase (the tokens its tokenizer makes of it) and
// counts as the mean of its tokens' unit vectors when every token is known. Reports, per model and set,
// Spearman on every pair it covers, its coverage, and Spearman on the pairs every model covers.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, shared } from './common.mjs';

const { openModel } = await import(join(root, 'dist', 'query', 'model.js'));
const { readPairs, spearman } = await import(join(root, 'dist', 'query', 'evaluate.js'));

export const JWSD = join(shared, 'data', 'eval', 'ja', 'JapaneseWordSimilarityDataset');

/**
 * MeCab's tokens of every word of the noun and verb sets, for a model trained on MeCab's output.
 * @param mecabArgs MeCab's dictionary arguments (`-d DIR`)
 * @returns word → tokens
 */
export function mecabTokensOfJwsd(mecabArgs) {
  const words = new Set();
  for (const set of ['noun', 'verb']) {
    for (const line of readFileSync(join(JWSD, `score_${set}.csv`), 'utf8').split('\n').slice(1)) {
      const [a, b] = line.split(',');
      if (a && b) words.add(a.trim()).add(b.trim());
    }
  }
  const list = [...words];
  const tokens = execFileSync('mecab', [...mecabArgs, '-Owakati'], { input: list.join('\n') + '\n' }).toString('utf8').split('\n');
  const tokensOf = new Map(list.map((w, i) => [w, (tokens[i] ?? '').trim().split(/\s+/).filter(Boolean)]));
  return (word) => tokensOf.get(word) ?? [];
}

/**
 * @param models [{ name, path, tokenize?: (word) => string[] }]; without tokenize, the model's own tokenizer
 * @returns { [set]: { [name]: { spearman, pairs, coverage, composed, common } , commonPairs } }
 */
export async function scoreJwsd(models) {
  const result = {};
  for (const set of ['noun', 'verb']) {
    const pairs = readPairs(join(JWSD, `score_${set}.csv`));
    const perModel = [];
    for (const m of models) {
      const model = openModel(m.path);
      const tokenizer = m.tokenize ? null : await model.tokenizer();
      const tokenize = m.tokenize ?? ((w) => tokenizer.tokenize(w));
      const words = model.words;
      const rowsOf = (w) => {
        const row = words.indexOf(w);
        if (row >= 0) return [row];
        const rows = tokenize(w).map((t) => words.indexOf(t));
        return rows.length > 0 && rows.every((r) => r >= 0) ? rows : null;
      };
      const sims = pairs.map(({ a, b }) => {
        const ra = rowsOf(a);
        const rb = rowsOf(b);
        if (!ra || !rb) return null;
        const ua = words.termVector(ra);
        const ub = words.termVector(rb);
        let dot = 0;
        for (let k = 0; k < words.dim; k++) dot += ua[k] * ub[k];
        return { sim: dot, composed: ra.length > 1 || rb.length > 1 };
      });
      perModel.push({ name: m.name, sims });
    }
    const common = pairs.map((_, i) => perModel.every((m) => m.sims[i] !== null));
    const commonPairs = common.filter(Boolean).length;
    result[set] = { commonPairs, total: pairs.length };
    for (const { name, sims } of perModel) {
      const covered = sims.map((s, i) => [s, i]).filter(([s]) => s !== null);
      const gold = covered.map(([, i]) => pairs[i].score);
      const pred = covered.map(([s]) => s.sim);
      const commonGold = pairs.filter((_, i) => common[i]).map((p) => p.score);
      const commonPred = sims.filter((_, i) => common[i]).map((s) => s.sim);
      result[set][name] = {
        spearman: +spearman(gold, pred).toFixed(4),
        pairs: covered.length,
        coverage: +(covered.length / pairs.length).toFixed(4),
        composed: covered.filter(([s]) => s.composed).length,
        commonSpearman: commonPairs > 2 ? +spearman(commonGold, commonPred).toFixed(4) : null,
      };
    }
  }
  return result;
}
