/**
 * The connection step of MeCab's Viterbi search (see `mecabLattice.ts`): at one position, for each node that
 * starts there, the cheapest predecessor among the nodes that end there, at cost `prev + matrix[prev.right +
 * L · left]` — the first in the order given among equals. On a large matrix (UniDic's is 480 MB) this is
 * most of the analysis's time: the loads are scattered over a row far beyond the caches. This is the
 * JavaScript analysis's step; `assembly/mecab.ts` does the same inside the WebAssembly analysis.
 *
 * The caller writes the predecessors (right ids and costs) and the new nodes' left ids into the arrays the
 * connector gives, makes sure the matrix pages they need are read, calls {@link Connector.connect} and reads
 * each node's cheapest cost and predecessor index (-1: none).
 */
import type { ConnectionMatrix } from './mecabDictionary.js';

/** One thread's connection step over one matrix. */
export class Connector {
  /** The predecessors' right ids and costs. */
  predRight = new Int32Array(256);
  predCost = new Float64Array(256);
  /** The new nodes' left ids; after {@link connect}, each one's cheapest cost and predecessor index. */
  madeLeft = new Int32Array(256);
  madeBest = new Float64Array(256);
  madeAt = new Int32Array(256);
  // The cheapest predecessor for each left id at the current position (valid when stamped).
  private readonly leftStamp: Int32Array;
  private readonly leftBest: Float64Array;
  private readonly leftAt: Int32Array;
  private stamp = 0;

  constructor(
    private readonly matrix: ConnectionMatrix,
    rows: number,
  ) {
    this.leftStamp = new Int32Array(rows);
    this.leftBest = new Float64Array(rows);
    this.leftAt = new Int32Array(rows);
  }

  /** Makes room for `predecessors` and `made` (the arrays above may then be new ones). */
  reserve(predecessors: number, made: number): void {
    if (predecessors > this.predRight.length) {
      const p = Math.max(predecessors, 2 * this.predRight.length);
      const right = new Int32Array(p);
      right.set(this.predRight);
      this.predRight = right;
      const cost = new Float64Array(p);
      cost.set(this.predCost);
      this.predCost = cost;
    }
    if (made > this.madeLeft.length) {
      const m = Math.max(made, 2 * this.madeLeft.length);
      const left = new Int32Array(m);
      left.set(this.madeLeft);
      this.madeLeft = left;
      this.madeBest = new Float64Array(m);
      this.madeAt = new Int32Array(m);
    }
  }

  /** Connects the first `made` new nodes to the first `predecessors` predecessors. */
  connect(predecessors: number, made: number): void {
    if (++this.stamp === 0x7fffffff) {
      this.leftStamp.fill(0);
      this.stamp = 1;
    }
    const { stamp, leftStamp, predRight, predCost } = this;
    for (let m = 0; m < made; m++) {
      const left = this.madeLeft[m]!;
      if (leftStamp[left] !== stamp) {
        const row = this.matrix.row(left);
        let best = Infinity;
        let at = -1;
        for (let i = 0; i < predecessors; i++) {
          const c = predCost[i]! + row[predRight[i]!]!;
          if (c < best) {
            best = c;
            at = i;
          }
        }
        leftStamp[left] = stamp;
        this.leftBest[left] = best;
        this.leftAt[left] = at;
      }
      this.madeBest[m] = this.leftBest[left]!;
      this.madeAt[m] = this.leftAt[left]!;
    }
  }
}
