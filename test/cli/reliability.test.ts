// Bad input, corrupt models, interruption: every command answers with one line and a non-zero exit,
// never a stack trace, and leaves no partial output.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImportRows } from '../../src/store/importRows.js';
import { BIN, expectOneLineError, kotovec, LEE, trainSmallModels } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const good = join(dir, 'good.db');
const docsModel = join(dir, 'docs.db');

beforeAll(() => {
  trainSmallModels(good, docsModel);
  writeFileSync(join(dir, 'text.db'), 'just some text, not a database\n');
  writeFileSync(join(dir, 'random.db'), Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 2654435761) >>> 24)));
  const foreign = new Database(join(dir, 'foreign.db'));
  foreign.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (\'hello\');');
  foreign.close();
  copyFileSync(good, join(dir, 'newer.db'));
  const newer = new Database(join(dir, 'newer.db'));
  newer.pragma('user_version = 99');
  newer.close();
  copyFileSync(good, join(dir, 'truncated.db'));
  truncateSync(join(dir, 'truncated.db'), Math.floor(statSync(good).size / 3));
  writeFileSync(join(dir, 'empty.db'), '');
  mkdirSync(join(dir, 'folder.db'));
});

describe('every model-reading command refuses bad model files in one line', () => {
  const cases: [string, RegExp][] = [
    ['missing.db', /model not found.*E_INPUT_NOT_FOUND/],
    ['text.db', /not an SQLite database.*E_BAD_MODEL/],
    ['random.db', /E_BAD_MODEL/],
    ['empty.db', /E_BAD_MODEL/],
    ['folder.db', /is a folder.*E_BAD_MODEL/],
    ['foreign.db', /SQLite database of something else.*E_BAD_MODEL/],
    ['newer.db', /schema version 99.*upgrade kotovec.*E_MODEL_TOO_NEW/],
    ['truncated.db', /damaged.*E_BAD_MODEL/],
  ];
  const commands = (model: string): string[][] => [
    ['similar', model, 'the'],
    ['analogy', model, 'a', 'b', 'c'],
    ['export', model, '-o', join(dir, 'out.bin'), '--force'],
    ['evaluate', model, '--pairs', join(dir, 'pairs.tsv')],
    ['info', model],
    ['infer', model, '--text', 'the'],
    ['similar-docs', model, '--id', '0'],
  ];
  for (const [file, pattern] of cases) {
    it(file, () => {
      writeFileSync(join(dir, 'pairs.tsv'), 'a\tb\t1\n');
      for (const argv of commands(join(dir, file))) {
        const result = kotovec(argv);
        expectOneLineError(result, pattern);
      }
      expect(existsSync(join(dir, 'out.bin'))).toBe(false);
    });
  }
});

