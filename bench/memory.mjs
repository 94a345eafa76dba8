// Memory during training: is the peak resident memory the model's data, and does it stay flat as the
// corpus grows? Trains one epoch on the corpus given once, twice and four times (the same file named
// N times: same vocabulary and weights, N× the tokens) and on a ten-word corpus (the runtime's own
// footprint: Node, the modules, the worker threads). Reports, from the model's stats, the peak RSS
// sampled while training and while counting, next to the data that has to be in memory: weights,
// tables and read buffers (shared memory) plus the vocabulary.
//
//   node bench/memory.mjs [--corpus FILE] [--threads N] [--repeats 1,2,4] [--model cbow] [--loss ns]
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { flag, kotovec, out, shared } from './common.mjs';

const corpus = flag('corpus', join(shared, 'data', 'corpora', 'en', 'gutenberg-en.txt.gz'));
const threads = flag('threads', String(availableParallelism()));
const repeats = flag('repeats', '1,2,4').split(',').map(Number);
const model = flag('model', 'cbow');
const loss = flag('loss', 'ns');

function train(inputs, tag, minCount = 5) {
  const path = join(out, `memory-${tag}.db`);
  kotovec(['train', ...inputs, '-o', path, '--force', '--model', model, '--loss', loss, '--epochs', '1', '--min-count', String(minCount), '--threads', threads, '--progress', 'none'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const db = new Database(path, { readonly: true });
  const stats = JSON.parse(db.prepare("SELECT value FROM meta WHERE key = 'stats'").pluck().get());
  const vocabBytes = db.prepare('SELECT sum(length(CAST(word AS BLOB)) + 8) FROM vocab').pluck().get();
  db.close();
  return { tag, tokens: stats.corpusTokens, vocabMB: vocabBytes / 1048576, weightsMB: stats.weightBytes / 1048576, ...stats };
}

const tiny = join(out, 'memory-tiny.txt');
writeFileSync(tiny, 'one two three four five six seven eight nine ten\n'.repeat(200_000));
const base = train([tiny], 'baseline');
// N copies with min-count 5·N keep exactly the vocabulary (and so the weights) of one copy.
const rows = repeats.map((n) => train(Array(n).fill(corpus), `x${n}`, 5 * n));
const mb = (x) => x.toFixed(1);
console.log(`runtime baseline (10-word corpus, ${threads} threads): training peak ${base.trainPeakRssMB} MB`);
console.log(['corpus', 'tokens', 'weights+vocab MB', 'scan peak MB', 'train peak MB', 'train peak − baseline', '÷ (weights+vocab)'].join('\t'));
for (const r of rows) {
  const data = r.weightsMB + r.vocabMB;
  const excess = r.trainPeakRssMB - base.trainPeakRssMB;
  console.log([r.tag, r.tokens, mb(data), r.scanPeakRssMB, r.trainPeakRssMB, excess, (excess / data).toFixed(2)].join('\t'));
}
const file = join(out, `memory-${Date.now()}.json`);
writeFileSync(file, JSON.stringify({ corpus, threads: +threads, baseline: base, rows }, null, 2));
console.log(`(written to ${file})`);
