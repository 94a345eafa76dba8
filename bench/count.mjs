#!/usr/bin/env node
// Pass-1 counting speed and memory on the shared English corpus (or a given one):
//  - tokens/s of `kotovec vocab` work (read .gz, NFKC, simple tokenizer, count) on one thread;
//  - peak RSS when the corpus is fed once and twice (memory must not grow with corpus size);
//  - the token count next to Python's re.findall(r"\w+", line.lower()) when python3 is present.
// usage: node bench/count.mjs [corpus.txt.gz]
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = process.argv[2] ?? join(root, '..', 'shared', 'data', 'corpora', 'en', 'gutenberg-en.txt.gz');

function run(inputs) {
  const child = spawnSync(process.execPath, [join(root, 'bench', 'count-worker.mjs'), ...inputs], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout);
}

const once = run([corpus]);
const twice = run([corpus, corpus]);
let python = null;
try {
  const script = 'import gzip,re,sys\nn=0\nfor line in gzip.open(sys.argv[1],"rt",encoding="utf-8"):\n    n+=len(re.findall(r"\\w+", line.lower()))\nprint(n)';
  python = Number(execFileSync('python3', ['-c', script, corpus]).toString().trim());
} catch {
  python = null;
}
console.log(JSON.stringify({
  corpus,
  tokens: once.tokens,
  pythonTokens: python,
  tokenDifference: python ? Math.abs(once.tokens - python) / python : null,
  seconds: once.seconds,
  tokensPerSecond: Math.round(once.tokens / once.seconds),
  peakRssMB: once.peakRssMB,
  peakRssTwiceMB: twice.peakRssMB,
  rssGrowth: +(twice.peakRssMB / once.peakRssMB).toFixed(3),
}, null, 2));
