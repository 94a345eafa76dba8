// Scratch memory for the Japanese lattices (assembly/lattice.ts, assembly/mecab.ts): regions taken with
// memory.grow, atomic on a shared memory, so that threads never share one; and 32-bit reads and writes
// by index.

/** Takes `size` bytes of fresh memory for this thread. */
export function allocate(size: usize): usize {
  const pages = <i32>((size + 0xffff) >> 16);
  const old = memory.grow(pages);
  if (old < 0) unreachable();
  return (<usize>old) << 16;
}

/** Moves `used` bytes from `from` into a fresh region of `size` bytes. */
export function moved(from: usize, used: usize, size: usize): usize {
  const to = allocate(size);
  if (used > 0) memory.copy(to, from, used);
  return to;
}

// @ts-ignore: decorator
@inline export function at32(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline export function set32(base: usize, i: i32, value: i32): void {
  store<i32>(base + (<usize>i << 2), value);
}
