/**
 * Intrinsic evaluation, scored exactly as gensim's `KeyedVectors.evaluate_word_analogies` and
 * `evaluate_word_pairs` do, so numbers can be compared across tools:
 * - analogies (Mikolov et al. 2013, questions-words.txt): 3CosAdd over the `restrictVocab` most frequent
 *   words, case-insensitive, the question words excluded; questions with a word outside that vocabulary
 *   are skipped and counted;
 * - word pairs (WordSim-353, TMU Japanese CSVs): Spearman and Pearson correlation between the gold
 *   scores and cosine similarities, pairs with an unknown word skipped and counted; a word the model
 *   does not hold may be read with the model's tokenizer as a phrase (the mean of its tokens).
 */
import { readFileSync } from 'node:fs';
import { ErrorCodes, KotovecError } from '../errors.js';
import type { KeyedVectors } from './keyedVectors.js';

/** Results of one analogy section. */
export interface AnalogySection {
  section: string;
  correct: number;
  total: number;
  accuracy: number;
}

/** Results of an analogy evaluation. */
export interface AnalogyResult {
  accuracy: number;
  correct: number;
  total: number;
  /** Questions skipped because a word is outside the restricted vocabulary. */
  skipped: number;
  sections: AnalogySection[];
}

/** Results of a word-pair evaluation. */
export interface PairsResult {
  spearman: number;
  pearson: number;
  /** Pairs scored. */
  pairs: number;
  /** Pairs skipped because a word is unknown. */
  oov: number;
  /** Share of the file's pairs scored. */
  coverage: number;
  /** Pairs scored with at least one word read as a phrase of several tokens. */
  composed: number;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new KotovecError(ErrorCodes.INPUT_UNREADABLE, `${path} is a folder, not an evaluation file`);
    throw new KotovecError(code === 'ENOENT' ? ErrorCodes.INPUT_NOT_FOUND : ErrorCodes.INPUT_UNREADABLE, `cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Upper-cased word → row, the most frequent spelling winning (gensim's `ok_vocab`). */
function caseInsensitiveIndex(vectors: KeyedVectors, restrict: number): Map<string, number> {
  const map = new Map<string, number>();
  for (let row = Math.min(restrict, vectors.size) - 1; row >= 0; row--) map.set(vectors.keys[row]!.toUpperCase(), row);
  return map;
}

/**
 * Scores analogies in the questions-words.txt format.
 * @param restrictVocab only the first (most frequent) rows take part (default 300000)
 * @throws KotovecError BAD_FORMAT for a question before any `: section` line
 */
export function evaluateAnalogies(all: KeyedVectors, path: string, restrictVocab = 300000): AnalogyResult {
  // Only the first rows take part: scan those alone (a 3M-word model is not normalised whole for 300k).
  const vectors = all.head(restrictVocab);
  const ok = caseInsensitiveIndex(vectors, restrictVocab);
  const rows = Math.min(restrictVocab, vectors.size);
  const dim = vectors.dim;
  const sections: AnalogySection[] = [];
  let current: AnalogySection | undefined;
  let skipped = 0;
  interface Question { section: AnalogySection; rows: [number, number, number]; words: Set<string>; expected: string; query: Float32Array }
  const pending: Question[] = [];
  // Questions are scored four at a time: one pass over the matrix serves all four.
  const flush = () => {
    const scores = vectors.cosinesBatch(pending.map((q) => q.query), rows);
    pending.forEach((question, i) => {
      const best = vectors.topK(scores[i]!, 5, new Set(question.rows));
      let predicted: string | undefined;
      for (const candidate of best) {
        predicted = candidate.key.toUpperCase();
        if (ok.has(predicted) && !question.words.has(predicted)) break;
      }
      question.section.total++;
      if (predicted === question.expected) question.section.correct++;
    });
    pending.length = 0;
  };
  const lines = readText(path).split('\n');
  lines.forEach((raw, lineNumber) => {
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith(':')) {
      current = { section: line.replace(/^:\s*/, ''), correct: 0, total: 0, accuracy: 0 };
      sections.push(current);
      return;
    }
    if (!current) throw new KotovecError(ErrorCodes.BAD_FORMAT, `${path}: line ${lineNumber + 1} comes before any ": section" line`);
    const words = line.split(/\s+/).map((w) => w.toUpperCase());
    if (words.length !== 4) return; // gensim skips invalid lines
    const [a, b, c, expected] = words as [string, string, string, string];
    const ra = ok.get(a);
    const rb = ok.get(b);
    const rc = ok.get(c);
    if (ra === undefined || rb === undefined || rc === undefined || !ok.has(expected)) {
      skipped++;
      return;
    }
    const ua = vectors.unitRow(ra);
    const ub = vectors.unitRow(rb);
    const uc = vectors.unitRow(rc);
    const query = new Float32Array(dim);
    for (let k = 0; k < dim; k++) query[k] = ub[k]! + uc[k]! - ua[k]!;
    pending.push({ section: current, rows: [ra, rb, rc], words: new Set([a, b, c]), expected, query });
    if (pending.length === 4) flush();
  });
  if (pending.length > 0) flush();
  let correct = 0;
  let total = 0;
  for (const section of sections) {
    section.accuracy = section.total > 0 ? section.correct / section.total : 0;
    correct += section.correct;
    total += section.total;
  }
  return { accuracy: total > 0 ? correct / total : 0, correct, total, skipped, sections };
}

/** Average ranks (1-based), ties sharing their mean rank, as scipy's rankdata. */
export function rank(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const mean = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = mean;
    i = j + 1;
  }
  return ranks;
}

/** Pearson correlation coefficient. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/** Spearman rank correlation (Pearson of average ranks). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  return pearson(rank(x), rank(y));
}

/** Parses a pairs file: `w1<TAB>w2<TAB>score` with `#` comments, or a CSV with a header naming word1, word2 and a score column. */
export function readPairs(path: string): { a: string; b: string; score: number }[] {
  const lines = readText(path).replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
  const pairs: { a: string; b: string; score: number }[] = [];
  if (!first.includes('\t') && first.includes(',')) {
    const header = first.split(',').map((h) => h.trim());
    const wa = header.indexOf('word1');
    const wb = header.indexOf('word2');
    let score = header.lastIndexOf('mean');
    if (score < 0) score = 2;
    if (wa < 0 || wb < 0) throw new KotovecError(ErrorCodes.BAD_FORMAT, `${path}: a CSV pairs file needs a header with word1, word2 and a score column (mean)`);
    for (const line of lines.slice(lines.indexOf(first) + 1)) {
      const cells = line.split(',');
      const value = Number(cells[score]);
      if (cells.length > Math.max(wa, wb, score) && Number.isFinite(value)) pairs.push({ a: cells[wa]!.trim(), b: cells[wb]!.trim(), score: value });
    }
    return pairs;
  }
  for (const line of lines) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const cells = line.split('\t');
    const value = Number(cells[2]);
    if (cells.length === 3 && cells[2]!.trim() !== '' && Number.isFinite(value)) pairs.push({ a: cells[0]!, b: cells[1]!, score: value });
  }
  return pairs;
}

/**
 * Scores word pairs by the correlation of cosine similarities with the gold scores. A word the model
 * does not hold is read with `tokenize` (the model's tokenizer), when given: if every token is known, the
 * word counts as the mean of its tokens' unit vectors (so 消滅した is scored as 消滅 + し + た).
 * @param tokenize the model's tokenizer, to read words the vocabulary does not hold
 * @throws KotovecError BAD_FORMAT when no pair can be scored
 */
export function evaluatePairs(vectors: KeyedVectors, path: string, restrictVocab = 300000, tokenize?: (text: string) => string[]): PairsResult {
  const ok = caseInsensitiveIndex(vectors, restrictVocab);
  const rowsOf = (word: string): number[] | undefined => {
    const row = ok.get(word.toUpperCase());
    if (row !== undefined) return [row];
    const tokens = tokenize?.(word) ?? [];
    const rows = tokens.map((t) => ok.get(t.toUpperCase()));
    return rows.length > 0 && rows.every((r) => r !== undefined) ? (rows as number[]) : undefined;
  };
  const gold: number[] = [];
  const model: number[] = [];
  let oov = 0;
  let composed = 0;
  for (const { a, b, score } of readPairs(path)) {
    const ra = rowsOf(a);
    const rb = rowsOf(b);
    if (ra === undefined || rb === undefined) {
      oov++;
      continue;
    }
    if (ra.length > 1 || rb.length > 1) composed++;
    const ua = vectors.termVector(ra);
    const ub = vectors.termVector(rb);
    let dot = 0;
    for (let k = 0; k < vectors.dim; k++) dot += ua[k]! * ub[k]!;
    gold.push(score);
    model.push(dot);
  }
  if (gold.length < 3) throw new KotovecError(ErrorCodes.BAD_FORMAT, `${path}: fewer than 3 pairs with both words in the model (${oov} skipped)`);
  return { spearman: spearman(gold, model), pearson: pearson(gold, model), pairs: gold.length, oov, coverage: gold.length / (gold.length + oov), composed };
}
