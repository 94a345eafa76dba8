/**
 * Pass 1's counting for the fast tokenizers (`simple`, `whitespace`) straight from the input's UTF-8 bytes,
 * in WebAssembly (`assembly/count.ts`, built to `dist/count.wasm`): lines never become strings, tokens
 * never become strings, and each word is copied out once, the first time it is met. It gives the tokens of
 * the ordinary path exactly, by the rules of {@link DirectTokenizer} (whose classes it reads): a line with
 * a character that rule does not take — or bytes that are not valid UTF-8, or U+FFFD itself, so that
 * replacements are counted as the string reader counts them — is decoded and tokenized the ordinary way,
 * its tokens counted in the same table. Slots are given in first-seen order, as `WordCounter` gives them,
 * so the token cache and the counts equal those of counting the decoded lines one by one.
 */
import { builtWasmModule } from '../wasmModule.js';
import { WordCounter } from '../vocab/counter.js';
import { ORDINARY, SEPARATOR, TOKEN, type DirectTokenizer } from './directTokens.js';
import { countReplacements } from './lineReader.js';

/** Where records go: the token cache's writer (`[length, tag, slot × length]` each). */
export interface RecordSink {
  /** Appends one record. */
  write(tag: number, ids: ArrayLike<number>, length: number): void;
  /** Appends whole records as they lie in `ints`. */
  writeRecords(ints: Int32Array): void;
}

/** What the counting module exports (see assembly/count.ts). */
interface CountExports {
  setup(): number;
  foldTable(): number;
  inputBuffer(bytes: number): number;
  outputBuffer(): number;
  outputLength(): number;
  clearOutput(): void;
  setNextTag(tag: number): void;
  currentTag(): number;
  position(): number;
  setPosition(offset: number): void;
  unknownUnit(): number;
  lineCount(): number;
  sentenceCount(): number;
  emptyDocumentCount(): number;
  tokenCount(): number;
  slotCount(): number;
  tableAddress(): number;
  tableEntries(): number;
  arenaAddress(): number;
  countsAddress(): number;
  wordBuffer(bytes: number): number;
  countWrittenWord(length: number): number;
  endCountedLine(tokens: number): void;
  countLines(length: number): number;
}

/** {@link CountExports.countLines}' answers. */
const DONE = 0;
const NEEDS_CLASS = 1;

const REPLACEMENT = 0xfffd;

/** Counts lines of UTF-8 bytes; see the module comment. */
export class ByteCounter {
  private readonly memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  private readonly wasm: CountExports;
  private readonly classes: number;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  private readonly encoder = new TextEncoder();
  private lineSlots = new Int32Array(1024);
  /** U+FFFD characters in the lines decoded here (invalid UTF-8 replaced, as the string reader counts it). */
  replacements = 0;

  /**
   * @param module the compiled `count.wasm`
   * @param direct the direct rule of the tokenizer (its classes and fold)
   * @param tokenize the tokenizer's ordinary path, for lines the direct rule does not take
   */
  constructor(module: WebAssembly.Module, private readonly direct: DirectTokenizer, private readonly tokenize: (text: string) => string[]) {
    this.wasm = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as CountExports;
    this.classes = this.wasm.setup();
    for (let c = 0; c < 0x80; c++) this.learn(c);
    // A line holding U+FFFD goes the ordinary way, where it is counted as a replacement.
    this.bytes(this.classes, 65536)[REPLACEMENT] = ORDINARY;
  }

