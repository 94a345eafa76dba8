#!/usr/bin/env node
// The whole Japanese job side by side, on the shared Aozora corpus: `kotovec train --tokenizer ja`
// (CBOW, 5 epochs, 2 threads, its defaults: surface forms of every word but symbols, alpha 0.05 as word2vec C's
// CBOW) against the usual way, `mecab -Owakati` over the text and gensim on its output with gensim's
// defaults (dim 100, window 5, min-count 5, sample 1e-3, negative 5, alpha 0.025). Prints
// each step's seconds, kotovec's peak RSS, and both models' TMU noun/verb Spearman with phrases composed
// the same way (kotovec's with its own tokenizer, gensim's with MeCab's tokens; bench/jwsd.mjs), and on
// the pairs whose two words each model holds as they are written (no composition).
// Needs mecab + mecab-ipadic-utf8 and python3-gensim (Debian packages), and /usr/bin/time.
// `--dict DIR` runs both with that MeCab dictionary (kotovec's `--dict`, MeCab's `-d`); without it MeCab
// reads IPADIC (Debian's ipadic-utf8).
// usage: node bench/ja-job.mjs [--threads 2] [--epochs 5] [--alpha A] [--corpus FILE] [--rounds 1] [--dict DIR] [--tokenizer-args '--no-base-form --pos words']
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { flag, kotovec, out, python, root, shared } from './common.mjs';
import { mecabTokensOfJwsd, scoreJwsd } from './jwsd.mjs';

const corpus = flag('corpus', join(shared, 'data', 'corpora', 'ja', 'aozora-ja.txt.gz'));
const threads = flag('threads', '2');
const epochs = flag('epochs', '5');
const alpha = flag('alpha', undefined);
const dict = flag('dict', undefined);
const tokenizerArgs = [...flag('tokenizer-args', '').split(' ').filter(Boolean), ...(dict ? ['--dict', dict] : [])];
// MeCab's own default dictionary is whichever Debian made it (UniDic once unidic-mecab is installed):
// without --dict, IPADIC, the dictionary of kotovec's built-in one.
const mecabArgs = ['-d', dict ?? '/var/lib/mecab/dic/ipadic-utf8'];
const rounds = Number(flag('rounds', '1'));
const plain = join(out, 'ja-job-corpus.txt');
writeFileSync(plain, corpus.endsWith('.gz') ? gunzipSync(readFileSync(corpus)) : readFileSync(corpus));

const timed = (command, args, options = {}) => {
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { maxBuffer: 1 << 30, ...options });
  if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr}`);
  const lines = run.stderr.toString().trim().split('\n');
  return { seconds: (performance.now() - started) / 1000, peakMB: Math.round(Number(lines.at(-1)) / 1024), stdout: run.stdout, stderr: lines.slice(0, -1).join('\n') };
};

const kotovecDb = join(out, 'ja-job-kotovec.db');
const wakati = join(out, 'ja-job-mecab.txt');
const gensimBin = join(out, 'ja-job-gensim.bin');
const gensimDb = join(out, 'ja-job-gensim.db');
const results = [];
for (let round = 1; round <= rounds; round++) {
  const ours = timed(process.execPath, [join(root, 'bin', 'kotovec.js'), 'train', plain, '--tokenizer', 'ja', ...tokenizerArgs, '--threads', threads, '--epochs', epochs, ...(alpha ? ['--alpha', alpha] : []), '--progress', 'none', '-o', kotovecDb, '-f']);
  const mecab = timed('mecab', [...mecabArgs, '-b', '10000000', '-Owakati', plain, '-o', wakati]);
  const gensim = timed(python, [join(shared, 'tools', 'gensim-baseline.py'), wakati, 'cbow-ns', threads, epochs, gensimBin, '--ja']);
  const report = JSON.parse(gensim.stdout.toString().trim().split('\n').at(-1));
  const round_ = {
    round,
    kotovec: { seconds: +ours.seconds.toFixed(1), peakMB: ours.peakMB, log: ours.stderr.split('\n').at(-1) },
    mecab: { seconds: +mecab.seconds.toFixed(1), peakMB: mecab.peakMB },
    gensim: { seconds: +gensim.seconds.toFixed(1), trainSeconds: report.seconds, peakMB: gensim.peakMB },
    mecabPlusGensim: +(mecab.seconds + gensim.seconds).toFixed(1),
    ratio: +((mecab.seconds + gensim.seconds) / ours.seconds).toFixed(2),
  };
  results.push(round_);
  console.log(JSON.stringify(round_));
}

// Quality, phrases composed the same way: gensim's vectors read with MeCab's tokens of each word.
kotovec(['import', gensimBin, '-o', gensimDb, '-f']);
const tokensOf = mecabTokensOfJwsd(mecabArgs);
const scores = await scoreJwsd([
  { name: 'kotovec', path: kotovecDb },
  { name: 'mecab+gensim', path: gensimDb, tokenize: tokensOf },
]);
const whole = await scoreJwsd([
  { name: 'kotovec', path: kotovecDb, tokenize: () => [] },
  { name: 'mecab+gensim', path: gensimDb, tokenize: () => [] },
]);
console.log(JSON.stringify({ settings: { threads, epochs, alpha: alpha ?? 'default', tokenizerArgs, corpus }, rounds: results, jwsd: scores, jwsdWholeWords: whole }, null, 2));
