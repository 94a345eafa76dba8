/**
 * Queryable vectors, apart from full model state (gensim's `KeyedVectors`): keys, their vectors and a
 * unit-normalised copy built once, scanned with a bounded top-k for similarity queries.
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import { scannable } from '../store/scanIndex.js';
import { nearestByIndex, nearestToVectorByIndex, unitVector, type CandidateSource, type Neighbour } from './candidates.js';
import { CodeMatrix } from './indexScan.js';
import { RowScorer } from './scorer.js';

export { unitVector, type Neighbour };

/**
 * Rows from which a matrix answers nearest-row queries through an int8 scan copy (indexScan.ts's
 * `CodeMatrix`) and exact scores on the candidates, instead of a unit-normalised float32 copy of every
 * row: a quarter of the memory, and a scan that reads a quarter of the bytes.
 */
export const INDEXED_ROWS = 100_000;

/**
 * A row scaled to unit length with the arithmetic of `normalizeRows` in assembly/scans.ts (float32 sums
 * in four lanes, added as float64; float32 scale and products), so that it equals the row of the
 * normalised copy bit for bit.
 */
export function unitRowOf(values: ArrayLike<number>, dim: number): Float32Array {
  const lanes = [0, 0, 0, 0];
  for (let k = 0; k < dim; k++) lanes[k & 3] = Math.fround(lanes[k & 3]! + Math.fround(values[k]! * values[k]!));
  const norm = lanes[0]! + lanes[1]! + lanes[2]! + lanes[3]!;
  const scale = norm > 0 ? Math.fround(1 / Math.sqrt(norm)) : 0;
  const out = new Float32Array(dim);
  for (let k = 0; k < dim; k++) out[k] = values[k]! * scale;
  return out;
}

/**
 * A term's part: a row of the matrix, or a vector of its own (a word composed from its subwords, which
 * the matrix does not hold).
 */
export type TermPart = number | ArrayLike<number>;

/**
 * The direction of several unit vectors: their mean, normalised (a phrase). One vector is its own.
 */
function meanDirection(units: readonly ArrayLike<number>[], dim: number): Float32Array {
  if (units.length === 1) return Float32Array.from({ length: dim }, (_, d) => units[0]![d]!);
  const mean = new Float32Array(dim);
  for (const unit of units) for (let d = 0; d < dim; d++) mean[d] += unit[d]!;
  let norm = 0;
  for (let d = 0; d < dim; d++) norm += mean[d]! * mean[d]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let d = 0; d < dim; d++) mean[d]! *= scale;
  return mean;
}

/** Lookups answered by a linear scan before the key index is built (one query needs one or two). */
const SCANS_BEFORE_INDEX = 8;

/** Keys and vectors with cosine queries. */
export class KeyedVectors {
  private index: Map<string, number> | undefined;
  private scans = 0;
  private scorer: RowScorer | undefined;
  private codes: CodeMatrix | undefined;

  /**
   * @param keys keys by row
   * @param vectors row-major vectors
   * @param dim vector dimension
   * @param what what a key is, for messages ("word", "document")
   */
  constructor(
    readonly keys: readonly string[],
    readonly vectors: Float32Array,
    readonly dim: number,
    private readonly what = 'word',
    private readonly indexFromRows = INDEXED_ROWS,
  ) {}

  /** True when nearest-row queries go through the int8 scan copy (see {@link INDEXED_ROWS}). */
  get indexed(): boolean {
    return this.size >= this.indexFromRows && scannable(this.dim);
  }

  /**
   * Row of `key` or undefined. The first few lookups scan the key list (a cold one-word query then
   * never pays for a 100k-entry map); after that a map is built.
   */
  private lookup(key: string): number | undefined {
    if (this.index) return this.index.get(key);
    if (this.scans++ < SCANS_BEFORE_INDEX) {
      const row = this.keys.indexOf(key);
      return row >= 0 ? row : undefined;
    }
    this.index = new Map();
    for (let i = 0; i < this.keys.length; i++) if (!this.index.has(this.keys[i]!)) this.index.set(this.keys[i]!, i);
    return this.index.get(key);
  }

  /** Number of keys. */
  get size(): number {
    return this.keys.length;
  }

  /** Row of `key`, or −1. */
  indexOf(key: string): number {
    return this.lookup(key) ?? -1;
  }

  /** True when `key` has a vector. */
  has(key: string): boolean {
    return this.lookup(key) !== undefined;
  }

  /**
   * Row of `key`.
   * @throws KotovecError UNKNOWN_WORD / UNKNOWN_DOC naming the key
   */
  require(key: string): number {
    const row = this.lookup(key);
    if (row === undefined) {
      const code = this.what === 'word' ? ErrorCodes.UNKNOWN_WORD : ErrorCodes.UNKNOWN_DOC;
      throw new KotovecError(code, `${this.what} not in the model: ${JSON.stringify(key)}`);
    }
    return row;
  }

