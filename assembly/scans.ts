// Similarity scans for queries, independent of the training configuration.

/**
 * Dot products of up to four queries with every row of a matrix: out_q[r] = ⟨query_q, row r⟩.
 * Each row is loaded once for all the queries. `dims` must be a multiple of 4 (rows are padded).
 */
export function scoreRows(matrix: usize, rows: i32, dims: i32, queries: usize, count: i32, out: usize): void {
  if (count == 1) {
    scoreRowsOne(matrix, rows, dims, queries, out);
    return;
  }
  const rowBytes = <usize>dims << 2;
  const q0 = queries;
  const q1 = queries + rowBytes;
  const q2 = queries + 2 * rowBytes;
  const q3 = queries + 3 * rowBytes;
  const outBytes = <usize>rows << 2;
  for (let r: i32 = 0; r < rows; r++) {
    const row = matrix + <usize>r * rowBytes;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    for (let k: i32 = 0; k < dims; k += 4) {
      const o = <usize>(k << 2);
      const v = v128.load(row + o);
      a0 = f32x4.add(a0, f32x4.mul(v, v128.load(q0 + o)));
      if (count > 1) a1 = f32x4.add(a1, f32x4.mul(v, v128.load(q1 + o)));
      if (count > 2) a2 = f32x4.add(a2, f32x4.mul(v, v128.load(q2 + o)));
      if (count > 3) a3 = f32x4.add(a3, f32x4.mul(v, v128.load(q3 + o)));
    }
    const at = <usize>r << 2;
    store<f32>(out + at, f32x4.extract_lane(a0, 0) + f32x4.extract_lane(a0, 1) + f32x4.extract_lane(a0, 2) + f32x4.extract_lane(a0, 3));
    if (count > 1) store<f32>(out + outBytes + at, f32x4.extract_lane(a1, 0) + f32x4.extract_lane(a1, 1) + f32x4.extract_lane(a1, 2) + f32x4.extract_lane(a1, 3));
    if (count > 2) store<f32>(out + 2 * outBytes + at, f32x4.extract_lane(a2, 0) + f32x4.extract_lane(a2, 1) + f32x4.extract_lane(a2, 2) + f32x4.extract_lane(a2, 3));
    if (count > 3) store<f32>(out + 3 * outBytes + at, f32x4.extract_lane(a3, 0) + f32x4.extract_lane(a3, 1) + f32x4.extract_lane(a3, 2) + f32x4.extract_lane(a3, 3));
  }
}

/**
 * One query: four independent accumulators over 16 floats a step, so the additions of a row do not wait
 * on each other (one accumulator made the scan latency-bound: ~4× slower).
 */
function scoreRowsOne(matrix: usize, rows: i32, dims: i32, query: usize, out: usize): void {
  const rowBytes = <usize>dims << 2;
  const wide = dims & ~15;
  for (let r: i32 = 0; r < rows; r++) {
    const row = matrix + <usize>r * rowBytes;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let k: i32 = 0;
    for (; k < wide; k += 16) {
      const o = row + (<usize>k << 2);
      const q = query + (<usize>k << 2);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(o), v128.load(q)));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(o, 16), v128.load(q, 16)));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(o, 32), v128.load(q, 32)));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(o, 48), v128.load(q, 48)));
    }
    for (; k < dims; k += 4) {
      const o = <usize>(k << 2);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(row + o), v128.load(query + o)));
    }
    const sum = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
    store<f32>(out + (<usize>r << 2), f32x4.extract_lane(sum, 0) + f32x4.extract_lane(sum, 1) + f32x4.extract_lane(sum, 2) + f32x4.extract_lane(sum, 3));
  }
}

/**
 * Scales every row of a matrix to unit length in place (zero rows stay zero). `dims` must be a
 * multiple of 4 (rows are padded with zeros).
 */
