// Continued training (train --from): the vocabulary is exactly what the merged counts give, the source
// file is never changed, its vectors are kept (and stay fixed with --freeze-words), documents are
// appended, and every refusal is one line that says why — an interrupted run leaves both files as they were.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readModel } from '../../src/store/reader.js';
import { trainModel } from '../../src/train/trainer.js';
import { BIN, kotovec } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const root = join(__dirname, '..', '..', 'corpora');
const lines = gunzipSync(readFileSync(join(root, 'en', 'gutenberg-sample.txt.gz'))).toString('utf8').split('\n');
const first = join(dir, 'first.txt');
const second = join(dir, 'second.txt');
writeFileSync(first, lines.slice(0, 1475).join('\n'));
writeFileSync(second, lines.slice(1475).join('\n'));
const A = join(dir, 'a.db');
const run = (args: string[]) => {
  const result = kotovec(args[0] === 'train' ? [...args, '--progress', 'none'] : args);
  return { ...result, line: result.stderr.trim() };
};
const ok = (args: string[]) => {
  const result = run(args);
  expect(result.code, result.stderr).toBe(0);
  return result;
};
ok(['train', first, '-o', A, '--threads', '1', '--epochs', '3']);
const sourceBytes = readFileSync(A);

describe('train --from', () => {
  it('merges counts exactly: the vocabulary of A + more text is that of counting all of it', () => {
    const B = join(dir, 'b.db');
    const b = ok(['train', second, '--from', A, '-o', B, '--threads', '1']);
    expect(b.stderr).toMatch(/continued .*a\.db: 1670 words kept \(held, --anchor 0\.03\), \d+ new/);
    const m = readModel(B);
    const vb = new Map(m.words.map((w, i) => [w, m.counts[i]]));
    // The counts of both texts at once, by \`vocab\` (training's default --min-count 5).
    const counted = JSON.parse(ok(['vocab', first, second, '--min-count', '5', '--json']).stdout) as { word: string; count: number }[];
    const vc = new Map(counted.map(({ word, count }) => [word, count]));
    expect(vb.size).toBeGreaterThan(readModel(A).words.length);
    expect(vb).toEqual(vc);
    expect(readFileSync(A).equals(sourceBytes)).toBe(true);
    // Settings carry over (3 epochs, from A), the lineage says where it came from.
    const info = JSON.parse(ok(['info', B, '--json']).stdout);
    expect(info.hyperparameters.epochs).toBe(3);
    expect(info.lineage).toHaveLength(1);
    expect(info.lineage[0]).toMatchObject({ from: A, inputs: [second], wordsBefore: 1670, wordsAfter: vb.size, documentsAdded: 0, frozenWords: false, anchor: 0.03 });
  });

  it('keeps the source\'s vectors fixed with --freeze-words, and lets them learn without', () => {
    const source = readModel(A);
    for (const freeze of [true, false]) {
      const out = join(dir, `freeze-${freeze}.db`);
      ok(['train', second, '--from', A, '-o', out, '--threads', '2', ...(freeze ? ['--freeze-words'] : [])]);
      const m = readModel(out);
      let same = 0;
      source.words.forEach((word, row) => {
        const id = m.words.indexOf(word);
        const a = source.wordVectors.subarray(row * 100, (row + 1) * 100);
        const b = m.wordVectors.subarray(id * 100, (id + 1) * 100);
        if (a.every((v, k) => v === b[k])) same++;
      });
      // Unfrozen, every word the new text holds moves (the few it lacks keep their vectors).
      if (freeze) expect(same).toBe(source.words.length);
      else expect(same).toBeLessThan(source.words.length * 0.15);
    }
  });

  it('the WebAssembly and TypeScript kernels continue to the same bits, frozen or held rows included', async () => {
    const bytes = (v: Float32Array | null) => Buffer.from(v!.buffer, v!.byteOffset, v!.byteLength);
    for (const loss of ['ns', 'hs'] as const) {
      for (const freezeWords of [true, false]) {
        const options = { inputs: [second], from: A, freezeWords, threads: 1, epochs: 1, loss } as const;
        const wasm = await trainModel({ ...options, kernel: 'wasm' });
        const js = await trainModel({ ...options, kernel: 'js' });
        expect(bytes(wasm.wordVectors).equals(bytes(js.wordVectors)), `${loss} frozen ${freezeWords}`).toBe(true);
        if (loss === 'ns') expect(bytes(wasm.outputNs).equals(bytes(js.outputNs)), `outputs frozen ${freezeWords}`).toBe(true);
        // Hierarchical softmax holds its words more firmly by default: its output layer starts afresh.
        expect(wasm.lineage!.at(-1)!.anchor).toBe(loss === 'hs' ? 0.1 : 0.03);
      }
    }
  });

  it('holds the source\'s rows by their counts (--anchor): firmer with more, not at all with 0, the same run after run', async () => {
    const source = readModel(A);
    const options = { inputs: [second], from: A, threads: 1, epochs: 3 } as const;
    // Relative distance of each source word's vector from the source's, for the 200 most frequent and the rest.
    const drift = (m: { words: string[]; wordVectors: Float32Array }) => {
      const index = new Map(m.words.map((w, i) => [w, i]));
      const rel = source.words.map((word, row) => {
        const a = source.wordVectors.subarray(row * 100, (row + 1) * 100);
        const id = index.get(word)!;
        const b = m.wordVectors.subarray(id * 100, (id + 1) * 100);
        let d = 0;
        let n = 0;
        for (let k = 0; k < 100; k++) {
          d += (a[k]! - b[k]!) ** 2;
          n += a[k]! ** 2;
        }
        return Math.sqrt(d / n);
      });
      const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
      return { frequent: mean(rel.slice(0, 200)), rare: mean(rel.slice(200)) };
    };
    const free = drift(await trainModel({ ...options, anchor: 0 }));
    const held = await trainModel(options);
    const firm = drift(await trainModel({ ...options, anchor: 3 }));
    const d = drift(held);
    // A frequent word is held more firmly than a rare one (counts), and more with a larger --anchor.
    expect(d.frequent).toBeLessThan(free.frequent * 0.9);
    expect(firm.frequent).toBeLessThan(d.frequent * 0.5);
    expect(firm.rare).toBeLessThan(free.rare);
    expect(firm.frequent).toBeLessThan(firm.rare);
    const again = await trainModel(options);
    expect(Buffer.from(again.wordVectors.buffer).equals(Buffer.from(held.wordVectors.buffer))).toBe(true);
    expect(held.lineage!.at(-1)!.anchor).toBe(0.03);
  });

  it('holds the rows for a new text shorter than one pull interval too', async () => {
    const tiny = join(dir, 'tiny.txt');
    writeFileSync(tiny, lines.slice(1475, 1485).join('\n'));
    const source = readModel(A);
    const the = source.words.indexOf('the');
    const moved = (m: { words: string[]; wordVectors: Float32Array }) => {
      const id = m.words.indexOf('the');
      let d = 0;
      for (let k = 0; k < 100; k++) d += Math.abs(m.wordVectors[id * 100 + k]! - source.wordVectors[the * 100 + k]!);
      return d;
    };
    const options = { inputs: [tiny], from: A, threads: 1, epochs: 1 } as const;
    const free = moved(await trainModel({ ...options, anchor: 0 }));
    expect(free).toBeGreaterThan(0);
    expect(moved(await trainModel({ ...options, anchor: 1 }))).toBeLessThan(free * 0.2);
  });

  it('refuses a different tokenizer or dimension, --freeze-words alone, and -o on the source without --force', () => {
    const out = join(dir, 'refused.db');
    const cases: [string[], RegExp, number][] = [
      [['--tokenizer', 'whitespace'], /tokenized with --tokenizer "simple", not "whitespace".*\(E_BAD_OPTION\)$/, 2],
      [['--no-lowercase'], /--lowercase true, not false.*\(E_BAD_OPTION\)$/, 2],
      [['--dim', '50'], /--dim 50 differs from the model's 100.*\(E_BAD_OPTION\)$/, 2],
    ];
    for (const [extra, message, code] of cases) {
      const result = run(['train', second, '--from', A, '-o', out, ...extra]);
      expect(result.code).toBe(code);
      expect(result.line.split('\n')).toHaveLength(1);
      expect(result.line).toMatch(message);
    }
    const alone = run(['train', second, '-o', out, '--freeze-words']);
    expect(alone.line).toMatch(/--freeze-words needs --from.*\(E_BAD_OPTION\)$/);
    const anchorAlone = run(['train', second, '-o', out, '--anchor', '0.1']);
    expect(anchorAlone.line).toMatch(/--anchor needs --from.*\(E_BAD_OPTION\)$/);
    const negative = run(['train', second, '--from', A, '-o', out, '--anchor', '-1']);
    expect(negative.code).toBe(2);
    expect(negative.line.split('\n')).toHaveLength(1);
    expect(negative.line).toMatch(/--anchor/);
    const onSource = run(['train', second, '--from', A, '-o', A]);
    expect(onSource.code).toBe(1);
    expect(onSource.line).toMatch(/-o is the model continued from.*--force.*\(E_OUTPUT_EXISTS\)$/);
    const missing = run(['train', second, '--from', join(dir, 'nope.db'), '-o', out]);
    expect(missing.line).toMatch(/E_INPUT_NOT_FOUND\)$/);
    expect(readFileSync(A).equals(sourceBytes)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('replaces the source with --force, its lineage naming it', () => {
    const copy = join(dir, 'copy.db');
    writeFileSync(copy, sourceBytes);
    ok(['train', second, '--from', copy, '-o', copy, '--force', '--threads', '1']);
    const info = JSON.parse(ok(['info', copy, '--json']).stdout);
    expect(info.vocabulary).toBeGreaterThan(1670);
    expect(info.lineage[0].from).toBe(copy);
  });

  it('continues from a word2vec text file (imported vectors) and fine-tunes them', () => {
    const vec = join(dir, 'a.txt');
    ok(['export', A, '-o', vec, '--format', 'word2vec-text']);
    const out = join(dir, 'from-vec.db');
    ok(['train', second, '--from', vec, '-o', out, '--threads', '1', '--epochs', '2']);
    const info = JSON.parse(ok(['info', out, '--json']).stdout);
    expect(info.lineage[0]).toMatchObject({ fromOrigin: 'imported', wordsBefore: 1670 });
    expect(info.origin).toBe('trained');
  });

  it('an interrupted continuation leaves the source and an existing output as they were', async () => {
    const out = join(dir, 'existing.db');
    writeFileSync(out, sourceBytes);
    const child = spawn(process.execPath, [BIN, 'train', second, '--from', A, '-o', out, '--force', '--epochs', '400', '--progress', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve) => child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (/"phase":"train"/.test(stderr)) resolve();
    }));
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(130);
    expect(stderr).toMatch(/interrupted by SIGINT.*nothing was written/);
    expect(readFileSync(A).equals(sourceBytes)).toBe(true);
    expect(readFileSync(out).equals(sourceBytes)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('train --from with documents', () => {
  const lee = join(root, 'docs', 'lee_background.cor');
  const docs = join(dir, 'docs.db');
  const leeLines = readFileSync(lee, 'utf8').split('\n').filter((l) => l.trim() !== '');

  it('appends documents: tsv ids must be new, lines are numbered after the last', () => {
    ok(['train', lee, '-o', docs, '--model', 'pv-dbow', '--dim', '20', '--epochs', '5', '--min-count', '2', '--threads', '1']);
    const tsv = join(dir, 'new.tsv');
    writeFileSync(tsv, leeLines.slice(0, 5).map((l, i) => `new${i}\t${l}`).join('\n'));
    const withTsv = join(dir, 'docs-tsv.db');
    const added = ok(['train', tsv, '--docs', 'tsv', '--from', docs, '-o', withTsv, '--threads', '1']);
    expect(added.stderr).toMatch(/5 documents added/);
    const m = readModel(withTsv, { docs: true });
    expect(m.docIds.slice(-6)).toEqual(['299', 'new0', 'new1', 'new2', 'new3', 'new4']);
    // The background documents' vectors are kept as they were.
    const before = readModel(docs, { docs: true });
    expect(Array.from(m.docVectors!.subarray(0, 300 * 20))).toEqual(Array.from(before.docVectors!));

    const again = run(['train', tsv, '--docs', 'tsv', '--from', withTsv, '-o', join(dir, 'dup.db')]);
    expect(again.code).toBe(1);
    expect(again.line).toMatch(/document id "new0" is in the model already.*\(E_DUPLICATE_ID\)$/);

    const text = join(dir, 'new.txt');
    writeFileSync(text, leeLines.slice(5, 8).join('\n'));
    const withLines = join(dir, 'docs-lines.db');
    ok(['train', text, '--from', docs, '-o', withLines, '--threads', '1']);
    expect(readModel(withLines, { docs: true }).docIds.slice(-3)).toEqual(['300', '301', '302']);

    const kind = run(['train', text, '--from', docs, '-o', join(dir, 'kind.db'), '--model', 'pv-dm']);
    expect(kind.line).toMatch(/continuing it keeps --model pv-dbow.*\(E_BAD_OPTION\)$/);
  });
});
