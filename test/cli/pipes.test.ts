// Inputs that are pipes — process substitution, a FIFO, gzip through a pipe — are read as streams, as
// stdin is; and whitespace is never a word: the Japanese tokenizer drops blank tokens even with --pos
// all, and a model that holds a blank key (written before) exports with it left out and named.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeModel } from '../../src/store/writer.js';
import { BIN, kotovec } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { tinyModel } from '../helpers/tinyModel.js';

const dir = tempDir();
const EN = join(__dirname, '..', '..', 'corpora', 'en', 'gutenberg-sample.txt.gz');
const bash = (script: string) => spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, KOTOVEC: `${process.execPath} ${BIN}` } });

describe('inputs that are pipes', () => {
  it('tokenize reads process substitution, gzip through a pipe included', () => {
    const text = '吾輩は猫である。\n名前はまだ無い。\n';
    const plain = bash(`$KOTOVEC tokenize --tokenizer ja <(printf '${text.replace(/\n/g, '\\n')}')`);
    expect(plain.stderr).toBe('');
    expect(plain.status).toBe(0);
    expect(plain.stdout).toBe(kotovec(['tokenize', '--tokenizer', 'ja'], text).stdout);
    expect(plain.stdout.split('\n')[0]).toContain('吾輩');
    const gz = bash(`$KOTOVEC tokenize <(cat '${EN}') | head -3`);
    expect(gz.status).toBe(0);
    expect(gz.stdout.split('\n').slice(0, 3)).toEqual(kotovec(['tokenize', EN]).stdout.split('\n').slice(0, 3));
  });

  it('train reads a FIFO, as it reads stdin', async () => {
    const fifo = join(dir, 'corpus.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const out = join(dir, 'fifo.db');
    const child = spawn(process.execPath, [BIN, 'train', fifo, '-o', out, '--min-count', '1', '--dim', '8', '--epochs', '1', '--progress', 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const writer = createWriteStream(fifo);
    writer.end('the cat sat on the mat\nthe dog sat on the log\n'.repeat(50));
    expect(await exited, stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(kotovec(['similar', out, 'cat', '-k', '1']).code).toBe(0);
  });
});

describe('whitespace is never a word', () => {
  it('the Japanese tokenizer keeps no blank token, even with --pos all (NFKC turns U+3000 into a space)', () => {
    const result = kotovec(['tokenize', '--tokenizer', 'ja', '--pos', 'all'], '吾輩は\u3000猫である。 名前\n');
    expect(result.code).toBe(0);
    const tokens = result.stdout.trimEnd().split(' ');
    expect(tokens.every((t) => t.trim() !== '')).toBe(true);
    expect(result.stdout).not.toMatch(/ {2}/);
    expect(tokens).toContain('猫');
  });

  it('a model that holds a blank key exports with it left out, named on stderr', () => {
    const model = join(dir, 'blank.db');
    const tiny = tinyModel();
    writeModel(model, { ...tiny, words: ['the', ' ', 'dog', 'sat', 'café'] });
    const out = join(dir, 'blank.txt');
    const result = kotovec(['export', model, '-o', out, '--format', 'word2vec-text']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/left out 1 key the word2vec formats cannot hold \(empty or with whitespace\): " "/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^4 \d+$/);
    expect(lines.slice(1).map((l) => l.split(' ')[0])).toEqual(['the', 'dog', 'sat', 'café']);
  });
});
