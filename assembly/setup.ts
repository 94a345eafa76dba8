// Set-up and checks the trainer runs on its own thread (its own instance over the same memory).

/**
 * Fills `count` floats at `vectors` with uniform values in [−1/dim, 1/dim) drawn from the generator state
 * `state` (`Random(seed).state` in src/train/random.ts): the very values `initializeVectors` computes in
 * TypeScript, in the same f64 arithmetic, faster.
 */
export function initVectors(vectors: usize, count: i32, dims: i32, state: u32): void {
  // A generator of its own: the training draws of this thread (rng) are not touched.
  let s: u32 = state == 0 ? 0x6d2b79f5 : state;
  const divisor: f64 = <f64>dims;
  for (let i: i32 = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    const u = <f64>(s * 0x9e3779bb) * 2.3283064365386963e-10;
    store<f32>(vectors + (<usize>i << 2), <f32>((u * 2 - 1) / divisor));
  }
}

/**
 * Rows [from, to) of the n-gram rows at `rows`: row r is the initial row of bucket `buckets[r]`
 * (src/kernel/ngramRows.ts `initialNgramRow`, the same numbers): the generator seeded from the model's
 * seed and the bucket, mixed as `Random`'s constructor mixes a seed.
 */
export function initNgramRows(rows: usize, buckets: usize, from: i32, to: i32, dims: i32, seed: i32): void {
  const divisor: f64 = <f64>dims;
  for (let r = from; r < to; r++) {
    const bucket = load<i32>(buckets + (<usize>r << 2));
    let s: u32 = <u32>(seed ^ ((bucket + 1) * <i32>0x9e3779b1));
    s = (s ^ 0x9e3779b9) * 0x85ebca6b;
    s ^= s >> 13;
    s = s * 0xc2b2ae35;
    s ^= s >> 16;
    if (s == 0) s = 0x6d2b79f5;
    const row = rows + <usize>r * <usize>dims * 4;
    for (let k: i32 = 0; k < dims; k++) {
      s ^= s << 13;
      s ^= s >> 17;
      s ^= s << 5;
      const u = <f64>(s * 0x9e3779bb) * 2.3283064365386963e-10;
      store<f32>(row + (<usize>k << 2), <f32>((u * 2 - 1) / divisor));
    }
  }
}

/** How many of `count` floats at `values` are NaN or infinite (x − x is NaN exactly for those). */
export function countNonFinite(values: usize, count: i32): i32 {
  let bad = i32x4.splat(0);
  let k: i32 = 0;
  for (; k + 4 <= count; k += 4) {
    const v = v128.load(values + (<usize>k << 2));
    const d = f32x4.sub(v, v);
    bad = i32x4.sub(bad, f32x4.ne(d, d)); // a true lane is −1
  }
  let total = i32x4.extract_lane(bad, 0) + i32x4.extract_lane(bad, 1) + i32x4.extract_lane(bad, 2) + i32x4.extract_lane(bad, 3);
  for (; k < count; k++) {
    const x = load<f32>(values + (<usize>k << 2));
    if (x - x != 0) total++;
  }
  return total;
}

/**
 * Rows [from, to) of `out`: row w the mean of the rows of `matrix` listed in `rows[offsets[w] … offsets[w + 1])`
 * (a subword table: a word's own row, then its n-grams'), summed in float32 in that order and multiplied by
 * the float32 of 1 ÷ their number — fastText's `getWordVector`, and src/vocab/subwords.ts `meanOfRows` to the bit.
 */
export function composeMeans(matrix: usize, offsets: usize, rows: usize, from: i32, to: i32, dims: i32, out: usize): void {
  const rowBytes = <usize>dims << 2;
  const dims4 = dims & ~3;
  for (let w = from; w < to; w++) {
    const start = load<i32>(offsets + (<usize>w << 2));
    const end = load<i32>(offsets + (<usize>(w + 1) << 2));
    const o = out + <usize>w * rowBytes;
    memory.fill(o, 0, rowBytes);
    for (let r = start; r < end; r++) {
      const row = matrix + <usize>load<i32>(rows + (<usize>r << 2)) * rowBytes;
      let k: i32 = 0;
      for (; k < dims4; k += 4) {
        const at = <usize>(k << 2);
        v128.store(o + at, f32x4.add(v128.load(o + at), v128.load(row + at)));
      }
      for (; k < dims; k++) {
        const at = <usize>(k << 2);
        store<f32>(o + at, load<f32>(o + at) + load<f32>(row + at));
      }
    }
    if (end <= start) continue;
    const inverse = <f32>(1.0 / <f64>(end - start));
    const iv = f32x4.splat(inverse);
    let k: i32 = 0;
    for (; k < dims4; k += 4) {
      const at = <usize>(k << 2);
      v128.store(o + at, f32x4.mul(v128.load(o + at), iv));
    }
    for (; k < dims; k++) {
      const at = <usize>(k << 2);
      store<f32>(o + at, load<f32>(o + at) * inverse);
    }
  }
}
