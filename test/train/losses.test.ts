// The decision rule outside the sigmoid table: gensim skips a dot product beyond ±6, fastText (subword
// models) still learns from a confident wrong answer, with σ taken as 0 or 1.
import { describe, expect, it } from 'vitest';
import { buildSigmoidTables } from '../../src/kernel/sigmoid.js';
import { Random } from '../../src/kernel/random.js';
import { createNegativeSampling, type LossContext } from '../../src/train/losses.js';
import { buildNoiseTable } from '../../src/vocab/sampling.js';

const dim = 4;

/** Negative sampling with no noise words: only the true word, label 1, is decided. */
function trueWordOnly(saturatedUpdates: boolean, row: number[]) {
  const ctx: LossContext = {
    dim,
    syn1neg: Float32Array.from([...row, 0, 0, 0, 0]),
    syn1: new Float32Array(0),
    noise: buildNoiseTable([1, 1]),
    huffman: { offsets: new Int32Array(0), codes: new Uint8Array(0), points: new Int32Array(0) },
    negative: 0,
    tables: buildSigmoidTables(),
    random: new Random(1),
    gradient: new Float32Array(dim),
    stats: { loss: 0, outputs: 0 },
    trainOutput: true,
    saturatedUpdates,
  };
  return { ctx, loss: createNegativeSampling(ctx) };
}

describe('a decision beyond the sigmoid table', () => {
  const h = Float32Array.from([2, 2, 2, 2]);
  const wrong = [-2, -2, -2, -2]; // ⟨h, row⟩ = −16: the true word judged impossible

  it('is skipped by default (gensim)', () => {
    const { ctx, loss } = trueWordOnly(false, wrong);
    loss(h, 0, 0, 0.5);
    expect([...ctx.gradient]).toEqual([0, 0, 0, 0]);
    expect([...ctx.syn1neg.subarray(0, dim)]).toEqual(wrong);
  });

  it('learns with σ taken as 0 in subword models (fastText)', () => {
    const { ctx, loss } = trueWordOnly(true, wrong);
    loss(h, 0, 0, 0.5);
    // g = (1 − 0) · 0.5: the gradient gets g · row, the row g · h.
    expect([...ctx.gradient]).toEqual([-1, -1, -1, -1]);
    expect([...ctx.syn1neg.subarray(0, dim)]).toEqual([-1, -1, -1, -1]);
  });

  it('changes nothing on the right side', () => {
    const { ctx, loss } = trueWordOnly(true, [2, 2, 2, 2]);
    loss(h, 0, 0, 0.5);
    expect([...ctx.gradient]).toEqual([0, 0, 0, 0]);
    expect([...ctx.syn1neg.subarray(0, dim)]).toEqual([2, 2, 2, 2]);
  });
});
