/**
 * MeCab's analysis over a compiled MeCab dictionary (`mecabDictionary.ts`), rule for rule as MeCab 0.996
 * does it (`tokenizer.cpp` `lookup`, `viterbi.cpp` `connect`), so that the tokens are `mecab -d DIR`'s:
 *
 * - the line is one lattice over its UTF-8 bytes (no cut at 。); a node may start only where another ends;
 * - at each such position, the characters of the space category (the category of U+0020, chained as
 *   `seekToOtherType` chains them) are skipped and belong to the next node's span, not its surface;
 * - the dictionary words that start there (common prefixes over bytes, shortest first, each key's tokens in
 *   order); unknown words when none was found or the character's category is invoked always: the run of
 *   characters of one category when it groups (at most `max-grouping-size` more), then its first 1 … length
 *   characters (a run stops at a character of another category; the length equal to the group's is left out),
 *   and the single character when nothing else was made; a character outside UCS-2 is code 0;
 * - each node takes the cheapest predecessor among those ending where it starts — the one added last among
 *   equals, because MeCab keeps its lists newest first — at cost `prev + matrix[prev.right + L · left] +
 *   word cost`; the end of the line joins the last position any node reaches.
 *
 * Nodes live in flat typed arrays reused from line to line.
 */
import type { Utf8Builder } from '../utf8Builder.js';
import { Connector } from './mecabConnect.js';
import { tokenFeature, type MecabDictionary } from './mecabDictionary.js';

const NO_NODE = -1;
/** MeCab looks at most this many bytes ahead of a position. */
const LOOKAHEAD_LIMIT = 65535;

function grownInt32(array: Int32Array, needed: number): Int32Array {
  if (needed <= array.length) return array;
  const grown = new Int32Array(Math.max(needed, array.length * 2));
  grown.set(array);
  return grown;
}

/**
 * MeCab's analysis of one line at a time, in JavaScript ({@link MecabAnalyzer}) or in WebAssembly
 * (`mecabLatticeWasm.ts`): the same tokens. One per thread (it keeps scratch memory).
 */
export interface MecabLattice {
  readonly dictionary: MecabDictionary;
  /** UTF-8 bytes of the last line, then a 0. */
  readonly bytes: Uint8Array;
  /** The UTF-16 offset of each byte of the last line that starts a character (and of its end). */
  readonly unitAt: Int32Array;
  /** The last line's tokens: byte ranges of their surfaces and token indices (see {@link MecabAnalyzer}). */
  readonly tokenStart: Int32Array;
  readonly tokenEnd: Int32Array;
  readonly tokenIndex: Int32Array;
  /** Where unk.dic's token indices start (sys.dic's are below), and the user dictionary's. */
  readonly unknownBase: number;
  readonly userBase: number;
  /**
   * When the analyser can: appends the surfaces of the last line's tokens (from the start of the character
   * each starts in to the start of the one it ends in), but those of whitespace alone, to `out` as UTF-8,
   * one space between them and a newline after.
   */
  writeSurfaces?(out: Utf8Builder): void;
  /** How many token indices there are. */
  readonly entryCount: number;
  /** Analyses one line (no line break); returns its number of tokens. */
  analyze(text: string): number;
  /** The surface of token i of the last line. */
  surface(text: string, i: number): string;
  /** The feature string of token i of the last line. */
  feature(i: number): string;
  /** The feature string of a token index. */
  entryFeature(token: number): string;
}

/**
 * Encodes `text` as UTF-8 into `bytes` (a 0 after it), noting in `unitAt` each character's UTF-16 offset;
 * returns the byte length. Both must hold 3 · length + 1.
 */
