// Corpus preparation on a thread of its own gives what it gives on the calling thread, stops when
// aborted, and reports its own errors with their codes and messages.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareCorpus, type PrepareJob } from '../../src/corpus/prepare.js';
import { prepareCorpusOnThread } from '../../src/corpus/prepareThread.js';
import { resolveInputs } from '../../src/text/lineReader.js';
import { resolveTokenizerConfig } from '../../src/text/tokenizers.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const EN = join(__dirname, '..', '..', 'corpora', 'en');

async function job(inputs: string[], name: string, extra: Partial<PrepareJob> = {}): Promise<PrepareJob> {
  const workDir = join(dir, name);
  mkdirSync(workDir, { recursive: true });
  return { files: await resolveInputs(inputs), tokenizer: resolveTokenizerConfig({}), threads: 1, docs: 'none', maxVocab: 0, minCount: 5, maxLineChars: 1_000_000, workDir, ...extra };
}

describe('corpus preparation on its own thread', () => {
  it('gives the vocabulary, counts, statistics and token cache of the calling thread', async () => {
    const here = await prepareCorpus(await job([EN], 'here'));
    const progress: number[] = [];
    const there = await prepareCorpusOnThread(await job([EN], 'there'), undefined, (p) => progress.push(p.tokens));
    expect(there.words).toEqual(here.words);
    expect(Array.from(there.counts)).toEqual(Array.from(here.counts));
    expect({ ...there.cache, path: '' }).toEqual({ ...here.cache, path: '' });
    expect(readFileSync(there.cache.path).equals(readFileSync(here.cache.path))).toBe(true);
    expect([there.corpusTokens, there.lines, there.reused]).toEqual([here.corpusTokens, here.lines, false]);
    expect(progress.at(-1)).toBe(here.corpusTokens);
    expect(here.words.length).toBeGreaterThan(3000);
  });

  it('reuses a cache folder from the worker as from the calling thread', async () => {
    const cacheDir = join(dir, 'cache');
    const first = await prepareCorpusOnThread(await job([EN], 'c1', { cacheDir }));
    const second = await prepareCorpusOnThread(await job([EN], 'c2', { cacheDir, minCount: 20 }));
    expect([first.reused, second.reused]).toEqual([false, true]);
    expect(second.words).toEqual(first.words.filter((_, id) => first.counts[id]! >= 20));
  });

  it('stops with INTERRUPTED when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(prepareCorpusOnThread(await job([EN], 'aborted'), controller.signal)).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
  });

  it('passes its own errors on, code and message', async () => {
    const tsv = join(dir, 'dup.tsv');
    writeFileSync(tsv, 'a\tone two\nb\tthree\na\tfour\n');
    await expect(prepareCorpusOnThread(await job([tsv], 'dup', { docs: 'tsv' }))).rejects.toMatchObject({
      code: 'E_DUPLICATE_ID',
      message: 'duplicate document id "a" at line 3 (first at line 1)',
    });
    await expect(prepareCorpusOnThread(await job([EN], 'empty', { minCount: 1e9 }))).rejects.toMatchObject({ code: 'E_EMPTY_CORPUS' });
  });
});
