#!/usr/bin/env node
// kotovec's Japanese tokenizer against MeCab, whole process, one thread, on the first N lines of the
// shared Aozora corpus: `kotovec tokenize --tokenizer ja --threads 1 --pos all --no-base-form
// --no-normalize` and `mecab -Owakati` (Debian's mecab + mecab-ipadic-utf8, the same IPADIC), the two
// alternating for --rounds rounds. Prints each tool's characters per second (median of the rounds), the
// ratio, how long kotovec's dictionary takes to be ready in a fresh process, and how far the two
// tokenizations agree (share of identical lines, token F1; kuromoji's and MeCab's unknown-word rules
// differ, so they are not identical).
// usage: node bench/tokenize-vs-mecab.mjs [--lines 20000] [--rounds 3] [--corpus FILE]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { flag, out, root, shared } from './common.mjs';

const lines = Number(flag('lines', '20000'));
const rounds = Number(flag('rounds', '3'));
const corpus = flag('corpus', join(shared, 'data', 'corpora', 'ja', 'aozora-ja.txt.gz'));
const text = gunzipSync(readFileSync(corpus)).toString('utf8').split('\n').slice(0, lines);
const sample = join(out, 'tokenize-sample.txt');
writeFileSync(sample, text.join('\n') + '\n');
const chars = text.reduce((sum, line) => sum + [...line].length, 0);

const time = (command, args) => {
  const started = performance.now();
  const output = execFileSync(command, args, { maxBuffer: 1 << 30 }).toString('utf8');
  return { seconds: (performance.now() - started) / 1000, output };
};
const ourArgs = [join(root, 'bin', 'kotovec.js'), 'tokenize', '--tokenizer', 'ja', '--threads', '1', '--pos', 'all', '--no-base-form', '--no-normalize', sample];
const mecabArgs = ['-d', '/var/lib/mecab/dic/ipadic-utf8', '-b', '10000000', '-Owakati', sample];
const ourRuns = [];
const mecabRuns = [];
let ours = '';
let theirs = '';
for (let r = 0; r < rounds; r++) {
  // Alternate which tool goes first.
  const order = r % 2 === 0 ? ['ours', 'mecab'] : ['mecab', 'ours'];
  for (const tool of order) {
    if (tool === 'ours') ({ output: ours } = ourRuns[ourRuns.push(time(process.execPath, ourArgs)) - 1]);
    else ({ output: theirs } = mecabRuns[mecabRuns.push(time('mecab', mecabArgs)) - 1]);
  }
}
const median = (runs) => runs.map((r) => r.seconds).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
const dictionaryReady = Number(
  execFileSync(process.execPath, ['-e', `const t = performance.now(); import('${join(root, 'dist', 'text', 'ja', 'dictionary.js')}').then((m) => m.loadDictionary()).then(() => console.log(performance.now() - t))`]).toString(),
);

const split = (output) => output.split('\n').slice(0, lines).map((line) => line.split(/[ \u3000\t]+/).filter((t) => t.trim() !== ''));
const a = split(ours);
const b = split(theirs);
let identical = 0;
let tp = 0;
let na = 0;
let nb = 0;
const spans = (tokens) => {
  const set = new Set();
  let at = 0;
  for (const t of tokens) {
    set.add(`${at}:${at + t.length}`);
    at += t.length;
  }
  return set;
};
for (let i = 0; i < lines; i++) {
  const x = a[i] ?? [];
  const y = b[i] ?? [];
  if (x.join(' ') === y.join(' ')) identical++;
  na += x.length;
  nb += y.length;
  const sx = spans(x);
  for (const s of spans(y)) if (sx.has(s)) tp++;
}
const precision = tp / na;
const recall = tp / nb;
const oursSeconds = median(ourRuns);
const mecabSeconds = median(mecabRuns);
console.log(
  JSON.stringify(
    {
      lines,
      chars,
      rounds,
      kotovecSeconds: ourRuns.map((r) => +r.seconds.toFixed(2)),
      mecabSeconds: mecabRuns.map((r) => +r.seconds.toFixed(2)),
      kotovecCharsPerSecond: Math.round(chars / oursSeconds),
      mecabCharsPerSecond: Math.round(chars / mecabSeconds),
      speedVsMecab: +(mecabSeconds / oursSeconds).toFixed(2),
      dictionaryReadyMs: Math.round(dictionaryReady),
      identicalLines: +(identical / lines).toFixed(4),
      tokenF1: +((2 * precision * recall) / (precision + recall)).toFixed(4),
    },
    null,
    2,
  ),
);
