// The Japanese lattice of the built-in dictionary in WebAssembly: exactly what src/text/ja/lattice.ts does
// (kuromoji 0.1.2's rules: pieces cut after 、 and 。, code points as positions, unknown words as long as
// their UTF-16 length, the first cheapest predecessor in the order nodes were added, kuromoji's path when
// nothing reaches the end), on the dictionary image held in a shared WebAssembly.Memory, so that every
// thread reads one copy. That file explains the rules; this one follows it line by line, with the nodes
// laid out one record each (cost, right id, previous, next), and the nodes ending at a position copied side
// by side before its words are looked up, so that each left id's scan of them reads no chain of links.
//
// Each thread instantiates the module once: `setDictionary` points it at the image's sections, then for each
// line `textBuffer(length)` gives where to write its UTF-16 units and `analyze(length)` the token count;
// tokens are at `tokenStarts()`, `tokenEnds()`, `tokenEntries()`. Scratch memory is taken with memory.grow
// (atomic on a shared memory, so threads never share a region) and grown by doubling.

import { allocate, at32, moved, set32 } from './regions';
import { isSpaceCode, surfaces } from './surfaces';
export { surfaceBuffer } from './surfaces';

const IDEOGRAPHIC_COMMA: i32 = 0x3001;
const IDEOGRAPHIC_FULL_STOP: i32 = 0x3002;
const CLASS_INVOKE: i32 = 1;
const CLASS_GROUP: i32 = 2;
// A trie value: (first entry << VALUE_COUNT_BITS) | number of entries (src/text/ja/dictionaryImage.ts).
const VALUE_COUNT_BITS: i32 = 6;
const VALUE_COUNT_MASK: i32 = (1 << VALUE_COUNT_BITS) - 1;
// Path costs are sums of i16 costs, exact in i64 as in kuromoji's doubles. kuromoji's Infinity (a node no
// path reaches) is UNREACHABLE: far above any real sum, and still above REACHABLE_BELOW after any costs are
// added to it; a scan that finds no cost below REACHABLE_BELOW finds no predecessor, as Infinity < Infinity
// finds none in kuromoji. NOTHING starts a scan.
const UNREACHABLE: i64 = 1 << 62;
const REACHABLE_BELOW: i64 = 1 << 61;
const NOTHING: i64 = 0x7fffffffffffffff;

// ---- the dictionary (byte addresses of the image's sections) ----
let trie: usize = 0; // i32 × 3 a node: base, check, value
let trieSize: u32 = 0; // nodes
let charCode: usize = 0; // u16 per UTF-16 unit
let entries: usize = 0; // i16 × 4 an entry: left, right, cost, part of speech
let cost: usize = 0; // i16, [left * rightSize + right]
let rightSize: i32 = 0;
let leftSize: i32 = 0;
let charClass: usize = 0; // u8 per UTF-16 unit
let classFlags: usize = 0; // u8 per class
let unkStart: usize = 0; // i32 per class + 1
let unkEntries: usize = 0; // i32
let defaultClass: i32 = 0;
let startRight: i32 = 0;
let endLeft: i32 = 0;

// ---- scratch ----
let text: usize = 0; // u16 × textCapacity
let textCapacity: i32 = 0;
// Per code point of the current piece: its UTF-16 offset (i32), class (u8), end of its class run (i32).
let offset: usize = 0;
let classOf: usize = 0;
let codeOf: usize = 0; // i32 per code point: its trie code (0: in no word; a surrogate pair is in none)
let runEnd: usize = 0;
let pointCapacity: i32 = 0;
// Heads and tails of the lists of nodes ending at each position (i32).
let endHead: usize = 0;
let endTail: usize = 0;
let endCapacity: i32 = 0;
// Nodes, NODE_BYTES each: cost i64, right i32, prev i32, next i32, entry i32, start i32, end i32.
const NODE_BYTES: usize = 32;
let nodes: usize = 0;
let nodeCapacity: i32 = 0;
let nodeCount: i32 = 0;
// The nodes ending at the current position side by side, in the order they were added, PRED_BYTES each:
// cost i64, right i32, node i32 — so that each left id's scan reads independent loads, not a chain.
const PRED_BYTES: usize = 16;
let preds: usize = 0;
let predCapacity: i32 = 0;
let predCount: i32 = 0;
// Per left id, LEFT_BYTES each: the cheapest predecessor's cost i64, stamp i32, predecessor i32.
const LEFT_BYTES: usize = 16;
let lefts: usize = 0;
let stamp: i32 = 0;
let path: usize = 0; // i32
let pathCapacity: i32 = 0;
// Tokens of the last analysis (i32 each).
let tokenStart: usize = 0;
let tokenEnd: usize = 0;
let tokenEntry: usize = 0;
let tokenCapacity: i32 = 0;