export function encodeLine(text: string, bytes: Uint8Array, unitAt: Int32Array): number {
  const length = text.length;
  let n = 0;
  for (let i = 0; i < length; i++) {
    let c = text.charCodeAt(i);
    unitAt[n] = i;
    if (c < 0x80) {
      bytes[n++] = c;
    } else if (c < 0x800) {
      bytes[n++] = 0xc0 | (c >> 6);
      bytes[n++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      bytes[n++] = 0xf0 | (c >> 18);
      bytes[n++] = 0x80 | ((c >> 12) & 0x3f);
      bytes[n++] = 0x80 | ((c >> 6) & 0x3f);
      bytes[n++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate: what a UTF-8 decoder would have made
      bytes[n++] = 0xe0 | (c >> 12);
      bytes[n++] = 0x80 | ((c >> 6) & 0x3f);
      bytes[n++] = 0x80 | (c & 0x3f);
    }
  }
  unitAt[n] = length;
  bytes[n] = 0;
  return n;
}

/**
 * The surface over bytes [start, end) of a line. A dictionary key may end inside a character (JUMAN's has
 * such keys, and MeCab cuts the bytes there): such a surface is its bytes decoded, a U+FFFD for each
 * broken piece, as any UTF-8 reader of MeCab's output sees it.
 */
function surfaceOf(text: string, bytes: Uint8Array, unitAt: Int32Array, start: number, end: number): string {
  if ((bytes[start]! & 0xc0) === 0x80 || (bytes[end]! & 0xc0) === 0x80) {
    return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  }
  return text.slice(unitAt[start]!, unitAt[end]!);
}

/**
 * What either analysis shares: the token index ranges (sys.dic's tokens, then unk.dic's, then the user
 * dictionary's), and the surfaces and features of a line's tokens, read from the token arrays it fills.
 */
export abstract class MecabLatticeBase implements MecabLattice {
  abstract readonly bytes: Uint8Array;
  abstract readonly unitAt: Int32Array;
  abstract readonly tokenStart: Int32Array;
  abstract readonly tokenEnd: Int32Array;
  abstract readonly tokenIndex: Int32Array;
  abstract analyze(text: string): number;
  readonly unknownBase: number;
  readonly userBase: number;
  readonly entryCount: number;

  /** @param dictionary the dictionary to analyse with */
  constructor(readonly dictionary: MecabDictionary) {
    this.unknownBase = dictionary.system.tokenWords.length / 8;
    this.userBase = this.unknownBase + dictionary.unknown.tokenWords.length / 8;
    this.entryCount = this.userBase + (dictionary.user?.entries.surfaces.length ?? 0);
  }

  /** The surface of token i of the last line (see {@link surfaceOf}). */
  surface(text: string, i: number): string {
    return surfaceOf(text, this.bytes, this.unitAt, this.tokenStart[i]!, this.tokenEnd[i]!);
  }

  /** The feature string of token i of the last line (dicrc's `unk-feature` for unknown words when set). */
  feature(i: number): string {
    return this.entryFeature(this.tokenIndex[i]!);
  }

  /** The feature string of a token index (dicrc's `unk-feature` for unknown words when set). */
  entryFeature(token: number): string {
    const d = this.dictionary;
    if (token < this.unknownBase) return tokenFeature(d.system, token);
    if (token < this.userBase) return d.unknownFeature ?? tokenFeature(d.unknown, token - this.unknownBase);
    return d.user!.entries.features[token - this.userBase]!;
  }
}

/** Runs MeCab's analysis in JavaScript; one per thread (it keeps scratch arrays). */
export class MecabAnalyzer extends MecabLatticeBase {
  /** UTF-8 bytes of the last line, then a 0. */
  bytes = new Uint8Array(4096);
  /** The UTF-16 offset of each byte that starts a character (and of the end). */
  unitAt: Int32Array = new Int32Array(4096);
  /**
   * Byte ranges of the surfaces and token index of the last line's tokens. Token indices run over sys.dic's
   * tokens, then unk.dic's (from {@link unknownBase}), then the user dictionary's (from {@link userBase}).
   */
  tokenStart: Int32Array = new Int32Array(1024);
  tokenEnd: Int32Array = new Int32Array(1024);
  tokenIndex: Int32Array = new Int32Array(1024);

  private endHead: Int32Array = new Int32Array(4096);
  private nodeRight: Int32Array = new Int32Array(4096);
  private nodeCost = new Float64Array(4096);
  private nodePrev: Int32Array = new Int32Array(4096);
  private nodeEndNext: Int32Array = new Int32Array(4096);
  private nodeStart: Int32Array = new Int32Array(4096);
  private nodeEnd: Int32Array = new Int32Array(4096);
  private nodeToken: Int32Array = new Int32Array(4096);
  private nodes = 0;
  // The nodes a lookup made, in the order MeCab links them (newest first).
  private made: Int32Array = new Int32Array(256);
  private madeCount = 0;
  private path: Int32Array = new Int32Array(256);
  // The node of each predecessor the connector is given.
  private predNode: Int32Array = new Int32Array(256);
  private readonly connector: Connector;
  private readonly spaceInfo: number;
  // Left id, right id and cost of every token: sys.dic's, then unk.dic's.
  private readonly tokenLeft: Uint16Array;
  private readonly tokenRight: Uint16Array;
  private readonly tokenCost: Int16Array;

  /** @param dictionary the dictionary to analyse with */
  constructor(dictionary: MecabDictionary) {
    super(dictionary);
    this.spaceInfo = dictionary.charInfo[0x20]!;
    this.connector = new Connector(dictionary.matrix, dictionary.matrix.rightSize);
    const user = dictionary.user?.entries;
    const known = this.unknownBase;
    const unknown = this.userBase - known;
    this.tokenLeft = new Uint16Array(this.entryCount);
    this.tokenRight = new Uint16Array(this.entryCount);
    this.tokenCost = new Int16Array(this.entryCount);
    const fill = (words: Uint16Array, costs: Int16Array, count: number, at: number) => {
      for (let t = 0; t < count; t++) {
        this.tokenLeft[at + t] = words[8 * t]!;
        this.tokenRight[at + t] = words[8 * t + 1]!;
        this.tokenCost[at + t] = costs[8 * t + 3]!;
      }
    };
    fill(dictionary.system.tokenWords, dictionary.system.costs, known, 0);
    fill(dictionary.unknown.tokenWords, dictionary.unknown.costs, unknown, known);
    if (user) {
      this.tokenLeft.set(user.left, this.userBase);
      this.tokenRight.set(user.right, this.userBase);
      this.tokenCost.set(user.cost, this.userBase);
    }
  }

  /** Encodes `text` as UTF-8 into {@link bytes}, noting each character's UTF-16 offset; returns the byte length. */
  private encode(text: string): number {
    if (this.bytes.length < 3 * text.length + 1) {
      this.bytes = new Uint8Array(3 * text.length + 64);
      this.unitAt = new Int32Array(3 * text.length + 64);
    }
    return encodeLine(text, this.bytes, this.unitAt);
  }

  /**
   * The character at byte `at` (the line's bytes end at `end`): its char.bin word, and its byte length in
   * {@link charLength} — MeCab's `utf8_to_ucs2`, where a character beyond UCS-2 is code 0.
   */
  private charLength = 1;
  private charInfoAt(at: number, end: number): number {
    const bytes = this.bytes;
    const b = bytes[at]!;
    const left = end - at;
    let code: number;
    if (b < 0x80) {
      this.charLength = 1;
      code = b;
    } else if (left >= 2 && (b & 0xe0) === 0xc0) {
      this.charLength = 2;
      code = ((b & 0x1f) << 6) | (bytes[at + 1]! & 0x3f);
    } else if (left >= 3 && (b & 0xf0) === 0xe0) {
      this.charLength = 3;
      code = ((b & 0x0f) << 12) | ((bytes[at + 1]! & 0x3f) << 6) | (bytes[at + 2]! & 0x3f);
    } else if (left >= 4 && (b & 0xf8) === 0xf0) {
      this.charLength = 4;
      code = 0;
    } else {
      this.charLength = 1;
      code = 0;
    }
    return code < 0xffff ? this.dictionary.charInfo[code]! : 0;
  }

  private growNodes(needed: number): void {
    if (needed <= this.nodeRight.length) return;
    const size = Math.max(needed, this.nodeRight.length * 2);
    this.nodeRight = grownInt32(this.nodeRight, size);
    this.nodePrev = grownInt32(this.nodePrev, size);
    this.nodeEndNext = grownInt32(this.nodeEndNext, size);
    this.nodeStart = grownInt32(this.nodeStart, size);
    this.nodeEnd = grownInt32(this.nodeEnd, size);
    this.nodeToken = grownInt32(this.nodeToken, size);
    const cost = new Float64Array(size);
    cost.set(this.nodeCost);
    this.nodeCost = cost;
  }

  /** Makes a node for `token` over [surfaceStart, surfaceEnd); it is linked later. */
  private makeNode(token: number, surfaceStart: number, surfaceEnd: number): void {
    const k = this.nodes++;
    if (k >= this.nodeRight.length) this.growNodes(k + 1);
    this.nodeToken[k] = token;
    this.nodeStart[k] = surfaceStart;
    this.nodeEnd[k] = surfaceEnd;
    if (this.madeCount >= this.made.length) this.made = grownInt32(this.made, this.madeCount + 1);
    this.made[this.madeCount++] = k;
  }

  private addUnknown(category: number, surfaceStart: number, surfaceEnd: number): void {
    const tokens = this.dictionary.unknownTokens;
    const first = tokens[2 * category]!;
    for (let t = first, last = first + tokens[2 * category + 1]!; t < last; t++) this.makeNode(this.unknownBase + t, surfaceStart, surfaceEnd);
  }

  /** MeCab's `lookup` at byte `begin`: the nodes starting there, into {@link made} in creation order. */
  private lookup(begin: number, lineEnd: number): void {
    const d = this.dictionary;
    const bytes = this.bytes;
    const end = lineEnd - begin >= LOOKAHEAD_LIMIT ? begin + LOOKAHEAD_LIMIT : lineEnd;
    this.madeCount = 0;

    // Skip the space category (each character compared with the one before, as seekToOtherType does).
    let info = 0;
    let width = 0;
    let begin2 = begin;
    {
      let previous = this.spaceInfo;
      while (begin2 !== end) {
        info = this.charInfoAt(begin2, end);
        width = this.charLength;
        if ((previous & info & 0x3ffff) === 0) break;
        begin2 += width;
        previous = info;
      }
    }

    // Dictionary words: common prefixes of the bytes from begin2.
    const units = d.system.units;
    const unitCount = units.length >> 1;
    let b = units[0]!;
    for (let i = begin2; ; i++) {
      const n = units[2 * b]!;
      if (units[2 * b + 1] === b && n < 0) {
        const value = -n - 1;
        for (let t = value >>> 8, last = t + (value & 0xff); t < last; t++) this.makeNode(t, begin2, i);
      }
      if (i >= end) break;
      const p = b + bytes[i]! + 1;
      if (p >= unitCount || units[2 * p + 1] !== b) break;
      b = units[2 * p]!;
    }

    // The user dictionary's words after the system's, shortest first (MeCab searches its dictionaries in turn).
    const user = d.user;
    if (user && user.starts[bytes[begin2]!]) {
      for (let i = begin2, node = 0; i < end; ) {
        node = user.next(node, bytes[i++]!);
        if (node < 0) break;
        const first = user.first(node);
        if (first >= 0) for (let t = first, last = first + user.count(node); t < last; t++) this.makeNode(this.userBase + t, begin2, i);
      }
    }

    const invoke = (info >>> 31) & 1;
    if (this.madeCount > 0 && !invoke) return;
    const category = (info >>> 18) & 0xff;
    let begin3 = begin2 + width;
    let groupEnd = -1;
    if (begin3 > end) {
      this.addUnknown(category, begin2, begin3);
      if (this.madeCount > 0) return;
    }
    if ((info >>> 30) & 1) {
      // The run of characters of one category after the first (each compared with the one before).
      let p = begin3;
      let count = 0;
      let previous = info;
      while (p !== end) {
        const next = this.charInfoAt(p, end);
        if ((previous & next & 0x3ffff) === 0) break;
        p += this.charLength;
        count++;
        previous = next;
      }
      if (count <= d.maxGroupingSize) this.addUnknown(category, begin2, p);
      groupEnd = p;
    }
    const length = (info >>> 26) & 0xf;
    for (let i = 1; i <= length; i++) {
      if (begin3 > end) break;
      if (begin3 === groupEnd) continue;
      this.addUnknown(category, begin2, begin3);
      const next = this.charInfoAt(begin3, end);
      if ((info & next & 0x3ffff) === 0) break;
      begin3 += this.charLength;
    }
    if (this.madeCount === 0) this.addUnknown(category, begin2, begin3);
  }

  /**
   * Analyses one line.
   * @param text the line (no line break)
   * @returns the number of tokens, described by {@link tokenStart}, {@link tokenEnd} (bytes of
   *   {@link bytes}; {@link unitAt} maps them to the line's UTF-16 offsets) and {@link tokenIndex}
   */
  analyze(text: string): number {
    const length = this.encode(text);
    const matrix = this.dictionary.matrix;
    if (this.endHead.length < length + 2) this.endHead = new Int32Array(2 * length + 2);
    const endHead = this.endHead;
    endHead.fill(NO_NODE, 0, length + 1);
    this.growNodes(64);
    // Node 0: the beginning of the line (right id 0, cost 0).
    this.nodes = 1;
    this.nodeRight[0] = 0;
    this.nodeCost[0] = 0;
    this.nodePrev[0] = NO_NODE;
    this.nodeEndNext[0] = NO_NODE;
    endHead[0] = 0;

    for (let pos = 0; pos < length; pos++) {
      if (endHead[pos] === NO_NODE) continue;
      this.lookup(pos, length);
      const made = this.made;
      const nodeCost = this.nodeCost;
      const nodeRight = this.nodeRight;
      const nodeEndNext = this.nodeEndNext;
      const nodeEnd = this.nodeEnd;
      const nodeToken = this.nodeToken;
      const tokenLeft = this.tokenLeft;
      const connector = this.connector;
      // The predecessors side by side, in list order.
      let preds = 0;
      for (let j = endHead[pos]!; j !== NO_NODE; j = nodeEndNext[j]!) {
        if (preds === this.predNode.length) this.predNode = grownInt32(this.predNode, preds + 1);
        if (preds === connector.predRight.length) connector.reserve(preds + 1, 0);
        connector.predRight[preds] = nodeRight[j]!;
        connector.predCost[preds] = nodeCost[j]!;
        this.predNode[preds] = j;
        preds++;
      }
      // MeCab links the nodes newest first and connects them in that order; the matrix rows they need are read.
      const count = this.madeCount;
      connector.reserve(0, count);
      const madeLeft = connector.madeLeft;
      for (let i = 0; i < count; i++) {
        const left = tokenLeft[nodeToken[made[count - 1 - i]!]!]!;
        madeLeft[i] = left;
        if (!matrix.hasRow(left)) matrix.loadRow(left);
      }
      connector.connect(preds, count);
      const madeBest = connector.madeBest;
      const madeAt = connector.madeAt;
      for (let i = 0; i < count; i++) {
        const k = made[count - 1 - i]!;
        const t = nodeToken[k]!;
        const at = madeAt[i]!;
        nodeCost[k] = madeBest[i]! + this.tokenCost[t]!;
        this.nodePrev[k] = at < 0 ? NO_NODE : this.predNode[at]!;
        nodeRight[k] = this.tokenRight[t]!;
        const x = nodeEnd[k]!;
        if (x > length) {
          nodeEndNext[k] = NO_NODE; // past the end of the line: never a predecessor
        } else {
          nodeEndNext[k] = endHead[x]!;
          endHead[x] = k;
        }
      }
    }

    // The end of the line joins the last position a node reaches (left id 0).
    let last = NO_NODE;
    let lastPos = length;
    while (lastPos > 0 && endHead[lastPos] === NO_NODE) lastPos--;
    {
      let best = Infinity;
      for (let j = endHead[lastPos]!; j !== NO_NODE; j = this.nodeEndNext[j]!) {
        const c = this.nodeCost[j]! + matrix.cost(0, this.nodeRight[j]!);
        if (c < best) {
          best = c;
          last = j;
        }
      }
    }
    let steps = 0;
    for (let k = last; k > 0; k = this.nodePrev[k]!) {
      if (steps >= this.path.length) this.path = grownInt32(this.path, steps + 1);
      this.path[steps++] = k;
    }
    if (this.tokenStart.length < steps) {
      this.tokenStart = grownInt32(this.tokenStart, steps);
      this.tokenEnd = grownInt32(this.tokenEnd, steps);
      this.tokenIndex = grownInt32(this.tokenIndex, steps);
    }
    for (let i = 0; i < steps; i++) {
      const k = this.path[steps - 1 - i]!;
      this.tokenStart[i] = this.nodeStart[k]!;
      this.tokenEnd[i] = this.nodeEnd[k]!;
      this.tokenIndex[i] = this.nodeToken[k]!;
    }
    return steps;
  }
}
