// MeCab's analysis of a line over a compiled MeCab dictionary in WebAssembly: exactly what
// src/text/ja/mecabLattice.ts does in JavaScript (that file gives MeCab's rules: the lattice over UTF-8 bytes,
// spaces skipped into the next node's span, dictionary words as common prefixes, unknown words by character
// category, the cheapest predecessor, the last added among equals), followed line by line, so that the
// whole line is analysed without a call back into JavaScript for each position.
//
// The memory is the connection matrix's shared one. The dictionary's tables (sys.dic's double array and
// tokens, read straight into it; unk.dic's tokens and char.bin's words, copied there) lie in it once per
// process, and every thread reads them. Each thread instantiates the module once: `setDictionary` points it at the tables,
// `setUser`, `addUserTransition`, `setUserNode` and `setUserWord` give it a user dictionary; then for each
// line `textBuffer(bytes)` gives where to write the line's UTF-8 bytes (and a 0 after them) and
// `analyze(bytes)` the token count; the tokens (byte ranges and token indices) are at `tokenStarts()`,
// `tokenEnds()`, `tokenIndices()`. Scratch is taken with memory.grow (atomic on a shared memory, so threads
// never share a region) and grown by doubling.
//
// The matrix's rows. A small matrix was read whole, each row as the file holds it. A big one (UniDic's is
// 480 MB) is read a row at a time as the text needs it, and there, where fresh memory costs a page fault per
// 4 KB (2–12 µs on a VM, as busy as the host is), each row keeps only the costs of the columns (a predecessor's
// right id) the text has met, in the order it met them: a column gets the next place when a node first
// carries it, a row holds the places up to its `covered` count, and a row that lacks a place it is asked
// for is filled (a page's worth of places at a time, up to the places given so far) from the file's row,
// read by the imported `readRow` into this thread's cache of the rows it read last. The columns met first
// (particles, endings, punctuation) are the ones met most, so the costs read most lie in the first page of
// each row (rows kept in the file's order read 1.5× slower even once in memory: their costs lie apart); the later pages are written only when the text leads there. With the matrix's cached head
// (`setHead`, src/text/ja/matrixHead.ts) every column has its place before the text starts, and the places of
// a row's first pages are read from the head straight into the row. Places and rows are shared by the threads: they are given and filled under
// one lock, and a row's `covered` count is stored after its costs (atomics, so a reader that sees the count
// sees the costs). A small matrix's places are its columns, every row covered.

import { allocate, at32, moved, set32 } from './regions';
import { makeUserRoom, userCounts, userFirsts, userNext, userStarts, userWords } from './userTrie';
export { addUserTransition, setUserNode, setUserWord } from './userTrie';
import { isSpaceCode, surfaces } from './surfaces';
export { surfaceBuffer } from './surfaces';

/** Reads row `row` of the matrix as the file holds it (leftSize costs) to `at`. */
@external("env", "readRow")
declare function readRow(row: i32, at: usize): void;

/**
 * Reads the costs of places `from` … `to` − 1 of row `row` from the matrix's head (see {@link setHead}) to
 * `at` + 2 · from: in the rows' own order, so straight into the row.
 */
@external("env", "readHead")
declare function readHead(row: i32, from: i32, to: i32, at: usize): void;

const NO_NODE: i32 = -1;
// Path costs are sums of i16 costs, exact in i64 (MeCab's long). NOTHING starts a scan: a position's
// predecessors always exist, so a scan always finds one below it.
const NOTHING: i64 = 0x7fffffffffffffff;
/** MeCab looks at most this many bytes ahead of a position. */
const LOOKAHEAD_LIMIT: i32 = 65535;
const CATEGORY_BITS: u32 = 0x3ffff;
/** A sys.dic or unk.dic token: left id u16, right id u16, part of speech u16, cost i16, feature u32, compound u32. */
const TOKEN_BYTES: usize = 16;

