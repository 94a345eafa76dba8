/** Lines of token ids kept in a file rather than in memory, for phrase learning and joining. */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const SPOOL_INTS = 1 << 16;
/** A spool marks where every this many lines start, so that it can be read in parts. */
const MARK_EVERY = 4096;

/** Lines of token ids in a file: each its length, then its ids (int32). */
export class TokenSpool {
  private readonly fd: number;
  private readonly buffer = new Int32Array(SPOOL_INTS);
  private used = 0;
  /** Bytes written to the file so far. */
  private written = 0;
  lines = 0;
  /** Where line k · 4096 starts (bytes), for every k. */
  readonly marks: number[] = [];

  /**
   * @param path the file
   * @param mode `write` starts the file afresh; `read` reads a spool another thread wrote
   */
  constructor(
    readonly path: string,
    mode: 'write' | 'read' = 'write',
  ) {
    this.fd = openSync(path, mode === 'write' ? 'w+' : 'r');
  }

  /** Appends a line. */
  write(line: ArrayLike<number>): void {
    if (this.lines % MARK_EVERY === 0) this.marks.push(this.written + this.used * 4);
    if (this.used + line.length + 1 > this.buffer.length) this.flush();
    if (line.length + 1 > this.buffer.length) {
      const whole = Int32Array.from([line.length, ...Array.from(line)]);
      writeSync(this.fd, whole);
      this.written += whole.byteLength;
    } else {
      this.buffer[this.used++] = line.length;
      for (let i = 0; i < line.length; i++) this.buffer[this.used++] = line[i]!;
    }
    this.lines++;
  }

  /** Writes what is buffered to the file. */
  flush(): void {
    if (this.used > 0) writeSync(this.fd, this.buffer.subarray(0, this.used));
    this.written += this.used * 4;
    this.used = 0;
  }

  /**
   * The lines written, in order, from the byte `from` (a mark, or 0) up to the byte `to` (a mark, or the end).
   * Each line is a view that the next one overwrites.
   */
  *read(from = 0, to = Infinity): Generator<Int32Array> {
    this.flush();
    let position = from;
    let chunk = new Int32Array(SPOOL_INTS);
    let start = 0;
    let end = 0;
    const fill = (need: number): boolean => {
      if (end - start >= need) return true;
      if (need > chunk.length) {
        const bigger = new Int32Array(need * 2);
        bigger.set(chunk.subarray(start, end));
        chunk = bigger;
      } else chunk.copyWithin(0, start, end);
      end -= start;
      start = 0;
      while (end < need) {
        const wanted = Math.min((chunk.length - end) * 4, to - position);
        if (wanted <= 0) return false;
        const read = readSync(this.fd, new Uint8Array(chunk.buffer, end * 4, wanted), 0, wanted, position);
        if (read === 0) return false;
        position += read;
        end += read / 4;
      }
      return true;
    };
    while (fill(1)) {
      const length = chunk[start]!;
      if (!fill(length + 1)) throw new Error('the phrase spool is truncated');
      yield chunk.subarray(start + 1, start + 1 + length);
      start += length + 1;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}
