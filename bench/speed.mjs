#!/usr/bin/env node
// Speed benchmark (npm run bench): one epoch of each mode on 1 thread and on all cores, end to end
// (read, vocabulary, train, write the model) and training words/s. With --vs-gensim (Debian's
// python3-gensim), gensim runs the same settings interleaved with kotovec's, and the table gives
// gensim_seconds / kotovec_seconds. Settings as ../shared/tools/gensim-baseline.py: dim 100, window 5,
// min-count 5, sample 1e-3, negative 5 (or hs), alpha 0.025. Not a test.
// With --quality, bench/quality.mjs then trains cbow+ns and skipgram+ns for the standard 5 epochs on all
// cores with both tools and prints analogy accuracy and WordSim-353 of each (gensim only with --vs-gensim).
// With --rounds N each cell runs N times, the tools alternating, and the table gives median seconds and
// the ratio of the medians and of the best runs (on a shared VM one run per cell is a lottery).
// With --score, every word2vec model of the table is scored as it is trained (analogy accuracy and
// WordSim-353 by gensim's own evaluation, bench/score-vectors.py, outside the timed run), and the table
// gives each tool's medians beside its speed.
// Runs on several threads note how far apart the cores were just before and after them
// (bench/core-distance.mjs, ns): a host that moves the vCPUs apart slows any Hogwild training down.
// usage: npm run bench -- [--vs-gensim] [--quality] [--score] [--modes cbow-ns,sg-ns,sg-hs,dbow-ns,dm-ns] [--threads 1,2] [--epochs 1]
//                         [--rounds 1] [--corpus FILE.gz]
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { flag, has, kotovec, out, python, root, shared } from './common.mjs';
import { coreDistance } from './core-distance.mjs';

const vsGensim = has('vs-gensim');
const modes = flag('modes', 'cbow-ns,sg-ns,sg-hs,dbow-ns').split(',');
const threadCounts = flag('threads', `1,${availableParallelism()}`).split(',').map(Number);
const epochs = flag('epochs', '1');
const corpus = flag('corpus', join(shared, 'data/corpora/en/gutenberg-en.txt.gz'));
const rounds = Number(flag('rounds', '1'));
const scoring = has('score');
const isWord2vec = (mode) => ['cbow', 'sg'].includes(mode.split('-')[0]);

// Both tools read the same pre-tokenized text (one paragraph a line), so only training differs.
const tokens = join(out, `${corpus.split('/').pop()}.tok.txt`);
if (!existsSync(tokens)) writeFileSync(tokens, kotovec(['tokenize', corpus]));

const gensimDoc2Vec = `
import sys, time, json
from gensim.models.doc2vec import Doc2Vec
path, threads, epochs, dm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
start = time.time()
m = Doc2Vec(corpus_file=path, dm=dm, vector_size=100, window=5, min_count=5, sample=1e-3, negative=5, hs=0,
            alpha=0.025, epochs=epochs, workers=threads, seed=1)
seconds = time.time() - start
print(json.dumps({"seconds": round(seconds, 2), "words_per_s": round(m.corpus_total_words * epochs / seconds)}))
`;

function runKotovec(mode, threads) {
  const [arch, loss] = mode.split('-');
  const model = { cbow: 'cbow', sg: 'skipgram', dbow: 'pv-dbow', dm: 'pv-dm' }[arch];
  const path = join(out, `speed-${mode}-${threads}.db`);
  const started = performance.now();
  kotovec(['train', tokens, '-o', path, '--force', '--tokenizer', 'whitespace', '--model', model, '--loss', loss, '--alpha', '0.025',
    '--threads', String(threads), '--epochs', epochs, '--progress', 'none', ...(arch === 'dbow' || arch === 'dm' ? ['--docs', 'lines'] : [])]);
  const seconds = (performance.now() - started) / 1000;
  const info = JSON.parse(kotovec(['info', path, '--json']));
  const result = { seconds: +seconds.toFixed(2), trainWordsPerSecond: Math.round(info.training.wordsPerSecond) };
  if (!scoring || !isWord2vec(mode)) return result;
  const bin = join(out, `speed-${mode}-${threads}.bin`);
  kotovec(['export', path, '-o', bin, '--force']);
  const { analogy, ws353 } = JSON.parse(execFileSync(python, [join(root, 'bench', 'score-vectors.py'), bin]).toString());
  return { ...result, analogy, ws353 };
}