// ---- the dictionary (shared) ----
let rows: usize = 0; // the rows (i16 × leftSize a row, by place)
let leftSize: i32 = 0; // columns
let rowCount: i32 = 0;
// The column state (see above): lock i32, places given i32, place of each column i32 (-1: none yet),
// column of each place i32, covered places of each row i32.
let columnLock: usize = 0;
let placesGiven: usize = 0;
let placeOf: usize = 0;
let columnAt: usize = 0;
let covered: usize = 0;
// False for a matrix read whole (its rows at address 0): every column is its own place, every row covered.
let compact = true;
let units: usize = 0; // i32 × 2 a unit: base, check
let unitCount: u32 = 0;
// Per UCS-2 code (i32): the double array's base after the code's UTF-8 bytes from the root, so that a
// lookup takes a word's first character in one load instead of a walk of up to three bytes (each a miss
// in a 20 MB array); NO_KEY when no key starts with it, WALK when a key ends inside its bytes (JUMAN has
// such keys) and the bytes are walked one by one.
let firstBase: usize = 0;
const NO_KEY: i32 = -1;
const WALK: i32 = -2;
let charInfo: usize = 0; // u32 per UCS-2 code 0 … 0xfffe
let systemTokens: usize = 0;
let unknownTokens: usize = 0;
let unknownBase: i32 = 0;
let userBase: i32 = 0x7fffffff;
let categoryTokens: usize = 0; // i32 × 2 a category: its first unknown-word token, how many
let spaceInfo: u32 = 0;
let maxGroupingSize: i32 = 24;

// ---- a user dictionary (assembly/userTrie.ts, over bytes), searched after sys.dic ----
let hasUser = false;

// ---- scratch ----
let bytes: usize = 0; // u8 × byteCapacity
let byteCapacity: i32 = 0;
let endHead: usize = 0; // i32 per byte position
let endCapacity: i32 = 0;
// Nodes, NODE_BYTES each: cost i64, right i32 (its column's place), prev i32, endNext i32, start i32, end
// i32, token i32. Until a node is connected, cost holds its token's own cost and prev its left id.
const NODE_BYTES: usize = 32;
let nodes: usize = 0;
let nodeCapacity: i32 = 0;
let nodeCount: i32 = 0;
// The nodes a lookup made, in creation order (i32).
let made: usize = 0;
let madeCapacity: i32 = 0;
let madeCount: i32 = 0;
// The predecessors at a position, in list order: right i32, node i32, cost i64 (PRED_BYTES each).
const PRED_BYTES: usize = 16;
let preds: usize = 0;
let predCapacity: i32 = 0;
// Per left id, LEFT_BYTES each: the cheapest cost i64, stamp i32, predecessor index i32 (valid when stamped).
const LEFT_BYTES: usize = 16;
let lefts: usize = 0;
let stamp: i32 = 0;
let path: usize = 0; // i32
let pathCapacity: i32 = 0;
// Tokens of the last analysis (i32 each): byte ranges and token indices.
let tokenStart: usize = 0;
let tokenEnd: usize = 0;
let tokenIndex: usize = 0;
let tokenCapacity: i32 = 0;
// The byte length of the character charInfoAt read last.
let charLength: i32 = 1;

// @ts-ignore: decorator
@inline function node(k: i32): usize {
  return nodes + <usize>k * NODE_BYTES;
}

/**
 * Points the analyser at the matrix and the dictionary's tables (byte addresses in this memory).
 * @param rows_ the rows; a row holds `leftSize_` costs; there are `rowCount_` rows
 * @param columnState the column state (see above; 0 for a matrix read whole, which has none)
 * @param units_ the double array of sys.dic, `unitCount_` units
 * @param charInfo_ char.bin's word per UCS-2 code
 * @param systemTokens_ sys.dic's tokens; `unknownTokens_` unk.dic's, whose indices start at `unknownBase_`
 * @param categoryTokens_ per character category: its first unknown-word token and how many
 * @param userBase_ where a user dictionary's indices start (after unk.dic's)
 */
