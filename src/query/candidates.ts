/**
 * Nearest rows through a scan index: candidates by int8 scores, then the exact answer computed on the
 * candidates alone, with the same arithmetic as a scan of every row. Used by the model read from its
 * file (storedModel.ts) and by big loaded matrices (keyedVectors.ts).
 */
import type { ScanCandidates } from './indexScan.js';

/** One result of a similarity query. */
export interface Neighbour {
  key: string;
  similarity: number;
}

/** Rows of a matrix taken apart, answering as the whole matrix would for those rows. */
export interface RowSubset {
  queryOf(positive: readonly (readonly number[])[], negative: readonly (readonly number[])[]): { vector: Float32Array };
  mostSimilarTerms(positive: readonly (readonly number[])[], negative: readonly (readonly number[])[], k: number): Neighbour[];
  /** Cosines of a query vector with every row of the subset. */
  cosines(query: ArrayLike<number>): Float32Array;
  /** The `k` best rows by score, skipping `exclude` (rows of the subset). */
  topK(scores: ArrayLike<number>, k: number, exclude: ReadonlySet<number>): Neighbour[];
}

/** A matrix with a scan index. */
export interface CandidateSource {
  /** Number of rows. */
  rows: number;
  dim: number;
  /** The rows given (ascending) as their own small matrix. */
  subset(rows: readonly number[]): RowSubset;
  /** The `count` best rows for a unit query by the index's scores. */
  scan(unitQuery: ArrayLike<number>, count: number): ScanCandidates;
}

/** Candidates taken at least, and per result asked for. */
const MIN_CANDIDATES = 256;
const CANDIDATES_PER_RESULT = 16;
/** How much the candidate count grows when the bound is not met. */
const GROWTH = 8;

/** A query vector scaled to unit length (zero stays zero), as every cosine scan normalises it. */
export function unitVector(query: ArrayLike<number>, dim: number): Float32Array {
  let norm = 0;
  for (let k = 0; k < dim; k++) norm += query[k]! * query[k]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return Float32Array.from({ length: dim }, (_, k) => query[k]! * scale);
}

/**
 * The `k` rows nearest to the positive terms minus the negative ones (terms are lists of rows, as
 * `KeyedVectors.mostSimilarTerms` takes them), or null when only a scan of every row can say: the
 * candidates are scored exactly, and every row left out must score below the k-th even at the index's
 * largest error; if not, more candidates are taken, up to a point.
 */
export function nearestByIndex(source: CandidateSource, positive: readonly (readonly number[])[], negative: readonly (readonly number[])[], k: number): Neighbour[] | null {
  const queryRows = [...new Set([...positive, ...negative].flat())].sort((a, b) => a - b);
  const relabel = (rows: readonly number[]) => {
    const place = new Map(rows.map((row, i) => [row, i]));
    return (terms: readonly (readonly number[])[]) => terms.map((term) => term.map((row) => place.get(row)!));
  };
  const own = relabel(queryRows);
  const { vector } = source.subset(queryRows).queryOf(own(positive), own(negative));
  const unit = unitVector(vector, source.dim);
  for (let count = Math.max(MIN_CANDIDATES, CANDIDATES_PER_RESULT * k); count < source.rows; count *= GROWTH) {
    const candidates = source.scan(unit, count + queryRows.length);
    const rows = [...new Set([...candidates.rows, ...queryRows])].sort((a, b) => a - b);
    const local = relabel(rows);
    const answer = source.subset(rows).mostSimilarTerms(local(positive), local(negative), k);
    // Every row left out scores at most bestLeftOut + errorBound exactly: below the k-th, it cannot be in.
    const kth = answer.length === k ? answer[k - 1]!.similarity : -Infinity;
    if (candidates.bestLeftOut === -Infinity || candidates.bestLeftOut + candidates.errorBound < kth) return answer;
  }
  return null;
}

/**
 * The `k` rows nearest to a query vector, the rows in `exclude` left out (a query whose terms are not all
 * rows of the matrix: words composed from subwords), or null when only a scan of every row can say. As
 * {@link nearestByIndex}: the candidates are scored exactly, with the arithmetic of a scan of every row.
 */
export function nearestToVectorByIndex(source: CandidateSource, vector: ArrayLike<number>, exclude: readonly number[], k: number): Neighbour[] | null {
  const unit = unitVector(vector, source.dim);
  const excluded = new Set(exclude);
  for (let count = Math.max(MIN_CANDIDATES, CANDIDATES_PER_RESULT * k); count < source.rows; count *= GROWTH) {
    const candidates = source.scan(unit, count + excluded.size);
    const rows = [...new Set(candidates.rows)].sort((a, b) => a - b);
    const subset = source.subset(rows);
    const local = new Set<number>();
    rows.forEach((row, i) => excluded.has(row) && local.add(i));
    const answer = subset.topK(subset.cosines(vector), k, local);
    const kth = answer.length === k ? answer[k - 1]!.similarity : -Infinity;
    if (candidates.bestLeftOut === -Infinity || candidates.bestLeftOut + candidates.errorBound < kth) return answer;
  }
  return null;
}