/** Points the analyser at the image's sections (byte addresses in this memory) and sizes. */
export function setDictionary(
  trie_: usize, trieSize_: u32, charCode_: usize, entries_: usize, cost_: usize,
  rightSize_: i32, leftSize_: i32, charClass_: usize, classFlags_: usize, unkStart_: usize, unkEntries_: usize,
  defaultClass_: i32, startRight_: i32, endLeft_: i32,
): void {
  trie = trie_;
  trieSize = trieSize_;
  charCode = charCode_;
  entries = entries_;
  cost = cost_;
  rightSize = rightSize_;
  leftSize = leftSize_;
  charClass = charClass_;
  classFlags = classFlags_;
  unkStart = unkStart_;
  unkEntries = unkEntries_;
  defaultClass = defaultClass_;
  startRight = startRight_;
  endLeft = endLeft_;
  lefts = allocate(<usize>leftSize * LEFT_BYTES);
  memory.fill(lefts, 0, <usize>leftSize * LEFT_BYTES);
  stamp = 0;
  nodeCapacity = 1 << 16;
  nodes = allocate(<usize>nodeCapacity * NODE_BYTES);
  growTokens(1 << 12, 0);
  growPath(1 << 10);
}

function growTokens(needed: i32, keep: i32): void {
  if (needed <= tokenCapacity) return;
  const capacity = max(needed, tokenCapacity * 2);
  const used = <usize>keep << 2;
  const bytes = <usize>capacity << 2;
  tokenStart = moved(tokenStart, used, bytes);
  tokenEnd = moved(tokenEnd, used, bytes);
  tokenEntry = moved(tokenEntry, used, bytes);
  tokenCapacity = capacity;
}

function growPath(needed: i32): void {
  if (needed <= pathCapacity) return;
  pathCapacity = max(needed, pathCapacity * 2);
  path = allocate(<usize>pathCapacity << 2);
}

function growPreds(needed: i32): void {
  if (needed <= predCapacity) return;
  const capacity = max(needed, max(predCapacity * 2, 256));
  preds = moved(preds, <usize>predCapacity * PRED_BYTES, <usize>capacity * PRED_BYTES);
  predCapacity = capacity;
}

function growNodes(needed: i32): void {
  if (needed <= nodeCapacity) return;
  const capacity = max(needed, nodeCapacity * 2);
  nodes = moved(nodes, <usize>nodeCount * NODE_BYTES, <usize>capacity * NODE_BYTES);
  nodeCapacity = capacity;
}

/** Where to write a line of `length` UTF-16 units before {@link analyze}. */
export function textBuffer(length: i32): usize {
  if (length > textCapacity) {
    textCapacity = max(length, max(textCapacity * 2, 1 << 16));
    text = allocate(<usize>textCapacity << 1);
  }
  return text;
}

export function tokenStarts(): usize {
  return tokenStart;
}

export function tokenEnds(): usize {
  return tokenEnd;
}

export function tokenEntries(): usize {
  return tokenEntry;
}

// ---- the surfaces as `tokenize` prints them (at assembly/surfaces.ts's buffer) ----

/**
 * Writes the surfaces of the last analysis's `count` tokens at {@link surfaceBuffer} as UTF-8, one space
 * between them and a newline after, leaving out tokens of whitespace alone: what `tokenize --pos all
 * --no-base-form` prints of the line. A lone surrogate is written as U+FFFD. Returns the bytes written.
 */
export function writeSurfaces(count: i32): i32 {
  let at = surfaces;
  let written = 0;
  for (let i = 0; i < count; i++) {
    const start = at32(tokenStart, i);
    const end = at32(tokenEnd, i);
    let blank = true;
    for (let u = start; u < end && blank; u++) blank = isSpaceCode(unit(u));
    if (blank) continue;
    if (written++ > 0) store<u8>(at++, 0x20);
    for (let u = start; u < end; u++) {
      let c = unit(u);
      if (c < 0x80) {
        store<u8>(at++, <u8>c);
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const low = u + 1 < end ? unit(u + 1) : 0;
        if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
          const point = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          store<u8>(at, <u8>(0xf0 | (point >> 18)));
          store<u8>(at, <u8>(0x80 | ((point >> 12) & 0x3f)), 1);
          store<u8>(at, <u8>(0x80 | ((point >> 6) & 0x3f)), 2);
          store<u8>(at, <u8>(0x80 | (point & 0x3f)), 3);
          at += 4;
          u++;
          continue;
        }
        c = 0xfffd;
      }
      if (c < 0x800) {
        store<u8>(at, <u8>(0xc0 | (c >> 6)));
        store<u8>(at, <u8>(0x80 | (c & 0x3f)), 1);
        at += 2;
      } else {
        store<u8>(at, <u8>(0xe0 | (c >> 12)));
        store<u8>(at, <u8>(0x80 | ((c >> 6) & 0x3f)), 1);
        store<u8>(at, <u8>(0x80 | (c & 0x3f)), 2);
        at += 3;
      }
    }
  }
  store<u8>(at++, 0x0a);
  return <i32>(at - surfaces);
}

