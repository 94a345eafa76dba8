// Thread scaling: training words/s on N threads divided by words/s on one thread, per mode. Runs
// alternate (1, N, 1, N, …) so a drift in the machine's speed hits both sides alike, and the median
// ratio is reported. The tokenized corpus is cached (--cache) so only training is timed.
//
// With --ceiling, as many further rounds each pair a one-thread run with N independent one-thread trainings
// at once (separate processes, nothing shared), and a pure-arithmetic probe (N processes of a fixed integer
// loop, no memory traffic) is run against one: their summed throughput over one process alone is what this
// machine gives N busy cores at best, the ceiling against which the N-thread ratio is to be read.
//
//   node bench/scaling.mjs [--corpus FILE] [--lines 60000] [--threads N] [--rounds 5]
//                          [--modes cbow-ns,sg-ns,sg-hs,dbow-ns] [--ceiling]
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { promisify } from 'node:util';
import { flag, has, kotovec, out, root } from './common.mjs';

const threads = flag('threads', String(availableParallelism()));
const rounds = Number(flag('rounds', '5'));
const modes = flag('modes', 'cbow-ns,sg-ns,sg-hs,dbow-ns').split(',');
const lines = Number(flag('lines', '60000'));
const source = flag('corpus', join(out, 'en.tok.txt'));
if (!existsSync(source)) throw new Error(`no corpus at ${source}: run bench/quality.mjs once, or give --corpus`);
// A slice of the corpus keeps a round short; lines are paragraphs, so every run sees the same text.
const corpus = join(out, `scaling-${lines}.txt`);
if (!existsSync(corpus)) writeFileSync(corpus, readFileSync(source, 'utf8').split('\n').slice(0, lines).join('\n') + '\n');
const cache = join(out, 'cache');

const settings = {
  'cbow-ns': ['--model', 'cbow', '--loss', 'ns'],
  'sg-ns': ['--model', 'skipgram', '--loss', 'ns'],
  'sg-hs': ['--model', 'skipgram', '--loss', 'hs'],
  'cbow-hs': ['--model', 'cbow', '--loss', 'hs'],
  'dbow-ns': ['--model', 'pv-dbow', '--loss', 'ns', '--docs', 'lines'],
};

/** The training statistics a model file records. */
function statsOf(model) {
  const db = new Database(model, { readonly: true });
  const stats = JSON.parse(db.prepare("SELECT value FROM meta WHERE key = 'stats'").pluck().get());
  db.close();
  return stats;
}

function wordsPerSecond(mode, n) {
  const model = join(out, `scaling-${mode}-${n}.db`);
  kotovec(['train', corpus, '-o', model, '--force', '--tokenizer', 'whitespace', '--epochs', '1', '--threads', String(n), '--cache', cache,
    '--progress', 'none', ...settings[mode]], { stdio: ['ignore', 'ignore', 'inherit'] });
  return statsOf(model).wordsPerSecond;
}

const run = promisify(execFile);

/** Summed training words/s of `n` one-thread trainings run at the same time in separate processes. */
async function independentWordsPerSecond(mode, n) {
  const models = Array.from({ length: n }, (_, i) => join(out, `scaling-${mode}-solo${i}.db`));
  await Promise.all(models.map((model) => run(process.execPath, [join(root, 'bin', 'kotovec.js'), 'train', corpus, '-o', model, '--force', '--tokenizer', 'whitespace',
    '--epochs', '1', '--threads', '1', '--cache', cache, '--progress', 'none', ...settings[mode]])));
  return models.reduce((sum, model) => sum + statsOf(model).wordsPerSecond, 0);
}

/** Iterations/s summed over `n` processes each running the same fixed xorshift loop (registers only). */
async function arithmeticRate(n) {
  const probe = 'let s=1,t=process.hrtime.bigint();for(let i=0;i<4e8;i++){s^=s<<13;s^=s>>>17;s^=s<<5;}console.log(Number(process.hrtime.bigint()-t)/1e9,s)';
  const outputs = await Promise.all(Array.from({ length: n }, () => run(process.execPath, ['-e', probe])));
  return outputs.reduce((sum, { stdout }) => sum + 4e8 / Number(stdout.split(' ')[0]), 0);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const mode of modes) {
  wordsPerSecond(mode, 1); // warm the cache and the disk
  const one = [];
  const many = [];
  for (let r = 0; r < rounds; r++) {
    one.push(wordsPerSecond(mode, 1));
    many.push(wordsPerSecond(mode, +threads));
  }
  const ceilings = [];
  if (has('ceiling')) {
    for (let r = 0; r < rounds; r++) {
      const alone = wordsPerSecond(mode, 1);
      ceilings.push((await independentWordsPerSecond(mode, +threads)) / alone);
    }
  }
  const ratios = one.map((w, i) => many[i] / w);
  rows.push({ mode, threads: +threads, oneThread: Math.round(median(one)), nThreads: Math.round(median(many)), ratio: +median(ratios).toFixed(2), ratios: ratios.map((r) => +r.toFixed(2)),
    ...(ceilings.length ? { independentProcesses: +median(ceilings).toFixed(2), independentRatios: ceilings.map((r) => +r.toFixed(2)) } : {}) });
  console.error(JSON.stringify(rows.at(-1)));
}
let arithmetic;
if (has('ceiling')) {
  const ratios = [];
  for (let r = 0; r < rounds; r++) ratios.push((await arithmeticRate(+threads)) / (await arithmeticRate(1)));
  arithmetic = { ratio: +median(ratios).toFixed(2), ratios: ratios.map((r) => +r.toFixed(2)) };
}
console.log(['mode', 'words/s 1 thread', `words/s ${threads} threads`, 'median ratio', 'ratios', ...(arithmetic ? [`${threads} solo processes`] : [])].join('\t'));
for (const r of rows) console.log([r.mode, r.oneThread, r.nThreads, r.ratio, r.ratios.join(' '), ...(arithmetic ? [r.independentProcesses] : [])].join('\t'));
if (arithmetic) console.log(`arithmetic probe, ${threads} processes / 1: median ${arithmetic.ratio} (${arithmetic.ratios.join(' ')})`);
rows.push(...(arithmetic ? [{ arithmeticProbe: arithmetic }] : []));
const file = join(out, `scaling-${Date.now()}.json`);
writeFileSync(file, JSON.stringify(rows, null, 2));
console.log(`(written to ${file})`);
