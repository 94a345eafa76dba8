// The private hot output rows of multi-threaded training (assembly/kernel.ts setHot/syncHot): a
// thread's changes and the other threads' changes both survive a sync, and nothing else is touched.
import { describe, expect, it } from 'vitest';
import { compileKernel, type KernelExports } from '../../src/kernel/wasm.js';
import { DEFAULTS } from '../../src/options.js';
import { buildHuffmanTree } from '../../src/vocab/huffman.js';
import { hotMergeWeights, mergeWeight } from '../../src/train/hotWeights.js';
import { hotOutputRows } from '../../src/train/weights.js';

describe('hot output rows', () => {
  it('a sync adds this thread’s changes to the shared rows and takes the others’ back', () => {
    const dim = 6; // one block of four lanes and a tail of two per row; 18 floats for three rows
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
    const kernel = new WebAssembly.Instance(compileKernel(), { env: { memory } }).exports as unknown as KernelExports;
    const [matrixAt, localAt, baseAt] = [65536, 65536 + 4096, 65536 + 8192];
    kernel.configure(dim, 5, 5, 5, 1, 0, 0, matrixAt, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    const shared = new Float32Array(memory.buffer, matrixAt, 5 * dim);
    shared.forEach((_, i) => (shared[i] = i));
    const before = Float32Array.from(shared);
    kernel.setHot(matrixAt, 1, 3, localAt, baseAt);
    const local = new Float32Array(memory.buffer, localAt, 3 * dim);
    const base = new Float32Array(memory.buffer, baseAt, 3 * dim);
    expect(Array.from(local)).toEqual(Array.from(before.subarray(dim, 4 * dim)));
    // This thread moves its copy by +0.5, another thread the shared rows by +0.25.
    local.forEach((_, i) => (local[i]! += 0.5));
    for (let i = dim; i < 4 * dim; i++) shared[i]! += 0.25;
    kernel.syncHot();
    for (let i = 0; i < 5 * dim; i++) {
      const hot = i >= dim && i < 4 * dim;
      expect(shared[i]).toBe(before[i]! + (hot ? 0.75 : 0));
    }
    expect(Array.from(local)).toEqual(Array.from(shared.subarray(dim, 4 * dim)));
    expect(Array.from(base)).toEqual(Array.from(local));
    // A second sync with no change in between changes nothing.
    kernel.syncHot();
    expect(shared[dim]).toBe(before[dim]! + 0.75);
  });

  it('each row\'s change counts by its merge weight', () => {
    const dim = 6;
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
    const kernel = new WebAssembly.Instance(compileKernel(), { env: { memory } }).exports as unknown as KernelExports;
    const [matrixAt, localAt, baseAt, weightsAt] = [65536, 65536 + 4096, 65536 + 8192, 65536 + 12288];
    kernel.configure(dim, 5, 5, 5, 1, 0, 0, matrixAt, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    new Float32Array(memory.buffer, weightsAt, 2).set([0.5, 1]);
    kernel.setHot(matrixAt, 0, 2, localAt, baseAt);
    kernel.setHotWeights(weightsAt, 0);
    const shared = new Float32Array(memory.buffer, matrixAt, 2 * dim);
    const local = new Float32Array(memory.buffer, localAt, 2 * dim);
    local.forEach((_, i) => (local[i]! += 1));
    kernel.syncHot();
    // Row 0 (weight 0.5) moved by half this thread's change, row 1 (weight 1) by all of it.
    expect(Array.from(shared)).toEqual([...Array(dim).fill(0.5), ...Array(dim).fill(1)]);
  });
});

describe('hot-row merge weights', () => {
  it('go from 1 (rows rarely updated: sum the changes) to 1/T (rows that settle: average them)', () => {
    expect(mergeWeight(0, 2)).toBe(1);
    expect(mergeWeight(1e6, 2)).toBeCloseTo(0.5, 6);
    expect(mergeWeight(1e6, 4)).toBeCloseTo(0.25, 6);
    let previous = 1;
    for (const u of [1, 10, 100, 1000, 10000]) {
      const w = mergeWeight(u, 2);
      expect(w).toBeLessThan(previous);
      previous = w;
    }
  });

  it('HS: the rows next to the root weigh least; NS: the most frequent words weigh least', () => {
    const counts = Array.from({ length: 5000 }, (_, i) => Math.round(1e6 / (i + 1)));
    const keep = counts.map(() => 1);
    const hyper = { ...DEFAULTS, alpha: 0.05, model: 'cbow' as const, loss: 'hs' as const };
    const huffman = buildHuffmanTree(counts);
    const hs = hotMergeWeights(hyper, counts, keep, huffman, 4999 - 64, 64, 64, 10000, 2);
    expect(hs.output[63]).toBeCloseTo(0.5, 3); // the root: every prediction goes through it
    expect(hs.output[0]!).toBeGreaterThan(hs.output[63]!);
    const ns = hotMergeWeights({ ...hyper, loss: 'ns' }, counts, keep, undefined, 0, 64, 64, 10000, 2);
    expect(ns.output[0]!).toBeLessThan(ns.output[63]!);
    expect(ns.input[0]!).toBeLessThan(ns.input[63]!);
  });
});

describe('block order', () => {
  it('skip-gram with hierarchical softmax keeps 64 private rows, subword models none, the rest 1,024', () => {
    const saved = process.env.KOTOVEC_HOT_ROWS;
    delete process.env.KOTOVEC_HOT_ROWS;
    try {
      expect(hotOutputRows({ model: 'skipgram', loss: 'hs' })).toBe(64);
      expect(hotOutputRows({ model: 'skipgram', loss: 'ns' })).toBe(1024);
      expect(hotOutputRows({ model: 'cbow', loss: 'hs' })).toBe(1024);
      expect(hotOutputRows({ model: 'pv-dbow', loss: 'hs' })).toBe(1024);
      expect(hotOutputRows({ model: 'skipgram', loss: 'hs', subwords: { minn: 3, maxn: 6, bucket: 1000 } as never })).toBe(0);
      process.env.KOTOVEC_HOT_ROWS = '7';
      expect(hotOutputRows({ model: 'skipgram', loss: 'hs' })).toBe(7);
    } finally {
      if (saved === undefined) delete process.env.KOTOVEC_HOT_ROWS;
      else process.env.KOTOVEC_HOT_ROWS = saved;
    }
  });

  it('visits every block once an epoch, in an order drawn from the seed and the epoch', async () => {
    const { blockOrder } = await import('../../src/train/workerLoop.js');
    const identity = Array.from({ length: 1333 }, (_, i) => i);
    const first = Array.from(blockOrder(1333, 'shuffled', 1, 0));
    expect([...first].sort((a, b) => a - b)).toEqual(identity);
    expect(first).not.toEqual(identity);
    expect(Array.from(blockOrder(1333, 'shuffled', 1, 0))).toEqual(first);
    expect(Array.from(blockOrder(1333, 'shuffled', 1, 1))).not.toEqual(first);
    expect(Array.from(blockOrder(1333, 'shuffled', 2, 0))).not.toEqual(first);
    // Far-apart parts side by side: consecutive blocks are rarely neighbours in the file.
    let neighbours = 0;
    for (let i = 1; i < first.length; i++) if (Math.abs(first[i]! - first[i - 1]!) <= 1) neighbours++;
    expect(neighbours).toBeLessThan(20);
    expect(Array.from(blockOrder(1, 'shuffled', 1, 0))).toEqual([0]);
  });

  it('keeps file order when asked', async () => {
    const { blockOrder } = await import('../../src/train/workerLoop.js');
    expect(Array.from(blockOrder(5, 'file', 1, 3))).toEqual([0, 1, 2, 3, 4]);
  });
});
