/**
 * Two-dimensional maps of a set of vectors, for the explorer page: PCA (the plane of the two directions
 * of greatest variance, found by power iteration with deflation) and t-SNE (van der Maaten & Hinton
 * 2008: exact gradients, perplexity-calibrated affinities, early exaggeration, momentum and gains — the
 * recipe of the reference implementation), seeded so that a map is the same every time it is asked for.
 * Rows are taken as given; callers pass unit vectors to map cosine geometry.
 */
import { Random } from '../kernel/random.js';

/** Ways to map vectors to a plane. */
export type ProjectionMethod = 'pca' | 'tsne';

/** The largest set t-SNE is asked to map (its cost grows with the square of the points). */
export const TSNE_MAX_POINTS = 1000;

/**
 * Projects `n` rows of `dim` values onto their first two principal components.
 * @returns x and y of each row, interleaved (2n values), each axis scaled to [−1, 1]
 */
export function pca(rows: Float32Array, n: number, dim: number): Float32Array {
  const centred = new Float64Array(n * dim);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += rows[i * dim + d]! / n;
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) centred[i * dim + d] = rows[i * dim + d]! - mean[d]!;
  const out = new Float32Array(2 * n);
  const random = new Random(7);
  for (let axis = 0; axis < 2; axis++) {
    // Power iteration on XᵀX without forming it: v ← Xᵀ(Xv), normalised.
    let v = new Float64Array(dim).map(() => random.nextU32() / 2 ** 32 - 0.5);
    const projected = new Float64Array(n);
    for (let iteration = 0; iteration < 100; iteration++) {
      for (let i = 0; i < n; i++) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += centred[i * dim + d]! * v[d]!;
        projected[i] = dot;
      }
      const next = new Float64Array(dim);
      for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) next[d]! += centred[i * dim + d]! * projected[i]!;
      const norm = Math.hypot(...next);
      if (norm === 0) break;
      let change = 0;
      for (let d = 0; d < dim; d++) {
        next[d]! /= norm;
        change += Math.abs(next[d]! - v[d]!);
      }
      v = next;
      if (change < 1e-9) break;
    }
    // The scores on this axis, then the axis removed from the data (deflation) for the next one.
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += centred[i * dim + d]! * v[d]!;
      out[2 * i + axis] = dot;
      for (let d = 0; d < dim; d++) centred[i * dim + d]! -= dot * v[d]!;
    }
  }
  return scaleToUnit(out, n);
}

/**
 * Maps `n` rows with t-SNE.
 * @param perplexity effective number of neighbours (lowered for small sets)
 * @param iterations gradient steps (the first quarter with early exaggeration)
 * @returns x and y of each row, interleaved (2n values), each axis scaled to [−1, 1]
 */
export function tsne(rows: Float32Array, n: number, dim: number, { perplexity = 30, iterations = 500, seed = 1 } = {}): Float32Array {
  if (n < 3) return pca(rows, n, dim);
  const p = affinities(rows, n, dim, Math.min(perplexity, (n - 1) / 3));
  const random = new Random(seed);
  const gaussian = () => {
    const u = (random.nextU32() + 1) / (2 ** 32 + 1);
    const w = random.nextU32() / 2 ** 32;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
  };
  const y = new Float64Array(2 * n).map(() => gaussian() * 1e-4);
  const velocity = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const q = new Float64Array(n * n);
  const gradient = new Float64Array(2 * n);
  const rate = Math.max(n / 12, 50);
  const exaggerationEnd = Math.min(250, Math.floor(iterations / 4));
  for (let t = 0; t < iterations; t++) {
    const exaggeration = t < exaggerationEnd ? 12 : 1;
    const momentum = t < exaggerationEnd ? 0.5 : 0.8;
    // Student-t similarities in the plane; each pair once (both are symmetric).
    let sum = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = y[2 * i]! - y[2 * j]!;
        const dy = y[2 * i + 1]! - y[2 * j + 1]!;
        const value = 1 / (1 + dx * dx + dy * dy);
        q[i * n + j] = value;
        sum += 2 * value;
      }
    }
    gradient.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const kernel = q[i * n + j]!;
        const force = 4 * (exaggeration * p[i * n + j]! - kernel / sum) * kernel;
        const gx = force * (y[2 * i]! - y[2 * j]!);
        const gy = force * (y[2 * i + 1]! - y[2 * j + 1]!);
        gradient[2 * i]! += gx;
        gradient[2 * i + 1]! += gy;
        gradient[2 * j]! -= gx;
        gradient[2 * j + 1]! -= gy;
      }
    }
    for (let k = 0; k < 2 * n; k++) {
      const sameSign = Math.sign(gradient[k]!) === Math.sign(velocity[k]!);
      gains[k] = Math.max(0.01, sameSign ? gains[k]! * 0.8 : gains[k]! + 0.2);
      velocity[k] = momentum * velocity[k]! - rate * gains[k]! * gradient[k]!;
      y[k]! += velocity[k]!;
    }
  }
  return scaleToUnit(Float32Array.from(y), n);
}

/** Symmetric input affinities: a Gaussian per point, its width found by bisection to meet the perplexity. */
function affinities(rows: Float32Array, n: number, dim: number, perplexity: number): Float64Array {
  const distances = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let d2 = 0;
      for (let d = 0; d < dim; d++) {
        const diff = rows[i * dim + d]! - rows[j * dim + d]!;
        d2 += diff * diff;
      }
      distances[i * n + j] = d2;
      distances[j * n + i] = d2;
    }
  }
  const target = Math.log(perplexity);
  const conditional = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let beta = 1;
    let low = 0;
    let high = Infinity;
    for (let step = 0; step < 60; step++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const value = Math.exp(-beta * distances[i * n + j]!);
        conditional[i * n + j] = value;
        sum += value;
        weighted += value * distances[i * n + j]!;
      }
      if (sum === 0) sum = 1e-12;
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      for (let j = 0; j < n; j++) conditional[i * n + j]! /= sum;
      const gap = entropy - target;
      if (Math.abs(gap) < 1e-5) break;
      if (gap > 0) {
        low = beta;
        beta = high === Infinity ? beta * 2 : (beta + high) / 2;
      } else {
        high = beta;
        beta = (beta + low) / 2;
      }
    }
  }
  const p = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) p[i * n + j] = Math.max((conditional[i * n + j]! + conditional[j * n + i]!) / (2 * n), 1e-12);
  }
  return p;
}

/** Centres each axis and scales it to [−1, 1]. */
function scaleToUnit(xy: Float32Array, n: number): Float32Array {
  for (let axis = 0; axis < 2; axis++) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      min = Math.min(min, xy[2 * i + axis]!);
      max = Math.max(max, xy[2 * i + axis]!);
    }
    const centre = (min + max) / 2;
    const half = (max - min) / 2 || 1;
    for (let i = 0; i < n; i++) xy[2 * i + axis] = (xy[2 * i + axis]! - centre) / half;
  }
  return xy;
}
