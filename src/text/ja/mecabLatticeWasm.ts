/**
 * MeCab's analysis over a compiled MeCab dictionary in WebAssembly (`assembly/mecab.ts`, built to
 * `dist/mecab.wasm`): the same tokens as {@link MecabAnalyzer}, the whole line analysed in one call. It runs
 * in the connection matrix's shared memory, where the dictionary's tables were copied once per process
 * (`MatrixShare.tables`); each analyser takes its own scratch pages there, and a user dictionary's trie and
 * words are written into them. A big matrix's rows are read by JavaScript when the analysis first needs
 * them (the module imports `readRow`) and kept by the module in an order of its own.
 *
 * @example
 * const analyzer = createMecabAnalyzer(await openMecabDictionary('/var/lib/mecab/dic/unidic'));
 * const n = analyzer.analyze('すもももももももものうち');
 */
import { ErrorCodes, KotovecError } from '../../errors.js';
import { builtWasmModule } from '../../wasmModule.js';
import { encodeLine, MecabAnalyzer, MecabLatticeBase, type MecabLattice } from './mecabLattice.js';
import type { MecabDictionary, MecabTables } from './mecabDictionary.js';
import type { Utf8Builder } from '../utf8Builder.js';

interface MecabExports {
  setDictionary(
    rows: number, leftSize: number, rowCount: number, columnState: number, units: number, unitCount: number, charInfo: number,
    systemTokens: number, unknownTokens: number, unknownBase: number, categoryTokens: number, userBase: number, maxGroupingSize: number,
  ): void;
  setHead(places: number): void;
  setUser(words: number, nodeCount: number, transitions: number): void;
  addUserTransition(from: number, unit: number, child: number): void;
  setUserNode(at: number, first: number, count: number): void;
  setUserWord(k: number, left: number, right: number, cost: number): void;
  textBuffer(length: number): number;
  analyze(length: number): number;
  tokenStarts(): number;
  tokenEnds(): number;
  tokenIndices(): number;
  surfaceBuffer(bytes: number): number;
  writeSurfaces(count: number): number;
}

/** MeCab's analysis over one thread's instance of `mecab.wasm`. */
export class WasmMecabAnalyzer extends MecabLatticeBase {
  bytes: Uint8Array = new Uint8Array(0);
  unitAt: Int32Array = new Int32Array(4096);
  tokenStart: Int32Array = new Int32Array(0);
  tokenEnd: Int32Array = new Int32Array(0);
  tokenIndex: Int32Array = new Int32Array(0);
  private readonly exports: MecabExports;
  private readonly memory: WebAssembly.Memory;
  private failure: unknown = undefined;
  private surfaces: Uint8Array = new Uint8Array(0);
  private lastBytes = 0;
  private lastCount = 0;

  /**
   * @param dictionary the dictionary, its tables in its matrix's memory
   * @param module the compiled `mecab.wasm`
   */
  constructor(dictionary: MecabDictionary, module: WebAssembly.Module, tables: MecabTables) {
    super(dictionary);
    const matrix = dictionary.matrix;
    this.memory = matrix.share.memory;
    // A failed read cannot unwind through the module (it holds a lock): it is kept and thrown after the line.
    const readRow = (row: number, at: number) => {
      try {
        matrix.readRowInto(row, new Uint8Array(this.memory.buffer, at >>> 0, 2 * matrix.leftSize));
      } catch (error) {
        this.failure ??= error;
      }
    };
    const readHead = (row: number, from: number, to: number, at: number) => {
      try {
        matrix.readHeadInto(row, from, new Uint8Array(this.memory.buffer, (at >>> 0) + 2 * from, 2 * (to - from)));
      } catch (error) {
        this.failure ??= error;
      }
    };
    this.exports = new WebAssembly.Instance(module, { env: { memory: this.memory, readRow, readHead } }).exports as unknown as MecabExports;
    if (matrix.share.head) this.exports.setHead(matrix.share.head.places);
    this.exports.setDictionary(
      tables.rows, matrix.leftSize, matrix.rightSize, tables.columnState, tables.units, tables.unitCount, tables.charInfo,
      tables.systemTokens, tables.unknownTokens, this.unknownBase, tables.categoryTokens, this.userBase, dictionary.maxGroupingSize,
    );
    const user = dictionary.user;
    if (user) {
      const words = user.entries;
      let transitions = 0;
      user.forEachTransition(() => transitions++);
      const e = this.exports;
      e.setUser(words.surfaces.length, user.nodeCount, transitions);
      user.forEachTransition((from, unit, child) => e.addUserTransition(from, unit, child));
      for (let at = 0; at < user.nodeCount; at++) if (user.first(at) >= 0) e.setUserNode(at, user.first(at), user.count(at));
      for (let k = 0; k < words.surfaces.length; k++) e.setUserWord(k, words.left[k]!, words.right[k]!, words.cost[k]!);
    }
  }

