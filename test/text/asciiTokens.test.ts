// Counting ASCII lines straight from their code units must give exactly what tokenizing them first and
// counting the tokens gives: the same tokens, counts, slots (first-seen order) and token cache.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanCorpus } from '../../src/corpus/scan.js';
import { resolveInputs } from '../../src/text/lineReader.js';
import { countAsciiTokens } from '../../src/text/asciiTokens.js';
import { createBatchTokenizer } from '../../src/text/tokenizePool.js';
import { createTokenizer, type TokenizerConfig } from '../../src/text/tokenizers.js';
import { hashWord, WordCounter } from '../../src/vocab/counter.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

/** Random ASCII lines that exercise every class: letters of both cases, digits, _, punctuation, all whitespace. */
function asciiLines(count: number, seed: number): string[] {
  const alphabet = 'aAbBzZqQ09_5-.,;\'"!?()[]{}<>@#$%^&*+=/\\|`~ \t\v\f\r';
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % alphabet.length;
  return Array.from({ length: count }, () => Array.from({ length: 1 + (next() % 40) }, () => alphabet[next()]).join(''));
}

describe('ASCII token counting', () => {
  for (const [kind, lowercase] of [['simple', true], ['simple', false], ['whitespace', false], ['whitespace', true]] as const) {
    it(`gives the ${kind} tokenizer's tokens${lowercase ? ', lowercased' : ''}, slots and counts`, async () => {
      const tokenizer = await createTokenizer({ kind, lowercase });
      const lines = asciiLines(3000, 7);
      const fast = new WordCounter();
      const slow = new WordCounter();
      const buffer = { slots: new Int32Array(1) };
      for (const line of lines) {
        const n = countAsciiTokens(line, kind === 'simple' ? 'word' : 'whitespace', lowercase, fast, buffer);
        const tokens = tokenizer.tokenize(line);
        const slots = new Int32Array(tokens.length);
        slow.addAll(tokens, slots);
        expect(Array.from(buffer.slots.subarray(0, n))).toEqual(Array.from(slots));
      }
      expect([...fast.entries()]).toEqual([...slow.entries()]);
      expect(fast.totalTokens).toBe(slow.totalTokens);
      expect(fast.size).toBeGreaterThan(100);
    });
  }

  it('files a word under the hash the scanner computes, and finds words that collide', () => {
    const counter = new WordCounter();
    expect(counter.addRange('xx Hello yy', 3, 8, hashWord('hello'), true)).toBe(0);
    expect(counter.add('hello')).toBe(0);
    // Two different words forced into one hash are told apart by their text.
    expect(counter.addRange('abc', 0, 3, 42, false)).toBe(1);
    expect(counter.addRange('abd', 0, 3, 42, false)).toBe(2);
    expect(counter.addRange('abc', 0, 3, 42, false)).toBe(1);
    expect([...counter.entries()].map(([, w, c]) => [w, c])).toEqual([['hello', 2], ['abc', 2], ['abd', 1]]);
  });

  it('keeps slots, counts and pruning through growth and a max-vocab prune, and across a snapshot', () => {
    const words = Array.from({ length: 20000 }, (_, i) => `w${(i * 7919) % 5000}`);
    const counter = new WordCounter(3000);
    const reference = new Map<string, number>();
    for (const w of words) {
      counter.add(w);
      reference.set(w, (reference.get(w) ?? 0) + 1);
    }
    expect(counter.prunes).toBeGreaterThan(0);
    expect(counter.size).toBeLessThanOrEqual(3000);
    const restored = WordCounter.restore(JSON.parse(JSON.stringify(counter.snapshot())));
    expect([...restored.entries()]).toEqual([...counter.entries()]);
    const live = [...counter.entries()];
    expect(restored.add(live[0]![1])).toBe(live[0]![0]);
  });

  it('pass 1 gives the same counts and token cache counting lines directly as tokenizing them first', async () => {
    // The English sample plus lines that are not ASCII (they take the ordinary path in between).
    const mixed = join(dir, 'mixed.txt');
    const english = gunzipSync(readFileSync(join(__dirname, '..', '..', 'corpora', 'en', 'gutenberg-sample.txt.gz'))).toString('utf8').split('\n').slice(0, 4000);
    const extra = ['Ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ and café naïve', 'ﬁne ligatures', 'Ärger über Öl', '日本語 text', 'plain ASCII again'];
    writeFileSync(mixed, english.flatMap((line, i) => (i % 97 === 0 ? [line, extra[i % extra.length]!] : [line])).join('\n') + '\n');
    for (const kind of ['simple', 'whitespace'] as const) {
      const config: Partial<TokenizerConfig> = { kind };
      const results = [];
      for (const direct of [true, false]) {
        const tokenizer = await createBatchTokenizer({ ...(await createTokenizer(config)).config }, 1);
        if (!direct) delete tokenizer.countTokens;
        const cachePath = join(dir, `${kind}-${direct}.cache`);
        const scan = await scanCorpus(await resolveInputs([mixed]), { tokenizer, cachePath });
        results.push({ entries: [...scan.counter.entries()], tokens: scan.counter.totalTokens, cache: readFileSync(cachePath) });
      }
      expect(results[0]!.entries).toEqual(results[1]!.entries);
      expect(results[0]!.tokens).toBe(results[1]!.tokens);
      expect(results[0]!.cache.equals(results[1]!.cache)).toBe(true);
      expect(results[0]!.entries.some(([, w]) => w === 'café' || w === 'Café')).toBe(true);
    }
  });
});

