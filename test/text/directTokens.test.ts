// Counting lines straight from their code units must give exactly what normalising, tokenizing and
// counting the tokens gives: the same tokens, counts, slots (first-seen order) and token cache.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanCorpus } from '../../src/corpus/scan.js';
import { resolveInputs } from '../../src/text/lineReader.js';
import { DirectTokenizer } from '../../src/text/directTokens.js';
import { createBatchTokenizer } from '../../src/text/tokenizePool.js';
import { createTokenizer, type TokenizerConfig } from '../../src/text/tokenizers.js';
import { hashWord, WordCounter } from '../../src/vocab/counter.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

function generator(seed: number) {
  let s = seed >>> 0;
  return (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % n;
}

const ASCII = 'aAbBzZqQiI09_5-.,;\'"!?()[]{}<>@#$%^&*+=/\\|`~ \t\v\f\r';
// Characters each path must treat alike: typographic punctuation, letters with case quirks (Σ, İ, ß, ẞ,
// the Kelvin sign), combining marks, compatibility forms (ﬁ, Ａ, ２, ½, ™, Ⓐ, Ⅻ, ｱ), odd spaces, Hangul
// syllables and jamo, CJK, a surrogate pair, a byte-order mark.
const TRICKY = [...'“”‘’—–…•′″‹›«»¡¿§¶©®°±·×÷£€¥¢éÉèçñÑüÜöÖßẞÿŸæÆœŒøØåÅ', 'Σσς', 'İı', 'K', 'Å', 'Ω',
  '\u0301', '\u0308', '\u0327', '\u0300', 'ﬁ', 'ﬀ', 'Ａ', 'ｚ', '２', '½', '²', 'ª', 'º', 'µ', '™', 'Ⓐ', 'ⓐ', 'Ⅻ', 'ⅻ', 'ｱ', 'ア', '日本',
  '\u00a0', '\u2003', '\u3000', '\u202f', '\u2028', '\u1680', '\ufeff', '\u00ad', '\u200b', '가', '\u1100', '\u1161', '\u11a8', '😀', 'Ꭰ', 'ꭰ', 'Ⴀ', 'ǅ', 'ǆ', 'Ǆ', 'ﾞ', '゙', '\u0345', 'Ά', 'ά', 'ΐ'];

function line(next: (n: number) => number, pool: string[]): string {
  return Array.from({ length: 1 + next(30) }, () => {
    const r = next(10);
    if (r < 5) return ASCII[next(ASCII.length)];
    if (r < 9) return pool[next(pool.length)];
    const c = 0x80 + next(0xffff - 0x80);
    return c >= 0xd800 && c <= 0xdfff ? 'x' : String.fromCharCode(c);
  }).join('');
}

describe('direct token counting', () => {
  for (const kind of ['simple', 'whitespace'] as const) {
    for (const lowercase of [true, false]) {
      for (const normalize of ['NFKC', 'NFC', 'none'] as const) {
        it(`${kind}, ${lowercase ? 'lowercased' : 'case kept'}, ${normalize}: same tokens, slots and counts as the ordinary path`, async () => {
          const config: Partial<TokenizerConfig> = { kind, lowercase, normalize };
          const tokenizer = await createTokenizer(config);
          const direct = new DirectTokenizer(kind === 'simple' ? 'word' : 'whitespace', normalize, lowercase);
          const next = generator(kind.length * 31 + (lowercase ? 7 : 3) + normalize.length);
          const fast = new WordCounter();
          const slow = new WordCounter();
          const buffer = { slots: new Int32Array(1) };
          let handled = 0;
          const lines = Array.from({ length: 6000 }, () => line(next, TRICKY));
          lines.push('Σ Σa aΣ ΣΣ', 'İstanbul', 'STRASSE Straße ẞ', 'naïve café', 'e\u0301 cafe\u0301', '“Quoted,” she said—twice…');
          for (const text of lines) {
            const tokens = tokenizer.tokenize(text);
            const expected = new Int32Array(tokens.length);
            slow.addAll(tokens, expected);
            if (!direct.handles(text)) {
              fast.addAll(tokens, new Int32Array(tokens.length));
              continue;
            }
            handled++;
            const n = direct.count(text, fast, buffer);
            expect({ text, slots: Array.from(buffer.slots.subarray(0, n)) }).toEqual({ text, slots: Array.from(expected) });
          }
          expect([...fast.entries()]).toEqual([...slow.entries()]);
          expect(fast.totalTokens).toBe(slow.totalTokens);
          // Not vacuous: a good part of these lines is counted directly, words with non-ASCII letters too.
          expect(handled).toBeGreaterThan(1000);
          expect([...fast.entries()].some(([, w]) => /[^\x00-\x7f]/.test(w))).toBe(true);
        });
      }
    }
  }

  it('counts typographic punctuation and accented words directly', () => {
    const direct = new DirectTokenizer('word', 'NFKC', true);
    expect(direct.handles('“It’s naïve,” she said — at the café…')).toBe(true);
    expect(direct.handles('ﬁne')).toBe(false); // a ligature: NFKC makes it two letters
    expect(direct.handles('cafe\u0301')).toBe(false); // a combining mark: NFKC composes é
    expect(direct.handles('ΟΔΟΣ')).toBe(false); // final sigma: lowercase depends on the position
  });

  it('files a word under the hash the scanner computes, and finds words that collide', () => {
    const counter = new WordCounter();
    const lower = new Uint16Array(65536).map((_, c) => (c >= 65 && c <= 90 ? c | 32 : c));
    expect(counter.addRange('xx Hello yy', 3, 8, hashWord('hello'), lower)).toBe(0);
    expect(counter.add('hello')).toBe(0);
    // Two different words forced into one hash are told apart by their text.
    expect(counter.addRange('abc', 0, 3, 42, null)).toBe(1);
    expect(counter.addRange('abd', 0, 3, 42, null)).toBe(2);
    expect(counter.addRange('abc', 0, 3, 42, null)).toBe(1);
    expect([...counter.entries()].map(([, w, c]) => [w, c])).toEqual([['hello', 2], ['abc', 2], ['abd', 1]]);
  });

  it('keeps slots, counts and pruning through growth and a max-vocab prune, and across a snapshot', () => {
    const words = Array.from({ length: 20000 }, (_, i) => `w${(i * 7919) % 5000}`);
    const counter = new WordCounter(3000);
    for (const w of words) counter.add(w);
    expect(counter.prunes).toBeGreaterThan(0);
    expect(counter.size).toBeLessThanOrEqual(3000);
    const restored = WordCounter.restore(JSON.parse(JSON.stringify(counter.snapshot())));
    expect([...restored.entries()]).toEqual([...counter.entries()]);
    const live = [...counter.entries()];
    expect(restored.add(live[0]![1])).toBe(live[0]![0]);
  });

  it('pass 1 gives the same counts and token cache counting bytes, lines directly and as strings', async () => {
    // The English sample (curly quotes, dashes, accents) plus lines that must take the ordinary path.
    const mixed = join(dir, 'mixed.txt');
    const english = gunzipSync(readFileSync(join(__dirname, '..', '..', 'corpora', 'en', 'gutenberg-sample.txt.gz'))).toString('utf8').split('\n').slice(0, 4000);
    const extra = ['Ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ and café naïve', 'ﬁne ligatures', 'Ärger über Öl', '日本語 text', 'ΟΔΟΣ Σ', 'plain ASCII again'];
    writeFileSync(mixed, english.flatMap((text, i) => (i % 97 === 0 ? [text, extra[i % extra.length]!] : [text])).join('\n') + '\n');
    // maxVocab 1500 prunes the table many times over (counted from decoded lines: the byte counter never prunes).
    for (const [kind, maxVocab] of [['simple', 0], ['whitespace', 0], ['simple', 1500]] as const) {
      const results = [];
      for (const how of ['bytes', 'direct', 'strings'] as const) {
        const tokenizer = await createBatchTokenizer((await createTokenizer({ kind })).config, 2);
        if (how !== 'bytes') delete tokenizer.byteCounter;
        if (how === 'strings') delete tokenizer.countTokens;
        const cachePath = join(dir, `${kind}-${how}.cache`);
        try {
          const scan = await scanCorpus(await resolveInputs([mixed]), { tokenizer, cachePath, maxVocab });
          results.push({ entries: [...scan.counter.entries()], tokens: scan.counter.totalTokens, prunes: scan.counter.prunes, cache: readFileSync(cachePath) });
        } finally {
          await tokenizer.close();
        }
      }
      for (const result of results.slice(1)) {
        expect(result.entries).toEqual(results[0]!.entries);
        expect(result.tokens).toBe(results[0]!.tokens);
        expect(result.prunes).toBe(results[0]!.prunes);
        expect(result.cache.equals(results[0]!.cache)).toBe(true);
      }
      if (maxVocab > 0) expect(results[0]!.prunes).toBeGreaterThan(3);
      else expect(results[0]!.entries.some(([, w]) => w === 'café' || w === 'Café')).toBe(true);
    }
  });
});
