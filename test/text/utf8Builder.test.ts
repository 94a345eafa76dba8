/**
 * UTF-8 written from ranges of strings (what `tokenize` prints Japanese tokens with) equals Node's own
 * encoder, and the blank test that keeps whitespace out of the vocabulary equals JavaScript's `\s`.
 */
import { describe, expect, it } from 'vitest';
import { Utf8Builder } from '../../src/text/utf8Builder.js';
import { isBlankRange } from '../../src/text/japanese.js';

describe('Utf8Builder', () => {
  it('encodes every kind of code unit as Buffer.from does, lone surrogates as U+FFFD', () => {
    const texts = ['', 'abc', 'é ß', '東京都の猫', '𠮷野家😀🍣', 'a\ud800b', '\udc00x', 'end\ud83d', '\u007f\u0080\u07ff\u0800\uffff'];
    const out = new Utf8Builder(4);
    for (const text of texts) {
      out.appendString(text);
      out.appendByte(0x0a);
    }
    expect(Buffer.from(out.take()).toString('hex')).toBe(Buffer.from(texts.map((t) => `${t}\n`).join('')).toString('hex'));
    expect(out.size).toBe(0);
  });

  it('writes a range of a string, a surrogate pair cut by the range end as U+FFFD', () => {
    const out = new Utf8Builder();
    out.appendRange('猫😀が', 1, 3);
    out.appendRange('猫😀が', 0, 2);
    expect(Buffer.from(out.take()).toString()).toBe('😀猫\ufffd');
  });
});

describe('isBlankRange', () => {
  it('agrees with /^\\s*$/ on every UTF-16 code unit', () => {
    const differing: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const s = `x${String.fromCharCode(c)}x`;
      if (isBlankRange(s, 1, 2) !== /^\s*$/.test(s.slice(1, 2))) differing.push(c.toString(16));
    }
    expect(differing).toEqual([]);
    expect(isBlankRange(' \u3000\t', 0, 3)).toBe(true);
    expect(isBlankRange(' a ', 0, 3)).toBe(false);
    expect(isBlankRange('abc', 1, 1)).toBe(true);
  });
});
