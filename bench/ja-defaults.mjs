#!/usr/bin/env node
// Chooses the `ja` tokenizer defaults from figures: trains CBOW on the shared Aozora corpus with surface
// or base forms, every token (`all`, symbols too, as `mecab -Owakati` gives them), all but symbols
// (`words`) or content words only (名詞,動詞,形容詞,副詞), for each seed, and scores every
// model on the TMU noun and verb sets (bench/jwsd.mjs) two ways: phrases composed (a word the model does
// not hold read with its tokenizer, the mean of its tokens' unit vectors) and whole words only. With
// `--gensim`, gensim's Word2Vec on `mecab -Owakati`'s tokens (the usual pipeline; MeCab's tokens compose
// its phrases) at the same settings and seeds. Means over the seeds at the end.
// usage: node bench/ja-defaults.mjs [--seeds 1,2,3] [--threads 2] [--alpha 0.025] [--gensim]
//                                   [--configs surface-all,base-content] [--corpus FILE] [--fresh] [--suffix S]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { flag, has, kotovec, out, python, shared } from './common.mjs';
import { mecabTokensOfJwsd, scoreJwsd } from './jwsd.mjs';

const corpus = flag('corpus', join(shared, 'data', 'corpora', 'ja', 'aozora-ja.txt.gz'));
const seeds = flag('seeds', '1,2').split(',');
const threads = flag('threads', '2');
const alpha = flag('alpha', undefined);
const fresh = has('fresh');
// MeCab's default dictionary is whichever Debian made it (UniDic once unidic-mecab is installed): IPADIC,
// the dictionary of kotovec's built-in one.
const IPADIC = ['-d', '/var/lib/mecab/dic/ipadic-utf8'];
const content = '名詞,動詞,形容詞,副詞';
const configs = [
  ['surface-all', ['--no-base-form', '--pos', 'words']],
  ['base-all', ['--base-form', '--pos', 'words']],
  ['surface-content', ['--no-base-form', '--pos', content]],
  ['base-content', ['--base-form', '--pos', content]],
  ['surface-every', ['--no-base-form', '--pos', 'all']],
  ['base-every', ['--base-form', '--pos', 'all']],
];
const only = flag('configs', configs.map(([name]) => name).join(',')).split(',');
// --suffix S: the models get their own files (runs under other environment settings, e.g. KOTOVEC_HOT_ROWS).
const tag = (alpha ? `-a${alpha}` : '') + (flag('suffix', '') ? `-${flag('suffix', '')}` : '');
const models = [];
for (const [name, args] of configs.filter(([name]) => only.includes(name))) {
  for (const seed of seeds) {
    const path = join(out, `ja-${name}${tag}-s${seed}.db`);
    if (fresh || !existsSync(path)) {
      const started = performance.now();
      kotovec(['train', corpus, '--tokenizer', 'ja', ...args, ...(alpha ? ['--alpha', alpha] : []), '--threads', threads, '--seed', seed, '--progress', 'none', '-o', path, '-f'], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      console.error(`${name} seed ${seed}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    models.push({ name: `${name}-s${seed}`, config: name, path });
  }
}

if (has('gensim')) {
  const plain = join(out, 'ja-defaults-corpus.txt');
  const wakati = join(out, 'ja-defaults-mecab-ipadic.txt');
  if (!existsSync(wakati)) {
    writeFileSync(plain, corpus.endsWith('.gz') ? gunzipSync(readFileSync(corpus)) : readFileSync(corpus));
    execFileSync('mecab', [...IPADIC, '-b', '10000000', '-Owakati', plain, '-o', wakati]);
  }
  const script = `
import sys
from gensim.models import Word2Vec
path, threads, seed, alpha, output = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
m = Word2Vec(corpus_file=path, vector_size=100, window=5, min_count=5, sample=1e-3, negative=5, sg=0, alpha=alpha,
             epochs=5, workers=threads, seed=seed)
m.wv.save_word2vec_format(output, binary=True)
`;
  const tokensOf = mecabTokensOfJwsd(IPADIC);
  for (const seed of seeds) {
    const db = join(out, `ja-gensim-ipadic${tag}-s${seed}.db`);
    if (fresh || !existsSync(db)) {
      const bin = join(out, `ja-gensim-ipadic${tag}-s${seed}.bin`);
      const run = spawnSync(python, ['-c', script, wakati, threads, seed, alpha ?? '0.025', bin], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (run.status !== 0) throw new Error('gensim failed');
      kotovec(['import', bin, '-o', db, '-f']);
    }
    models.push({ name: `mecab+gensim-s${seed}`, config: 'mecab+gensim', path: db, tokenize: tokensOf });
  }
}

const composed = await scoreJwsd(models);
const whole = await scoreJwsd(models.map((m) => ({ ...m, tokenize: () => [] })));
writeFileSync(join(out, `ja-defaults${tag}.json`), JSON.stringify({ composed, whole }, null, 2));
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
for (const [label, scores] of [['phrases composed', composed], ['whole words', whole]]) {
  for (const set of ['noun', 'verb']) {
    console.log(`\n${set}, ${label}: ${scores[set].commonPairs} of ${scores[set].total} pairs covered by every model`);
    console.log('model\tspearman\tpairs\tcoverage\tcomposed\tspearman on common pairs');
    for (const { name } of models) {
      const s = scores[set][name];
      console.log(`${name}\t${s.spearman}\t${s.pairs}\t${s.coverage}\t${s.composed}\t${s.commonSpearman}`);
    }
    const byConfig = new Map();
    for (const m of models) byConfig.set(m.config, [...(byConfig.get(m.config) ?? []), scores[set][m.name]]);
    for (const [config, list] of byConfig) {
      console.log(`mean ${config}\t${mean(list.map((s) => s.spearman)).toFixed(4)}\t\t\t\t${mean(list.map((s) => s.commonSpearman)).toFixed(4)}`);
    }
  }
}