  /** A copy of the raw vector of `key`. */
  vector(key: string): Float32Array {
    const row = this.require(key);
    return this.vectors.slice(row * this.dim, (row + 1) * this.dim);
  }

  /** The unit-normalised rows in WebAssembly memory (built once; zero vectors stay zero). */
  private unitRows(): RowScorer {
    this.scorer ??= new RowScorer(this.size, this.dim, this.vectors);
    return this.scorer;
  }

  /** Unit vector of row `row` (a view of the normalised copy once there is one, else a new array). */
  unitRow(row: number): Float32Array {
    if (!this.scorer && this.indexed) return unitRowOf(this.vectors.subarray(row * this.dim, (row + 1) * this.dim), this.dim);
    const scorer = this.unitRows();
    return scorer.matrix().subarray(row * scorer.stride, row * scorer.stride + this.dim);
  }

  /** Builds now what nearest-row queries scan (the int8 copy, or the unit-normalised one) instead of on the first query. */
  prepareScans(): void {
    if (this.indexed) this.codes ??= new CodeMatrix(this.size, this.dim, this.vectors);
    else this.unitRows();
  }

  /** The first `rows` rows as their own matrix (the same vectors, not a copy); this one when it has no more. */
  head(rows: number): KeyedVectors {
    if (rows >= this.size) return this;
    return new KeyedVectors(this.keys.slice(0, rows), this.vectors.subarray(0, rows * this.dim), this.dim, this.what, this.indexFromRows);
  }

  /** The rows given (ascending) as their own small matrix, answering as this one would for them. */
  subset(rows: readonly number[]): KeyedVectors {
    const vectors = new Float32Array(rows.length * this.dim);
    rows.forEach((row, i) => vectors.set(this.vectors.subarray(row * this.dim, (row + 1) * this.dim), i * this.dim));
    return new KeyedVectors(rows.map((row) => this.keys[row]!), vectors, this.dim, this.what, Infinity);
  }

  private candidateSource(): CandidateSource {
    return {
      rows: this.size,
      dim: this.dim,
      subset: (rows) => this.subset(rows),
      scan: (unit, count) => {
        this.codes ??= new CodeMatrix(this.size, this.dim, this.vectors);
        return this.codes.scan(unit, count);
      },
    };
  }

  /**
   * Cosine similarities of up to four query vectors with the first `limitRows` rows (queries are
   * normalised here). The arrays are views, valid until the next call.
   */
  cosinesBatch(queries: readonly ArrayLike<number>[], limitRows = this.size): Float32Array[] {
    return this.unitRows().score(queries.map((query) => unitVector(query, this.dim)), limitRows);
  }

  /**
   * Cosine similarities of a query vector with every row (the query is normalised here).
   * @returns one similarity per row (a copy)
   */
  cosines(query: ArrayLike<number>, limitRows = this.size): Float32Array {
    return this.cosinesBatch([query], limitRows)[0]!.slice();
  }

  /**
   * The `k` best rows by score, best first, skipping `exclude`.
   * @param scores one score per row
   */
  topK(scores: ArrayLike<number>, k: number, exclude: ReadonlySet<number> = new Set()): Neighbour[] {
    // A bounded sorted buffer: k is small, rows are many.
    const best: { row: number; score: number }[] = [];
    for (let row = 0; row < scores.length; row++) {
      const score = scores[row]!;
      if (best.length === k && score <= best[k - 1]!.score) continue;
      if (exclude.has(row) || Number.isNaN(score)) continue;
      let at = best.length < k ? best.length : k - 1;
      if (best.length < k) best.push({ row, score });
      while (at > 0 && best[at - 1]!.score < score) {
        best[at] = best[at - 1]!;
        at--;
      }
      best[at] = { row, score };
    }
    return best.map(({ row, score }) => ({ key: this.keys[row]!, similarity: score }));
  }

  /**
   * The unit vector of a term: the row's unit vector for one row, else the normalised mean of the rows'
   * unit vectors (a phrase).
   */
  termVector(rows: readonly number[]): Float32Array {
    if (rows.length === 1) return this.unitRow(rows[0]!);
    return meanDirection(rows.map((row) => this.unitRow(row)), this.dim);
  }

  /**
   * The unit vector of a term whose parts are rows or vectors of their own (words composed from
   * subwords): as {@link termVector}, each vector normalised as a query is.
   */
  termVectorOf(parts: readonly TermPart[]): Float32Array {
    if (parts.every((part) => typeof part === 'number')) return this.termVector(parts as number[]);
    return meanDirection(parts.map((part) => (typeof part === 'number' ? this.unitRow(part) : unitVector(part, this.dim))), this.dim);
  }

