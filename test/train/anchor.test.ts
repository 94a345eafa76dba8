// The hold of a continued model's rows (train/anchor.ts): strengths in proportion to the source's counts
// of kept occurrences per word of new text, and a pull that moves each row of a worker's share by
// exactly 1 − e^(−s·dose) of the way to its source row, leaving new words and other shares alone.
import { describe, expect, it } from 'vitest';
import { anchorInterval, anchorStrengths, createAnchorPull, pullRowsInJs } from '../../src/train/anchor.js';
import { allocateMemory, floatView, planLayout } from '../../src/kernel/memory.js';
import { bindKernel, compileKernel } from '../../src/kernel/wasm.js';
import { Random } from '../../src/kernel/random.js';

describe('anchor', () => {
  it('strengths: λ × keep × source count / new words per epoch, 0 for new and dropped words', () => {
    const out = new Float32Array(4);
    // Source rows 0, 1, 2 are new ids 2, −1 (dropped), 0; id 1 and 3 are new words.
    anchorStrengths(Int32Array.from([2, -1, 0]), [1000, 50, 10], [0.5, 1, 0.25, 1], 2000, 0.04, out);
    expect(Array.from(out)).toEqual([Math.fround((0.04 / 2000) * 0.5 * 10), 0, Math.fround((0.04 / 2000) * 0.25 * 1000), 0]);
  });

  it('pulls a worker\'s share of input and output rows towards the source by 1 − e^(−s·dose)', () => {
    const dim = 4;
    const vocabSize = 6;
    const layout = planLayout({ dim, vocabSize, docCount: 0, negativeSampling: true, hierarchicalSoftmax: false, huffmanLength: 0, threads: 2, anchored: true });
    const memory = allocateMemory(layout);
    const inputs = floatView(memory, layout.syn0, vocabSize * dim);
    const outputs = floatView(memory, layout.syn1neg, vocabSize * dim);
    const inputAnchors = floatView(memory, layout.anchorInputs, vocabSize * dim);
    const outputAnchors = floatView(memory, layout.anchorOutputs, vocabSize * dim);
    for (let k = 0; k < vocabSize * dim; k++) {
      inputs[k] = 1;
      outputs[k] = -1;
      inputAnchors[k] = 3;
      outputAnchors[k] = 1;
    }
    floatView(memory, layout.anchorStrength, vocabSize).set([0.5, 0, 2, 0.5, 0.5, 0.5]);
    createAnchorPull(memory, layout, 0, 2, null)!(1);
    // Worker 0 of 2 holds rows 0–2; row 1 is a new word.
    const r = (s: number) => Math.fround(1 + Math.fround(Math.fround(1 - Math.exp(-s)) * 2));
    expect(Array.from(inputs.subarray(0, dim))).toEqual(new Array(dim).fill(r(0.5)));
    expect(Array.from(inputs.subarray(dim, 2 * dim))).toEqual(new Array(dim).fill(1));
    expect(Array.from(inputs.subarray(2 * dim, 3 * dim))).toEqual(new Array(dim).fill(r(2)));
    expect(Array.from(inputs.subarray(3 * dim))).toEqual(new Array(3 * dim).fill(1));
    expect(outputs[0]).toBeCloseTo(-1 + (1 - Math.exp(-0.5)) * 2, 6);
    expect(outputs[3 * dim]).toBe(-1);
    // A large dose takes a row all the way.
    createAnchorPull(memory, layout, 1, 2, null)!(1000);
    expect(Array.from(inputs.subarray(3 * dim))).toEqual(new Array(3 * dim).fill(3));
  });

  it('no hold without the anchored layout; about 256 pulls a run, between 1,000 and 100,000 words apart', () => {
    const layout = planLayout({ dim: 4, vocabSize: 3, docCount: 0, negativeSampling: true, hierarchicalSoftmax: false, huffmanLength: 0, threads: 1 });
    expect(createAnchorPull(allocateMemory(layout), layout, 0, 1, null)).toBeNull();
    expect(anchorInterval(27_000_000, 2)).toBe(52_735);
    expect(anchorInterval(10_000, 1)).toBe(1000);
    expect(anchorInterval(1e10, 2)).toBe(100_000);
  });

  it('the WebAssembly pull equals the TypeScript one bit for bit (SIMD lanes and a tail)', () => {
    const dim = 7;
    const rows = 50;
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
    const kernel = bindKernel(compileKernel(), memory);
    const [at, anchorsAt, ratesAt] = [65536, 65536 + rows * dim * 4, 65536 + 2 * rows * dim * 4];
    const random = new Random(7);
    const values = Float32Array.from({ length: rows * dim }, () => random.nextFloat() * 4 - 2);
    const anchors = Float32Array.from({ length: rows * dim }, () => random.nextFloat() * 4 - 2);
    const rates = Float32Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? 0 : random.nextFloat()));
    floatView(memory, at, rows * dim).set(values);
    floatView(memory, anchorsAt, rows * dim).set(anchors);
    floatView(memory, ratesAt, rows).set(rates);
    kernel.pullRows(at, anchorsAt, ratesAt, 3, 47, dim);
    pullRowsInJs(values, anchors, rates, 3, 47, dim);
    expect(Buffer.from(floatView(memory, at, rows * dim).slice().buffer).equals(Buffer.from(values.buffer))).toBe(true);
  });
});
