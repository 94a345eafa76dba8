#!/usr/bin/env node
// Compares `kotovec tokenize --tokenizer ja --pos all --no-normalize` with `mecab -Owakati` (Debian's
// mecab + mecab-ipadic-utf8, the same IPADIC dictionary) on the first N lines of the shared Aozora
// corpus: share of identical lines and token F1, whitespace tokens ignored on both sides. Also
// measures kuromoji's speed in characters per second.
// usage: node bench/tokenize-vs-mecab.mjs [lines=1000] [corpus=../shared/data/corpora/ja/aozora-ja.txt.gz]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lines = Number(process.argv[2] ?? 1000);
const corpus = process.argv[3] ?? join(root, '..', 'shared', 'data', 'corpora', 'ja', 'aozora-ja.txt.gz');
const text = gunzipSync(readFileSync(corpus)).toString('utf8').split('\n').slice(0, lines);
const dir = mkdtempSync(join(tmpdir(), 'kotovec-bench-'));
const sample = join(dir, 'sample.txt');
writeFileSync(sample, text.join('\n') + '\n');
const chars = text.reduce((sum, line) => sum + [...line].length, 0);

const started = performance.now();
const ours = execFileSync('node', [join(root, 'bin', 'kotovec.js'), 'tokenize', '--tokenizer', 'ja', '--pos', 'all', '--no-normalize', sample], { maxBuffer: 1 << 30 }).toString('utf8');
const oursSeconds = (performance.now() - started) / 1000;
const mecabStart = performance.now();
const theirs = execFileSync('mecab', ['-Owakati', sample], { maxBuffer: 1 << 30 }).toString('utf8');
const mecabSeconds = (performance.now() - mecabStart) / 1000;
rmSync(dir, { recursive: true, force: true });

const split = (out) => out.split('\n').slice(0, lines).map((line) => line.split(/[ \u3000\t]+/).filter((t) => t.trim() !== ''));
const a = split(ours);
const b = split(theirs);
let identical = 0;
let tp = 0;
let na = 0;
let nb = 0;
for (let i = 0; i < lines; i++) {
  const x = a[i] ?? [];
  const y = b[i] ?? [];
  if (x.join(' ') === y.join(' ')) identical++;
  na += x.length;
  nb += y.length;
  // Token matches by character span, the usual segmentation F1.
  const spans = (tokens) => {
    const set = new Set();
    let at = 0;
    for (const t of tokens) {
      set.add(`${at}:${at + t.length}`);
      at += t.length;
    }
    return set;
  };
  const sx = spans(x);
  for (const s of spans(y)) if (sx.has(s)) tp++;
}
const precision = tp / na;
const recall = tp / nb;
const result = {
  lines,
  chars,
  identicalLines: identical / lines,
  tokenF1: (2 * precision * recall) / (precision + recall),
  kotovecTokens: na,
  mecabTokens: nb,
  kotovecSeconds: +oursSeconds.toFixed(2),
  kotovecCharsPerSecond: Math.round(chars / oursSeconds),
  mecabSeconds: +mecabSeconds.toFixed(2),
  mecabCharsPerSecond: Math.round(chars / mecabSeconds),
};
console.log(JSON.stringify(result, null, 2));