// @ts-ignore: decorator
@inline function unit(i: i32): i32 {
  return <i32>load<u16>(text + (<usize>i << 1));
}

// @ts-ignore: decorator
@inline function node(k: i32): usize {
  return nodes + <usize>k * NODE_BYTES;
}

/** Analyses the line written at {@link textBuffer}; returns the number of tokens. */
export function analyze(length: i32): i32 {
  let count = 0;
  let start = 0;
  for (let i = 0; i < length; i++) {
    const c = unit(i);
    if (c == IDEOGRAPHIC_COMMA || c == IDEOGRAPHIC_FULL_STOP) {
      count = analyzePiece(start, i + 1, count);
      start = i + 1;
    }
  }
  if (start < length) count = analyzePiece(start, length, count);
  return count;
}

function analyzePiece(from: i32, to: i32, count: i32): i32 {
  // Code points: offsets and classes (a high surrogate takes the next unit with it, as kuromoji does).
  if (pointCapacity < to - from + 2) {
    pointCapacity = max((to - from) * 2 + 2, 1 << 12);
    offset = allocate(<usize>pointCapacity << 2);
    classOf = allocate(<usize>pointCapacity);
    codeOf = allocate(<usize>pointCapacity << 2);
    runEnd = allocate(<usize>pointCapacity << 2);
  }
  let n = 0;
  for (let u = from; u < to; n++) {
    set32(offset, n, u);
    const c = unit(u);
    if (c >= 0xd800 && c <= 0xdbff) {
      store<u8>(classOf + n, <u8>defaultClass);
      set32(codeOf, n, <i32>load<u16>(charCode + (<usize>c << 1)));
      u += 2;
    } else {
      store<u8>(classOf + n, load<u8>(charClass + c));
      set32(codeOf, n, <i32>load<u16>(charCode + (<usize>c << 1)));
      u += 1;
    }
  }
  set32(offset, n, to);
  set32(runEnd, n - 1, n);
  for (let p = n - 2; p >= 0; p--) {
    set32(runEnd, p, load<u8>(classOf + p + 1) == load<u8>(classOf + p) ? at32(runEnd, p + 1) : p + 1);
  }

  // Ends can reach past n: an unknown word counts its UTF-16 length.
  const ends = 2 * n + 2;
  if (endCapacity < ends) {
    endCapacity = max(ends * 2, 1 << 12);
    endHead = allocate(<usize>endCapacity << 2);
    endTail = allocate(<usize>endCapacity << 2);
  }
  memory.fill(endHead, 0xff, <usize>ends << 2);

  nodeCount = 1;
  const first = node(0);
  store<i64>(first, 0);
  store<i32>(first, startRight, 8);
  store<i32>(first, -1, 12);
  store<i32>(first, -1, 16);
  set32(endHead, 0, 0);
  set32(endTail, 0, 0);
  let maxEnd = 1;

  for (let p = 0; p < n; p++) {
    if (++stamp == 0x7fffffff) {
      for (let l = 0; l < leftSize; l++) store<i32>(lefts + <usize>l * LEFT_BYTES, 0, 8);
      stamp = 1;
    }
    let count = 0;
    for (let j = at32(endHead, p); j != -1; count++) {
      if (count == predCapacity) growPreds(count + 1);
      const record = node(j);
      const q = preds + <usize>count * PRED_BYTES;
      store<i64>(q, load<i64>(record));
      store<i32>(q, load<i32>(record, 8), 8);
      store<i32>(q, j, 12);
      j = load<i32>(record, 16);
    }
    predCount = count;
    let found = false;
    const startUnit = at32(offset, p);
    // Dictionary words starting at p: walk the trie over p, p+1, … (a surrogate, in no word, ends it).
    let at = 0;
    for (let q = p; q < n; q++) {
      const code = at32(codeOf, q);
      if (code == 0) break;
      const child = load<i32>(trie + <usize>at * 12) + code;
      if (<u32>child >= trieSize || load<i32>(trie + <usize>child * 12, 4) != at) break;
      at = child;
      const value = load<i32>(trie + <usize>child * 12, 8);
      if (value >= 0) {
        const end = q + 1;
        const endUnit = at32(offset, end);
        for (let e = value >> VALUE_COUNT_BITS, last = e + (value & VALUE_COUNT_MASK); e < last; e++) {
          addNode(p, end, e, startUnit, endUnit);
        }
        if (end > maxEnd) maxEnd = end;
        found = true;
      }
    }

    // Unknown-word candidates.
    const cls = <i32>load<u8>(classOf + p);
    const flags = <i32>load<u8>(classFlags + cls);
    if (!found || (flags & CLASS_INVOKE) != 0) {
      let end: i32;
      let surfaceEnd: i32;
      const run = at32(runEnd, p);
      if ((flags & CLASS_GROUP) != 0 && run - p >= 2) {
        surfaceEnd = at32(offset, run);
        end = p + (surfaceEnd - startUnit);
      } else {
        surfaceEnd = at32(offset, p + 1);
        end = p + 1;
      }
      for (let k = at32(unkStart, cls), last = at32(unkStart, cls + 1); k < last; k++) {
        addNode(p, end, at32(unkEntries, k), startUnit, surfaceEnd);
      }
      if (end > maxEnd) maxEnd = end;
    }
  }

  // The end of the piece: the cheapest node ending last.
  const endRow = <usize>endLeft * <usize>rightSize;
  let best = NOTHING;
  let last = -1;
  for (let k = at32(endHead, maxEnd); k != -1; k = load<i32>(node(k), 16)) {
    const record = node(k);
    const c = load<i64>(record) + <i64>load<i16>(cost + ((endRow + <usize>load<i32>(record, 8)) << 1));
    if (c < best) {
      best = c;
      last = k;
    }
  }
  if (best >= REACHABLE_BELOW) last = -1;
  if (last == -1) {
    // Nothing reaches the end: the predecessor of the last reachable node in kuromoji's order.
    for (let end = maxEnd; end > 0 && last == -1; end--) {
      for (let k = at32(endHead, end); k != -1; k = load<i32>(node(k), 16)) if (load<i64>(node(k)) < REACHABLE_BELOW) last = k;
    }
    if (last == -1) return count;
    last = load<i32>(node(last), 12);
  }
  let steps = 0;
  for (let k = last; k > 0; k = load<i32>(node(k), 12)) {
    if (steps >= pathCapacity) {
      const old = path;
      const used = <usize>steps << 2;
      pathCapacity = max(steps + 1, pathCapacity * 2);
      path = moved(old, used, <usize>pathCapacity << 2);
    }
    set32(path, steps++, k);
  }
  growTokens(count + steps, count);
  for (let i = steps - 1; i >= 0; i--) {
    const record = node(at32(path, i));
    set32(tokenStart, count, load<i32>(record, 24));
    set32(tokenEnd, count, load<i32>(record, 28));
    set32(tokenEntry, count, load<i32>(record, 20));
    count++;
  }
  return count;
}

