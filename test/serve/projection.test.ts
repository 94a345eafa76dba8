// The explorer's maps: PCA finds the plane of greatest variance; t-SNE keeps clusters apart; both are
// the same every time and fit [−1, 1].
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/kernel/random.js';
import { pca, tsne } from '../../src/serve/projection.js';

/** Two tight clusters in 20 dimensions, `n` points each, around opposite corners. */
function clusters(n: number): Float32Array {
  const random = new Random(3);
  const dim = 20;
  const rows = new Float32Array(2 * n * dim);
  for (let i = 0; i < 2 * n; i++) for (let d = 0; d < dim; d++) rows[i * dim + d] = (i < n ? 1 : -1) + (random.nextFloat() - 0.5) * 0.2;
  return rows;
}

describe('projections', () => {
  it('PCA puts the direction of greatest variance on x', () => {
    // Points on a line in 3-D (variance 100× along it), with a little noise across.
    const n = 50;
    const rows = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) rows.set([i, 2 * i + (i % 2) * 0.1, -i + (i % 3) * 0.1], i * 3);
    const xy = pca(rows, n, 3);
    const xs = Array.from({ length: n }, (_, i) => xy[2 * i]!);
    // x is monotonic along the line (either direction), spanning [−1, 1].
    const increasing = xs.every((x, i) => i === 0 || x > xs[i - 1]!);
    const decreasing = xs.every((x, i) => i === 0 || x < xs[i - 1]!);
    expect(increasing || decreasing).toBe(true);
    expect(Math.min(...xs)).toBeCloseTo(-1, 5);
    expect(Math.max(...xs)).toBeCloseTo(1, 5);
  });

  it('PCA and t-SNE separate two clusters, and give the same map twice', () => {
    const n = 30;
    const rows = clusters(n);
    for (const map of [pca, (r: Float32Array, count: number, dim: number) => tsne(r, count, dim, { iterations: 300 })]) {
      const xy = map(rows, 2 * n, 20);
      expect(Array.from(map(rows, 2 * n, 20))).toEqual(Array.from(xy));
      for (const v of xy) expect(Math.abs(v)).toBeLessThanOrEqual(1 + 1e-6);
      // The clusters lie apart along one axis: the cluster centres are far relative to the spread.
      const centre = (from: number, axis: number) => Array.from({ length: n }, (_, i) => xy[2 * (from + i) + axis]!).reduce((a, b) => a + b) / n;
      const gap = Math.hypot(centre(0, 0) - centre(n, 0), centre(0, 1) - centre(n, 1));
      expect(gap).toBeGreaterThan(0.8);
    }
    // A control: t-SNE on shuffled labels of one blob does not invent a gap between halves.
    const blob = new Float32Array(2 * n * 20).map((_, i) => new Random(i).nextFloat());
    const xy = tsne(blob, 2 * n, 20, { iterations: 300 });
    const half = (from: number, axis: number) => Array.from({ length: n }, (_, i) => xy[2 * (from + i) + axis]!).reduce((a, b) => a + b) / n;
    expect(Math.hypot(half(0, 0) - half(n, 0), half(0, 1) - half(n, 1))).toBeLessThan(0.5);
  });
});