export function setDictionary(
  rows_: usize, leftSize_: i32, rowCount_: i32, columnState: usize, units_: usize, unitCount_: u32, charInfo_: usize,
  systemTokens_: usize, unknownTokens_: usize, unknownBase_: i32, categoryTokens_: usize, userBase_: i32, maxGroupingSize_: i32,
): void {
  rows = rows_;
  leftSize = leftSize_;
  rowCount = rowCount_;
  columnLock = columnState;
  placesGiven = columnState + 4;
  placeOf = columnState + 8;
  columnAt = placeOf + (<usize>leftSize << 2);
  covered = columnAt + (<usize>leftSize << 2);
  compact = rows != 0;
  units = units_;
  unitCount = unitCount_;
  charInfo = charInfo_;
  systemTokens = systemTokens_;
  unknownTokens = unknownTokens_;
  unknownBase = unknownBase_;
  categoryTokens = categoryTokens_;
  userBase = userBase_;
  maxGroupingSize = maxGroupingSize_;
  spaceInfo = load<u32>(charInfo + (0x20 << 2));
  buildFirstBase();
  lefts = allocate(<usize>rowCount * LEFT_BYTES);
  memory.fill(lefts, 0, <usize>rowCount * LEFT_BYTES);
  stamp = 0;
  growNodes(1 << 12);
  growMade(256);
  growPreds(256);
  growTokens(1 << 10);
  growPath(1 << 10, 0);
}

/** The base of the double array's unit reached from `b` by `byte`, or NO_KEY when there is none. */
// @ts-ignore: decorator
@inline function child(b: i32, byte: i32): i32 {
  const p = b + byte + 1;
  if (<u32>p >= unitCount || load<i32>(units + (<usize>p << 3), 4) != b) return NO_KEY;
  return load<i32>(units + (<usize>p << 3));
}

/** True when unit `b` ends a key (its terminal holds a value). */
// @ts-ignore: decorator
@inline function endsKey(b: i32): bool {
  if (<u32>b >= unitCount) return false;
  const unit = units + (<usize>b << 3);
  return load<i32>(unit, 4) == b && load<i32>(unit) < 0;
}

/** Fills {@link firstBase} for every UCS-2 code, walking its UTF-8 bytes from the root. */
function buildFirstBase(): void {
  firstBase = allocate(65536 << 2);
  const root = load<i32>(units);
  for (let code = 0; code < 65536; code++) {
    let length = 1;
    let b0 = code;
    let b1 = 0;
    let b2 = 0;
    if (code >= 0x800) {
      length = 3;
      b0 = 0xe0 | (code >> 12);
      b1 = 0x80 | ((code >> 6) & 0x3f);
      b2 = 0x80 | (code & 0x3f);
    } else if (code >= 0x80) {
      length = 2;
      b0 = 0xc0 | (code >> 6);
      b1 = 0x80 | (code & 0x3f);
    }
    // An empty key (the root's own value) is matched before any byte: the walk keeps it.
    let b = endsKey(root) ? WALK : child(root, b0);
    if (length > 1 && b >= 0) b = endsKey(b) ? WALK : child(b, b1);
    if (length > 2 && b >= 0) b = endsKey(b) ? WALK : child(b, b2);
    store<i32>(firstBase + (<usize>code << 2), b);
  }
}

/**
 * Makes room for a user dictionary of `words` words over a trie of `nodeCount` nodes and `transitions`
 * transitions (its indices start at the `userBase` given to {@link setDictionary}); then
 * {@link addUserTransition}, {@link setUserNode} and {@link setUserWord} fill it.
 */
export function setUser(words: i32, nodeCount: i32, transitions: i32): void {
  hasUser = true;
  makeUserRoom(words, nodeCount, transitions, 256);
}

/** Where to write a line of `length` UTF-8 bytes, and a 0 after them, before {@link analyze}. */
export function textBuffer(length: i32): usize {
  if (length + 1 > byteCapacity) {
    byteCapacity = max(length + 1, max(byteCapacity * 2, 1 << 16));
    bytes = allocate(<usize>byteCapacity);
  }
  return bytes;
}

export function tokenStarts(): usize {
  return tokenStart;
}

export function tokenEnds(): usize {
  return tokenEnd;
}

export function tokenIndices(): usize {
  return tokenIndex;
}

// ---- the surfaces as `tokenize` prints them (at assembly/surfaces.ts's buffer) ----

/** Back from byte `at` to the start of its character (a key may end inside one: JUMAN has such keys). */
// @ts-ignore: decorator
@inline function characterStart(at: i32): i32 {
  while (at > 0 && (<i32>load<u8>(bytes + <usize>at) & 0xc0) == 0x80) at--;
  return at;
}

