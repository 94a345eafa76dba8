/**
 * How vectors are stored: `f32` (4 bytes a value, exact), `f16` (2 bytes, IEEE half precision, rounded
 * to nearest even) or `int8` (a float32 scale, then one signed byte a value: value ≈ scale · code, the
 * scale being the row's largest magnitude over 127). A row's BLOB is the encoding of its values, so a
 * model's `meta.precision` says how to read every vector of `word_vectors` and `documents`. Output
 * weights stay float32 whatever the precision: training and inference need them exact.
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import type { Precision } from '../options.js';

/** The storage precisions (declared with the options that choose them). */
export type { Precision };

/** Every precision, for option checks and help. */
export const PRECISIONS: readonly Precision[] = ['f32', 'f16', 'int8'];

/** Bytes a row of `dim` values takes at `precision`. */
export function rowBytes(precision: Precision, dim: number): number {
  if (precision === 'f32') return dim * 4;
  if (precision === 'f16') return dim * 2;
  return 4 + dim;
}

/**
 * The precision named by a model's meta (absent: f32, as every file written before precisions were).
 * @throws KotovecError BAD_MODEL for a name this kotovec does not know
 */
export function precisionOf(name: string | undefined, path: string): Precision {
  const precision = name ?? 'f32';
  if (!(PRECISIONS as readonly string[]).includes(precision)) {
    throw new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${path} (unknown vector precision ${JSON.stringify(precision)})`);
  }
  return precision as Precision;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The half-precision bits of a float32 value, rounded to nearest even (finite inputs; overflow saturates to ±65504). */
export function toHalfBits(value: number): number {
  f32[0] = value;
  return halfBitsOf(u32[0]!);
}

/** {@link toHalfBits} of a float32 given by its bits. */
function halfBitsOf(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  // Zero and float32 subnormals are below half precision's smallest subnormal.
  if (exponent < 102) return sign;
  if (exponent > 142) return sign | 0x7bff;
  if (exponent < 113) {
    // A half subnormal: shift the mantissa (with its implicit 1) into place, rounding to nearest even.
    mantissa |= 0x800000;
    const shift = 126 - exponent;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (half + (rest > midpoint || (rest === midpoint && (half & 1)) ? 1 : 0));
  }
  let bits = ((exponent - 112) << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // Round to nearest even without a data-dependent branch: up when rest > half, or rest = half and odd.
  bits += ((0x1000 - rest) >>> 31) | (Number(rest === 0x1000) & bits);
  // Rounding up past the largest half value saturates instead of becoming infinity.
  return sign | Math.min(bits, 0x7bff);
}

let halfTable: Float32Array | undefined;

/** The float32 value of every half-precision bit pattern (built once). */
function halves(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits++) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >>> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    halfTable[bits] =
      exponent === 0 ? sign * mantissa * 2 ** -24 : exponent === 31 ? (mantissa ? NaN : sign * Infinity) : sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return halfTable;
}

/**
 * Encodes one row at `precision` into `out` (which must hold {@link rowBytes} bytes).
 * @returns `out`
 */
export function encodeRow(values: ArrayLike<number>, precision: Precision, out: Uint8Array): Uint8Array {
  const dim = values.length;
  if (precision === 'f32') {
    if (values instanceof Float32Array) {
      out.set(new Uint8Array(values.buffer, values.byteOffset, dim * 4));
      return out;
    }
    const floats = new Float32Array(out.buffer, out.byteOffset, dim);
    for (let k = 0; k < dim; k++) floats[k] = values[k]!;
    return out;
  }
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (precision === 'f16') {
    // Aligned float32 input and 16-bit output (little-endian, as every machine Node runs on): work on the bits.
    if (values instanceof Float32Array && values.byteOffset % 4 === 0 && out.byteOffset % 2 === 0) {
      const bits = new Uint32Array(values.buffer, values.byteOffset, dim);
      const halves16 = new Uint16Array(out.buffer, out.byteOffset, dim);
      for (let k = 0; k < dim; k++) halves16[k] = halfBitsOf(bits[k]!);
      return out;
    }
    for (let k = 0; k < dim; k++) view.setUint16(k * 2, toHalfBits(values[k]!), true);
    return out;
  }
  if (values instanceof Float32Array) {
    encodeInt8(values, out);
    return out;
  }
  let largest = 0;
  for (let k = 0; k < dim; k++) largest = Math.max(largest, Math.abs(values[k]!));
  const scale = Math.fround(largest / 127);
  view.setFloat32(0, scale, true);
  const codes = new Int8Array(out.buffer, out.byteOffset + 4, dim);
  if (scale === 0) {
    codes.fill(0);
    return out;
  }
  const inverse = 1 / scale;
  for (let k = 0; k < dim; k++) {
    const code = Math.round(values[k]! * inverse);
    codes[k] = code > 127 ? 127 : code < -127 ? -127 : code;
  }
  return out;
}

const scaleFloat = new Float32Array(1);
const scaleBytes = new Uint8Array(scaleFloat.buffer);

/** int8 encoding of a float32 row: one monomorphic loop for the largest magnitude, one for the codes. */
function encodeInt8(values: Float32Array, out: Uint8Array): void {
  const dim = values.length;
  // Branch-free loops (Math.max, Math.abs, rounding by the 1.5·2^52 trick): with real data a sign test
  // or Math.round mispredicts on every other value, four to six times slower.
  let largest = 0;
  for (let k = 0; k < dim; k++) largest = Math.max(largest, Math.abs(values[k]!));
  const scale = Math.fround(largest / 127);
  scaleFloat[0] = scale;
  out.set(scaleBytes, 0);
  if (scale === 0) {
    out.fill(0, 4, 4 + dim);
    return;
  }
  const inverse = 1 / scale;
  for (let k = 0; k < dim; k++) {
    // Adding and taking away 1.5·2^52 rounds to the nearest integer (ties to even).
    const code = (values[k]! * inverse + ROUNDING) - ROUNDING;
    out[4 + k] = Math.max(-127, Math.min(127, code)) & 0xff;
  }
}

const ROUNDING = 6755399441055744;

/**
 * Decodes `rows` rows of `dim` values stored back to back at `precision` into float32 values.
 * @param bytes the encoded rows
 * @param out where to write (rows × dim floats); a new array when absent
 */
export function decodeRows(bytes: Uint8Array, precision: Precision, rows: number, dim: number, out: Float32Array = new Float32Array(rows * dim)): Float32Array {
  if (precision === 'f32') {
    new Uint8Array(out.buffer, out.byteOffset, rows * dim * 4).set(bytes.subarray(0, rows * dim * 4));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (precision === 'f16') {
    const table = halves();
    if (bytes.byteOffset % 2 === 0) {
      const halves16 = new Uint16Array(bytes.buffer, bytes.byteOffset, rows * dim);
      for (let i = 0; i < rows * dim; i++) out[i] = table[halves16[i]!]!;
      return out;
    }
    for (let i = 0; i < rows * dim; i++) out[i] = table[view.getUint16(i * 2, true)]!;
    return out;
  }
  const stride = 4 + dim;
  for (let r = 0; r < rows; r++) {
    const at = r * stride;
    scaleBytes.set(bytes.subarray(at, at + 4));
    const scale = scaleFloat[0]!;
    const base = r * dim;
    // A byte as a signed code: shift it to the top of 32 bits and back.
    for (let k = 0; k < dim; k++) out[base + k] = scale * ((bytes[at + 4 + k]! << 24) >> 24);
  }
  return out;
}