function runGensim(mode, threads) {
  const [arch] = mode.split('-');
  if (arch === 'dbow' || arch === 'dm') {
    return JSON.parse(execFileSync(python, ['-c', gensimDoc2Vec, tokens, String(threads), epochs, arch === 'dm' ? '1' : '0']).toString());
  }
  const result = JSON.parse(execFileSync(python, [join(shared, 'tools', 'gensim-baseline.py'), tokens, mode, String(threads), epochs], { cwd: out }).toString());
  return { seconds: result.seconds, words_per_s: result.words_per_s, ...(scoring ? { analogy: result.analogy, ws353: result.ws353 } : {}) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const rows = [];
for (const mode of modes) {
  for (const threads of threadCounts) {
    const k = [];
    const g = [];
    // Core distance before and after each run on several threads ("before/after" ns).
    const placed = async (run) => {
      if (threads < 2) return run();
      const before = await coreDistance();
      const result = run();
      return { ...result, cores: `${before}/${await coreDistance()}` };
    };
    for (let r = 0; r < rounds; r++) {
      k.push(await placed(() => runKotovec(mode, threads)));
      if (vsGensim) g.push(await placed(() => runGensim(mode, threads)));
    }
    const ks = k.map((x) => x.seconds);
    const row = { mode, threads, kotovecSeconds: median(ks), kotovecTrainWordsPerSecond: median(k.map((x) => x.trainWordsPerSecond)) };
    if (rounds > 1) Object.assign(row, { kotovecRuns: ks });
    if (threads > 1) Object.assign(row, { kotovecCoresNs: k.map((x) => x.cores) });
    if (vsGensim) {
      const gs = g.map((x) => x.seconds);
      Object.assign(row, { gensimSeconds: median(gs), gensimWordsPerSecond: median(g.map((x) => x.words_per_s)), ratio: +(median(gs) / median(ks)).toFixed(2) });
      if (rounds > 1) Object.assign(row, { gensimRuns: gs, bestRatio: +(Math.min(...gs) / Math.min(...ks)).toFixed(2) });
      if (threads > 1) Object.assign(row, { gensimCoresNs: g.map((x) => x.cores) });
    }
    if (scoring && isWord2vec(mode)) {
      Object.assign(row, { kotovecAnalogy: median(k.map((x) => x.analogy)), kotovecWs353: median(k.map((x) => x.ws353)) });
      if (vsGensim) Object.assign(row, { gensimAnalogy: median(g.map((x) => x.analogy)), gensimWs353: median(g.map((x) => x.ws353)) });
    }
    rows.push(row);
    console.error(JSON.stringify(row));
  }
}
const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version };
const file = join(out, `speed-${Date.now()}.json`);
writeFileSync(file, JSON.stringify({ machine, corpus, epochs: +epochs, rounds, rows }, null, 2));
const columns = ['mode', 'threads', 'kotovecSeconds', 'kotovecTrainWordsPerSecond', ...(vsGensim ? ['gensimSeconds', 'gensimWordsPerSecond', 'ratio', ...(rounds > 1 ? ['bestRatio'] : [])] : []),
  ...(scoring ? ['kotovecAnalogy', 'kotovecWs353', ...(vsGensim ? ['gensimAnalogy', 'gensimWs353'] : [])] : [])];
console.log(`machine: ${machine.cpus} × ${machine.model}, Node ${machine.node}; corpus ${corpus}; ${epochs} epoch(s), ${rounds} round(s)${rounds > 1 ? ' (median seconds)' : ''}`);
console.log(columns.join('\t'));
for (const row of rows) console.log(columns.map((c) => row[c] ?? '').join('\t'));
console.log(`(written to ${file})`);

if (has('quality')) {
  console.log('\nquality after 5 epochs (bench/quality.mjs):');
  execFileSync(process.execPath, [join(root, 'bench', 'quality.mjs'), '--modes', 'cbow-ns,sg-ns', '--threads', String(Math.max(...threadCounts)),
    '--tools', vsGensim ? 'kotovec,gensim' : 'kotovec', ...(has('corpus') ? ['--corpus', corpus] : [])], { stdio: 'inherit' });
}