/** Whether the UTF-8 bytes [start, end) (whole characters) are whitespace alone, as JavaScript's `\s` sees it. */
function isBlank(start: i32, end: i32): bool {
  for (let at = start; at < end; ) {
    // Every whitespace character is below U+10000: a four-byte character ends the test.
    const b = <i32>load<u8>(bytes + <usize>at);
    let c: i32;
    if (b < 0x80) {
      c = b;
      at++;
    } else if ((b & 0xe0) == 0xc0) {
      c = ((b & 0x1f) << 6) | (<i32>load<u8>(bytes + <usize>at, 1) & 0x3f);
      at += 2;
    } else if ((b & 0xf0) == 0xe0) {
      c = ((b & 0x0f) << 12) | ((<i32>load<u8>(bytes + <usize>at, 1) & 0x3f) << 6) | (<i32>load<u8>(bytes + <usize>at, 2) & 0x3f);
      at += 3;
    } else {
      return false;
    }
    if (!isSpaceCode(c)) return false;
  }
  return true;
}

/**
 * Writes the surfaces of the last analysis's `count` tokens at {@link surfaceBuffer}: the line's own bytes
 * from the start of the character each token starts in to the start of the one it ends in, one space
 * between them and a newline after, tokens of whitespace alone left out: what `tokenize --pos all
 * --no-base-form` prints of the line. Returns the bytes written.
 */
export function writeSurfaces(count: i32): i32 {
  let at = surfaces;
  let written = 0;
  for (let i = 0; i < count; i++) {
    const start = characterStart(at32(tokenStart, i));
    const end = characterStart(at32(tokenEnd, i));
    if (isBlank(start, end)) continue;
    if (written++ > 0) store<u8>(at++, 0x20);
    memory.copy(at, bytes + <usize>start, <usize>(end - start));
    at += <usize>(end - start);
  }
  store<u8>(at++, 0x0a);
  return <i32>(at - surfaces);
}

function growNodes(needed: i32): void {
  if (needed <= nodeCapacity) return;
  const capacity = max(needed, nodeCapacity * 2);
  nodes = moved(nodes, <usize>nodeCount * NODE_BYTES, <usize>capacity * NODE_BYTES);
  nodeCapacity = capacity;
}

function growMade(needed: i32): void {
  if (needed <= madeCapacity) return;
  const capacity = max(needed, madeCapacity * 2);
  made = moved(made, <usize>madeCount << 2, <usize>capacity << 2);
  madeCapacity = capacity;
}

function growPreds(needed: i32): void {
  if (needed <= predCapacity) return;
  const capacity = max(needed, predCapacity * 2);
  preds = moved(preds, <usize>predCapacity * PRED_BYTES, <usize>capacity * PRED_BYTES);
  predCapacity = capacity;
}

function growTokens(needed: i32): void {
  if (needed <= tokenCapacity) return;
  const capacity = max(needed, tokenCapacity * 2);
  const size = <usize>capacity << 2;
  tokenStart = allocate(size);
  tokenEnd = allocate(size);
  tokenIndex = allocate(size);
  tokenCapacity = capacity;
}

/** Makes room for `needed` steps of the path, keeping the first `kept`. */
function growPath(needed: i32, kept: i32): void {
  if (needed <= pathCapacity) return;
  const capacity = max(needed, pathCapacity * 2);
  path = moved(path, <usize>kept << 2, <usize>capacity << 2);
  pathCapacity = capacity;
}

// A token index's left id, right id and cost: sys.dic's, unk.dic's or the user dictionary's.
// @ts-ignore: decorator
@inline function tokenLeft(t: i32): i32 {
  if (t < unknownBase) return <i32>load<u16>(systemTokens + <usize>t * TOKEN_BYTES);
  if (t < userBase) return <i32>load<u16>(unknownTokens + <usize>(t - unknownBase) * TOKEN_BYTES);
  return <i32>load<u16>(userWords + (<usize>(t - userBase) << 3));
}

// @ts-ignore: decorator
@inline function tokenRight(t: i32): i32 {
  if (t < unknownBase) return <i32>load<u16>(systemTokens + <usize>t * TOKEN_BYTES, 2);
  if (t < userBase) return <i32>load<u16>(unknownTokens + <usize>(t - unknownBase) * TOKEN_BYTES, 2);
  return <i32>load<u16>(userWords + (<usize>(t - userBase) << 3), 2);
}

