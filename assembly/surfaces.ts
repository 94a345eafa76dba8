// The buffer both analysers (assembly/lattice.ts, assembly/mecab.ts) write a line's surfaces into as
// UTF-8 (`writeSurfaces`), taken from this thread's own pages and grown by doubling, and the whitespace
// test both use to leave out blank tokens.

import { allocate } from './regions';

export let surfaces: usize = 0; // u8 × surfaceCapacity
let surfaceCapacity: i32 = 0;

/**
 * Where `writeSurfaces` writes, holding at least `bytes` bytes: JavaScript asks for what a line's tokens
 * can take (the line as UTF-8, a space between tokens, a newline) before it writes them.
 */
export function surfaceBuffer(bytes: i32): usize {
  if (bytes > surfaceCapacity) {
    surfaceCapacity = max(bytes, max(surfaceCapacity * 2, 1 << 16));
    surfaces = allocate(<usize>surfaceCapacity);
  }
  return surfaces;
}

/** Whether code `c` (a UTF-16 unit or a code point) is one JavaScript's `\s` matches (src/text/japanese.ts, isSpaceUnit). */
// @ts-ignore: decorator
@inline export function isSpaceCode(c: i32): bool {
  if (c <= 0x20) return c == 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 || c == 0xfeff;
}
