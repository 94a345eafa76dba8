/**
 * Sampling tables derived from word counts:
 * - the noise distribution for negative sampling, unigram^0.75 (Mikolov et al. 2013), as an alias table
 *   (Walker 1977) so a draw costs O(1) with no 100M-entry table to miss the cache on;
 * - frequent-word subsampling, keeping a word with probability (√(c/(s·T)) + 1)·(s·T)/c as word2vec C
 *   and gensim do, stored as 32-bit thresholds to compare with a random 32-bit integer.
 */

/** Alias table over word ids: draw a uniform id i, keep it if a uniform u32 < threshold[i], else alias[i]. */
export interface NoiseTable {
  /** Acceptance thresholds scaled to 2^32 − 1 (entries that always accept have alias[i] = i). */
  threshold: Uint32Array;
  alias: Int32Array;
}

const U32_MAX = 0xffffffff;

/**
 * Builds the alias table of P(w) ∝ count(w)^exponent.
 * @param counts word counts by id
 * @param exponent the power applied to counts (0.75 by default in word2vec)
 */
export function buildNoiseTable(counts: ArrayLike<number>, exponent = 0.75): NoiseTable {
  const n = counts.length;
  const scaled = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += Math.pow(counts[i]!, exponent);
  for (let i = 0; i < n; i++) scaled[i] = (Math.pow(counts[i]!, exponent) / total) * n;
  const alias = new Int32Array(n);
  const threshold = new Uint32Array(n);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i++) (scaled[i]! < 1 ? small : large).push(i);
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large[large.length - 1]!;
    threshold[s] = Math.min(U32_MAX, Math.floor(scaled[s]! * 4294967296));
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    if (scaled[l]! < 1) {
      large.pop();
      small.push(l);
    }
  }
  for (const i of [...large, ...small]) {
    threshold[i] = U32_MAX;
    alias[i] = i;
  }
  return { threshold, alias };
}

/** Exact probability of drawing each id from a {@link NoiseTable} (for tests and checks). */
export function noiseTableProbabilities(table: NoiseTable): Float64Array {
  const n = table.alias.length;
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const keep = table.alias[i] === i ? 1 : table.threshold[i]! / 4294967296;
    p[i] += keep / n;
    p[table.alias[i]!] += (1 - keep) / n;
  }
  return p;
}

/**
 * Probability of keeping each word under subsampling.
 * @param counts word counts by id
 * @param sample the subsampling rate s (0 disables subsampling)
 * @returns keep probabilities in [0, 1]
 */
export function keepProbabilities(counts: ArrayLike<number>, sample: number): Float64Array {
  const n = counts.length;
  const keep = new Float64Array(n).fill(1);
  if (sample <= 0) return keep;
  let total = 0;
  for (let i = 0; i < n; i++) total += counts[i]!;
  const thresholdCount = sample * total;
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    keep[i] = Math.min(1, (Math.sqrt(c / thresholdCount) + 1) * (thresholdCount / c));
  }
  return keep;
}

/**
 * Keep probabilities as thresholds on a uniform random u32: keep when `u32 ≤ threshold`; 0xFFFFFFFF
 * means always keep.
 */
export function keepThresholds(keep: Float64Array): Uint32Array {
  const out = new Uint32Array(keep.length);
  for (let i = 0; i < keep.length; i++) out[i] = keep[i]! >= 1 ? U32_MAX : Math.min(U32_MAX - 1, Math.floor(keep[i]! * 4294967296));
  return out;
}
