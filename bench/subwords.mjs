#!/usr/bin/env node
// Subword vectors against fastText (Debian's `fasttext`, 0.9.2) and gensim's FastText (python3-gensim),
// on the same pre-tokenized English text and the same settings: fastText's defaults for unsupervised
// models (dim 100, window 5, min-count 5, negative 5, lr 0.05, t 1e-4, minn 3, maxn 6, bucket 2,000,000).
// Not a test.
//
//   speed:   whole job (read, train, write the model) of each tool, alternating, --rounds times; peak RSS
//            from /usr/bin/time. Table: median seconds, RSS, and fastText's and gensim's time ÷ kotovec's.
//   quality: --epochs (5) on all cores for each seed: the model of each tool imported into kotovec
//            (fastText's .bin: the same vectors as print-word-vectors) and scored by `kotovec evaluate`
//            with the same scorer: analogies on the in-vocabulary questions (gensim's scoring), every
//            question, and WordSim-353 with every pair scored (n-grams for words outside the vocabulary)
//            and in the vocabulary.
//
// usage: node bench/subwords.mjs speed   [--archs cbow,skipgram] [--threads 1,2] [--epochs 1] [--rounds 1] [--tools kotovec,fasttext,gensim]
//        node bench/subwords.mjs quality [--archs cbow,skipgram] [--threads 2] [--epochs 5] [--seeds 1,2,3] [--tools kotovec,fasttext] [--min-count 5] [--suffix S]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { flag, kotovec, out, python, shared } from './common.mjs';

const what = process.argv[2] ?? 'speed';
const archs = flag('archs', 'cbow,skipgram').split(',');
const threadCounts = flag('threads', what === 'speed' ? '1,2' : '2').split(',').map(Number);
const epochs = Number(flag('epochs', what === 'speed' ? '1' : '5'));
const rounds = Number(flag('rounds', '1'));
const seeds = flag('seeds', '1').split(',').map(Number);
const tools = flag('tools', what === 'speed' ? 'kotovec,fasttext,gensim' : 'kotovec,fasttext').split(',');
const minCount = flag('min-count', '5');
const corpus = flag('corpus', join(shared, 'data/corpora/en/gutenberg-en.txt.gz'));
const bucket = flag('bucket', '2000000');
// --suffix S: the models get their own files (runs under other environment settings, e.g. KOTOVEC_HOT_ROWS).
const suffix = flag('suffix', '');

const tokens = join(out, `${corpus.split('/').pop()}.tok.txt`);
if (!existsSync(tokens)) writeFileSync(tokens, kotovec(['tokenize', corpus]));

const gensimFastText = `
import sys, time
from gensim.models import FastText
path, arch, threads, epochs, seed, min_count, bucket, output = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
m = FastText(corpus_file=path, sg=int(arch == 'skipgram'), vector_size=100, window=5, min_count=min_count, sample=1e-4, negative=5,
             alpha=0.05, epochs=epochs, workers=threads, seed=seed, min_n=3, max_n=6, bucket=bucket, ns_exponent=0.5)
m.save(output)
`;

/** Runs a command under /usr/bin/time: wall seconds and peak RSS in MB. */
function timed(command, args) {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr.slice(-2000)}`);
  const rss = Number(result.stderr.trim().split('\n').at(-1)) / 1024;
  return { seconds: +seconds.toFixed(2), rssMB: Math.round(rss) };
}

/** Trains with one tool; returns time, RSS and the model path kotovec can read (kotovec .db or fastText .bin). */
function train(tool, arch, threads, seed) {
  const stem = join(out, `sub-${suffix ? `${suffix}-` : ''}${tool}-${arch}-${threads}-${seed}`);
  if (tool === 'kotovec') {
    const path = `${stem}.db`;
    return {
      ...timed(process.execPath, [join(out, '..', '..', 'bin', 'kotovec.js'), 'train', tokens, '-o', path, '--force', '--tokenizer', 'whitespace', '--model', arch,
        '--subwords', '--bucket', bucket, '--alpha', '0.05', '--sample', '1e-4', '--ns-exponent', '0.5', '--min-count', minCount,
        '--threads', String(threads), '--epochs', String(epochs), '--seed', String(seed), '--progress', 'none']),
      path,
    };
  }
  if (tool === 'fasttext') {
    const result = timed('fasttext', [arch, '-input', tokens, '-output', stem, '-dim', '100', '-ws', '5', '-epoch', String(epochs), '-minCount', minCount,
      '-neg', '5', '-lr', '0.05', '-t', '1e-4', '-minn', '3', '-maxn', '6', '-bucket', bucket, '-thread', String(threads), '-seed', String(seed), '-verbose', '0']);
    rmSync(`${stem}.vec`, { force: true });
    return { ...result, path: `${stem}.bin` };
  }
  const result = timed(python, ['-c', gensimFastText, tokens, arch, String(threads), String(epochs), String(seed), minCount, bucket, `${stem}.gensim`]);
  return { ...result, path: null };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version };
console.log(`machine: ${machine.cpus} × ${machine.model}, Node ${machine.node}; ${tokens}; ${epochs} epoch(s); bucket ${bucket}; min-count ${minCount}`);

if (what === 'speed') {
  const rows = [];
  for (const arch of archs) {
    for (const threads of threadCounts) {
      const runs = Object.fromEntries(tools.map((t) => [t, []]));
      for (let r = 0; r < rounds; r++) for (const tool of tools) runs[tool].push(train(tool, arch, threads, 1));
      const row = { arch, threads };
      for (const tool of tools) {
        row[`${tool}Seconds`] = median(runs[tool].map((x) => x.seconds));
        row[`${tool}RssMB`] = Math.max(...runs[tool].map((x) => x.rssMB));
      }
      for (const tool of tools.filter((t) => t !== 'kotovec')) if (row.kotovecSeconds) row[`${tool}/kotovec`] = +(row[`${tool}Seconds`] / row.kotovecSeconds).toFixed(2);
      rows.push(row);
      console.error(JSON.stringify({ ...row, runs }));
    }
  }
  const columns = Object.keys(rows[0]);
  console.log(columns.join('\t'));
  for (const row of rows) console.log(columns.map((c) => row[c]).join('\t'));
} else {
  const questions = join(shared, 'data/eval/en/questions-words.txt');
  const ws353 = join(shared, 'data/eval/en/wordsim353.tsv');
  console.log(['arch', 'tool', 'seed', 'seconds', 'analogy (in vocabulary)', 'analogy (every question)', 'ws353 (every pair)', 'ws353 (in vocabulary)', 'ws353 coverage in vocabulary'].join('\t'));
  for (const arch of archs) {
    for (const seed of seeds) {
      for (const tool of tools) {
        const run = train(tool, arch, threadCounts[0], seed);
        let db = run.path;
        if (tool === 'fasttext') {
          db = run.path.replace(/\.bin$/, '.db');
          kotovec(['import', run.path, '-o', db, '--force']);
        }
        const score = JSON.parse(kotovec(['evaluate', db, '--analogies', questions, '--pairs', ws353, '--json']).toString());
        console.log([arch, tool, seed, run.seconds, score.analogy.accuracy.toFixed(4), score.analogy.all.accuracy.toFixed(4),
          score.pairs.spearman.toFixed(4), score.pairs.inVocabulary.spearman.toFixed(4), score.pairs.inVocabulary.coverage.toFixed(3)].join('\t'));
      }
    }
  }
}