/** Adds a node for `entry` over positions [p, end) and text [surfaceStart, surfaceEnd); links its cheapest predecessor. */
// @ts-ignore: decorator
@inline function addNode(p: i32, end: i32, entry: i32, surfaceStart: i32, surfaceEnd: i32): void {
  const k = nodeCount++;
  if (k >= nodeCapacity) growNodes(k + 1);
  const word = entries + (<usize>entry << 3);
  const left = <i32>load<i16>(word);
  const cached = lefts + <usize>left * LEFT_BYTES;
  let best: i64;
  let prev: i32;
  if (load<i32>(cached, 8) == stamp) {
    best = load<i64>(cached);
    prev = load<i32>(cached, 12);
  } else {
    const row = cost + ((<usize>left * <usize>rightSize) << 1);
    best = NOTHING;
    let at = -1;
    for (let i = 0; i < predCount; i++) {
      const q = preds + <usize>i * PRED_BYTES;
      const c = load<i64>(q) + <i64>load<i16>(row + (<usize>load<i32>(q, 8) << 1));
      const less = c < best;
      at = select<i32>(i, at, less);
      best = select<i64>(c, best, less);
    }
    prev = at < 0 ? -1 : load<i32>(preds + <usize>at * PRED_BYTES, 12);
    if (best >= REACHABLE_BELOW) {
      best = UNREACHABLE;
      prev = -1;
    }
    store<i64>(cached, best);
    store<i32>(cached, stamp, 8);
    store<i32>(cached, prev, 12);
  }
  const record = node(k);
  store<i64>(record, best + <i64>load<i16>(word, 4));
  store<i32>(record, <i32>load<i16>(word, 2), 8);
  store<i32>(record, prev, 12);
  store<i32>(record, -1, 16);
  store<i32>(record, entry, 20);
  store<i32>(record, surfaceStart, 24);
  store<i32>(record, surfaceEnd, 28);
  const tail = at32(endTail, end);
  if (at32(endHead, end) == -1) set32(endHead, end, k);
  else store<i32>(node(tail), k, 16);
  set32(endTail, end, k);
}
