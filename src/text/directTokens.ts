/**
 * Counting the tokens of a line without cutting it into strings first: the scanner walks the line's
 * code units, hashes each token as it goes (FNV-1a over the code units as counted, lowercased on the
 * fly when asked) and hands its range to the counter, which copies out only words it has never seen.
 *
 * It gives exactly the tokens of the ordinary path — NFKC (or NFC), lowercase, then the `simple` (`\w+`)
 * or `whitespace` (`\s+` between tokens) tokenizer — on every line whose characters all pass through that
 * path unchanged or as plain separators. Each UTF-16 code unit is classified once, by asking the
 * normaliser itself:
 * - a **separator**: not part of a token, and its normal form holds no character that could be (for
 *   `simple`: no letter, digit or `_`, e.g. “ ” ’ — …; for `whitespace`: whitespace only, e.g. U+00A0);
 * - a **token character**: the normal form is the character itself and, when lowercasing, so is the
 *   normal form of its one-code-unit lowercase (é, ß, Ω; not Σ, whose lowercase depends on its place, nor
 *   İ, whose lowercase is two code units);
 * - anything else — combining marks, surrogates, Hangul jamo (they compose with their neighbours),
 *   characters with compatibility forms (ﬁ, ２, ½) — sends the whole line down the ordinary path.
 * Since no separator or token character composes with a neighbour (all are starters that no
 * composition takes as its second part), the normal form of such a line is the line itself with its
 * separators expanded, and tokens fall at the same places.
 */

/** What a token is: a run of word characters (`simple`), or a run of anything but whitespace. */
export type DirectRule = 'word' | 'whitespace';

/** The counting the scanner needs (implemented by `WordCounter`). */
export interface RangeCounter {
  /**
   * Counts `text[start … end)` as folded by `fold` (code unit → code unit as counted; null: unchanged),
   * hashed `hash`; returns its slot.
   */
  addRange(text: string, start: number, end: number, hash: number, fold: Uint16Array | null): number;
}

/** Slots of a line's tokens; grown when a line needs more room. */
export interface SlotBuffer {
  slots: Int32Array;
}

const FNV_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** A code unit's class: not part of a token. */
export const SEPARATOR = 0;
/** A code unit's class: part of a token, counted as `fold` maps it. */
export const TOKEN = 1;
/** A code unit's class: its line must take the ordinary path. */
export const ORDINARY = 2;
const UNKNOWN = 3;

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const ALL_WORD_CHARS = /[\p{L}\p{N}_]/gu;
const MARK = /\p{M}/u;
const SPACE = /\s/;
const ONLY_SPACE = /^\s+$/;

/** The classes and lowercase fold of every code unit for one rule, form and case setting. */
export class DirectTokenizer {
  private readonly classes = new Uint8Array(65536).fill(UNKNOWN);
  /** Each code unit as counted: lowercased when asked (token characters only), else itself. */
  readonly fold: Uint16Array | null;

  /**
   * @param rule what a token is
   * @param form the normalisation the ordinary path applies (`none`: none)
   * @param lowercase whether the ordinary path lowercases
   */
  constructor(readonly rule: DirectRule, private readonly form: 'NFKC' | 'NFC' | 'none', readonly lowercase: boolean) {
    this.fold = lowercase ? new Uint16Array(65536).map((_, c) => c) : null;
  }

  private normal(s: string): string {
    return this.form === 'none' ? s : s.normalize(this.form);
  }

  /** Decides (once) the class of code unit `c`. */
  private classify(c: number): number {
    let kind = ORDINARY;
    const ch = String.fromCharCode(c);
    const jamo = (c >= 0x1100 && c <= 0x11ff) || (c >= 0xa960 && c <= 0xa97f) || (c >= 0xd7b0 && c <= 0xd7ff);
    if (!(c >= 0xd800 && c <= 0xdfff) && !jamo && !MARK.test(ch)) {
      const normal = this.normal(ch);
      const lowered = this.lowercase ? normal.toLowerCase() : normal;
      const inToken = this.rule === 'word' ? WORD_CHAR.test(ch) : !SPACE.test(ch);
      if (!inToken) {
        const clear = this.rule === 'word' ? lowered.length > 0 && lowered.match(ALL_WORD_CHARS) === null && !MARK.test(lowered[0]!) : ONLY_SPACE.test(lowered);
        if (clear) kind = SEPARATOR;
      } else if (normal === ch && lowered.length === 1 && this.normal(lowered) === lowered && c !== 0x03a3) {
        const stillInToken = this.rule === 'word' ? WORD_CHAR.test(lowered) : !SPACE.test(lowered);
        if (stillInToken) {
          kind = TOKEN;
          if (this.fold) this.fold[c] = lowered.charCodeAt(0);
        }
      }
    }
    this.classes[c] = kind;
    return kind;
  }

  /** The class of code unit `c`: {@link SEPARATOR}, {@link TOKEN} or {@link ORDINARY}. */
  classOf(c: number): number {
    const kind = this.classes[c]!;
    return kind === UNKNOWN ? this.classify(c) : kind;
  }

  /** True when every code unit of `line` is a separator or a token character. */
  handles(line: string): boolean {
    const classes = this.classes;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      let kind = classes[c]!;
      if (kind === UNKNOWN) kind = this.classify(c);
      if (kind === ORDINARY) return false;
    }
    return true;
  }

  /**
   * Counts the tokens of `line` (one {@link handles} accepts) and writes their slots into `buffer.slots`.
   * @returns how many tokens the line held
   */
  count(line: string, counter: RangeCounter, buffer: SlotBuffer): number {
    const classes = this.classes;
    const fold = this.fold;
    const n = line.length;
    if (buffer.slots.length < (n >> 1) + 1) buffer.slots = new Int32Array(Math.max((n >> 1) + 1, buffer.slots.length * 2));
    const slots = buffer.slots;
    let count = 0;
    // Each code unit is read once; a token's hash is taken as it goes and counted where it ends.
    let start = -1;
    let h = FNV_BASIS;
    if (fold) {
      for (let i = 0; i < n; i++) {
        const c = line.charCodeAt(i);
        if (classes[c] === TOKEN) {
          if (start < 0) {
            start = i;
            h = FNV_BASIS;
          }
          h = Math.imul(h ^ fold[c]!, FNV_PRIME);
        } else if (start >= 0) {
          slots[count++] = counter.addRange(line, start, i, h, fold);
          start = -1;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        const c = line.charCodeAt(i);
        if (classes[c] === TOKEN) {
          if (start < 0) {
            start = i;
            h = FNV_BASIS;
          }
          h = Math.imul(h ^ c, FNV_PRIME);
        } else if (start >= 0) {
          slots[count++] = counter.addRange(line, start, i, h, null);
          start = -1;
        }
      }
    }
    if (start >= 0) slots[count++] = counter.addRange(line, start, n, h, fold);
    return count;
  }
}