// @ts-ignore: decorator
@inline function tokenCost(t: i32): i64 {
  if (t < unknownBase) return <i64>load<i16>(systemTokens + <usize>t * TOKEN_BYTES, 6);
  if (t < userBase) return <i64>load<i16>(unknownTokens + <usize>(t - unknownBase) * TOKEN_BYTES, 6);
  return <i64>load<i16>(userWords + (<usize>(t - userBase) << 3), 4);
}

function lock(): void {
  while (atomic.cmpxchg<i32>(columnLock, 0, 1) != 0) {}
}

function unlock(): void {
  atomic.store<i32>(columnLock, 0);
}

/** The place of column `column` in the rows, given now if the text had not met it. */
// @ts-ignore: decorator
@inline function placeOfColumn(column: i32): i32 {
  if (!compact) return column;
  const place = atomic.load<i32>(placeOf + (<usize>column << 2));
  return place >= 0 ? place : givePlace(column);
}

function givePlace(column: i32): i32 {
  lock();
  let place = atomic.load<i32>(placeOf + (<usize>column << 2));
  if (place < 0) {
    place = atomic.load<i32>(placesGiven);
    set32(columnAt, place, column);
    atomic.store<i32>(placeOf + (<usize>column << 2), place);
    atomic.store<i32>(placesGiven, place + 1);
  }
  unlock();
  return place;
}

/** The address of row `row`, holding at least the places up to `place`. */
// @ts-ignore: decorator
@inline function matrixRow(row: i32, place: i32): usize {
  const at = rows + 2 * <usize>row * <usize>leftSize;
  if (compact && place >= atomic.load<i32>(covered + (<usize>row << 2))) fillRow(row, at, place);
  return at;
}

// The file's rows this thread read last, kept for the next fills (a row is filled again and again as the
// text meets new columns, the rows of the commonest words most): CACHED_ROWS slots of a row each, the
// least recently used given up first.
const CACHED_ROWS: i32 = 512;
/** Places are filled a 4 KB page's worth at a time. */
const FILL_PLACES: i32 = 2048;
let cache: usize = 0; // the slots' rows (i16 × leftSize each)
let cacheRow: usize = 0; // i32 per slot: its row (-1: none)
let cacheUse: usize = 0; // u32 per slot: when it was used last
let cacheSlot: usize = 0; // i32 per row: its slot (-1: none)
let cacheClock: u32 = 0;

/** The address of the file's row `row` in this thread's cache, read now if it is not there. */
function cachedFileRow(row: i32): usize {
  const rowBytes = <usize>leftSize << 1;
  if (cache == 0) {
    cache = allocate(<usize>CACHED_ROWS * rowBytes);
    cacheRow = allocate(<usize>CACHED_ROWS << 2);
    memory.fill(cacheRow, 0xff, <usize>CACHED_ROWS << 2);
    cacheUse = allocate(<usize>CACHED_ROWS << 2);
    memory.fill(cacheUse, 0, <usize>CACHED_ROWS << 2);
    cacheSlot = allocate(<usize>rowCount << 2);
    memory.fill(cacheSlot, 0xff, <usize>rowCount << 2);
  }
  let slot = at32(cacheSlot, row);
  if (slot < 0) {
    slot = 0;
    for (let s = 1; s < CACHED_ROWS; s++) if (<u32>at32(cacheUse, s) < <u32>at32(cacheUse, slot)) slot = s;
    const previous = at32(cacheRow, slot);
    if (previous >= 0) set32(cacheSlot, previous, -1);
    readRow(row, cache + <usize>slot * rowBytes);
    set32(cacheRow, slot, row);
    set32(cacheSlot, row, slot);
  }
  set32(cacheUse, slot, <i32>++cacheClock);
  return cache + <usize>slot * rowBytes;
}

// The matrix's head (`src/text/ja/matrixHead.ts`), when the host has one: every column given its place
// before the text starts, in an order of use, and each row's first `headPlaces` costs kept in that order in
// a file of their own, so that they are read straight into the row (a page for UniDic's 31 KB row).
let headPlaces: i32 = 0;

/** Says that the places below `places` are read from the matrix's head ({@link readHead}). */
export function setHead(places: i32): void {
  headPlaces = places;
}