describe('bad input to train, tokenize and vocab', () => {
  it('empty files, binary junk and folders without text', () => {
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(join(dir, 'junk.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 97) % 256)));
    for (const command of ['train', 'vocab', 'tokenize']) {
      const out = command === 'train' ? ['-o', join(dir, 'x.db')] : [];
      expectOneLineError(kotovec([command, join(dir, 'junk.bin'), ...out]), /looks binary.*E_INPUT_BINARY/);
      expectOneLineError(kotovec([command, join(dir, 'nope.txt'), ...out]), /E_INPUT_NOT_FOUND/);
    }
    expectOneLineError(kotovec(['train', join(dir, 'empty.txt'), '-o', join(dir, 'x.db')]), /E_EMPTY_CORPUS/);
    expectOneLineError(kotovec(['vocab', join(dir, 'empty.txt')]), /E_EMPTY_CORPUS/);
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });

  it('invalid UTF-8 is replaced and reported, not fatal', () => {
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from('caf\xe9 au lait\nna\xefve\n', 'latin1'));
    const result = kotovec(['tokenize', join(dir, 'latin1.txt')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('caf au lait\nna ve\n');
    expect(result.stderr).toMatch(/2 invalid UTF-8 sequences/);
  });

  it('absurd option values name the option; existing outputs are refused', () => {
    const absurd = [
      ['--min-count', '0'], ['--negative', '0'], ['--sample', '-1'], ['--epochs', '0'], ['--max-vocab', '1'], ['--threads', '0'],
      ['--dim', '0'], ['--window', '-1'], ['--threads', '10000'], ['--alpha', 'nan'], ['--dim', '1e9'], ['--epochs', '1.5'],
    ];
    for (const [flag, value] of absurd) {
      expectOneLineError(kotovec(['train', LEE, '-o', join(dir, 'y.db'), flag!, value!]), new RegExp(flag!));
    }
    expectOneLineError(kotovec(['similar', good, 'the', '-k', '0']), /-k must be/);
    expectOneLineError(kotovec(['similar', good, '']), /empty query/);
    expectOneLineError(kotovec(['analogy', good, 'the', 'a', ' ']), /empty query/);
    expectOneLineError(kotovec(['similar', good, 'zzqxv']), /word not in the model: "zzqxv".*E_UNKNOWN_WORD/);
    expectOneLineError(kotovec(['export', good, '-o', join(dir, 'z.bin'), '--limit', '-1']), /--limit/);
    expectOneLineError(kotovec(['export', good, '-o', join(dir, 'z.bin'), '--format', 'xml']), /--format/);
    expectOneLineError(kotovec(['train', LEE, '-o', join(dir, 'no', 'such', 'dir.db')]), /output folder does not exist/);
    // A folder nobody can write to, root included (permission bits do not stop root; /proc does).
    if (process.platform === 'linux') {
      expectOneLineError(kotovec(['train', LEE, '-o', '/proc/kotovec-test.db', '--epochs', '1']), /cannot write in the output folder \/proc.*E_OUTPUT_UNWRITABLE/);
      expectOneLineError(kotovec(['export', good, '-o', '/proc/kotovec-test.bin']), /E_OUTPUT_UNWRITABLE/);
      expectOneLineError(kotovec(['import', join(dir, 'text.db'), '-o', '/proc/kotovec-test.db']), /E_OUTPUT_UNWRITABLE/);
    }
    expectOneLineError(kotovec(['export', good, '-o', good]), /output exists.*E_OUTPUT_EXISTS/);
    expectOneLineError(kotovec(['import', join(dir, 'text.db'), '-o', join(dir, 'imported.db')]), /not a word2vec file.*E_BAD_FORMAT/);
    expect(existsSync(join(dir, 'imported.db'))).toBe(false);
  });

  it('doc2vec queries: unknown ids and unknown-only documents are clear errors', () => {
    expectOneLineError(kotovec(['similar-docs', docsModel, '--id', 'nope']), /document not in the model: "nope".*E_UNKNOWN_DOC/);
    expectOneLineError(kotovec(['infer', docsModel, '--text', 'zzqx qqxz']), /no word in the model's vocabulary.*E_UNKNOWN_WORD/);
    expectOneLineError(kotovec(['infer', docsModel, '--text', '  ']), /empty query/);
    expectOneLineError(kotovec(['similar-docs', good, '--id', '0']), /no document vectors/);
    expectOneLineError(kotovec(['infer', docsModel, '--file', dir]), /--file must be a file of documents.*not a folder.*E_INPUT_UNREADABLE/);
    expectOneLineError(kotovec(['similar-docs', docsModel, '--file', dir]), /not a folder/);
    expectOneLineError(kotovec(['evaluate', good, '--pairs', dir]), /is a folder, not an evaluation file.*E_INPUT_UNREADABLE/);
    const ok = kotovec(['infer', docsModel, '--text', 'the government said', '--similar', '2', '--json']);
    expect(ok.code).toBe(0);
    const line = JSON.parse(ok.stdout);
    expect(line.vector).toHaveLength(20);
    expect(line.similar).toHaveLength(2);
  });

  it('commander usage errors are one line too', () => {
    expectOneLineError(kotovec(['train', LEE, '-o', join(dir, 'u.db'), '--cbow-mean']), /unknown option '--cbow-mean'.*E_USAGE/);
    expectOneLineError(kotovec(['similar', good]), /missing required argument.*E_USAGE/);
  });
});

describe('interruption', () => {
  /** Starts kotovec, waits until stderr shows `waitFor` (with `input`: after writing it to stdin, left open), then signals. */
  async function interrupt(signal: NodeJS.Signals, argv: string[], waitFor: RegExp, input?: string) {
    const child = spawn(process.execPath, [BIN, ...argv], { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    if (input !== undefined) child.stdin!.write(input);
    await new Promise<void>((resolve) => child.stderr.on('data', () => waitFor.test(stderr) && resolve()));
    child.kill(signal);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { code, stderr };
  }

  it('SIGTERM during training exits 143 and keeps the previous model intact', async () => {
    const before = readFileSync(good);
    const result = await interrupt('SIGTERM', ['train', LEE, '-o', good, '--force', '--epochs', '500', '--progress', 'json'], /"phase":"train"/);
    expect(result.code).toBe(143);
    expect(result.stderr).toMatch(/interrupted by SIGTERM.*nothing was written/);
    expect(readFileSync(good).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('SIGINT during an import removes the unfinished model and exits 130', async () => {
    // 150,000 rows of 50 values of 17 digits (more than the quick decimal parser takes, so every row goes
    // the general way): long enough to be interrupted half way.
    const source = join(dir, 'big.vec');
    const fd = openSync(source, 'w');
    writeSync(fd, '150000 50\n');
    const row = Array.from({ length: 50 }, (_, k) => (k / 100 + 0.001).toFixed(17)).join(' ');
    for (let start = 0; start < 150_000; start += 10_000) {
      writeSync(fd, Array.from({ length: 10_000 }, (_, i) => `w${start + i} ${row}`).join('\n') + '\n');
    }
    closeSync(fd);
    const out = join(dir, 'imported-big.db');
    const started = () => readdirSync(dir).some((f) => f.startsWith('.imported-big.db.tmp-'));
    const child = spawn(process.execPath, [BIN, 'import', source, '-o', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    while (!started()) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/^kotovec: interrupted by SIGINT; the unfinished output was removed \(E_INTERRUPTED\)\n$/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it("an import's writer thread never makes the model file it writes into", () => {
    // SIGINT can remove the unfinished model before the writer thread opens it: the open must fail
    // rather than leave a new file behind (seen as a stray `.tmp-` file after an interrupted import).
    const removed = join(dir, '.removed-by-the-interruption.db.tmp-1-x');
    expect(() => new ImportRows(removed, 'source.vec', 'f32', 4)).toThrow();
    expect(existsSync(removed)).toBe(false);
  });

  it('SIGINT while reading stdin (pass 1) exits 130 and writes nothing', async () => {
    const out = join(dir, 'stdin.db');
    // The scan reports its first batch (512 lines) once it is read: pass 1 is under way, stdin still open.
    const lines = 'the cat sat on the mat\n'.repeat(600);
    const result = await interrupt('SIGINT', ['train', '-', '-o', out, '--progress', 'json'], /"phase":"scan"/, lines);
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/interrupted/);
    expect(existsSync(out)).toBe(false);
  });
});
