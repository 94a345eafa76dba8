/**
 * Composing many words' vectors from a subword model's input rows in WebAssembly SIMD (`addChunkRows`):
 * importing a fastText `.bin` composes every word of its vocabulary (500,000 words of 20 rows of 300 floats
 * for a `cc.*.300.bin`-shaped model), which plain TypeScript does at a few nanoseconds an add, while the
 * rows stream from the file through one chunk of the kernel's memory ({@link KernelArena}).
 */
import type { SubwordTable } from '../vocab/subwords.js';
import { errorFromWorker, workerScript, WorkerHost, type WorkerFailure } from '../workerThreads.js';
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

/** Where a chunk of rows lies in the arena, for a composing thread. */
export interface ChunkJob {
  chunk: number;
  first: number;
  count: number;
  offsets: number;
  rows: number;
  words: number;
  sums: number;
  dim: number;
}

/** What the composing thread answers: a chunk added, or why not. */
export type ChunkReply = { added: number } | { failure: WorkerFailure };

/**
 * Composes every word of a subword table while the input matrix streams past a chunk of rows at a time
 * (a `cc.*.300.bin` is 1.8 GB of rows; the words' sums and one chunk are what is held): for each chunk,
 * each word's sum takes the rows of its list that lie in the chunk, in the list's order, and
 * {@link ChunkComposer.means} divides at the end. A matrix that fits one chunk is summed exactly as
 * fastText's `getWordVector` sums (vocab/subwords.ts `composeFromTable`, to the bit); a bigger one chunk
 * by chunk, the same mean to float32 rounding. In the kernel's SIMD when an arena is given — on a thread
 * of its own with `thread`, so the caller can write the chunk out meanwhile — else in TypeScript (the same bits).
 */
export class ChunkComposer {
  /** Where the next chunk of rows is read to: `chunkRows` × dim floats. */
  readonly chunk: Float32Array;
  private readonly sums: Float32Array;
  private readonly offsets: Int32Array;
  private readonly rows: Int32Array;
  private readonly thread?: WorkerHost<ChunkJob, ChunkReply>;
  private pending?: { resolve: () => void; reject: (error: unknown) => void };

  /**
   * @param table the words' row lists
   * @param chunkRows rows a chunk holds at most
   * @param arena the kernel's memory to work in (TypeScript without)
   * @param thread compose on a worker thread (with an arena)
   */
  constructor(table: SubwordTable, private readonly dim: number, readonly chunkRows: number, private readonly arena?: KernelArena, thread = false) {
    const words = table.offsets.length - 1;
    if (arena) {
      this.offsets = arena.ints(table.offsets);
      this.rows = arena.ints(table.rows);
      this.sums = arena.floats(words * dim);
      this.chunk = arena.floats(chunkRows * dim);
    } else {
      this.offsets = table.offsets;
      this.rows = table.rows;
      this.sums = new Float32Array(words * dim);
      this.chunk = new Float32Array(chunkRows * dim);
    }
    if (arena && thread) {
      this.thread = new WorkerHost<ChunkJob, ChunkReply>(workerScript(import.meta.url, 'kernel/composeWorker.js', 'composing thread'), 'composing thread', {
        onMessage: (reply) => this.settle('failure' in reply ? errorFromWorker(reply.failure, 'composing thread') : undefined),
        onFailure: (error) => this.settle(error),
      }, { workerData: { memory: arena.memory } });
    }
  }

  /** Bytes of memory a composer of this table takes (to check that it fits an arena). */
  static bytes(table: SubwordTable, dim: number, chunkRows: number): number {
    const words = table.offsets.length - 1;
    return 4 * (table.offsets.length + table.rows.length + words * dim + chunkRows * dim) + 64 * 4;
  }

  private settle(error: unknown): void {
    const pending = this.pending;
    this.pending = undefined;
    if (error) pending?.reject(error);
    else pending?.resolve();
  }

  /**
   * Adds the chunk's first `count` rows — input rows `first` … — to the sums of the words that use them.
   * On a thread, the chunk must stay as it is until the promise settles.
   */
  add(first: number, count: number): Promise<void> {
    const { dim, sums, chunk, offsets, rows } = this;
    const words = offsets.length - 1;
    if (this.thread) {
      if (this.thread.failure) return Promise.reject(this.thread.failure);
      const added = new Promise<void>((resolve, reject) => (this.pending = { resolve, reject }));
      this.thread.post({ chunk: chunk.byteOffset, first, count, offsets: offsets.byteOffset, rows: rows.byteOffset, words, sums: sums.byteOffset, dim });
      return added;
    }
    if (this.arena) {
      this.arena.kernel.addChunkRows(chunk.byteOffset, first, count, offsets.byteOffset, rows.byteOffset, words, sums.byteOffset, dim);
      return Promise.resolve();
    }
    for (let w = 0; w < words; w++) {
      const at = w * dim;
      for (let e = offsets[w]!; e < offsets[w + 1]!; e++) {
        const local = rows[e]! - first;
        if (local < 0 || local >= count) continue;
        for (let k = 0; k < dim; k++) sums[at + k] = Math.fround(sums[at + k]! + chunk[local * dim + k]!);
      }
    }
    return Promise.resolve();
  }

  /** The words' vectors, once every row has been added (the sums, divided in place). */
  means(): Float32Array {
    const { dim, sums, offsets } = this;
    const words = offsets.length - 1;
    if (this.arena) {
      this.arena.kernel.divideSums(sums.byteOffset, offsets.byteOffset, words, dim);
      return sums;
    }
    for (let w = 0; w < words; w++) {
      const n = offsets[w + 1]! - offsets[w]!;
      if (n <= 0) continue;
      const inverse = Math.fround(1 / n);
      for (let k = w * dim; k < (w + 1) * dim; k++) sums[k] = Math.fround(sums[k]! * inverse);
    }
    return sums;
  }

  /** Ends the composing thread, if there is one. */
  async close(): Promise<void> {
    await this.thread?.close();
  }
}
