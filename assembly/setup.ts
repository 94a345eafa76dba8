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
 * Turns the sums of {@link addChunkRows} into means: row w of `sums` times the float32 of 1 ÷ the length of
 * word w's list (`offsets[w + 1] − offsets[w]`; an empty list leaves zeros), as fastText's `getWordVector`
 * and src/vocab/subwords.ts `meanOfRows` do.
 */
export function divideSums(sums: usize, offsets: usize, words: i32, dims: i32): void {
  const rowBytes = <usize>dims << 2;
  const dims4 = dims & ~3;
  for (let w: i32 = 0; w < words; w++) {
    const n = load<i32>(offsets + (<usize>(w + 1) << 2)) - load<i32>(offsets + (<usize>w << 2));
    if (n <= 0) continue;
    const o = sums + <usize>w * rowBytes;
    const inverse = <f32>(1.0 / <f64>n);
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

/**
 * Adds to each word's sum the rows of its list (a subword table: `rows[offsets[w] … offsets[w + 1])`) that
 * lie in one chunk of the input matrix — rows `first … first + count − 1`, back to back at `chunk` — in
 * the list's order. The sums are visited in word order (each once a chunk) and the chunk's rows where the
 * lists point; a matrix streamed chunk after chunk through this sums each word's rows chunk by chunk.
 */
export function addChunkRows(chunk: usize, first: i32, count: i32, offsets: usize, rows: usize, words: i32, sums: usize, dims: i32): void {
  const rowBytes = <usize>dims << 2;
  const dims4 = dims & ~3;
  const end = <u32>count;
  for (let w: i32 = 0; w < words; w++) {
    const from = load<i32>(offsets + (<usize>w << 2));
    const to = load<i32>(offsets + (<usize>(w + 1) << 2));
    const o = sums + <usize>w * rowBytes;
    for (let e = from; e < to; e++) {
      const local = <u32>(load<i32>(rows + (<usize>e << 2)) - first);
      if (local >= end) continue;
      const row = chunk + <usize>local * rowBytes;
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
  }
}
