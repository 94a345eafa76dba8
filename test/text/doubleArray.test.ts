/**
 * The double array MeCab's lexicon files hold (`src/text/ja/doubleArray.ts`), read back with the reader of
 * those files (`exactMatch`): every key gives its value, and nothing else gives one.
 */
import { describe, expect, it } from 'vitest';
import { buildDoubleArray } from '../../src/text/ja/doubleArray.js';
import { exactMatch, type MecabLexicon } from '../../src/text/ja/mecabDictionary.js';

/** A lexicon over `units`, as far as `exactMatch` reads one. */
const lexiconOf = (units: Int32Array) => ({ units }) as unknown as MecabLexicon;

describe('the double array of a MeCab lexicon', () => {
  it('finds every key with its value and nothing else, over prefixes, shared starts and every byte', () => {
    // Prefixes of one another, keys that differ in their last byte only, bytes 1 and 255, Japanese.
    const words = ['a', 'ab', 'abc', 'abd', 'b', '\u0001', '\u00ff\u00fe', '東京', '東京都', '東', '京都', 'すもも', 'もも'];
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 12000; i++) {
      const length = 1 + Math.floor(random() * 6);
      words.push(Array.from({ length }, () => String.fromCharCode(0x4e00 + Math.floor(random() * 3000))).join(''));
    }
    const keys = [...new Set(words)].map((w) => Buffer.from(w, 'utf8')).sort(Buffer.compare);
    const values = keys.map((_, i) => (i << 8) | (1 + (i % 200)));
    const lexicon = lexiconOf(buildDoubleArray(keys, values));
    keys.forEach((key, i) => expect(exactMatch(lexicon, key), key.toString('utf8')).toBe(values[i]));
    const held = new Set(keys.map((key) => key.toString('hex')));
    for (const miss of ['', 'abcd', 'ac', '東京都庁', '京', 'すも', '\u0002']) {
      const bytes = Buffer.from(miss, 'utf8');
      if (!held.has(bytes.toString('hex'))) expect(exactMatch(lexicon, bytes), miss).toBe(-1);
    }
    // Dense (most units hold a node), and past the first allocation (the arrays grew while placing).
    const units = lexicon.units;
    expect(units.length / 2).toBeGreaterThan(1 << 16);
    let used = 0;
    for (let u = 1; u < units.length / 2; u++) if (units[2 * u + 1] !== 0) used++;
    expect(used / (units.length / 2)).toBeGreaterThan(0.5);
  });

  it('refuses keys out of order', () => {
    expect(() => buildDoubleArray([Buffer.from('b'), Buffer.from('a')], [1, 2])).toThrow(/sorted/);
  });
});
