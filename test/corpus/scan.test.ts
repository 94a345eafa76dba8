import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanCorpus, type DocsMode } from '../../src/corpus/scan.js';
import { resolveInputs } from '../../src/text/lineReader.js';
import { createBatchTokenizer, createInterningTokenizer } from '../../src/text/tokenizePool.js';
import { resolveTokenizerConfig, type TokenizerConfig } from '../../src/text/tokenizers.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const corpora = join(__dirname, '..', '..', 'corpora');

async function scanBothWays(inputs: string[], docs: DocsMode, config: TokenizerConfig, name: string) {
  const files = await resolveInputs(inputs);
  const here = await createBatchTokenizer(config, 1);
  const onThisThread = await scanCorpus(files, { tokenizer: here, docs, cachePath: join(dir, `${name}-1.cache`) }).finally(() => here.close());
  const threads = createInterningTokenizer(config, 2);
  const onWorkers = await scanCorpus(files, { tokenizer: threads, docs, cachePath: join(dir, `${name}-2.cache`) }).finally(() => threads.close());
  return { onThisThread, onWorkers, caches: [readFileSync(join(dir, `${name}-1.cache`)), readFileSync(join(dir, `${name}-2.cache`))] };
}

describe('pass 1 on tokenizer threads (words handed back as ids)', () => {
  const cases: [string, string[], DocsMode, Partial<TokenizerConfig>][] = [
    ['English lines', [join(corpora, 'en')], 'none', {}],
    ['Lee documents', [join(corpora, 'docs', 'lee_background.cor')], 'lines', {}],
    ['Japanese with kuromoji', [join(corpora, 'ja')], 'none', { kind: 'ja' }],
  ];
  for (const [name, inputs, docs, tokenizer] of cases) {
    it(`${name}: the same counts, slots (first-seen order) and token cache as on one thread`, async () => {
      const { onThisThread, onWorkers, caches } = await scanBothWays(inputs, docs, resolveTokenizerConfig(tokenizer), name.replace(/ /g, '-'));
      expect(onWorkers.counter.totalTokens).toBeGreaterThan(10000);
      expect(onWorkers.counter.snapshot()).toEqual(onThisThread.counter.snapshot());
      expect(onWorkers.sentences).toBe(onThisThread.sentences);
      expect(onWorkers.docIds).toEqual(onThisThread.docIds);
      expect(caches[1]!.equals(caches[0]!)).toBe(true);
    }, 60_000);
  }

  it('tsv documents with an empty one and a folder of files give the same result too', async () => {
    const tsv = join(dir, 'docs.tsv');
    writeFileSync(tsv, 'a\tthe cat sat on the mat\nb\t\nc\tthe dog sat on the log and the cat\n');
    const both = await scanBothWays([tsv], 'tsv', resolveTokenizerConfig({}), 'tsv');
    expect(both.onWorkers.counter.snapshot()).toEqual(both.onThisThread.counter.snapshot());
    expect(both.onWorkers.emptyDocs).toBe(1);
    expect(both.caches[1]!.equals(both.caches[0]!)).toBe(true);
    const folder = await scanBothWays([join(corpora, 'en')], 'files', resolveTokenizerConfig({}), 'files');
    expect(folder.onWorkers.counter.snapshot()).toEqual(folder.onThisThread.counter.snapshot());
    expect(folder.caches[1]!.equals(folder.caches[0]!)).toBe(true);
  });

  it('refuses a vocabulary limit (pruning needs every token in order on one thread)', async () => {
    const threads = createInterningTokenizer(resolveTokenizerConfig({}), 2);
    await expect(scanCorpus(await resolveInputs([join(corpora, 'en')]), { tokenizer: threads, maxVocab: 100 })).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    await threads.close();
  });
});
