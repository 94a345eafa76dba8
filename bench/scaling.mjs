// Thread scaling: training words/s on N threads against one thread, per mode, in alternating runs.
// Each round runs both (1 then N, the next round N then 1, so a drift in the machine's speed hits both
// sides alike). Two figures per mode: the median of the rounds' ratios, and the ratio of the best runs
// (best N-thread words/s ÷ best one-thread words/s). On a shared VM, where a neighbour can take half
// a core's memory bandwidth for seconds at a time, the best runs tell what the code does on the machine
// when it is left alone; the median tells what a run is likely to meet. The tokenized corpus is cached
// (--cache) so only training is timed.
//
// With --ceiling, as many further rounds each pair a one-thread run with N independent one-thread trainings
// at once (separate processes, nothing shared), and a pure-arithmetic probe (N processes of a fixed integer
// loop, no memory traffic) is run against one: what this machine gives N busy processes, to read the
// N-thread ratio against.
//
//   node bench/scaling.mjs [--corpus FILE] [--lines 0 (all)] [--threads N] [--rounds 7]
//                          [--modes cbow-ns,sg-ns,sg-hs,dbow-ns] [--epochs 1] [--ceiling]
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { promisify } from 'node:util';
import { flag, has, kotovec, out, root, shared } from './common.mjs';

const threads = flag('threads', String(availableParallelism()));
const rounds = Number(flag('rounds', '7'));
const modes = flag('modes', 'cbow-ns,sg-ns,sg-hs,dbow-ns').split(',');
const lines = Number(flag('lines', '0'));
const epochs = flag('epochs', '1');
const source = flag('corpus', join(out, 'en.tok.txt'));
if (!existsSync(source)) writeFileSync(source, kotovec(['tokenize', join(shared, 'data/corpora/en/gutenberg-en.txt.gz')]));
// A slice of the corpus (--lines) keeps a round short; lines are paragraphs, so every run sees the same text.
let corpus = source;
if (lines > 0) {
  corpus = join(out, `scaling-${lines}.txt`);
  if (!existsSync(corpus)) writeFileSync(corpus, readFileSync(source, 'utf8').split('\n').slice(0, lines).join('\n') + '\n');
}
const cache = join(out, 'cache');

const settings = {
  'cbow-ns': ['--model', 'cbow', '--loss', 'ns'],
  'sg-ns': ['--model', 'skipgram', '--loss', 'ns'],
  'sg-hs': ['--model', 'skipgram', '--loss', 'hs'],
  'cbow-hs': ['--model', 'cbow', '--loss', 'hs'],
  'dbow-ns': ['--model', 'pv-dbow', '--loss', 'ns', '--docs', 'lines'],
};
const common = ['--tokenizer', 'whitespace', '--alpha', '0.025', '--epochs', epochs, '--cache', cache, '--progress', 'none'];

/** The training statistics a model file records. */
function statsOf(model) {
  const db = new Database(model, { readonly: true });
  const stats = JSON.parse(db.prepare("SELECT value FROM meta WHERE key = 'stats'").pluck().get());
  db.close();
  return stats;
}

function wordsPerSecond(mode, n) {
  const model = join(out, `scaling-${mode}-${n}.db`);
  kotovec(['train', corpus, '-o', model, '--force', '--threads', String(n), ...common, ...settings[mode]], { stdio: ['ignore', 'ignore', 'ignore'] });
  return statsOf(model).wordsPerSecond;
}

const run = promisify(execFile);

/** Summed training words/s of `n` one-thread trainings run at the same time in separate processes. */
async function independentWordsPerSecond(mode, n) {
  const models = Array.from({ length: n }, (_, i) => join(out, `scaling-${mode}-solo${i}.db`));
  await Promise.all(models.map((model) => run(process.execPath, [join(root, 'bin', 'kotovec.js'), 'train', corpus, '-o', model, '--force', '--threads', '1', ...common, ...settings[mode]])));
  return models.reduce((sum, model) => sum + statsOf(model).wordsPerSecond, 0);
}

/** Iterations/s summed over `n` processes each running the same fixed xorshift loop (registers only). */
async function arithmeticRate(n) {
  const probe = 'let s=1,t=process.hrtime.bigint();for(let i=0;i<4e8;i++){s^=s<<13;s^=s>>>17;s^=s<<5;}console.log(Number(process.hrtime.bigint()-t)/1e9,s)';
  const outputs = await Promise.all(Array.from({ length: n }, () => run(process.execPath, ['-e', probe])));
  return outputs.reduce((sum, { stdout }) => sum + 4e8 / Number(stdout.split(' ')[0]), 0);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round2 = (x) => +x.toFixed(2);
const rows = [];
for (const mode of modes) {
  wordsPerSecond(mode, 1); // warm the cache and the disk
  const one = [];
  const many = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      one.push(wordsPerSecond(mode, 1));
      many.push(wordsPerSecond(mode, +threads));
    } else {
      many.push(wordsPerSecond(mode, +threads));
      one.push(wordsPerSecond(mode, 1));
    }
  }
  const ceilings = [];
  if (has('ceiling')) {
    for (let r = 0; r < rounds; r++) {
      const alone = wordsPerSecond(mode, 1);
      ceilings.push((await independentWordsPerSecond(mode, +threads)) / alone);
    }
  }
  const ratios = one.map((w, i) => many[i] / w);
  rows.push({
    mode,
    threads: +threads,
    oneThread: one.map(Math.round),
    nThreads: many.map(Math.round),
    medianRatio: round2(median(ratios)),
    bestRatio: round2(Math.max(...many) / Math.max(...one)),
    ratios: ratios.map(round2),
    ...(ceilings.length ? { independentProcesses: round2(median(ceilings)), independentRatios: ceilings.map(round2) } : {}),
  });
  console.error(JSON.stringify(rows.at(-1)));
}
let arithmetic;
if (has('ceiling')) {
  const ratios = [];
  for (let r = 0; r < rounds; r++) ratios.push((await arithmeticRate(+threads)) / (await arithmeticRate(1)));
  arithmetic = { ratio: round2(median(ratios)), ratios: ratios.map(round2) };
}
const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version };
console.log(`machine: ${machine.cpus} × ${machine.model}, Node ${machine.node}; corpus ${corpus}; ${epochs} epoch(s), ${rounds} rounds`);
console.log(['mode', 'best words/s 1 thread', `best words/s ${threads} threads`, 'best ratio', 'median ratio', 'ratios', ...(arithmetic ? [`${threads} solo processes`] : [])].join('\t'));
for (const r of rows) {
  console.log([r.mode, Math.max(...r.oneThread), Math.max(...r.nThreads), r.bestRatio, r.medianRatio, r.ratios.join(' '), ...(arithmetic ? [r.independentProcesses] : [])].join('\t'));
}
if (arithmetic) console.log(`arithmetic probe, ${threads} processes / 1: median ${arithmetic.ratio} (${arithmetic.ratios.join(' ')})`);
const file = join(out, `scaling-${Date.now()}.json`);
writeFileSync(file, JSON.stringify({ machine, corpus, epochs: +epochs, rows, ...(arithmetic ? { arithmeticProbe: arithmetic } : {}) }, null, 2));
console.log(`(written to ${file})`);
