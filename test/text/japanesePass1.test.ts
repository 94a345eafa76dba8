/**
 * Pass 1 over Japanese text counts the same words, in the same order, into the same token cache whether
 * the analysis runs on this thread (tokens counted straight from the line) or on worker threads sharing
 * one dictionary (tokens sent back as spans), and the same as counting the tokenizer's strings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanCorpus } from '../../src/corpus/scan.js';
import { resolveInputs } from '../../src/text/lineReader.js';
import { createBatchTokenizer, SMALL_INPUT_BYTES, tokenizerThreads } from '../../src/text/tokenizePool.js';
import { createTokenizer, resolveTokenizerConfig } from '../../src/text/tokenizers.js';
import { tempDir } from '../helpers/tmp.js';

describe('Japanese pass 1', () => {
  const dir = tempDir();
  const corpus = join(dir, 'ja.txt');
  const sample = gunzipSync(readFileSync(join(__dirname, '..', '..', 'corpora', 'ja', 'aozora-sample.txt.gz'))).toString('utf8').split('\n');
  // Hard lines among the prose: half-width kana and full-width Latin (NFKC changes them), control
  // characters, lone surrogates, pairs, symbols.
  const hard = ['ｶﾀｶﾅとＡＢＣ１２３', '猫\u0001が\ud800いる', '𠮷野家で😀😀を', '「」！？…', ''];
  writeFileSync(corpus, sample.flatMap((line, i) => (i % 50 === 0 ? [line, hard[(i / 50) % hard.length]!] : [line])).join('\n'));

  for (const settings of [{}, { baseForm: true }, { pos: ['名詞', '動詞'] }, { pos: ['all'], normalize: 'none' as const }]) {
    it(`gives the same counts and cache on 1 and 2 threads and as strings (${JSON.stringify(settings)})`, async () => {
      const config = resolveTokenizerConfig({ kind: 'ja', ...settings });
      const runs = [];
      for (const [name, threads, asStrings] of [['direct', 1, false], ['workers', 2, false], ['strings', 1, true]] as const) {
        const tokenizer = await createBatchTokenizer(config, threads);
        if (asStrings) delete tokenizer.countTokens;
        const cachePath = join(dir, `${name}.cache`);
        try {
          const scan = await scanCorpus(await resolveInputs([corpus]), { tokenizer, cachePath });
          runs.push({ entries: [...scan.counter.entries()], tokens: scan.counter.totalTokens, cache: readFileSync(cachePath) });
        } finally {
          await tokenizer.close();
        }
      }
      expect(runs[0]!.tokens).toBeGreaterThan(50_000);
      for (const run of runs.slice(1)) {
        expect(run.entries).toEqual(runs[0]!.entries);
        expect(run.tokens).toBe(runs[0]!.tokens);
        expect(run.cache.equals(runs[0]!.cache)).toBe(true);
      }
      // And the counts are those of the tokenizer's own strings.
      const tokenizer = await createTokenizer(config);
      let total = 0;
      for (const line of readFileSync(corpus, 'utf8').split('\n')) total += tokenizer.tokenize(line).length;
      expect(runs[0]!.tokens).toBe(total);
    });
  }
});

describe('tokenizer threads for an input', () => {
  const dir = tempDir();
  const small = join(dir, 'small.txt');
  const big = join(dir, 'big.txt');
  writeFileSync(small, '猫が座った\n');
  writeFileSync(big, Buffer.alloc(SMALL_INPUT_BYTES, 0x61));

  it('analyses small files on the calling thread, big ones, stdin and pipes on the threads asked for', async () => {
    expect(tokenizerThreads(await resolveInputs([small]), 2)).toBe(1);
    expect(tokenizerThreads(await resolveInputs([small, small]), 4)).toBe(1);
    expect(tokenizerThreads(await resolveInputs([big]), 2)).toBe(2);
    expect(tokenizerThreads(await resolveInputs([small, big]), 3)).toBe(3);
    expect(tokenizerThreads(await resolveInputs(['-']), 2)).toBe(2);
    expect(tokenizerThreads([{ path: '/dev/fd/63', name: '/dev/fd/63', size: 0, fromFolder: false, stream: true }], 2)).toBe(2);
    expect(tokenizerThreads(await resolveInputs([big]), 1)).toBe(1);
  });
});