/**
 * Fills row `row` (at `at`): up to the end of the page's worth of places (FILL_PLACES) that holds `place`,
 * or to every place given so far if fewer; the places of the head from it, the others from the file's row.
 * A row that only ever meets the common columns stays a page long.
 */
function fillRow(row: i32, at: usize, place: i32): void {
  lock();
  let from = atomic.load<i32>(covered + (<usize>row << 2));
  const to = min(atomic.load<i32>(placesGiven), (place / FILL_PLACES + 1) * FILL_PLACES);
  if (from < to) {
    if (from < headPlaces) {
      const end = min(to, headPlaces);
      readHead(row, from, end, at);
      from = end;
    }
    if (from < to) {
      const fileRow = cachedFileRow(row);
      for (let place = from; place < to; place++) {
        store<i16>(at + (<usize>place << 1), load<i16>(fileRow + (<usize>at32(columnAt, place) << 1)));
      }
    }
    atomic.store<i32>(covered + (<usize>row << 2), to);
  }
  unlock();
}

/**
 * The char.bin word of the character at byte `at` (the line's bytes end at `end`); its byte length in
 * {@link charLength}. MeCab's `utf8_to_ucs2`: a character beyond UCS-2 is code 0.
 */
function charInfoAt(at: i32, end: i32): u32 {
  const p = bytes + <usize>at;
  const b = <i32>load<u8>(p);
  const left = end - at;
  let code: i32;
  if (b < 0x80) {
    charLength = 1;
    code = b;
  } else if (left >= 2 && (b & 0xe0) == 0xc0) {
    charLength = 2;
    code = ((b & 0x1f) << 6) | (<i32>load<u8>(p, 1) & 0x3f);
  } else if (left >= 3 && (b & 0xf0) == 0xe0) {
    charLength = 3;
    code = ((b & 0x0f) << 12) | ((<i32>load<u8>(p, 1) & 0x3f) << 6) | (<i32>load<u8>(p, 2) & 0x3f);
  } else if (left >= 4 && (b & 0xf8) == 0xf0) {
    charLength = 4;
    code = 0;
  } else {
    charLength = 1;
    code = 0;
  }
  return code < 0xffff ? load<u32>(charInfo + (<usize>code << 2)) : 0;
}

/**
 * Makes a node for `token` over [surfaceStart, surfaceEnd); it is linked later. Inlined into the lookup:
 * a call a node (15M a pass over 20,000 lines with UniDic) cost 4–8%.
 */
// @ts-ignore: decorator
@inline function makeNode(token: i32, surfaceStart: i32, surfaceEnd: i32): void {
  const k = nodeCount++;
  if (k >= nodeCapacity) growNodes(k + 1);
  const n = node(k);
  // What the connection reads of the token, read here: a token's record is next to the one made before
  // (a key's tokens lie side by side), so these loads overlap instead of waiting in the connection.
  store<i64>(n, tokenCost(token));
  store<i32>(n, placeOfColumn(tokenRight(token)), 8);
  store<i32>(n, tokenLeft(token), 12);
  store<i32>(n, surfaceStart, 20);
  store<i32>(n, surfaceEnd, 24);
  store<i32>(n, token, 28);
  if (madeCount >= madeCapacity) growMade(madeCount + 1);
  set32(made, madeCount++, k);
}

function addUnknown(category: u32, surfaceStart: i32, surfaceEnd: i32): void {
  const first = at32(categoryTokens, <i32>(category << 1));
  const last = first + at32(categoryTokens, <i32>(category << 1) + 1);
  for (let t = first; t < last; t++) makeNode(unknownBase + t, surfaceStart, surfaceEnd);
}

