// A single 76 MB line without a newline (76 times the longest line read whole, and over the 64 MB
// `evaluate` takes), read by every command that reads text: bounded memory, no word lost, and clean
// refusals where it is not the data a command takes. Apart from the other bad-input tests
// (reliability.test.ts) so that the two long files run side by side.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, expectOneLineError, kotovec, trainSmallModels } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const good = join(dir, 'good.db');
const docsModel = join(dir, 'docs.db');

beforeAll(() => {
  trainSmallModels(good, docsModel);
});

describe('a huge line', () => {
  it('a single 76 MB line without a newline: every command reading text copes, in bounded memory', async () => {
    const path = join(dir, 'huge-line.txt');
    const fd = openSync(path, 'w');
    const block = Buffer.from('the government said police '.repeat(32768));
    const size = 86 * block.length;
    for (let written = 0; written < size; written += block.length) writeSync(fd, block);
    closeSync(fd);
    // The two long ones run side by side, each in a 48 MB JavaScript heap: the 76 MB line cannot be held
    // whole as a string even once (that stops the process), and a loaded machine cannot let garbage pile
    // up past the limit either (V8 collects before it grows). The peak the model records is the process's
    // own, not that of the test runner it was forked from.
    const run = (argv: string[], stdout: 'pipe' | number = 'pipe') =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--max-old-space-size=48', BIN, ...argv], { stdio: ['ignore', stdout, 'pipe'] });
        let out = '';
        let err = '';
        child.stdout?.on('data', (chunk) => (out += chunk));
        child.stderr!.on('data', (chunk) => (err += chunk));
        child.on('exit', (code) => resolve({ code, stdout: out, stderr: err }));
      });
    const tokensFile = join(dir, 'huge-line.tok');
    const tokensFd = openSync(tokensFile, 'w');
    const hugeModel = join(dir, 'huge.db');
    const [trained, tokenized] = await Promise.all([
      run(['train', path, '-o', hugeModel, '--epochs', '1', '--min-count', '1', '--progress', 'none']),
      run(['tokenize', path], tokensFd),
    ]);
    closeSync(tokensFd);
    expect(trained.code, trained.stderr).toBe(0);
    const stats = JSON.parse((new Database(hugeModel, { readonly: true }).prepare("SELECT value FROM meta WHERE key = 'stats'").pluck().get()) as string);
    expect(stats.corpusTokens).toBe(86 * 32768 * 4); // no word lost or cut
    // Training alone peaks at ~120 MB here; holding the line once more as bytes would pass 190 MB.
    expect(stats.peakRssMB).toBeLessThan(200);
    expect(tokenized.code, tokenized.stderr).toBe(0);
    expect(tokenized.stderr).toMatch(/1 line was longer than 1,000,000 characters and split into pieces/);
    expect(statSync(tokensFile).size).toBe(size); // every token, one space or newline after each
    const vocab = kotovec(['vocab', path, '--progress', 'none']);
    expect(vocab.code).toBe(0);
    expect(vocab.stdout.split('\n')[0]).toMatch(/^(the|government|said|police) \d+$/);
    expect(vocab.stderr).toMatch(/kotovec: \d+ tokens, 4 words/);
    // A line is one document for infer and similar-docs: one answer, from the line's start.
    const inferred = kotovec(['infer', docsModel, '--file', path, '--json']);
    expect(inferred.code, inferred.stderr).toBe(0);
    expect(inferred.stdout.trim().split('\n')).toHaveLength(1);
    expect(inferred.stderr).toMatch(/1 document line was longer than 1,000,000 characters; only the start of each was used/);
    const similar = kotovec(['similar-docs', docsModel, '--file', path, '-k', '2', '--json']);
    expect(similar.code, similar.stderr).toBe(0);
    // Not evaluation data, not a word2vec file: clean refusals.
    expectOneLineError(kotovec(['evaluate', good, '--pairs', path]), /holds \d+ MB: too big to be word pairs or analogies .*E_BAD_FORMAT/);
    expectOneLineError(kotovec(['evaluate', good, '--analogies', path]), /too big to be word pairs or analogies .*E_BAD_FORMAT/);
    expectOneLineError(kotovec(['import', path, '-o', join(dir, 'huge-import.db')]), /no word2vec header.*E_BAD_FORMAT/);
    expect(existsSync(join(dir, 'huge-import.db'))).toBe(false);
  });

});
