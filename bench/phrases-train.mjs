#!/usr/bin/env node
// The whole `train --phrases` job against gensim's Phrases → freeze() → Word2Vec (bench/gensim-phrases-train.py)
// on the English bench text (pre-tokenized, a line a sentence), same settings (CBOW defaults, 5 epochs,
// --threads workers, train --phrases's threshold 100 on both sides unless --threshold), alternating rounds,
// whole process: seconds and peak RSS of each, and both vocabularies' sizes. Not a test.
//
// usage: node bench/phrases-train.mjs [--rounds 2] [--threads 2] [--threshold 100]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { flag, kotovec, out, python, root } from './common.mjs';

const rounds = Number(flag('rounds', '2'));
const threads = flag('threads', '2');
const threshold = flag('threshold', '100');
const tokens = join(out, 'gutenberg-en.txt.gz.tok.txt');

function timed(command, args) {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr.slice(-2000)}`);
  const lines = result.stderr.trim().split('\n');
  return { seconds: +((performance.now() - started) / 1000).toFixed(1), rssMB: Math.round(Number(lines.at(-1)) / 1024), said: lines.at(-2) };
}

let table = [];
if (threshold !== '100') {
  const path = join(out, `phrase-table-${threshold}.tsv`);
  kotovec(['phrases', tokens, '--tokenizer', 'whitespace', '--threshold', threshold, '--save-table', path, '--force', '--json', '--progress', 'none']);
  table = [path];
}
console.log(['round', 'kotovec s', 'kotovec MB', 'gensim s', 'gensim MB', 'gensim ÷ kotovec', 'kotovec vocabulary', 'gensim'].join('\t'));
for (let round = 1; round <= rounds; round++) {
  const db = join(out, 'phrases-train.db');
  const ours = timed(process.execPath, [join(root, 'bin', 'kotovec.js'), 'train', tokens, '--tokenizer', 'whitespace', '--no-normalize', '--phrases', ...table,
    '-o', db, '--force', '--threads', threads, '--seed', String(round), '--progress', 'none']);
  const theirs = timed(python, [join(root, 'bench', 'gensim-phrases-train.py'), tokens, join(out, 'phrases-train.gensim.bin'), threads, String(round), threshold]);
  const vocabulary = JSON.parse(kotovec(['info', db, '--json']).toString()).vocabulary;
  console.log([round, ours.seconds, ours.rssMB, theirs.seconds, theirs.rssMB, (theirs.seconds / ours.seconds).toFixed(2), vocabulary, theirs.said.match(/vocabulary (\d+)/)?.[1]].join('\t'));
}
