// The connection step of MeCab's Viterbi search over a compiled MeCab dictionary (src/text/ja/mecabLattice.ts
// explains the rules): at one position of the lattice, for each node that starts there, the cheapest of the
// predecessors that end there, at cost `prev + matrix[prev.right + L · left]`, the last among equals.
//
// The connection matrix (int16, a row of `leftSize` costs per left id) lies in the shared WebAssembly memory at
// `matrixBase`, as the threads read it from `matrix.bin`; the caller has made sure the costs a call reads are
// in memory. This is where `--dict` spends most of its time on a large matrix (UniDic's is 480 MB): the loads
// are scattered over the row, and here they are issued without JavaScript's checks between them.
//
// Each thread instantiates the module once and takes its scratch with `scratch(predecessors, made, rows)`
// (memory.grow: atomic on a shared memory, so threads never share a region); the caller writes the
// predecessors (right id i32, cost f64) and the new nodes' left ids (i32), calls `connect`, and reads for each
// new node the cheapest cost (f64) and which predecessor (i32, -1 when there is none).

const INFINITY: f64 = Infinity;

let matrixBase: usize = 0;
let leftSize: i32 = 0;

let predRight: usize = 0; // i32 × predCapacity
let predCost: usize = 0; // f64 × predCapacity
let madeLeft: usize = 0; // i32 × madeCapacity
let madeBest: usize = 0; // f64 × madeCapacity
let madeAt: usize = 0; // i32 × madeCapacity
// Per left id, LEFT_BYTES each: the cheapest cost f64, stamp i32, predecessor i32 (valid when stamped: every
// node of one left id at a position has the same cheapest predecessor).
const LEFT_BYTES: usize = 16;
let lefts: usize = 0;
let stamp: i32 = 0;
let rowCount: i32 = 0;

/** Takes `bytes` of fresh memory for this thread. */
function allocate(bytes: usize): usize {
  const pages = <i32>((bytes + 0xffff) >> 16);
  const old = memory.grow(pages);
  if (old < 0) unreachable();
  return (<usize>old) << 16;
}

/** Points the module at the matrix: its byte address and the number of costs in a row. */
export function setMatrix(base: usize, leftSize_: i32): void {
  matrixBase = base;
  leftSize = leftSize_;
}

/**
 * Takes scratch for `predecessors` predecessors, `made` new nodes and `rows` left ids (a call made again
 * with larger numbers takes a new region). Returns the address of the predecessors' right ids; the others
 * are at {@link predCosts}, {@link madeLefts}, {@link madeBests}, {@link madeAts}.
 */
export function scratch(predecessors: i32, made: i32, rows: i32): usize {
  const p = <usize>predecessors;
  const m = <usize>made;
  const region = allocate(12 * p + 16 * m + (rows > rowCount ? LEFT_BYTES * <usize>rows : 0) + 32);
  predCost = (region + 7) & ~(<usize>7);
  madeBest = predCost + 8 * p;
  predRight = madeBest + 8 * m;
  madeLeft = predRight + 4 * p;
  madeAt = madeLeft + 4 * m;
  if (rows > rowCount) {
    lefts = (madeAt + 4 * m + 7) & ~(<usize>7);
    rowCount = rows;
    stamp = 0;
  }
  return predRight;
}

export function predCosts(): usize {
  return predCost;
}

export function madeLefts(): usize {
  return madeLeft;
}

export function madeBests(): usize {
  return madeBest;
}

export function madeAts(): usize {
  return madeAt;
}

/**
 * Connects `made` new nodes (left ids at {@link madeLefts}) to the `predecessors` that end where they start:
 * for each, the cheapest cost at {@link madeBests} and the predecessor's index at {@link madeAts}.
 */
export function connect(predecessors: i32, made: i32): void {
  stamp++;
  if (stamp == 0x7fffffff) {
    for (let r: i32 = 0; r < rowCount; r++) store<i32>(lefts + LEFT_BYTES * <usize>r, 0, 8);
    stamp = 1;
  }
  for (let m: i32 = 0; m < made; m++) {
    const left = load<i32>(madeLeft + 4 * <usize>m);
    const slot = lefts + LEFT_BYTES * <usize>left;
    let best: f64;
    let at: i32;
    if (load<i32>(slot, 8) == stamp) {
      best = load<f64>(slot);
      at = load<i32>(slot, 12);
    } else {
      const row = matrixBase + 2 * <usize>left * <usize>leftSize;
      best = INFINITY;
      at = -1;
      for (let i: i32 = 0; i < predecessors; i++) {
        const c = load<f64>(predCost + 8 * <usize>i) + <f64>load<i16>(row + 2 * <usize>load<i32>(predRight + 4 * <usize>i));
        if (c < best) {
          best = c;
          at = i;
        }
      }
      store<f64>(slot, best);
      store<i32>(slot, stamp, 8);
      store<i32>(slot, at, 12);
    }
    store<f64>(madeBest + 8 * <usize>m, best);
    store<i32>(madeAt + 4 * <usize>m, at);
  }
}
