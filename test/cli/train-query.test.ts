// End-to-end training and queries through the built binary.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { BIN, kotovec } from '../helpers/cli.js';

const dir = tempDir();
const EN = join(__dirname, '..', '..', 'corpora', 'en');
const model = join(dir, 'en.db');

describe('train, similar, analogy, export', () => {
  it('trains a model and answers queries, in text and JSON', () => {
    const train = kotovec(['train', EN, '-o', model, '--epochs', '3', '--threads', '2', '--progress', 'json']);
    expect(train.code).toBe(0);
    expect(train.stdout).toBe('');
    expect(train.stderr).toMatch(/trained cbow\+ns on \d+ words × 3 epochs/);
    const events = train.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(events.some((e) => e.phase === 'train' && e.words === e.totalWords)).toBe(true);

    const similar = kotovec(['similar', model, 'alice', '-k', '5']);
    expect(similar.code).toBe(0);
    const lines = similar.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^\S+\t0\.\d{4}$/);
    const json = JSON.parse(kotovec(['similar', model, 'alice', '-k', '3', '--json']).stdout);
    expect(json.query).toEqual([{ text: 'alice', tokens: ['alice'], unknown: [] }]);
    expect(json.results).toHaveLength(3);
    expect(Object.keys(json.results[0]).sort()).toEqual(['similarity', 'word']);
    expect(json.results[0].similarity).toBeGreaterThanOrEqual(json.results[1].similarity);
    const analogy = JSON.parse(kotovec(['analogy', model, 'he', 'his', 'she', '--json']).stdout);
    expect(analogy.results.map((r: { word: string }) => r.word)).not.toContain('she');
  });

  it('reads a query the vocabulary does not hold with the model\'s tokenizer', () => {
    // "Alice!" is not a word of the model; the simple tokenizer reads it as alice.
    const read = kotovec(['similar', model, 'Alice!', '-k', '3', '--json']);
    expect(read.code).toBe(0);
    const answer = JSON.parse(read.stdout);
    expect(answer.query).toEqual([{ text: 'Alice!', tokens: ['alice'], unknown: [] }]);
    expect(answer.results).toEqual(JSON.parse(kotovec(['similar', model, 'alice', '-k', '3', '--json']).stdout).results);
    // A phrase is the mean of its known tokens; an unknown token is named, not used.
    const phrase = kotovec(['similar', model, 'the Queen qwertyuiop', '-k', '3']);
    expect(phrase.code).toBe(0);
    expect(phrase.stderr).toBe('kotovec: "the Queen qwertyuiop" read as the queen (not in the model: qwertyuiop)\n');
    const both = JSON.parse(kotovec(['similar', model, 'the', 'queen', '-k', '3', '--json']).stdout).results.map((r: { word: string }) => r.word);
    const words = JSON.parse(kotovec(['similar', model, 'the Queen qwertyuiop', '-k', '3', '--json']).stdout).results.map((r: { word: string }) => r.word);
    // One phrase of two words points where the two words do together.
    expect(words).toEqual(both);
    expect(words).not.toContain('queen');
    const none = kotovec(['similar', model, 'qwertyuiop asdfghjkl']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/word not in the model: "qwertyuiop asdfghjkl" \(read as qwertyuiop asdfghjkl\)/);
  });

  it('names an unknown word and refuses empty queries', () => {
    const unknown = kotovec(['similar', model, 'qwertyuiop']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('kotovec: word not in the model: "qwertyuiop" (E_UNKNOWN_WORD)\n');
    expect(kotovec(['similar', model, '']).code).toBe(2);
    expect(kotovec(['analogy', model, 'he', 'zzzz', 'she']).stderr).toMatch(/"zzzz"/);
  });

  it('refuses to overwrite a model without --force and leaves it intact', () => {
    const before = readFileSync(model);
    const again = kotovec(['train', EN, '-o', model, '--epochs', '1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/output exists.*--force.*\(E_OUTPUT_EXISTS\)/);
    expect(readFileSync(model).equals(before)).toBe(true);
  });

  it('reports foreign and corrupt model files in one line', () => {
    writeFileSync(join(dir, 'fake.db'), 'not sqlite at all');
    const fake = kotovec(['similar', join(dir, 'fake.db'), 'alice']);
    expect(fake.code).toBe(1);
    expect(fake.stderr).toMatch(/^kotovec: not a kotovec model \(not an SQLite database\).*\(E_BAD_MODEL\)\n$/);
    expect(kotovec(['similar', join(dir, 'none.db'), 'alice']).stderr).toMatch(/model not found/);
  });

  it('rejects absurd option values before doing any work', () => {
    for (const [flag, value] of [['--dim', '0'], ['--window', '-1'], ['--threads', '10000'], ['--alpha', 'nan'], ['--epochs', '1.5']]) {
      const result = kotovec(['train', EN, '-o', join(dir, 'bad.db'), flag!, value!]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^kotovec: ${flag}`));
      expect(existsSync(join(dir, 'bad.db'))).toBe(false);
    }
  });

  it('exports word2vec binary and text files that follow the format', () => {
    const bin = join(dir, 'en.bin');
    expect(kotovec(['export', model, '-o', bin, '--limit', '10']).code).toBe(0);
    const bytes = readFileSync(bin);
    const header = bytes.subarray(0, bytes.indexOf(10)).toString();
    const [count, dim] = header.split(' ').map(Number);
    expect(count).toBe(10);
    expect(dim).toBe(100);
    const text = join(dir, 'en.txt');
    expect(kotovec(['export', model, '-o', text, '--format', 'word2vec-text']).code).toBe(0);
    const lines = readFileSync(text, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^\d+ 100$/);
    expect(lines[1]!.split(' ')).toHaveLength(101);
    expect(lines).toHaveLength(Number(lines[0]!.split(' ')[0]) + 1);
  });

  it('imports its own export, evaluates, and describes models', () => {
    const bin = join(dir, 'round.bin');
    expect(kotovec(['export', model, '-o', bin]).code).toBe(0);
    const imported = join(dir, 'imported.db');
    const result = kotovec(['import', bin, '-o', imported]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/imported \d+ vectors of dimension 100 \(word2vec-bin\)/);
    expect(kotovec(['similar', imported, 'alice', '-k', '5']).stdout).toBe(kotovec(['similar', model, 'alice', '-k', '5']).stdout);
    writeFileSync(join(dir, 'q.txt'), ': family\nhe his she her\nhe him she her\n');
    writeFileSync(join(dir, 'p.tsv'), 'he\tshe\t8\nhe\this\t6\nalice\ttime\t1\nzzz\the\t3\n');
    const evaluation = JSON.parse(kotovec(['evaluate', model, '--analogies', join(dir, 'q.txt'), '--pairs', join(dir, 'p.tsv'), '--json']).stdout);
    expect(evaluation.analogy).toMatchObject({ total: 2, skipped: 0 });
    expect(evaluation.analogy.sections[0].section).toBe('family');
    expect(evaluation.pairs).toMatchObject({ pairs: 3, oov: 1 });
    const info = JSON.parse(kotovec(['info', model, '--json']).stdout);
    expect(info).toMatchObject({ origin: 'trained', kind: 'cbow+ns', dim: 100, documents: 0, canInfer: false });
    expect(info.tokenizer.kind).toBe('simple');
    expect(JSON.parse(kotovec(['info', imported, '--json']).stdout)).toMatchObject({ origin: 'imported', canInfer: false });
    const infer = kotovec(['infer', imported, '--text', 'alice']);
    expect(infer.code).toBe(1);
    expect(infer.stderr).toMatch(/no document vectors/);
  });

  it('stops on SIGINT: exit 130, no model, no temporary files', async () => {
    const out = join(dir, 'interrupted.db');
    const child = spawn(process.execPath, [BIN, 'train', EN, '-o', out, '--epochs', '200', '--progress', 'json']);
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('"phase":"train"')) resolve();
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted by SIGINT.*\(E_INTERRUPTED\)/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