export function normalizeRows(matrix: usize, rows: i32, dims: i32): void {
  const rowBytes = <usize>dims << 2;
  for (let r: i32 = 0; r < rows; r++) {
    const row = matrix + <usize>r * rowBytes;
    let sum = f32x4.splat(0);
    for (let k: i32 = 0; k < dims; k += 4) {
      const v = v128.load(row + (<usize>k << 2));
      sum = f32x4.add(sum, f32x4.mul(v, v));
    }
    const norm = <f64>f32x4.extract_lane(sum, 0) + <f64>f32x4.extract_lane(sum, 1) + <f64>f32x4.extract_lane(sum, 2) + <f64>f32x4.extract_lane(sum, 3);
    const scale = f32x4.splat(norm > 0 ? <f32>(1.0 / Math.sqrt(norm)) : 0);
    for (let k: i32 = 0; k < dims; k += 4) {
      const o = row + (<usize>k << 2);
      v128.store(o, f32x4.mul(v128.load(o), scale));
    }
  }
}


/**
 * Approximate scores of one query against int8 rows (the compact scan copy of a matrix): for each row
 * r, out[r] = Σ_k codes[r][k] · query[k] as f32, where `codes` are int8 and `query` is int16 (the
 * caller scales both back). `stride` bytes per row, a multiple of 16, zero-padded. Products add up
 * exactly in i32 lanes (|code·query| ≤ 127·32767; a lane sums stride/8 of them: exact for strides up
 * to 4,096), then the lanes are summed in f32.
 */
export function scoreCodes(codes: usize, rows: i32, stride: i32, query: usize, out: usize): void {
  for (let r: i32 = 0; r < rows; r++) {
    const row = codes + <usize>r * <usize>stride;
    let a0 = i32x4.splat(0);
    let a1 = i32x4.splat(0);
    for (let k: i32 = 0; k < stride; k += 16) {
      const c = v128.load(row + <usize>k);
      const q = query + (<usize>k << 1);
      a0 = i32x4.add(a0, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(c), v128.load(q)));
      a1 = i32x4.add(a1, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(c), v128.load(q, 16)));
    }
    const sum = f32x4.add(f32x4.convert_i32x4_s(a0), f32x4.convert_i32x4_s(a1));
    store<f32>(out + (<usize>r << 2), f32x4.extract_lane(sum, 0) + f32x4.extract_lane(sum, 1) + f32x4.extract_lane(sum, 2) + f32x4.extract_lane(sum, 3));
  }
}

/**
 * Builds the int8 scan copy of `count` rows: each row (float32, `stride` values, zero-padded, `stride` a
 * multiple of 16) is scaled to unit length as `normalizeRows` does, then quantised: scale = largest
 * |unit value| / 127 (stored at `scales`), code = round(unit value / scale) (stored at `codes`,
 * `stride` bytes a row). Zero rows get scale 0 and zero codes.
 */
export function quantizeRows(rows: usize, count: i32, stride: i32, codes: usize, scales: usize): void {
  const rowBytes = <usize>stride << 2;
  for (let r: i32 = 0; r < count; r++) {
    const row = rows + <usize>r * rowBytes;
    let sum = f32x4.splat(0);
    let largest = f32x4.splat(0);
    for (let k: i32 = 0; k < stride; k += 4) {
      const v = v128.load(row + (<usize>k << 2));
      sum = f32x4.add(sum, f32x4.mul(v, v));
      largest = f32x4.max(largest, f32x4.abs(v));
    }
    const norm = <f64>f32x4.extract_lane(sum, 0) + <f64>f32x4.extract_lane(sum, 1) + <f64>f32x4.extract_lane(sum, 2) + <f64>f32x4.extract_lane(sum, 3);
    const inverse: f32 = norm > 0 ? <f32>(1.0 / Math.sqrt(norm)) : 0;
    const top = max(max(f32x4.extract_lane(largest, 0), f32x4.extract_lane(largest, 1)), max(f32x4.extract_lane(largest, 2), f32x4.extract_lane(largest, 3)));
    const scale: f32 = (top * inverse) / 127;
    store<f32>(scales + (<usize>r << 2), scale);
    const factor = f32x4.splat(scale > 0 ? inverse / scale : 0);
    const out = codes + <usize>r * <usize>stride;
    for (let k: i32 = 0; k < stride; k += 16) {
      const at = row + (<usize>k << 2);
      const a = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(at), factor)));
      const b = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(at, 16), factor)));
      const c = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(at, 32), factor)));
      const d = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(at, 48), factor)));
      v128.store(out + <usize>k, i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d)));
    }
  }
}
