// Pass 1's counting for the fast tokenizers (`simple`, `whitespace`) straight from the input's UTF-8 bytes:
// what src/text/directTokens.ts does over a decoded line, done over the bytes the file holds, so that a
// line never becomes a string. src/text/byteCounter.ts drives it.
//
// Each line of the input block is decoded as it is read; each of its UTF-16 code units is looked up in the
// class table JavaScript fills from `DirectTokenizer` (separator, token character, or a line for the
// ordinary path). A token's code units, lowercased through the fold table when asked, are written as UTF-8
// to the line's scratch, hashed (FNV-1a over those bytes) as they go; only when the whole line has passed
// are its tokens looked up, so a line handed back to JavaScript midway has changed nothing. A line is
// handed back when it holds a code unit not yet classified (JavaScript classifies it and calls again), one
// the ordinary path must see (compatibility forms, combining marks, surrogates: a 4-byte sequence), or
// bytes that are not valid UTF-8 (the ordinary path replaces them as the string reader does).
//
// The words are filed in an open-addressing table of 16-byte entries (hash, slot + 1, the word's place in
// the arena, its length in bytes), never more than half full; a word's slot is its first-seen rank. Each
// line's record goes to the output as the token cache holds it: [length, tag, slot × length], written
// when the line holds a token or is a document (tag ≥ 0). Memory is taken with memory.grow; regions that
// grow are moved to fresh memory (the old ones are left unused).

import { allocate, moved } from './regions';

/** Code-unit classes: as `DirectTokenizer` decides them, plus what only this scanner needs. */
const SEPARATOR: u8 = 0;
const TOKEN: u8 = 1;
const ORDINARY: u8 = 2;
const UNKNOWN: u8 = 3;

/** What {@link countLines} ended with. */
const DONE: i32 = 0;
/** The line at `position()` holds a code unit not yet classified: `unknownUnit()`. */
const NEEDS_CLASS: i32 = 1;
/** The line at `position()` must go the ordinary way (JavaScript tokenizes its decoded text). */
const NEEDS_ORDINARY: i32 = 2;

const FNV_BASIS: u32 = 0x811c9dc5;
const FNV_PRIME: u32 = 0x01000193;

let classes: usize = 0;
let folds: usize = 0;

let input: usize = 0;
let inputCapacity: usize = 0;
let output: usize = 0;
let scratch: usize = 0;
let tokenList: usize = 0;
let word: usize = 0;
let wordCapacity: usize = 0;

let table: usize = 0;
let tableMask: u32 = 0;
let counts: usize = 0;
let countCapacity: u32 = 0;
let arena: usize = 0;
let arenaUsed: usize = 0;
let arenaCapacity: usize = 0;
let slots: u32 = 0;
let tokens: f64 = 0;

let at: usize = 0;
let outputInts: u32 = 0;
let nextTag: i32 = -1;
let lines: f64 = 0;
let sentences: f64 = 0;
let emptyDocuments: f64 = 0;
let unknown: u32 = 0;

/** Sets up the tables; returns where the class table (65,536 bytes) lies. */
export function setup(): usize {
  classes = allocate(65536);
  memory.fill(classes, UNKNOWN, 65536);
  folds = allocate(65536 * 2);
  for (let c: u32 = 0; c < 65536; c++) store<u16>(folds + (<usize>c << 1), <u16>c);
  tableMask = (1 << 16) - 1;
  table = allocate(16 << 16);
  countCapacity = 1 << 15;
  counts = allocate(<usize>countCapacity << 3);
  arenaCapacity = 1 << 20;
  arena = allocate(arenaCapacity);
  return classes;
}

/** Where the fold table lies: the code unit each token code unit is counted as (u16 each). */
export function foldTable(): usize {
  return folds;
}

/**
 * Room for an input block of `bytes` bytes (with its output and scratch); returns where to write it. Earlier
 * blocks' places are invalid after this.
 */
export function inputBuffer(bytes: usize): usize {
  at = 0;
  if (bytes > inputCapacity) {
    inputCapacity = max<usize>(bytes, inputCapacity << 1);
    input = allocate(inputCapacity);
    // A line gives at most a header of two ints and a token per byte; a token's folded bytes are at most
    // three per byte of the text (a one-byte code unit folds to at most three bytes).
    output = allocate((inputCapacity + 1) * 12);
    scratch = allocate((inputCapacity + 1) * 3);
    tokenList = allocate((inputCapacity + 1) * 12);
  }
  return input;
}

/** Where the output records lie. */
export function outputBuffer(): usize {
  return output;
}

/** Ints written to the output since the last {@link clearOutput}. */
export function outputLength(): u32 {
  return outputInts;
}

export function clearOutput(): void {
  outputInts = 0;
}

/** Tags the next line `tag` (then counts up, a tag a line), or −1 for lines that are no documents. */
export function setNextTag(tag: i32): void {
  nextTag = tag;
}

export function currentTag(): i32 {
  return nextTag;
}

/** The byte offset (in the input block) of the next line to count. */
export function position(): usize {
  return at;
}

