/**
 * The built-in dictionary's lattice in WebAssembly (`assembly/lattice.ts`, built to `dist/lattice.wasm`):
 * the same analysis as {@link LatticeAnalyzer} — kuromoji's tokens to the letter — in about 0.6 of its time,
 * reading the dictionary image where it lies, in the shared WebAssembly memory `loadDictionary` read it
 * into, so that every thread analyses over one copy. Each analyser takes its own scratch pages from that
 * memory.
 *
 * @example
 * const analyzer = createWasmLattice(await loadDictionary());
 * const n = analyzer?.analyze('すもももももももものうち') ?? 0;
 */
import { ErrorCodes, KotovecError } from '../../errors.js';
import { builtWasmModule } from '../../wasmModule.js';
import type { JapaneseDictionary } from './dictionaryImage.js';
import type { TokenLattice } from './lattice.js';
import type { Utf8Builder } from '../utf8Builder.js';

interface LatticeExports {
  setDictionary(
    trie: number, trieSize: number, charCode: number, entries: number, cost: number,
    rightSize: number, leftSize: number, charClass: number, classFlags: number, unkStart: number, unkEntries: number,
    defaultClass: number, startRight: number, endLeft: number,
  ): void;
  textBuffer(length: number): number;
  analyze(length: number): number;
  tokenStarts(): number;
  tokenEnds(): number;
  tokenEntries(): number;
  surfaceBuffer(bytes: number): number;
  writeSurfaces(count: number): number;
}

/** The lattice over one thread's instance of the module. */
export class WasmLattice implements TokenLattice {
  tokenStart: Int32Array = new Int32Array(0);
  tokenEnd: Int32Array = new Int32Array(0);
  tokenEntry: Int32Array = new Int32Array(0);
  private readonly lattice: LatticeExports;
  private text: Uint16Array = new Uint16Array(0);
  private surfaces: Uint8Array = new Uint8Array(0);
  private lastLength = 0;
  private lastCount = 0;

  /**
   * @param dictionary the built-in image, loaded into a shared WebAssembly memory
   * @param module the compiled `lattice.wasm`
   */
  constructor(
    dictionary: JapaneseDictionary & { memory: WebAssembly.Memory },
    module: WebAssembly.Module,
    private readonly memory = dictionary.memory,
  ) {
    this.lattice = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as LatticeExports;
    const at = (view: ArrayBufferView) => view.byteOffset;
    const d = dictionary;
    this.lattice.setDictionary(
      at(d.trie), d.trie.length / 3, at(d.charCode), at(d.entries), at(d.cost),
      d.rightSize, d.leftSize, at(d.charClass), at(d.classFlags), at(d.unkStart), at(d.unkEntries),
      d.defaultClass, d.startRight, d.endLeft,
    );
  }

  /** Analyses one text (a line); see {@link LatticeAnalyzer.analyze}. */
  analyze(text: string): number {
    const length = text.length;
    // The module's buffers move only when they grow past what they hold, and they hold at least what the
    // views here cover: a line that fits the views needs no call to find them (one call a line, not three).
    if (this.text.length < length) {
      // Addresses come back as i32: above 2 GB they would read negative.
      const at = this.lattice.textBuffer(length) >>> 0;
      this.text = new Uint16Array(this.memory.buffer, at, Math.max(length, 1 << 16));
    }
    const units = this.text;
    for (let i = 0; i < length; i++) units[i] = text.charCodeAt(i);
    let count: number;
    try {
      count = this.lattice.analyze(length);
    } catch (error) {
      // The only trap: memory.grow refused (the shared memory is at its 4 GB maximum).
      if (error instanceof WebAssembly.RuntimeError) throw new KotovecError(ErrorCodes.TOKENIZER, `out of memory analysing a line of ${length.toLocaleString('en')} characters`);
      throw error;
    }
    this.lastLength = length;
    this.lastCount = count;
    if (this.tokenStart.length < count) {
      const buffer = this.memory.buffer;
      const capacity = Math.max(count, 1 << 12);
      this.tokenStart = new Int32Array(buffer, this.lattice.tokenStarts() >>> 0, capacity);
      this.tokenEnd = new Int32Array(buffer, this.lattice.tokenEnds() >>> 0, capacity);
      this.tokenEntry = new Int32Array(buffer, this.lattice.tokenEntries() >>> 0, capacity);
    }
    return count;
  }

  /**
   * Appends the surfaces of the last analysis's tokens to `out` as `tokenize --pos all --no-base-form`
   * prints them: one space between them, a newline after, tokens of whitespace alone left out (see
   * `writeSurfaces` in assembly/lattice.ts), written as UTF-8 by the module in one call.
   */
  writeSurfaces(out: Utf8Builder): void {
    const needed = 3 * this.lastLength + this.lastCount + 1;
    if (this.surfaces.length < needed) {
      const at = this.lattice.surfaceBuffer(needed) >>> 0;
      this.surfaces = new Uint8Array(this.memory.buffer, at, Math.max(needed, 1 << 16));
    }
    out.appendBytes(this.surfaces, this.lattice.writeSurfaces(this.lastCount));
  }
}

/**
 * The WebAssembly lattice over `dictionary`, or null when it cannot be had (the
 * image is not in a WebAssembly memory, or `lattice.wasm` is not built): the caller then uses
 * {@link LatticeAnalyzer}.
 */
export function createWasmLattice(dictionary: JapaneseDictionary): WasmLattice | null {
  const module = builtWasmModule('lattice.wasm');
  if (!module || !dictionary.memory) return null;
  return new WasmLattice(dictionary as JapaneseDictionary & { memory: WebAssembly.Memory }, module);
}
