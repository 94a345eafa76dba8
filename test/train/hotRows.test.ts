// The private hot output rows of multi-threaded training (assembly/kernel.ts setHot/syncHot): a
// thread's changes and the other threads' changes both survive a sync, and nothing else is touched.
import { describe, expect, it } from 'vitest';
import { compileKernel, type KernelExports } from '../../src/kernel/wasm.js';

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
});