  private bytes(at: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, at, length);
  }

  /** Copies the class (and fold) of code unit `c` from the direct rule into the module's tables. */
  private learn(c: number): void {
    const kind = this.direct.classOf(c);
    this.bytes(this.classes, 65536)[c] = kind === TOKEN ? TOKEN : kind === SEPARATOR ? SEPARATOR : ORDINARY;
    const fold = this.direct.fold;
    if (kind === TOKEN && fold) new Uint16Array(this.memory.buffer, this.wasm.foldTable(), 65536)[c] = fold[c]!;
  }

  /**
   * Counts the lines of `block` (whole lines, each ended by a newline but perhaps the last) and sends
   * their records to `sink`.
   * @param firstTag the tag of the block's first line, counting up a line at a time; −1: no documents
   */
  countBlock(block: Uint8Array, firstTag: number, sink: RecordSink | undefined): void {
    this.load(block);
    this.countRange(block, 0, block.length, firstTag, sink);
  }

  /** Makes `block` the one {@link countRange} counts in. */
  load(block: Uint8Array): void {
    const input = this.wasm.inputBuffer(block.length);
    this.bytes(input, block.length).set(block);
  }

  /**
   * Counts the lines of `block[from … to)` (the block {@link load}ed last; `to` at a line's end) and sends
   * their records to `sink`.
   * @param firstTag the tag of the first line, counting up a line at a time; −1: no documents
   */
  countRange(block: Uint8Array, from: number, to: number, firstTag: number, sink: RecordSink | undefined): void {
    const wasm = this.wasm;
    wasm.setPosition(from);
    wasm.setNextTag(firstTag);
    if (from === to) {
      // An empty line (a document with no text): still a record when it is a document.
      this.countText('', sink, to);
      return;
    }
    for (;;) {
      const answer = wasm.countLines(to);
      this.flush(sink);
      if (answer === DONE) return;
      if (answer === NEEDS_CLASS) {
        this.learn(wasm.unknownUnit());
        continue;
      }
      const start = wasm.position();
      let end = block.indexOf(10, start);
      if (end < 0 || end >= to) end = to;
      const text = this.decoder.decode(block.subarray(start, end));
      this.replacements += countReplacements(text);
      this.countText(text, sink, Math.min(end + 1, to));
    }
  }

  /**
   * Counts one line the reader gave as text (a piece of an overlong line; its replacements are the
   * reader's to count) and sends its record to `sink`.
   * @param tag its tag, or −1
   */
  countLine(text: string, tag: number, sink: RecordSink | undefined): void {
    this.wasm.setNextTag(tag);
    this.countText(text, sink);
  }

  /** Counts a line as text; `next`: where the input block's next line starts (none for a line given as text). */
  private countText(text: string, sink: RecordSink | undefined, next?: number): void {
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    const tokens = this.tokenize(text);
    if (this.lineSlots.length < tokens.length) this.lineSlots = new Int32Array(Math.max(tokens.length, this.lineSlots.length * 2));
    for (let i = 0; i < tokens.length; i++) this.lineSlots[i] = this.countWord(tokens[i]!);
    const tag = this.wasm.currentTag();
    if (tokens.length > 0 || tag >= 0) sink?.write(tag, this.lineSlots, tokens.length);
    this.wasm.endCountedLine(tokens.length);
    if (next !== undefined) this.wasm.setPosition(next);
  }

  private countWord(word: string): number {
    const at = this.wasm.wordBuffer(word.length * 3);
    const { written } = this.encoder.encodeInto(word, this.bytes(at, word.length * 3));
    return this.wasm.countWrittenWord(written);
  }

  private flush(sink: RecordSink | undefined): void {
    const ints = this.wasm.outputLength();
    if (ints === 0) return;
    sink?.writeRecords(new Int32Array(this.memory.buffer, this.wasm.outputBuffer(), ints));
    this.wasm.clearOutput();
  }

  /** Lines counted. */
  get lines(): number {
    return this.wasm.lineCount();
  }

  /** Lines (documents) that held at least one token. */
  get sentences(): number {
    return this.wasm.sentenceCount();
  }

  /** Documents (tagged lines) without a token. */
  get emptyDocuments(): number {
    return this.wasm.emptyDocumentCount();
  }

  /** Tokens counted. */
  get tokens(): number {
    return this.wasm.tokenCount();
  }

  /** The words counted, by slot (first seen first), and their counts. */
  table(): CountedWords {
    const wasm = this.wasm;
    const slots = wasm.slotCount();
    const words: string[] = new Array(slots);
    const table = new Uint32Array(this.memory.buffer, wasm.tableAddress(), wasm.tableEntries() * 4);
    const arena = wasm.arenaAddress();
    for (let i = 0; i < table.length; i += 4) {
      const slotPlusOne = table[i + 1]!;
      if (slotPlusOne === 0) continue;
      words[slotPlusOne - 1] = this.decoder.decode(this.bytes(arena + table[i + 2]!, table[i + 3]!));
    }
    return { words, counts: new Float64Array(this.memory.buffer, wasm.countsAddress(), slots).slice() };
  }

  /** The counts as a {@link WordCounter}: the same slots, words and counts. */
  toWordCounter(): WordCounter {
    const { words, counts } = this.table();
    return countedWordCounter(words, Array.from(counts), this.wasm.tokenCount());
  }
}

/** Words by slot and their counts, as a {@link ByteCounter} holds them. */
export interface CountedWords {
  words: string[];
  counts: Float64Array;
}

/** A {@link WordCounter} of `words` by slot with their `counts`, `tokens` counted in all. */
export function countedWordCounter(words: string[], counts: number[], tokens: number): WordCounter {
  return WordCounter.restore({ maxVocab: 0, minReduce: 1, totalTokens: tokens, prunes: 0, slotWords: words, slotCounts: counts });
}

/**
 * A byte counter for a fast tokenizer, or null when `count.wasm` is not built (pass 1 then counts decoded
 * lines).
 */
export function createByteCounter(direct: DirectTokenizer, tokenize: (text: string) => string[]): ByteCounter | null {
  const module = builtWasmModule('count.wasm');
  return module ? new ByteCounter(module, direct, tokenize) : null;
}
