// End-to-end: the real built binary as a child process.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { kotovec } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

function expectCleanError(result: ReturnType<typeof kotovec>, code: number, pattern: RegExp) {
  expect(result.code).toBe(code);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr.trim().split('\n')[0]).toMatch(/^kotovec: /);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('kotovec CLI basics', () => {
  it('prints help and version', () => {
    const help = kotovec(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: kotovec/);
    for (const command of ['tokenize', 'vocab', 'train', 'similar', 'analogy', 'export']) {
      const sub = kotovec([command, '--help']);
      expect(sub.code).toBe(0);
      expect(sub.stdout).toMatch(new RegExp(`Usage: kotovec ${command}`));
    }
    expect(kotovec(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('tokenizes files, .gz and stdin, one output line per input line', () => {
    writeFileSync(join(dir, 'a.txt'), 'Hello, World!\n\nIt’s 42.\n');
    writeFileSync(join(dir, 'b.txt.gz'), gzipSync('Zwei Wörter\n'));
    const result = kotovec(['tokenize', join(dir, 'a.txt'), join(dir, 'b.txt.gz')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('hello world\n\nit s 42\nzwei wörter\n');
    expect(kotovec(['tokenize', '-'], 'From STDIN\n').stdout).toBe('from stdin\n');
    expect(kotovec(['tokenize', '--tokenizer', 'whitespace'], 'Keep, As-Is\n').stdout).toBe('Keep, As-Is\n');
  });

  it('counts words, most frequent first, with --min-count and --json', () => {
    writeFileSync(join(dir, 'count.txt'), 'b a a c a b\n');
    expect(kotovec(['vocab', join(dir, 'count.txt')]).stdout).toBe('a 3\nb 2\nc 1\n');
    expect(kotovec(['vocab', '--min-count', '2', join(dir, 'count.txt')]).stdout).toBe('a 3\nb 2\n');
    expect(JSON.parse(kotovec(['vocab', '--json', join(dir, 'count.txt')]).stdout)[0]).toEqual({ word: 'a', count: 3 });
  });
});

describe('kotovec CLI errors: one line, no stack trace, exit 1 or 2', () => {
  it('a missing input', () => {
    expectCleanError(kotovec(['tokenize', join(dir, 'missing.txt')]), 1, /input not found: .*missing\.txt \(E_INPUT_NOT_FOUND\)/);
    expectCleanError(kotovec(['vocab', join(dir, 'missing.txt')]), 1, /E_INPUT_NOT_FOUND/);
  });

  it('a folder with no text files', () => {
    mkdirSync(join(dir, 'nothing'));
    expectCleanError(kotovec(['vocab', join(dir, 'nothing')]), 1, /folder has no text files.*\(E_NO_TEXT_FILES\)/);
  });

  it('an empty corpus', () => {
    writeFileSync(join(dir, 'empty.txt'), '');
    expectCleanError(kotovec(['vocab', join(dir, 'empty.txt')]), 1, /empty vocabulary.*\(E_EMPTY_CORPUS\)/);
    writeFileSync(join(dir, 'punct.txt'), '... !!! ???\n');
    expectCleanError(kotovec(['vocab', join(dir, 'punct.txt')]), 1, /E_EMPTY_CORPUS/);
  });

  it('a binary file', () => {
    writeFileSync(join(dir, 'random.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    expectCleanError(kotovec(['tokenize', join(dir, 'random.bin')]), 1, /looks binary.*random\.bin.*\(E_INPUT_BINARY\)/);
  });

  it('an unknown option value or option', () => {
    writeFileSync(join(dir, 'ok.txt'), 'a b c\n');
    expectCleanError(kotovec(['tokenize', '--tokenizer', 'klingon', join(dir, 'ok.txt')]), 2, /--tokenizer must be one of/);
    expectCleanError(kotovec(['vocab', '--min-count', 'zero', join(dir, 'ok.txt')]), 2, /--min-count/);
    expectCleanError(kotovec(['vocab', '--bogus', join(dir, 'ok.txt')]), 2, /unknown option '--bogus'/);
    expectCleanError(kotovec(['frobnicate']), 2, /unknown command/);
  });

  it('prints the stack only with --debug', () => {
    const result = kotovec(['--debug', 'tokenize', join(dir, 'missing.txt')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});
