#!/usr/bin/env node
// `kotovec phrases` against gensim 4.2's Phrases → freeze() → joining (python3-gensim), on the same
// pre-tokenized English text (a line a sentence, tokens split on spaces), each configuration both ways:
//   equal:  the joined text line for line (lines that differ) and the phrase table (phrases missing on
//           either side, largest relative difference of a score);
//   speed:  whole process of each (learning, joining, writing the text), alternating; peak RSS.
//   word2phrase (--word2phrase): word2vec C's word2phrase, compiled here from tmikolov/word2vec (--source: its
//           word2phrase.c), against `kotovec phrases --scoring word2phrase --connectors none` at its defaults
//           (min-count 5, threshold 100): lines that differ (word2phrase starts every word, the first of a
//           line too, with a space or "_": that first space is dropped before comparing).
// Not a test.
//
// usage: node bench/phrases.mjs [--configs default-english,default-none,npmi-english,npmi-none] [--passes 1,2]
//                               [--rounds 1] [--corpus FILE.tok.txt] [--word2phrase --source word2phrase.c]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { flag, has, kotovec, out, python, root, shared } from './common.mjs';

const configs = flag('configs', 'default-english,default-none,npmi-english,npmi-none').split(',');
const passCounts = flag('passes', '1,2').split(',').map(Number);
const rounds = Number(flag('rounds', '1'));
const source = join(shared, 'data/corpora/en/gutenberg-en.txt.gz');
const tokens = flag('corpus', join(out, `${source.split('/').pop()}.tok.txt`));
if (!existsSync(tokens)) writeFileSync(tokens, kotovec(['tokenize', source]));

const gensimPhrases = `
import sys, json, time
from gensim.models.phrases import Phrases, ENGLISH_CONNECTOR_WORDS
path, scoring, threshold, min_count, connectors, passes, out_text, out_table = sys.argv[1:9]
connector_words = ENGLISH_CONNECTOR_WORDS if connectors == 'english' else frozenset()
with open(path, encoding='utf8') as f:
    sentences = [line.split() for line in f]
tables = []
for p in range(int(passes)):
    model = Phrases(sentences, min_count=int(min_count), threshold=float(threshold), scoring=scoring, connector_words=connector_words)
    frozen = model.freeze()
    tables.append({phrase: [model.vocab[phrase], score] for phrase, score in frozen.phrasegrams.items()})
    sentences = [frozen[s] for s in sentences]
with open(out_text, 'w', encoding='utf8') as f:
    for s in sentences:
        f.write(' '.join(s) + '\\n')
with open(out_table, 'w', encoding='utf8') as f:
    json.dump(tables, f)
`;

function timed(command, args) {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr.slice(-2000)}`);
  return { seconds: +((performance.now() - started) / 1000).toFixed(2), rssMB: Math.round(Number(result.stderr.trim().split('\n').at(-1)) / 1024) };
}

if (has('word2phrase')) {
  const binary = join(out, 'word2phrase');
  execFileSync('gcc', [flag('source', join(out, 'word2phrase.c')), '-o', binary, '-lm', '-O2', '-march=native', '-funroll-loops', '-Wno-unused-result']);
  const theirs = `${join(out, 'phrases-word2phrase')}.w2p.txt`;
  const ours = `${join(out, 'phrases-word2phrase')}.kotovec.txt`;
  const w2p = timed(binary, ['-train', tokens, '-output', theirs, '-min-count', '5', '-threshold', '100', '-debug', '0']);
  const k = timed(process.execPath, [join(root, 'bin', 'kotovec.js'), 'phrases', tokens, '-o', ours, '--force', '--tokenizer', 'whitespace', '--no-normalize',
    '--scoring', 'word2phrase', '--connectors', 'none', '--threshold', '100', '--min-count', '5']);
  const a = readFileSync(ours, 'utf8').split('\n');
  const b = readFileSync(theirs, 'utf8').split('\n').map((line) => line.replace(/^ /, ''));
  let differ = Math.abs(a.length - b.length);
  let first = -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) { differ++; if (first < 0) first = i; }
  const joined = (lines) => lines.reduce((n, line) => n + (line.match(/_/g)?.length ?? 0), 0);
  console.log(JSON.stringify({ word2phrase: w2p, kotovec: k, ratio: +(w2p.seconds / k.seconds).toFixed(2), lines: a.length, linesThatDiffer: differ, firstDifference: first < 0 ? null : { line: first + 1, kotovec: a[first]?.slice(0, 300), word2phrase: b[first]?.slice(0, 300) }, joinsKotovec: joined(a), joinsWord2phrase: joined(b) }, null, 1));
  process.exit(0);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}; ${tokens}`);
console.log(['config', 'passes', 'phrases', 'lines differ', 'missing here', 'missing in gensim', 'largest score rel. diff', 'kotovec s', 'kotovec MB', 'gensim s', 'gensim MB', 'gensim ÷ kotovec'].join('\t'));
for (const config of configs) {
  const [scoring, connectors] = config.split('-');
  const threshold = scoring === 'npmi' ? '0.5' : '10';
  for (const passes of passCounts) {
    const stem = join(out, `phrases-${config}-${passes}`);
    const runs = { kotovec: [], gensim: [] };
    for (let r = 0; r < rounds; r++) {
      runs.kotovec.push(timed(process.execPath, [join(root, 'bin', 'kotovec.js'), 'phrases', tokens, '-o', `${stem}.kotovec.txt`, '--force', '--save-table', `${stem}.kotovec.json`,
        '--tokenizer', 'whitespace', '--no-normalize', '--scoring', scoring, '--threshold', threshold, '--min-count', '5', '--connectors', connectors, '--passes', String(passes)]));
      runs.gensim.push(timed(python, ['-c', gensimPhrases, tokens, scoring, threshold, '5', connectors, String(passes), `${stem}.gensim.txt`, `${stem}.gensim.json`]));
    }
    const ours = readFileSync(`${stem}.kotovec.txt`, 'utf8').split('\n');
    const theirs = readFileSync(`${stem}.gensim.txt`, 'utf8').split('\n');
    let differ = Math.abs(ours.length - theirs.length);
    for (let i = 0; i < Math.min(ours.length, theirs.length); i++) if (ours[i] !== theirs[i]) differ++;
    const table = JSON.parse(readFileSync(`${stem}.kotovec.json`, 'utf8'));
    const gensimTables = JSON.parse(readFileSync(`${stem}.gensim.json`, 'utf8'));
    let missingHere = 0, missingThere = 0, worst = 0, count = 0;
    gensimTables.forEach((gensimTable, p) => {
      const mine = new Map(table.phrases.filter((x) => x.pass === p + 1).map((x) => [x.phrase, x]));
      for (const [phrase, [n, score]] of Object.entries(gensimTable)) {
        count++;
        const m = mine.get(phrase);
        if (!m) { missingHere++; continue; }
        if (m.count !== n) missingHere++;
        worst = Math.max(worst, Math.abs(m.score - score) / Math.abs(score));
        mine.delete(phrase);
      }
      missingThere += mine.size;
    });
    const k = median(runs.kotovec.map((x) => x.seconds));
    const g = median(runs.gensim.map((x) => x.seconds));
    console.log([config, passes, count, differ, missingHere, missingThere, worst.toExponential(2), k, Math.max(...runs.kotovec.map((x) => x.rssMB)), g, Math.max(...runs.gensim.map((x) => x.rssMB)), (g / k).toFixed(2)].join('\t'));
  }
}
