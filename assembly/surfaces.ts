// The buffer both analysers (assembly/lattice.ts, assembly/mecab.ts) write a line's surfaces into as
// UTF-8 (`writeSurfaces`), taken from this thread's own pages and grown by doubling.

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
