/**
 * UTF-8 output built piece by piece from ranges of strings, without making a string per piece: `tokenize`
 * writes each token straight from its place in the line into one growing byte buffer per batch.
 *
 * @example
 * const out = new Utf8Builder();
 * out.appendRange('東京都', 0, 2);
 * out.appendByte(0x0a);
 * process.stdout.write(out.take()); // "東京\n"
 */

const REPLACEMENT = 0xfffd;

/** A growing buffer of UTF-8 bytes; {@link take} hands them over and starts afresh. */
export class Utf8Builder {
  private bytes: Uint8Array;
  private length = 0;

  /** @param capacity the initial size in bytes (it grows as needed) */
  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Bytes written since the last {@link take}. */
  get size(): number {
    return this.length;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** Appends one byte (an ASCII character: a space, a newline). */
  appendByte(byte: number): void {
    this.reserve(1);
    this.bytes[this.length++] = byte;
  }

  /**
   * Appends text[start … end) encoded as UTF-8; a lone surrogate becomes U+FFFD, as `Buffer.from` writes it.
   */
  appendRange(text: string, start: number, end: number): void {
    this.reserve(3 * (end - start));
    const bytes = this.bytes;
    let at = this.length;
    for (let i = start; i < end; i++) {
      let c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) {
        const low = i + 1 < end ? text.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
          // A surrogate pair: one code point, four bytes (no more than the six its two units reserved).
          const point = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          bytes[at++] = 0xf0 | (point >> 18);
          bytes[at++] = 0x80 | ((point >> 12) & 0x3f);
          bytes[at++] = 0x80 | ((point >> 6) & 0x3f);
          bytes[at++] = 0x80 | (point & 0x3f);
          i++;
          continue;
        }
        c = REPLACEMENT;
      }
      if (c < 0x80) {
        bytes[at++] = c;
      } else if (c < 0x800) {
        bytes[at++] = 0xc0 | (c >> 6);
        bytes[at++] = 0x80 | (c & 0x3f);
      } else {
        bytes[at++] = 0xe0 | (c >> 12);
        bytes[at++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[at++] = 0x80 | (c & 0x3f);
      }
    }
    this.length = at;
  }

  /** Appends the first `length` bytes of `source` (UTF-8 already). */
  appendBytes(source: Uint8Array, length: number): void {
    this.reserve(length);
    this.bytes.set(length === source.length ? source : source.subarray(0, length), this.length);
    this.length += length;
  }

  /** Appends a whole string. */
  appendString(text: string): void {
    this.appendRange(text, 0, text.length);
  }

  /** The bytes written so far (a copy the caller owns); the builder is empty afterwards. */
  take(): Uint8Array {
    const out = this.bytes.slice(0, this.length);
    this.length = 0;
    return out;
  }
}