/** MeCab's `lookup` at byte `begin`: the nodes starting there, into {@link made} in creation order. */
function lookup(begin: i32, lineEnd: i32): void {
  const end = lineEnd - begin >= LOOKAHEAD_LIMIT ? begin + LOOKAHEAD_LIMIT : lineEnd;
  madeCount = 0;

  // Skip the space category (each character compared with the one before, as seekToOtherType does).
  let info: u32 = 0;
  let width: i32 = 0;
  let begin2 = begin;
  let previous = spaceInfo;
  while (begin2 != end) {
    info = charInfoAt(begin2, end);
    width = charLength;
    if ((previous & info & CATEGORY_BITS) == 0) break;
    begin2 += width;
    previous = info;
  }

  // Dictionary words: common prefixes of the bytes from begin2; the first character from firstBase when
  // its bytes are its code's own (well formed, shortest form) and lie before the end.
  let b = load<i32>(units);
  let from = begin2;
  if (width > 0 && width <= 3 && begin2 + width <= end) {
    const p = bytes + <usize>begin2;
    const b0 = <i32>load<u8>(p);
    let code = -1;
    if (width == 1) code = b0 < 0x80 ? b0 : -1;
    else if (width == 2) {
      const b1 = <i32>load<u8>(p, 1);
      code = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
      if ((b1 & 0xc0) != 0x80 || code < 0x80) code = -1;
    } else {
      const b1 = <i32>load<u8>(p, 1);
      const b2 = <i32>load<u8>(p, 2);
      code = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      if ((b1 & 0xc0) != 0x80 || (b2 & 0xc0) != 0x80 || code < 0x800) code = -1;
    }
    if (code >= 0 && code < 65536) {
      const first = load<i32>(firstBase + (<usize>code << 2));
      if (first != WALK) {
        b = first;
        from = begin2 + width;
      }
    }
  }
  for (let i = from; b >= 0; i++) {
    if (<u32>b < unitCount) {
      const unit = units + (<usize>b << 3);
      const n = load<i32>(unit);
      if (load<i32>(unit, 4) == b && n < 0) {
        const value = -n - 1;
        const first = value >>> 8;
        const last = first + (value & 0xff);
        for (let t = first; t < last; t++) makeNode(t, begin2, i);
      }
    }
    if (i >= end) break;
    const p = b + <i32>load<u8>(bytes + <usize>i) + 1;
    if (<u32>p >= unitCount || load<i32>(units + (<usize>p << 3), 4) != b) break;
    b = load<i32>(units + (<usize>p << 3));
  }

  // The user dictionary's words after the system's, shortest first (MeCab searches its dictionaries in turn).
  if (hasUser && load<u8>(userStarts + <usize>load<u8>(bytes + <usize>begin2)) != 0) {
    let at = 0;
    for (let i = begin2; i < end; ) {
      at = userNext(at, <i32>load<u8>(bytes + <usize>i));
      i++;
      if (at < 0) break;
      const first = at32(userFirsts, at);
      if (first >= 0) {
        const last = first + at32(userCounts, at);
        for (let t = first; t < last; t++) makeNode(userBase + t, begin2, i);
      }
    }
  }

  const invoke = (info >>> 31) & 1;
  if (madeCount > 0 && invoke == 0) return;
  const category = (info >>> 18) & 0xff;
  let begin3 = begin2 + width;
  let groupEnd = -1;
  if (begin3 > end) {
    addUnknown(category, begin2, begin3);
    if (madeCount > 0) return;
  }
  if (((info >>> 30) & 1) != 0) {
    // The run of characters of one category after the first (each compared with the one before).
    let p = begin3;
    let count = 0;
    let before = info;
    while (p != end) {
      const next = charInfoAt(p, end);
      if ((before & next & CATEGORY_BITS) == 0) break;
      p += charLength;
      count++;
      before = next;
    }
    if (count <= maxGroupingSize) addUnknown(category, begin2, p);
    groupEnd = p;
  }
  const length = <i32>((info >>> 26) & 0xf);
  for (let i = 1; i <= length; i++) {
    if (begin3 > end) break;
    if (begin3 == groupEnd) continue;
    addUnknown(category, begin2, begin3);
    const next = charInfoAt(begin3, end);
    if ((info & next & CATEGORY_BITS) == 0) break;
    begin3 += charLength;
  }
  if (madeCount == 0) addUnknown(category, begin2, begin3);
}

/**
 * Analyses the `length` bytes at {@link textBuffer} (a 0 after them); returns the number of tokens, at
 * {@link tokenStarts}, {@link tokenEnds} (byte offsets) and {@link tokenIndices}.
 */
