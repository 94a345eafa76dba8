// Continued training's hold (src/train/anchor.ts): rows pulled part of the way towards the source's.

/**
 * For each row id in [from, to) whose rate r = rates[id] is not 0: row ← row + r·(anchor − row), each
 * operation rounded to f32 (the TypeScript kernel's `pullRowsInJs` does the same, bit for bit).
 */
export function pullRows(rows: usize, anchors: usize, rates: usize, from: i32, to: i32, dims: i32): void {
  const rowBytes = <usize>dims << 2;
  const dims4 = dims & ~3;
  for (let id: i32 = from; id < to; id++) {
    const r = load<f32>(rates + (<usize>id << 2));
    if (r == 0) continue;
    const row = rows + <usize>id * rowBytes;
    const anchor = anchors + <usize>id * rowBytes;
    const rv = f32x4.splat(r);
    let k: i32 = 0;
    for (; k < dims4; k += 4) {
      const at = <usize>k << 2;
      const x = v128.load(row + at);
      v128.store(row + at, f32x4.add(x, f32x4.mul(rv, f32x4.sub(v128.load(anchor + at), x))));
    }
    for (; k < dims; k++) {
      const at = <usize>k << 2;
      const x = load<f32>(row + at);
      store<f32>(row + at, x + r * (load<f32>(anchor + at) - x));
    }
  }
}