/** Makes byte `offset` of the input block the start of the next line to count. */
export function setPosition(offset: usize): void {
  at = offset;
}

/** The code unit of a {@link NEEDS_CLASS} stop. */
export function unknownUnit(): u32 {
  return unknown;
}

export function lineCount(): f64 {
  return lines;
}

export function sentenceCount(): f64 {
  return sentences;
}

export function emptyDocumentCount(): f64 {
  return emptyDocuments;
}

export function tokenCount(): f64 {
  return tokens;
}

export function slotCount(): u32 {
  return slots;
}

export function tableAddress(): usize {
  return table;
}

export function tableEntries(): u32 {
  return tableMask + 1;
}

export function arenaAddress(): usize {
  return arena;
}

export function countsAddress(): usize {
  return counts;
}

// @ts-ignore: decorator
@inline function sameBytes(a: usize, b: usize, length: usize): bool {
  while (length >= 8) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += 8;
    b += 8;
    length -= 8;
  }
  while (length > 0) {
    if (load<u8>(a) != load<u8>(b)) return false;
    a++;
    b++;
    length--;
  }
  return true;
}

function hashBytes(from: usize, length: usize): u32 {
  let h = FNV_BASIS;
  for (let i: usize = 0; i < length; i++) h = (h ^ <u32>load<u8>(from + i)) * FNV_PRIME;
  return h;
}

/** Refiles every word in a table twice the size. */
function growTable(): void {
  const oldTable = table;
  const oldEntries = tableMask + 1;
  tableMask = (oldEntries << 1) - 1;
  table = allocate(<usize>(tableMask + 1) << 4);
  for (let i: u32 = 0; i < oldEntries; i++) {
    const from = oldTable + (<usize>i << 4);
    if (load<u32>(from, 4) == 0) continue;
    let place = load<u32>(from) & tableMask;
    while (load<u32>(table + (<usize>place << 4), 4) != 0) place = (place + 1) & tableMask;
    memory.copy(table + (<usize>place << 4), from, 16);
  }
}

/** Counts the word of `length` bytes at `word`, hashed `h`; returns its slot. */
function countWord(bytes: usize, length: u32, h: u32): u32 {
  tokens += 1;
  let place = h & tableMask;
  for (;;) {
    const entry = table + (<usize>place << 4);
    const slotPlusOne = load<u32>(entry, 4);
    if (slotPlusOne == 0) break;
    if (load<u32>(entry) == h && load<u32>(entry, 12) == length && sameBytes(arena + <usize>load<u32>(entry, 8), bytes, length)) {
      const count = counts + (<usize>(slotPlusOne - 1) << 3);
      store<f64>(count, load<f64>(count) + 1);
      return slotPlusOne - 1;
    }
    place = (place + 1) & tableMask;
  }
  const slot = slots++;
  if (slot >= countCapacity) {
    counts = moved(counts, <usize>countCapacity << 3, <usize>countCapacity << 4);
    countCapacity <<= 1;
  }
  store<f64>(counts + (<usize>slot << 3), 1);
  if (arenaUsed + length > arenaCapacity) {
    const capacity = max<usize>(arenaCapacity << 1, arenaUsed + length);
    arena = moved(arena, arenaUsed, capacity);
    arenaCapacity = capacity;
  }
  memory.copy(arena + arenaUsed, bytes, length);
  const entry = table + (<usize>place << 4);
  store<u32>(entry, h);
  store<u32>(entry, slot + 1, 4);
  store<u32>(entry, <u32>arenaUsed, 8);
  store<u32>(entry, length, 12);
  arenaUsed += length;
  if (slots * 2 > tableMask) growTable();
  return slot;
}

/**
 * Counts the word whose `length` UTF-8 bytes JavaScript wrote at {@link wordBuffer} (a token of a line
 * that went the ordinary way); returns its slot.
 */
export function countWrittenWord(length: u32): u32 {
  return countWord(word, length, hashBytes(word, length));
}

/** Room for one word of `bytes` bytes written by JavaScript (see {@link countWrittenWord}). */
export function wordBuffer(bytes: usize): usize {
  if (bytes > wordCapacity) {
    wordCapacity = max<usize>(bytes, max<usize>(wordCapacity << 1, 256));
    word = allocate(wordCapacity);
  }
  return word;
}

/**
 * Ends a line JavaScript counted and wrote the record of (one of the input block's, whose next line it
 * then sets with {@link setPosition}, or one it was given as text).
 */
export function endCountedLine(tokensInLine: u32): void {
  endLine(tokensInLine);
}

// @ts-ignore: decorator
@inline function endLine(tokensInLine: u32): void {
  lines += 1;
  if (tokensInLine > 0) sentences += 1;
  else if (nextTag >= 0) emptyDocuments += 1;
  if (nextTag >= 0) nextTag++;
}

