// The trainer's set-up and checks in the WebAssembly kernel: vector initialisation gives the very bits
// of the TypeScript one (so --kernel js and wasm start from the same weights), and the finite check finds
// NaN and ±Infinity anywhere, in the SIMD body and in the scalar tail.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/train/random.js';
import { assertFinite, initializeVectors } from '../../src/train/trainer.js';
import { bindKernel, compileKernel } from '../../src/train/wasm.js';

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
