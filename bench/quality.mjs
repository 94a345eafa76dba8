#!/usr/bin/env node
// Side-by-side quality (and time) of kotovec and gensim on the same tokens and settings:
// vector_size 100, window 5, min_count 5, sample 1e-3, negative 5 (or hs), alpha 0.025 (or --alpha).
// Both tools' vectors are written as word2vec binaries and scored by the same code: bench/score-vectors.py
// (Google analogies, WordSim-353, SimLex-999 with --simlex FILE), or ../shared/tools/gensim-baseline.py for
// --ja (TMU noun/verb).
// Needs Debian's python3-gensim (and mecab + mecab-ipadic-utf8 for --ja). Not a test.
// usage: node bench/quality.mjs [--modes cbow-ns,sg-ns,cbow-hs,sg-hs] [--threads 2] [--epochs 5]
//                               [--tools kotovec,gensim] [--ja] [--corpus FILE] [--seeds 1,2,3]
//                               [--alpha 0.025] [--simlex simlex999.txt] [--kotovec-flags "--order file"]
// --seeds: each tool trains once per seed (for --ja, gensim's script fixes seed 1; runs on several threads
// differ from each other anyway, as Hogwild runs do).
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flag, has, kotovec, out, python, root, shared } from './common.mjs';

const ja = has('ja');
const modes = flag('modes', ja ? 'cbow-ns' : 'cbow-ns,sg-ns,cbow-hs,sg-hs').split(',');
const threads = flag('threads', '2');
const epochs = flag('epochs', '5');
const tools = flag('tools', 'kotovec,gensim').split(',');
const seeds = flag('seeds', '1').split(',');
const alpha = flag('alpha', '0.025');
const simlex = flag('simlex', null);
/** More options for kotovec's `train` (to compare its own settings), split at spaces. */
const kotovecFlags = flag('kotovec-flags', '').split(' ').filter(Boolean);
const corpus = flag('corpus', ja ? join(shared, 'data/corpora/ja/aozora-ja.txt.gz') : join(shared, 'data/corpora/en/gutenberg-en.txt.gz'));
const baseline = join(shared, 'tools', 'gensim-baseline.py');
const scorer = join(root, 'bench', 'score-vectors.py');
/** Scores a word2vec binary: the TMU sets for --ja, otherwise analogies, WordSim-353 and SimLex. */
const score = (bin) => JSON.parse(execFileSync(python, ja ? [baseline, bin, '--ja'] : [scorer, bin, ...(simlex ? [simlex] : [])]).toString());

// Tokens, once: kotovec's own tokenizer; for Japanese, gensim gets MeCab's tokens as a user would use.
const tokens = join(out, ja ? 'ja.kotovec.tok.txt' : 'en.tok.txt');
if (!existsSync(tokens)) {
  console.error(`tokenizing ${corpus} → ${tokens}`);
  const started = performance.now();
  writeFileSync(tokens, kotovec(['tokenize', ...(ja ? ['--tokenizer', 'ja'] : []), corpus]));
  console.error(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
let gensimTokens = tokens;
if (ja) {
  gensimTokens = join(out, 'ja.mecab.tok.txt');
  if (!existsSync(gensimTokens)) {
    const raw = join(out, 'ja.raw.txt');
    execFileSync('sh', ['-c', `zcat '${corpus}' > '${raw}' && mecab -b 67108864 -Owakati '${raw}' > '${gensimTokens}'`]);
  }
}
const rows = [];
for (const mode of modes) for (const seed of seeds) {
  const [arch, loss] = mode.split('-');
  if (tools.includes('kotovec')) {
    const model = join(out, `kotovec-${mode}.db`);
    const bin = join(out, `kotovec-${mode}.bin`);
    const started = performance.now();
    kotovec(['train', tokens, '-o', model, '--force', '--tokenizer', 'whitespace', '--model', arch === 'sg' ? 'skipgram' : 'cbow', '--loss', loss,
      '--alpha', alpha, '--threads', threads, '--epochs', epochs, '--seed', seed, '--progress', 'none', ...kotovecFlags], { stdio: ['ignore', 'ignore', 'ignore'] });
    const seconds = (performance.now() - started) / 1000;
    kotovec(['export', model, '-o', bin, '--force'], { stdio: ['ignore', 'ignore', 'ignore'] });
    rows.push({ tool: 'kotovec', mode, seed: +seed, threads: +threads, epochs: +epochs, alpha: +alpha, seconds: +seconds.toFixed(2), ...score(bin) });
    console.error(JSON.stringify(rows.at(-1)));
  }
  if (tools.includes('gensim')) {
    if (ja) {
      rows.push({ ...JSON.parse(execFileSync(python, [baseline, gensimTokens, mode, threads, epochs, '--ja'], { cwd: out }).toString()), tool: 'gensim' });
    } else {
      const bin = join(out, `gensim-${mode}.bin`);
      const trained = JSON.parse(execFileSync(python, [join(root, 'bench', 'gensim-train.py'), gensimTokens, mode, threads, epochs, alpha, seed, bin]).toString());
      rows.push({ tool: 'gensim', mode, seed: +seed, threads: +threads, epochs: +epochs, alpha: +alpha, ...trained, ...score(bin) });
    }
    console.error(JSON.stringify(rows.at(-1)));
  }
}
const file = join(out, `quality${ja ? '-ja' : ''}-${Date.now()}.json`);
writeFileSync(file, JSON.stringify(rows, null, 2));
const columns = ja ? ['tool', 'mode', 'seed', 'threads', 'seconds', 'vocab', 'noun', 'noun_pairs', 'verb', 'verb_pairs'] : ['tool', 'mode', 'seed', 'threads', 'alpha', 'seconds', 'vocab', 'analogy', 'ws353', 'simlex'];
console.log(columns.join('\t'));
for (const row of rows) console.log(columns.map((c) => row[c]).join('\t'));
console.log(`(written to ${file})`);