export function analyze(length: i32): i32 {
  if (length + 1 > endCapacity) {
    endCapacity = max(length + 1, max(endCapacity * 2, 1 << 12));
    endHead = allocate(<usize>endCapacity << 2);
  }
  memory.fill(endHead, 0xff, <usize>(length + 1) << 2);
  // Node 0: the beginning of the line (right id 0, cost 0).
  nodeCount = 1;
  const first = node(0);
  store<i64>(first, 0);
  store<i32>(first, placeOfColumn(0), 8);
  store<i32>(first, NO_NODE, 12);
  store<i32>(first, NO_NODE, 16);
  set32(endHead, 0, 0);

  for (let pos = 0; pos < length; pos++) {
    if (at32(endHead, pos) == NO_NODE) continue;
    lookup(pos, length);
    // The predecessors side by side, in list order.
    // (A node's right field holds its column's place.)
    let count = 0;
    let lastPlace = 0;
    for (let j = at32(endHead, pos); j != NO_NODE; j = load<i32>(node(j), 16)) {
      if (count == predCapacity) growPreds(count + 1);
      const q = preds + <usize>count * PRED_BYTES;
      const n = node(j);
      const place = load<i32>(n, 8);
      store<i64>(q, load<i64>(n), 8);
      store<i32>(q, place);
      store<i32>(q, j, 4);
      lastPlace = max(lastPlace, place);
      count++;
    }
    // MeCab links the nodes newest first and connects them in that order: for each, the cheapest
    // predecessor (the same for every node of one left id at this position).
    if (++stamp == 0x7fffffff) {
      for (let r: i32 = 0; r < rowCount; r++) store<i32>(lefts + LEFT_BYTES * <usize>r, 0, 8);
      stamp = 1;
    }
    for (let m = madeCount - 1; m >= 0; m--) {
      const k = at32(made, m);
      const n = node(k);
      const left = load<i32>(n, 12);
      const slot = lefts + LEFT_BYTES * <usize>left;
      let best: i64;
      let at: i32;
      if (load<i32>(slot, 8) == stamp) {
        best = load<i64>(slot);
        at = load<i32>(slot, 12);
      } else {
        const row = matrixRow(left, lastPlace);
        best = NOTHING;
        at = -1;
        for (let i = 0; i < count; i++) {
          const q = preds + <usize>i * PRED_BYTES;
          const c = load<i64>(q, 8) + <i64>load<i16>(row + (<usize>load<i32>(q) << 1));
          const less = c < best;
          at = select<i32>(i, at, less);
          best = select<i64>(c, best, less);
        }
        store<i64>(slot, best);
        store<i32>(slot, stamp, 8);
        store<i32>(slot, at, 12);
      }
      store<i64>(n, best + load<i64>(n));
      store<i32>(n, at < 0 ? NO_NODE : load<i32>(preds + <usize>at * PRED_BYTES, 4), 12);
      const x = load<i32>(n, 24);
      if (x > length) {
        store<i32>(n, NO_NODE, 16); // past the end of the line: never a predecessor
      } else {
        store<i32>(n, at32(endHead, x), 16);
        set32(endHead, x, k);
      }
    }
  }

  // The end of the line joins the last position a node reaches (left id 0).
  let last = NO_NODE;
  let lastPos = length;
  while (lastPos > 0 && at32(endHead, lastPos) == NO_NODE) lastPos--;
  {
    let lastPlace = 0;
    for (let j = at32(endHead, lastPos); j != NO_NODE; j = load<i32>(node(j), 16)) lastPlace = max(lastPlace, load<i32>(node(j), 8));
    const row = matrixRow(0, lastPlace);
    let best = NOTHING;
    for (let j = at32(endHead, lastPos); j != NO_NODE; j = load<i32>(node(j), 16)) {
      const n = node(j);
      const c = load<i64>(n) + <i64>load<i16>(row + (<usize>load<i32>(n, 8) << 1));
      if (c < best) {
        best = c;
        last = j;
      }
    }
  }
  let steps = 0;
  for (let k = last; k > 0; k = load<i32>(node(k), 12)) {
    growPath(steps + 1, steps);
    set32(path, steps++, k);
  }
  growTokens(steps);
  for (let i = 0; i < steps; i++) {
    const n = node(at32(path, steps - 1 - i));
    set32(tokenStart, i, load<i32>(n, 20));
    set32(tokenEnd, i, load<i32>(n, 24));
    set32(tokenIndex, i, load<i32>(n, 28));
  }
  return steps;
}
