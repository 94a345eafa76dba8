/**
 * Counting the tokens of a pure-ASCII line without cutting it into strings first: the scanner walks the
 * line's code units, hashes each token as it goes (FNV-1a, lowercased on the fly when asked) and hands
 * its range to the counter, which copies out only words it has never seen. On ASCII text this gives
 * exactly the tokens of the `simple` tokenizer (`\w+`) and of the `whitespace` one (`\s+` between
 * tokens) after the normaliser: NFKC changes no ASCII character, and lowercasing ASCII is A–Z → a–z.
 * Lines with any other character take the ordinary path (normalise, tokenize, count).
 */

/** What a token is: a run of word characters (`simple`), or a run of anything but whitespace. */
export type AsciiRule = 'word' | 'whitespace';

/** The counting the scanner needs (implemented by `WordCounter`). */
export interface RangeCounter {
  /** Counts `text[start … end)` (lowercased when `lower`), hashed `hash`; returns its slot. */
  addRange(text: string, start: number, end: number, hash: number, lower: boolean): number;
}

/** Slots of a line's tokens; grown when a line needs more room. */
export interface SlotBuffer {
  slots: Int32Array;
}

const FNV_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** Per ASCII code: 1 when it belongs to a token under the rule. */
function tokenClasses(rule: AsciiRule): Uint8Array {
  const classes = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    const space = c === 32 || (c >= 9 && c <= 13);
    classes[c] = (rule === 'word' ? word : !space) ? 1 : 0;
  }
  return classes;
}
const CLASSES: Record<AsciiRule, Uint8Array> = { word: tokenClasses('word'), whitespace: tokenClasses('whitespace') };

/**
 * Counts the tokens of `line`, which must hold ASCII only, and writes their slots into `buffer.slots`.
 * @returns how many tokens the line held
 */
export function countAsciiTokens(line: string, rule: AsciiRule, lower: boolean, counter: RangeCounter, buffer: SlotBuffer): number {
  const inToken = CLASSES[rule];
  const n = line.length;
  if (buffer.slots.length < (n >> 1) + 1) buffer.slots = new Int32Array(Math.max((n >> 1) + 1, buffer.slots.length * 2));
  const slots = buffer.slots;
  let count = 0;
  let i = 0;
  while (i < n) {
    if (inToken[line.charCodeAt(i)] === 0) {
      i++;
      continue;
    }
    const start = i;
    let h = FNV_BASIS;
    do {
      let c = line.charCodeAt(i);
      if (lower && c >= 65 && c <= 90) c |= 32;
      h = Math.imul(h ^ c, FNV_PRIME);
      i++;
    } while (i < n && inToken[line.charCodeAt(i)] === 1);
    slots[count++] = counter.addRange(line, start, i, h, lower);
  }
  return count;
}
