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
import { readFileSync, statSync } from 'node:fs';
import { ErrorCodes, KotovecError } from '../errors.js';
import type { KeyedVectors, TermPart } from './keyedVectors.js';

/**
 * Subword models: the vector of a word the vocabulary does not hold, from its n-grams (null when it has
 * none). Given, every question and pair is scored, and the in-vocabulary figures are reported beside.
 */
export type ComposeWord = (word: string) => Float32Array | null;

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
  /**
   * Subword models: every question scored, words outside the vocabulary composed from their n-grams (a
   * question whose answer is outside the vocabulary counts as wrong); `composed` of them had such a word.
   */
  all?: { accuracy: number; correct: number; total: number; composed: number };
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
  /** Subword models: pairs scored with a word composed from its n-grams (the figures above include them). */
  subwords?: number;
  /** Subword models: the figures over the pairs a whole-word model scores, for comparison. */
  inVocabulary?: { spearman: number; pearson: number; pairs: number; oov: number; coverage: number };
}

/** An evaluation file larger than this is not one (the largest sets in use are under a megabyte). */
const MAX_EVALUATION_BYTES = 64 << 20;

function readText(path: string): string {
  try {
    const size = statSync(path).size;
    if (size > MAX_EVALUATION_BYTES) {
      throw new KotovecError(ErrorCodes.BAD_FORMAT, `${path} holds ${(size / (1 << 20)).toFixed(0)} MB: too big to be word pairs or analogies (at most ${MAX_EVALUATION_BYTES >> 20} MB)`);
    }
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof KotovecError) throw error;
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
export function evaluateAnalogies(all: KeyedVectors, path: string, restrictVocab = 300000, compose?: ComposeWord): AnalogyResult {
  // Only the first rows take part: scan those alone (a 3M-word model is not normalised whole for 300k).
  const vectors = all.head(restrictVocab);
  const ok = caseInsensitiveIndex(vectors, restrictVocab);
  const rows = Math.min(restrictVocab, vectors.size);
  const dim = vectors.dim;
  const sections: AnalogySection[] = [];
  let current: AnalogySection | undefined;
  let skipped = 0;
  // A question is scored in the in-vocabulary figure (gensim's) and, with `compose`, in `all`.
  interface Question { section: AnalogySection | null; rows: number[]; words: Set<string>; expected: string; query: Float32Array }
  const pending: Question[] = [];
  const everything = { correct: 0, total: 0, composed: 0 };
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
      const right = predicted === question.expected;
      if (question.section) {
        question.section.total++;
        if (right) question.section.correct++;
      } else everything.composed++;
      everything.total++;
      if (right) everything.correct++;
    });
    pending.length = 0;
  };
  const unitOf = (part: TermPart) => vectors.termVectorOf([part]);
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
      if (!compose) return;
      const original = line.split(/\s+/);
      const parts = [ra ?? compose(original[0]!), rb ?? compose(original[1]!), rc ?? compose(original[2]!)];
      if (parts.some((p) => p === null)) {
        everything.total++;
        everything.composed++;
        return;
      }
      const [ua, ub, uc] = (parts as TermPart[]).map(unitOf) as [Float32Array, Float32Array, Float32Array];
      const query = new Float32Array(dim);
      for (let k = 0; k < dim; k++) query[k] = ub[k]! + uc[k]! - ua[k]!;
      pending.push({ section: null, rows: parts.filter((p): p is number => typeof p === 'number'), words: new Set([a, b, c]), expected, query });
      if (pending.length === 4) flush();
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
  const result: AnalogyResult = { accuracy: total > 0 ? correct / total : 0, correct, total, skipped, sections };
  if (compose) result.all = { accuracy: everything.total > 0 ? everything.correct / everything.total : 0, correct: everything.correct, total: everything.total, composed: everything.composed };
  return result;
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
export function evaluatePairs(vectors: KeyedVectors, path: string, restrictVocab = 300000, tokenize?: (text: string) => string[], compose?: ComposeWord): PairsResult {
  const ok = caseInsensitiveIndex(vectors, restrictVocab);
  const rowsOf = (word: string): number[] | undefined => {
    const row = ok.get(word.toUpperCase());
    if (row !== undefined) return [row];
    const tokens = tokenize?.(word) ?? [];
    const rows = tokens.map((t) => ok.get(t.toUpperCase()));
    return rows.length > 0 && rows.every((r) => r !== undefined) ? (rows as number[]) : undefined;
  };
  // With subwords: each token the vocabulary does not hold composed from its n-grams.
  const partsOf = (word: string): TermPart[] | undefined => {
    const rows = rowsOf(word);
    if (rows || !compose) return rows;
    const tokens = tokenize ? tokenize(word) : [word];
    const parts = tokens.map((t) => ok.get(t.toUpperCase()) ?? compose(t));
    return parts.length > 0 && parts.every((p) => p !== null) ? (parts as TermPart[]) : undefined;
  };
  const unitOf = (parts: TermPart[]) => vectors.termVectorOf(parts);
  const scored = { gold: [] as number[], model: [] as number[], oov: 0 };
  const inVocabulary = { gold: [] as number[], model: [] as number[], oov: 0 };
  let composed = 0;
  let subwords = 0;
  for (const { a, b, score } of readPairs(path)) {
    const ra = rowsOf(a);
    const rb = rowsOf(b);
    const pa = partsOf(a);
    const pb = partsOf(b);
    if (pa === undefined || pb === undefined) scored.oov++;
    if (ra === undefined || rb === undefined) inVocabulary.oov++;
    if (pa === undefined || pb === undefined) continue;
    const ua = unitOf(pa);
    const ub = unitOf(pb);
    let dot = 0;
    for (let k = 0; k < vectors.dim; k++) dot += ua[k]! * ub[k]!;
    scored.gold.push(score);
    scored.model.push(dot);
    if (ra === undefined || rb === undefined) {
      subwords++;
      continue;
    }
    if (ra.length > 1 || rb.length > 1) composed++;
    inVocabulary.gold.push(score);
    inVocabulary.model.push(dot);
  }
  if (scored.gold.length < 3) throw new KotovecError(ErrorCodes.BAD_FORMAT, `${path}: fewer than 3 pairs with both words in the model (${scored.oov} skipped)`);
  const figures = (set: typeof scored) => ({
    spearman: spearman(set.gold, set.model),
    pearson: pearson(set.gold, set.model),
    pairs: set.gold.length,
    oov: set.oov,
    coverage: set.gold.length / (set.gold.length + set.oov),
  });
  if (!compose) return { ...figures(scored), composed };
  return { ...figures(scored), composed, subwords, inVocabulary: figures(inVocabulary) };
}