  /**
   * The `k` rows nearest to a query vector, `exclude` left out: through the scan copy on a big matrix,
   * with the same answer as a scan of every row.
   */
  nearestTo(vector: ArrayLike<number>, exclude: readonly number[], k = 10): Neighbour[] {
    if (this.indexed) {
      const found = nearestToVectorByIndex(this.candidateSource(), vector, exclude, k);
      if (found) return found;
    }
    return this.topK(this.cosines(vector), k, new Set(exclude));
  }

  /**
   * Keys nearest to the mean of the unit vectors of `positive` minus those of `negative` (gensim
   * `most_similar`), the query keys excluded.
   * @throws KotovecError for an unknown key or an empty query
   */
  mostSimilar(positive: readonly string[], negative: readonly string[] = [], k = 10, restrictRows = this.size): Neighbour[] {
    const rows = (keys: readonly string[]) => keys.map((key) => [this.require(key)]);
    return this.mostSimilarTerms(rows(positive), rows(negative), k, restrictRows);
  }

  /**
   * As {@link mostSimilar}, for terms given as rows: each term (one row, or the rows of a phrase) counts
   * as its {@link termVector}; every row of the query is excluded from the answer.
   * @throws KotovecError EMPTY_QUERY for no term
   */
  mostSimilarTerms(positive: readonly (readonly number[])[], negative: readonly (readonly number[])[] = [], k = 10, restrictRows = this.size): Neighbour[] {
    if (this.indexed && restrictRows >= this.size) {
      const found = nearestByIndex(this.candidateSource(), positive, negative, k);
      if (found) return found;
    }
    const { vector, exclude } = this.queryOf(positive, negative);
    return this.topK(this.cosines(vector, restrictRows), k, exclude);
  }

  /**
   * The query of {@link mostSimilarTerms}: the sum of the positive terms' unit vectors minus the
   * negative ones' (not normalised), and the rows it is made of. A term's parts may be vectors of their
   * own (words composed from subwords; see {@link termVectorOf}).
   * @throws KotovecError EMPTY_QUERY for no term
   */
  queryOf(positive: readonly (readonly TermPart[])[], negative: readonly (readonly TermPart[])[] = []): { vector: Float32Array; exclude: Set<number> } {
    if (positive.length + negative.length === 0) throw new KotovecError(ErrorCodes.EMPTY_QUERY, `empty query: give at least one ${this.what}`);
    const dim = this.dim;
    const vector = new Float32Array(dim);
    const exclude = new Set<number>();
    for (const [terms, sign] of [[positive, 1], [negative, -1]] as const) {
      for (const parts of terms) {
        for (const part of parts) if (typeof part === 'number') exclude.add(part);
        const unit = this.termVectorOf(parts);
        for (let d = 0; d < dim; d++) vector[d] += sign * unit[d]!;
      }
    }
    return { vector, exclude };
  }

  /**
   * 3CosMul (Levy & Goldberg 2014), as gensim's `most_similar_cosmul`: rank x by
   * Π(1+cos(x, p))/2 / (Π(1+cos(x, n))/2 + 1e−6); terms as in {@link mostSimilarTerms}.
   */
  mostSimilarCosmulTerms(positive: readonly (readonly TermPart[])[], negative: readonly (readonly TermPart[])[] = [], k = 10): Neighbour[] {
    if (positive.length + negative.length === 0) throw new KotovecError(ErrorCodes.EMPTY_QUERY, `empty query: give at least one ${this.what}`);
    const exclude = new Set<number>();
    const cosinesOf = (parts: readonly TermPart[]) => {
      for (const part of parts) if (typeof part === 'number') exclude.add(part);
      return this.cosines(this.termVectorOf(parts));
    };
    const pos = positive.map(cosinesOf);
    const neg = negative.map(cosinesOf);
    const scores = new Float32Array(this.size);
    for (let row = 0; row < this.size; row++) {
      let numerator = 1;
      for (const c of pos) numerator *= (1 + c[row]!) / 2;
      let denominator = 1;
      for (const c of neg) denominator *= (1 + c[row]!) / 2;
      scores[row] = numerator / (denominator + 1e-6);
    }
    return this.topK(scores, k, exclude);
  }

  /** Cosine similarity of two keys. */
  similarity(a: string, b: string): number {
    const ua = this.unitRow(this.require(a));
    const ub = this.unitRow(this.require(b));
    let dot = 0;
    for (let k = 0; k < this.dim; k++) dot += ua[k]! * ub[k]!;
    return dot;
  }
}
