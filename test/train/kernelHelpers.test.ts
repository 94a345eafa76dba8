// The trainer's set-up and checks in the WebAssembly kernel: vector initialisation gives the very bits
// of the TypeScript one (so --kernel js and wasm start from the same weights), and the finite check finds
// NaN and ±Infinity anywhere, in the SIMD body and in the scalar tail.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/kernel/random.js';
import { assertFinite, initializeVectors } from '../../src/train/trainer.js';
import { bindKernel, compileKernel } from '../../src/kernel/wasm.js';

const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true });
const kernel = bindKernel(compileKernel(), memory);
const AT = 65536;

describe('kernel set-up helpers', () => {
  it('initVectors computes the same floats as initializeVectors', () => {
    for (const [count, dim, seed] of [[1003, 10, 1], [4000, 100, 7], [7, 3, 0xffffffff]] as const) {
      const wasm = new Float32Array(memory.buffer, AT, count);
      kernel.initVectors(AT, count, dim, new Random(seed).state);
      const js = new Float32Array(count);
      initializeVectors(js, dim, seed);
      expect(Buffer.from(wasm.buffer, wasm.byteOffset, wasm.byteLength).equals(Buffer.from(js.buffer))).toBe(true);
      expect(Math.max(...js.map(Math.abs))).toBeLessThanOrEqual(1 / dim);
    }
  });

  it('countNonFinite counts NaN and infinities, body and tail', () => {
    const values = new Float32Array(memory.buffer, AT, 11);
    values.fill(0.5);
    expect(kernel.countNonFinite(AT, 11)).toBe(0);
    values[0] = Number.NaN;
    values[5] = Number.NEGATIVE_INFINITY;
    values[10] = Number.POSITIVE_INFINITY; // the scalar tail (11 = 8 + 3)
    expect(kernel.countNonFinite(AT, 11)).toBe(3);
    expect(kernel.countNonFinite(AT + 4, 5)).toBe(1); // values[1..5]: one block of four, then index 5 in the tail
    expect(kernel.countNonFinite(AT + 4, 4)).toBe(0);
    values[0] = -3.4e38;
    expect(() => assertFinite('the word vectors', values, kernel)).toThrow(expect.objectContaining({ code: 'E_DIVERGED' }));
    values[5] = values[10] = 1;
    expect(() => assertFinite('the word vectors', values, kernel)).not.toThrow();
  });
});

describe('generator jump-ahead', () => {
  it('lands on the state that drawing step by step reaches', async () => {
    const { jumpState } = await import('../../src/kernel/random.js');
    for (const seed of [1, 7, 0xdeadbeef]) {
      const r = new Random(seed);
      const start = r.state;
      for (let n = 1; n <= 5000; n++) {
        r.nextU32();
        if (n % 997 === 0 || n < 40) expect(jumpState(start, n)).toBe(r.state >>> 0);
      }
      expect(jumpState(start, 0)).toBe(start >>> 0);
    }
    // Two halves filled from jumped states are the one matrix one pass fills.
    const whole = new Float32Array(memory.buffer, AT, 3000);
    kernel.initVectors(AT, 3000, 100, new Random(5).state);
    const copy = Float32Array.from(whole);
    whole.fill(0);
    kernel.initVectors(AT, 1300, 100, new Random(5).state);
    kernel.initVectors(AT + 1300 * 4, 1700, 100, jumpState(new Random(5).state, 1300));
    expect(Array.from(whole)).toEqual(Array.from(copy));
  });
});

describe('initial vectors filled by the workers', () => {
  it('two workers fill exactly what one pass fills, and find non-finite values anywhere in their shares', async () => {
    const { initializeShare, checkShare } = await import('../../src/train/workerLoop.js');
    const { planLayout, allocateMemory, floatView } = await import('../../src/kernel/memory.js');
    const { DEFAULTS } = await import('../../src/options.js');
    const hyper = { ...DEFAULTS, seed: 9, alpha: 0.025, model: 'pv-dbow' as const };
    const dim = 10;
    // Odd row counts, so the shares are unequal.
    const layout = planLayout({ dim, vocabSize: 1001, docCount: 333, negativeSampling: true, hierarchicalSoftmax: false, huffmanLength: 0, threads: 2 });
    const memory = allocateMemory(layout);
    const shared = { memory, layout, progress: new SharedArrayBuffer(128), control: new SharedArrayBuffer(256) };
    const helper = bindKernel(compileKernel(), memory);
    const init = (index: number) => ({ index, threads: 2, hyper, shared }) as unknown as Parameters<typeof initializeShare>[1];
    initializeShare(helper, init(1));
    initializeShare(helper, init(0));
    const words = floatView(memory, layout.syn0, 1001 * dim);
    const docs = floatView(memory, layout.docs, 333 * dim);
    const expectedWords = new Float32Array(1001 * dim);
    const expectedDocs = new Float32Array(333 * dim);
    initializeVectors(expectedWords, dim, 9);
    initializeVectors(expectedDocs, dim, 9 + 0x5eed);
    expect(Array.from(words)).toEqual(Array.from(expectedWords));
    expect(Array.from(docs)).toEqual(Array.from(expectedDocs));
    const outputs = floatView(memory, layout.syn1neg, 1001 * dim);
    const total = () => [0, 1].map((i) => checkShare(helper, init(i))).reduce((a, b) => ({ words: a.words + b.words, outputs: a.outputs + b.outputs, docs: a.docs + b.docs }));
    expect(total()).toEqual({ words: 0, outputs: 0, docs: 0 });
    words[0] = Number.NaN; // first row: worker 0
    words[1001 * dim - 1] = Number.POSITIVE_INFINITY; // last row: worker 1
    outputs[500 * dim + 3] = Number.NaN; // the row where the shares meet
    docs[166 * dim] = Number.NEGATIVE_INFINITY;
    expect(total()).toEqual({ words: 2, outputs: 1, docs: 1 });
  });
});
