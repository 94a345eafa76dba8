/**
 * Table-driven sigmoid, as word2vec C's `expTable` and gensim's EXP_TABLE: 1000 entries over [−6, 6].
 * Dot products outside the range are treated as saturated (gensim skips the update there).
 * A second pair of tables holds log σ(x) and log(1−σ(x)) for the running loss.
 */

/** Entries in the tables. */
export const SIGMOID_TABLE_SIZE = 1000;
/** Half-width of the range the tables cover. */
export const MAX_EXP = 6;
/** Multiply (x + MAX_EXP) by this to get the table index. */
export const SIGMOID_SCALE = SIGMOID_TABLE_SIZE / MAX_EXP / 2;

/** The three tables. */
export interface SigmoidTables {
  /** σ(x) */
  sigmoid: Float32Array;
  /** −log σ(x): loss of a positive example. */
  lossPositive: Float32Array;
  /** −log(1 − σ(x)): loss of a negative example. */
  lossNegative: Float32Array;
}

/** Builds the tables exactly as word2vec C does (entry i at x = (2i/size − 1)·MAX_EXP). */
export function buildSigmoidTables(): SigmoidTables {
  const sigmoid = new Float32Array(SIGMOID_TABLE_SIZE);
  const lossPositive = new Float32Array(SIGMOID_TABLE_SIZE);
  const lossNegative = new Float32Array(SIGMOID_TABLE_SIZE);
  for (let i = 0; i < SIGMOID_TABLE_SIZE; i++) {
    const e = Math.exp(((i / SIGMOID_TABLE_SIZE) * 2 - 1) * MAX_EXP);
    const s = e / (e + 1);
    sigmoid[i] = s;
    lossPositive[i] = -Math.log(s);
    lossNegative[i] = -Math.log(1 - s);
  }
  return { sigmoid, lossPositive, lossNegative };
}
