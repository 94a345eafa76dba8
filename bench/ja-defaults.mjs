#!/usr/bin/env node
// Chooses the `ja` tokenizer defaults from figures: trains CBOW on the shared Aozora corpus with surface
// or base forms, all tokens or content words only (名詞,動詞,形容詞,副詞), for each seed, and scores every
// model on the TMU noun and verb sets with phrases composed (bench/jwsd.mjs).
// usage: node bench/ja-defaults.mjs [--seeds 1,2] [--threads 2] [--configs surface-all,base-content] [--corpus FILE]
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flag, kotovec, out, shared } from './common.mjs';
import { scoreJwsd } from './jwsd.mjs';

const corpus = flag('corpus', join(shared, 'data', 'corpora', 'ja', 'aozora-ja.txt.gz'));
const seeds = flag('seeds', '1,2').split(',');
const threads = flag('threads', '2');
const content = '名詞,動詞,形容詞,副詞';
const configs = [
  ['surface-all', []],
  ['base-all', ['--base-form']],
  ['surface-content', ['--pos', content]],
  ['base-content', ['--base-form', '--pos', content]],
];
const only = flag('configs', configs.map(([name]) => name).join(',')).split(',');
const models = [];
for (const [name, args] of configs.filter(([name]) => only.includes(name))) {
  for (const seed of seeds) {
    const path = join(out, `ja-${name}-s${seed}.db`);
    if (!existsSync(path)) {
      const started = performance.now();
      kotovec(['train', corpus, '--tokenizer', 'ja', ...args, '--threads', threads, '--seed', seed, '--progress', 'none', '-o', path, '-f'], { stdio: ['ignore', 'ignore', 'inherit'] });
      console.error(`${name} seed ${seed}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    models.push({ name: `${name}-s${seed}`, path });
  }
}
const scores = await scoreJwsd(models);
writeFileSync(join(out, 'ja-defaults.json'), JSON.stringify(scores, null, 2));
for (const set of ['noun', 'verb']) {
  console.log(`\n${set}: ${scores[set].commonPairs} of ${scores[set].total} pairs covered by every model`);
  console.log('model\tspearman\tpairs\tcoverage\tcomposed\tspearman on common pairs');
  for (const { name } of models) {
    const s = scores[set][name];
    console.log(`${name}\t${s.spearman}\t${s.pairs}\t${s.coverage}\t${s.composed}\t${s.commonSpearman}`);
  }
}