/** Writes a folded code unit's UTF-8 bytes at `to`; returns the byte count. */
// @ts-ignore: decorator
@inline function putUtf8(to: usize, c: u32): usize {
  if (c < 0x80) {
    store<u8>(to, <u8>c);
    return 1;
  }
  if (c < 0x800) {
    store<u8>(to, <u8>(0xc0 | (c >> 6)));
    store<u8>(to, <u8>(0x80 | (c & 0x3f)), 1);
    return 2;
  }
  store<u8>(to, <u8>(0xe0 | (c >> 12)));
  store<u8>(to, <u8>(0x80 | ((c >> 6) & 0x3f)), 1);
  store<u8>(to, <u8>(0x80 | (c & 0x3f)), 2);
  return 3;
}

/**
 * Counts the lines of the input block's first `length` bytes from `position()` on (a line ends at a
 * newline or at the block's end; a `\r` before it is a separator as any whitespace). Returns DONE when
 * every line is counted, or stops before a line JavaScript must see first (NEEDS_CLASS, NEEDS_ORDINARY) with
 * `position()` at its start.
 */
export function countLines(length: usize): i32 {
  const end = input + length;
  let i = input + at;
  while (i < end) {
    const lineStart = i;
    let used: usize = 0;
    let found: u32 = 0;
    let stop = DONE;
    // Token by token: separators skipped, then a token's code units up to the next separator.
    while (i < end) {
      let c = <u32>load<u8>(i);
      if (c == 10) {
        i++;
        break;
      }
      if (c < 0x80) {
        const kind = load<u8>(classes + <usize>c);
        if (kind == SEPARATOR) {
          i++;
          continue;
        }
        if (kind != TOKEN) {
          stop = kind == UNKNOWN ? NEEDS_CLASS : NEEDS_ORDINARY;
          unknown = c;
          break;
        }
      }
      // A token (or a code unit beyond ASCII, decoded below) starts here.
      const tokenStart = used;
      let h: u32 = FNV_BASIS;
      while (i < end) {
        c = <u32>load<u8>(i);
        if (c < 0x80) {
          const kind = load<u8>(classes + <usize>c);
          if (kind != TOKEN) break;
          const f = <u32>load<u16>(folds + (<usize>c << 1));
          store<u8>(scratch + used, <u8>f);
          h = (h ^ f) * FNV_PRIME;
          used++;
          i++;
          continue;
        }
        let width: usize = 0;
        if (c < 0xc2) {
          stop = NEEDS_ORDINARY;
        } else if (c < 0xe0) {
          if (i + 1 < end) {
            const b1 = <u32>load<u8>(i, 1);
            if ((b1 & 0xc0) == 0x80) {
              c = ((c & 0x1f) << 6) | (b1 & 0x3f);
              width = 2;
            } else stop = NEEDS_ORDINARY;
          } else stop = NEEDS_ORDINARY;
        } else if (c < 0xf0) {
          if (i + 2 < end) {
            const b1 = <u32>load<u8>(i, 1);
            const b2 = <u32>load<u8>(i, 2);
            // Continuation bytes, no overlong form (E0 needs A0–BF) and no surrogate (ED needs 80–9F).
            if ((b1 & 0xc0) == 0x80 && (b2 & 0xc0) == 0x80 && !(c == 0xe0 && b1 < 0xa0) && !(c == 0xed && b1 >= 0xa0)) {
              c = ((c & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
              width = 3;
            } else stop = NEEDS_ORDINARY;
          } else stop = NEEDS_ORDINARY;
        } else {
          // A code point beyond the BMP (a surrogate pair once decoded), or no valid lead byte at all.
          stop = NEEDS_ORDINARY;
        }
        if (stop != DONE) break;
        const kind = load<u8>(classes + <usize>c);
        if (kind == TOKEN) {
          const to = scratch + used;
          const n = putUtf8(to, <u32>load<u16>(folds + (<usize>c << 1)));
          for (let k: usize = 0; k < n; k++) h = (h ^ <u32>load<u8>(to + k)) * FNV_PRIME;
          used += n;
          i += width;
          continue;
        }
        if (kind == SEPARATOR) {
          i += width;
          break;
        }
        stop = kind == UNKNOWN ? NEEDS_CLASS : NEEDS_ORDINARY;
        unknown = c;
        break;
      }
      if (stop != DONE) break;
      if (used > tokenStart) {
        const entry = tokenList + (<usize>found * 12);
        store<u32>(entry, <u32>tokenStart);
        store<u32>(entry, <u32>(used - tokenStart), 4);
        store<u32>(entry, h, 8);
        found++;
      }
    }
    if (stop != DONE) {
      at = lineStart - input;
      return stop;
    }
    if (found > 0 || nextTag >= 0) {
      const record = output + (<usize>outputInts << 2);
      store<i32>(record, <i32>found);
      store<i32>(record, nextTag, 4);
      for (let t: u32 = 0; t < found; t++) {
        const entry = tokenList + (<usize>t * 12);
        const slot = countWord(scratch + <usize>load<u32>(entry), load<u32>(entry, 4), load<u32>(entry, 8));
        store<u32>(record + 8 + (<usize>t << 2), slot);
      }
      outputInts += 2 + found;
    }
    endLine(found);
    at = i - input;
  }
  return DONE;
}
