#!/usr/bin/env node
// Big pretrained models, measured (the cases of the big-model work): a synthetic word2vec binary of
// --words × --dim clustered vectors (bench/make-big-model.py), then in one run, alternating where it
// matters: `kotovec import` against gensim's load_word2vec_format; a cold `kotovec similar -k 10` (whole
// process, peak RSS) against gensim loading its own format with mmap='r' + most_similar; kotovec's top 10
// against a numpy brute force; and a cold `similar` on a model given with --english. Needs Debian's
// python3-gensim. Not a test.
// usage: node bench/big-model.mjs [--words 1000000] [--dim 300] [--query w0000123] [--english MODEL.db]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { flag, out, python, root } from './common.mjs';

const words = flag('words', '1000000');
const dim = flag('dim', '300');
const query = flag('query', 'w0000123');
const english = flag('english', null);
const bin = join(out, `big-${words}x${dim}.bin`);
const model = join(out, `big-${words}x${dim}.db`);
const gensimModel = join(out, `big-${words}x${dim}.kv`);
if (!existsSync(bin)) execFileSync(python, [join(root, 'bench', 'make-big-model.py'), bin, words, dim], { stdio: 'inherit' });

/** Runs a command under /usr/bin/time -v: wall seconds and peak RSS in MB, and its stdout. */
function timed(command, args) {
  const result = spawnSync('/usr/bin/time', ['-v', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/.exec(result.stderr);
  const seconds = (Number(wall[1] ?? 0) * 3600) + Number(wall[2]) * 60 + Number(wall[3]);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)[1]) / 1024;
  return { seconds: +seconds.toFixed(2), peakRssMB: Math.round(rss), stdout: result.stdout };
}
const kotovec = (args) => timed(process.execPath, [join(root, 'bin', 'kotovec.js'), ...args]);
const py = (code, ...args) => timed(python, ['-c', code, ...args]);

const report = { words: +words, dim: +dim, binBytes: statSync(bin).size };
report.import = {
  kotovec: kotovec(['import', bin, '-o', model, '--force']),
  gensim: py('import sys; from gensim.models import KeyedVectors as K; K.load_word2vec_format(sys.argv[1], binary=True).save(sys.argv[2])', bin, gensimModel),
};
report.modelBytes = statSync(model).size;
const similar = kotovec(['similar', model, query, '-k', '10', '--json']);
const gensimQuery = py('import sys, json; from gensim.models import KeyedVectors as K; kv = K.load(sys.argv[1], mmap="r"); print(json.dumps(kv.most_similar(sys.argv[2], topn=10)))', gensimModel, query);
const brute = py(`import sys, json, numpy as np
from gensim.models import KeyedVectors as K
kv = K.load(sys.argv[1], mmap="r"); v = np.asarray(kv.vectors, dtype=np.float32)
u = v / np.linalg.norm(v, axis=1, keepdims=True); q = u[kv.key_to_index[sys.argv[2]]]
s = u @ q; s[kv.key_to_index[sys.argv[2]]] = -2; top = np.argsort(-s)[:10]
print(json.dumps([kv.index_to_key[i] for i in top]))`, gensimModel, query);
const ours = JSON.parse(similar.stdout).results.map((r) => r.word);
const exact = JSON.parse(brute.stdout);
report.coldSimilar = {
  kotovec: { seconds: similar.seconds, peakRssMB: similar.peakRssMB },
  gensimMmap: { seconds: gensimQuery.seconds, peakRssMB: gensimQuery.peakRssMB },
  speedup: +(gensimQuery.seconds / similar.seconds).toFixed(2),
  rssOverFloat32: +(similar.peakRssMB / ((+words * +dim * 4) / 2 ** 20)).toFixed(2),
  top10EqualsNumpy: JSON.stringify(ours) === JSON.stringify(exact),
};
for (const side of Object.values(report.import)) delete side.stdout;
if (english) {
  const runs = [1, 2, 3].map(() => kotovec(['similar', english, 'king', '-k', '10']));
  report.englishColdSimilar = runs.map((r) => r.seconds);
}
console.log(JSON.stringify(report, null, 2));