  /** Analyses one line (no line break); see {@link MecabAnalyzer.analyze}. */
  analyze(text: string): number {
    const capacity = 3 * text.length + 1;
    let count: number;
    try {
      // The module's buffers move only when they grow past what they hold, and they hold at least what the
      // views here cover: a line that fits the views needs no call to find them (one call a line, not three).
      if (this.bytes.length < capacity) {
        // Addresses come back as i32: above 2 GB they would read negative.
        const at = this.exports.textBuffer(capacity) >>> 0;
        this.bytes = new Uint8Array(this.memory.buffer, at, Math.max(capacity, 1 << 16));
      }
      if (this.unitAt.length < capacity) this.unitAt = new Int32Array(capacity + 64);
      this.lastBytes = encodeLine(text, this.bytes, this.unitAt);
      count = this.exports.analyze(this.lastBytes);
      this.lastCount = count;
    } catch (error) {
      // The only trap: memory.grow refused (the shared memory is at its 4 GB maximum).
      if (error instanceof WebAssembly.RuntimeError) throw new KotovecError(ErrorCodes.TOKENIZER, `out of memory analysing a line of ${text.length.toLocaleString('en')} characters`);
      throw error;
    }
    if (this.failure !== undefined) throw this.failure;
    if (this.tokenStart.length < count) {
      const buffer = this.memory.buffer;
      const size = Math.max(count, 1 << 10);
      this.tokenStart = new Int32Array(buffer, this.exports.tokenStarts() >>> 0, size);
      this.tokenEnd = new Int32Array(buffer, this.exports.tokenEnds() >>> 0, size);
      this.tokenIndex = new Int32Array(buffer, this.exports.tokenIndices() >>> 0, size);
    }
    return count;
  }

  /**
   * Appends the surfaces of the last analysis's tokens to `out` as `tokenize --pos all --no-base-form`
   * prints them (see `writeSurfaces` in assembly/mecab.ts), written by the module in one call.
   */
  writeSurfaces(out: Utf8Builder): void {
    const needed = this.lastBytes + this.lastCount + 1;
    if (this.surfaces.length < needed) {
      const at = this.exports.surfaceBuffer(needed) >>> 0;
      this.surfaces = new Uint8Array(this.memory.buffer, at, Math.max(needed, 1 << 16));
    }
    out.appendBytes(this.surfaces, this.exports.writeSurfaces(this.lastCount));
  }
}

/**
 * MeCab's analysis for this thread: in WebAssembly when `mecab.wasm` is built (and the dictionary's tables
 * are in its matrix's memory), else in JavaScript.
 * @param webAssembly false to take the JavaScript one (to compare the two)
 */
export function createMecabAnalyzer(dictionary: MecabDictionary, webAssembly = true): MecabLattice {
  const module = webAssembly ? builtWasmModule('mecab.wasm') : null;
  const tables = dictionary.matrix.share.tables;
  return module && tables ? new WasmMecabAnalyzer(dictionary, module, tables) : new MecabAnalyzer(dictionary);
}
