#!/usr/bin/env node
// Continued training (train --from), measured. Not a test.
//  1. English tokens split in two halves: CBOW on the first half (A), then --from A on the second (B),
//     against one model on everything (C), same settings: analogy and WordSim-353 of A, B and C; B's
//     vocabulary against C's (words and counts); A's file unchanged.
//  2. gensim's vectors (1 epoch on the English tokens, word2vec binary) imported, and trained one more
//     epoch with --from: analogy before and after (needs Debian's python3-gensim).
//  3. PV-DBOW on Lee's background corpus (dim 50, 40 epochs, min-count 2), then Lee's 50 test documents
//     added as tsv with their own ids: self-recognition of the added documents and of the background
//     before and after.
// usage: node bench/continue.mjs [--parts 1,2,3] [--threads 2] [--seed 1]
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { flag, kotovec, out, python, root, shared } from './common.mjs';

const parts = flag('parts', '1,2,3').split(',');
const threads = flag('threads', '2');
const seed = flag('seed', '1');
const questions = join(shared, 'data/eval/en/questions-words.txt');
const wordsim = join(shared, 'data/eval/en/wordsim353.tsv');
const md5 = (path) => createHash('md5').update(readFileSync(path)).digest('hex');
const quiet = { stdio: ['ignore', 'pipe', 'pipe'] };
const train = (args) => {
  const started = performance.now();
  kotovec(['train', ...args, '--threads', threads, '--seed', seed, '--progress', 'none', '--force'], quiet);
  return +((performance.now() - started) / 1000).toFixed(1);
};
const score = (model) => {
  const r = JSON.parse(kotovec(['evaluate', model, '--analogies', questions, '--pairs', wordsim, '--json']).toString());
  return { analogy: +r.analogy.accuracy.toFixed(4), ws353: +r.pairs.spearman.toFixed(4) };
};
const report = {};

// English tokens (kotovec's simple tokenizer), once.
const tokens = join(out, 'en.tok.txt');
if (!existsSync(tokens)) writeFileSync(tokens, kotovec(['tokenize', join(shared, 'data/corpora/en/gutenberg-en.txt.gz')]));

if (parts.includes('1')) {
  const lines = readFileSync(tokens, 'utf8').split('\n').filter((l) => l !== '');
  const half = Math.floor(lines.length / 2);
  const [h1, h2] = [join(out, 'en.half1.txt'), join(out, 'en.half2.txt')];
  writeFileSync(h1, lines.slice(0, half).join('\n') + '\n');
  writeFileSync(h2, lines.slice(half).join('\n') + '\n');
  const [A, B, C] = ['A', 'B', 'C'].map((m) => join(out, `continue-${m}.db`));
  const common = ['--tokenizer', 'whitespace'];
  const seconds = { A: train([h1, '-o', A, ...common]) };
  const before = md5(A);
  seconds.B = train([h2, '--from', A, '-o', B]);
  seconds.C = train([h1, h2, '-o', C, ...common]);
  const vocab = (path) => {
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT word, count FROM vocab').all();
    db.close();
    return new Map(rows.map((r) => [r.word, r.count]));
  };
  const [vb, vc] = [vocab(B), vocab(C)];
  const sameVocabulary = vb.size === vc.size && [...vb].every(([w, c]) => vc.get(w) === c);
  report.halves = { A: { ...score(A), words: vocab(A).size, seconds: seconds.A }, B: { ...score(B), words: vb.size, seconds: seconds.B }, C: { ...score(C), words: vc.size, seconds: seconds.C }, sameVocabulary, sourceUnchanged: md5(A) === before };
  console.error(JSON.stringify(report.halves));
}

if (parts.includes('2')) {
  const bin = join(out, 'gensim-1epoch.bin');
  execFileSync(python, [join(root, 'bench', 'gensim-train.py'), tokens, 'cbow-ns', threads, '1', '0.025', seed, bin], quiet);
  const imported = join(out, 'gensim-imported.db');
  kotovec(['import', bin, '-o', imported, '--force'], quiet);
  const runs = { imported: score(imported) };
  // Output weights start at zero: how many epochs fine-tuning takes to pay.
  const epochRuns = [['1 epoch alpha 0.025', ['--alpha', '0.025']], ['1 epoch alpha 0.05', []], ['1 epoch frozen words', ['--freeze-words']], ['2 epochs', ['--epochs', '2']], ['3 epochs', ['--epochs', '3']], ['5 epochs', ['--epochs', '5']]];
  for (const [name, extra] of epochRuns) {
    const next = join(out, 'gensim-continued.db');
    const seconds = train([tokens, '--from', bin, '-o', next, '--tokenizer', 'whitespace', '--epochs', '1', ...extra]);
    runs[name] = { ...score(next), seconds };
  }
  report.gensimImport = runs;
  console.error(JSON.stringify(report.gensimImport));
}

if (parts.includes('3')) {
  const background = join(shared, 'data/corpora/docs/lee_background.cor');
  const testDocs = readFileSync(join(shared, 'data/corpora/docs/lee.cor'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const backgroundDocs = readFileSync(background, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const tsv = join(out, 'lee-test.tsv');
  writeFileSync(tsv, testDocs.map((t, i) => `lee-test-${i}\t${t}`).join('\n') + '\n');
  const [docsFile, testFile] = [join(out, 'lee-background.txt'), join(out, 'lee-test.txt')];
  writeFileSync(docsFile, backgroundDocs.join('\n') + '\n');
  writeFileSync(testFile, testDocs.join('\n') + '\n');
  /** Share of documents (lines of `file`) whose inferred vector finds `ids[i]` first. */
  const selfRecognition = (model, file, ids) => {
    const answers = kotovec(['similar-docs', model, '--file', file, '-k', '1', '--json']).toString().trim().split('\n').map((l) => JSON.parse(l));
    return +(answers.filter((a, i) => a[0].id === ids[i]).length / ids.length).toFixed(3);
  };
  const base = join(out, 'lee-dbow.db');
  const more = join(out, 'lee-dbow-more.db');
  train([background, '-o', base, '--model', 'pv-dbow', '--dim', '50', '--epochs', '40', '--min-count', '2']);
  const backgroundIds = backgroundDocs.map((_, i) => String(i));
  const before = selfRecognition(base, docsFile, backgroundIds);
  train([tsv, '--docs', 'tsv', '--from', base, '-o', more]);
  report.lee = {
    backgroundBefore: before,
    backgroundAfter: selfRecognition(more, docsFile, backgroundIds),
    added: selfRecognition(more, testFile, testDocs.map((_, i) => `lee-test-${i}`)),
  };
  console.error(JSON.stringify(report.lee));
}
console.log(JSON.stringify(report, null, 2));
