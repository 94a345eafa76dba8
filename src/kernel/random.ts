/**
 * A small, fast, seedable random source for the training loops: xorshift32 (Marsaglia 2003) with its
 * output multiplied by an odd constant (the "xorshift*" scrambler) so that the high bits, which pick
 * noise words and window sizes, are well mixed and consecutive draws do not correlate. No allocation,
 * one state word per thread, so one thread and a seed give the same weights every run. The WebAssembly
 * kernel uses the same generator.
 */

/** Per-thread random state. */
export class Random {
  /** The current state (never 0). */
  state: number;

  /** @param seed any 32-bit integer; mixed so nearby seeds diverge at once */
  constructor(seed: number) {
    let s = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
    s ^= s >>> 13;
    s = Math.imul(s, 0xc2b2ae35);
    s ^= s >>> 16;
    this.state = s === 0 ? 0x6d2b79f5 : s;
  }

  /** A uniform unsigned 32-bit integer. */
  nextU32(): number {
    let s = this.state;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.state = s;
    return Math.imul(s, 0x9e3779bb) >>> 0;
  }

  /** A uniform integer in [0, n), from the high bits. */
  below(n: number): number {
    return Math.floor(this.nextU32() * n * 2.3283064365386963e-10);
  }

  /** A uniform float in [0, 1). */
  nextFloat(): number {
    return this.nextU32() * 2.3283064365386963e-10;
  }
}

/** The xorshift32 step as a linear map over GF(2): columns[j] is the step applied to the state 1 << j. */
type BitMatrix = Uint32Array;

function apply(matrix: BitMatrix, state: number): number {
  let out = 0;
  for (let j = 0; j < 32; j++) if ((state >>> j) & 1) out ^= matrix[j]!;
  return out >>> 0;
}

/** a ∘ b: first b, then a. */
function compose(a: BitMatrix, b: BitMatrix): BitMatrix {
  const out = new Uint32Array(32);
  for (let j = 0; j < 32; j++) out[j] = apply(a, b[j]!);
  return out;
}

const STEP: BitMatrix = Uint32Array.from({ length: 32 }, (_, j) => {
  let s = (1 << j) >>> 0;
  s ^= s << 13;
  s ^= s >>> 17;
  s ^= s << 5;
  return s >>> 0;
});

/**
 * The state {@link Random} (and the WebAssembly kernel's generator) is in after `steps` more draws from
 * `state`, in O(log steps): xorshift32 is linear over GF(2), so its n-th power is found by squaring. Lets
 * several threads each fill a part of one matrix with exactly the numbers one thread would draw.
 * @param state a generator state
 * @param steps draws to skip (a non-negative integer)
 */
export function jumpState(state: number, steps: number): number {
  let s = state >>> 0;
  let power = STEP;
  let n = steps;
  while (n > 0) {
    if (n % 2 === 1) s = apply(power, s);
    n = Math.floor(n / 2);
    if (n > 0) power = compose(power, power);
  }
  return s;
}
