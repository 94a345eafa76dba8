#!/usr/bin/env node
// Phrase vectors on the English bench text: `train --phrases` against the same training without phrases
// (CBOW defaults, --seeds, 2 threads, 5 epochs), each scored by `kotovec evaluate` (Google analogies on the
// in-vocabulary questions, WordSim-353), and the nearest neighbours of a few frequent phrases. Not a test.
//
// With --threshold T the phrased runs use a table learnt once by `kotovec phrases --threshold T` (the other
// settings gensim's defaults) instead of `train --phrases`'s own; --no-words leaves the words-only runs out.
//
// usage: node bench/phrase-vectors.mjs [--seeds 1,2] [--threshold T] [--no-words]
//                                      [--phrases new_york,sherlock_holmes,united_states]
import { join } from 'node:path';
import { flag, has, kotovec, out, shared } from './common.mjs';

const seeds = flag('seeds', '1,2').split(',');
const probes = flag('phrases', 'new_york,sherlock_holmes,united_states,old_man,young_lady').split(',');
const tokens = join(out, 'gutenberg-en.txt.gz.tok.txt');
const questions = join(shared, 'data/eval/en/questions-words.txt');
const ws353 = join(shared, 'data/eval/en/wordsim353.tsv');

const threshold = flag('threshold', '');
const table = threshold === '' ? undefined : join(out, `phrase-table-${threshold}.tsv`);
if (table) kotovec(['phrases', tokens, '--tokenizer', 'whitespace', '--threshold', threshold, '--save-table', table, '--force', '--json', '--progress', 'none']);
const kinds = has('no-words') ? [true] : [false, true];

console.log(['model', 'seed', 'seconds', 'vocabulary', 'analogy (in vocabulary)', 'coverage', 'ws353', 'ws353 coverage'].join('\t'));
for (const seed of seeds) {
  for (const phrased of kinds) {
    const db = join(out, `phrase-vectors-${phrased ? `phrases${threshold}` : 'words'}-${seed}.db`);
    const started = performance.now();
    kotovec(['train', tokens, '-o', db, '--force', '--tokenizer', 'whitespace', '--seed', seed, '--threads', '2', '--progress', 'none', ...(phrased ? (table ? ['--phrases', table] : ['--phrases']) : [])]);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const info = JSON.parse(kotovec(['info', db, '--json']).toString());
    const score = JSON.parse(kotovec(['evaluate', db, '--analogies', questions, '--pairs', ws353, '--json']).toString());
    console.log([phrased ? `phrases${threshold ? ` (threshold ${threshold})` : ''}` : 'words', seed, seconds, info.vocabulary, score.analogy.accuracy.toFixed(4), (score.analogy.total / (score.analogy.total + score.analogy.skipped)).toFixed(3), score.pairs.spearman.toFixed(4), score.pairs.coverage.toFixed(3)].join('\t'));
    if (phrased && seed === seeds[0]) {
      for (const probe of probes) {
        const answer = JSON.parse(kotovec(['similar', db, probe.replace(/_/g, ' '), '-k', '8', '--json']).toString());
        console.log(`  ${probe} (read as ${answer.query[0].tokens.join(' ')}): ${answer.results.map((r) => `${r.word} ${r.similarity.toFixed(3)}`).join(', ')}`);
      }
    }
  }
}
