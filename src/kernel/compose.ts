/**
 * Composing many words' vectors from a subword model's input rows in WebAssembly SIMD (`composeMeans`):
 * importing a fastText `.bin` composes every word of its vocabulary (500,000 words of 20 rows of 300 floats
 * for a `cc.*.300.bin`-shaped model), which plain TypeScript does at a few nanoseconds an add. The rows are
 * read straight into the kernel's memory ({@link KernelArena}), so nothing is copied to get them there.
 */
import type { SubwordTable } from '../vocab/subwords.js';
import { MAX_MEMORY_BYTES } from './memory.js';
import { bindKernel, compileKernel, type KernelExports } from './wasm.js';

const PAGE = 65536;

/** Float32 and int32 arrays laid out one after another in a shared WebAssembly memory that grows as they come. */
export class KernelArena {
  readonly memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_MEMORY_BYTES / PAGE, shared: true });
  readonly kernel: KernelExports = bindKernel(compileKernel(), this.memory);
  /** The first page is the module's own. */
  private next = PAGE;

  /** True when `bytes` more (in arrays) fit in a wasm32 memory. */
  fits(bytes: number): boolean {
    return this.next + bytes + 64 <= MAX_MEMORY_BYTES;
  }

  private take(bytes: number): number {
    const at = this.next;
    this.next = Math.ceil((at + bytes) / 16) * 16;
    const pages = Math.ceil(this.next / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (pages > 0) this.memory.grow(pages);
    return at;
  }

  /** A zero-filled Float32Array of `count` floats in the arena. */
  floats(count: number): Float32Array {
    const at = this.take(count * 4);
    return new Float32Array(this.memory.buffer, at, count);
  }

  /** An Int32Array holding `values`, in the arena. */
  ints(values: Int32Array): Int32Array {
    const at = this.take(values.length * 4);
    const out = new Int32Array(this.memory.buffer, at, values.length);
    out.set(values);
    return out;
  }
}

/**
 * Each word's vector: the mean of the rows of `matrix` its entry of `table` lists (the words' rows, then the
 * n-gram rows, one matrix), equal to the bit to vocab/subwords.ts `meanOfRows` row by row.
 * @param matrix the input rows, in `arena`
 */
export function composeInArena(arena: KernelArena, matrix: Float32Array, table: SubwordTable, dim: number): Float32Array {
  const words = table.offsets.length - 1;
  const offsets = arena.ints(table.offsets);
  const rows = arena.ints(table.rows);
  const out = arena.floats(words * dim);
  arena.kernel.composeMeans(matrix.byteOffset, offsets.byteOffset, rows.byteOffset, 0, words, dim, out.byteOffset);
  return out;
}
