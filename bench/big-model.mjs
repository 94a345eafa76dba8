#!/usr/bin/env node
// Big pretrained models, measured: a synthetic word2vec binary of --words × --dim clustered vectors
// (bench/make-big-model.py), then in one run, alternating kotovec and gensim:
//   - `kotovec import` against gensim's load_word2vec_format (--rounds times each);
//   - a cold `kotovec similar -k 10` (whole process, peak RSS) against gensim loading its own format with
//     mmap='r' + most_similar, and kotovec's top 10 against a numpy brute force;
//   - `kotovec export` back to a .bin (byte-identical to the imported file) against gensim's save;
//   - with --english MODEL.db: cold `similar` on it, against gensim loading its word2vec binary and
//     querying; the model stored at f16 and int8 (`kotovec upgrade --precision`): file size, top-10
//     overlap with f32 over --overlap-words frequent words, analogy accuracy on Google's questions.
// Needs Debian's python3-gensim. Not a test.
// usage: node bench/big-model.mjs [--words 1000000] [--dim 300] [--query w0000123] [--rounds 2] [--english MODEL.db]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { flag, out, python, root, shared } from './common.mjs';

const words = flag('words', '1000000');
const dim = flag('dim', '300');
const query = flag('query', 'w0000123');
const rounds = Number(flag('rounds', '2'));
const english = flag('english', null);
const overlapWords = Number(flag('overlap-words', '1000'));
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
const best = (runs) => Math.min(...runs.map((r) => r.seconds));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const report = { words: +words, dim: +dim, binBytes: statSync(bin).size };

// Import: the output is removed first, so no run pays for deleting the last one.
const imports = { kotovec: [], gensim: [] };
for (let round = 0; round < rounds; round++) {
  rmSync(model, { force: true });
  imports.kotovec.push(kotovec(['import', bin, '-o', model, '--progress', 'none']).seconds);
  imports.gensim.push(py('import sys; from gensim.models import KeyedVectors as K; K.load_word2vec_format(sys.argv[1], binary=True)', bin).seconds);
}
report.import = { kotovecSeconds: imports.kotovec, gensimSeconds: imports.gensim, speedup: +(median(imports.gensim) / median(imports.kotovec)).toFixed(2) };
report.modelBytes = statSync(model).size;
if (!existsSync(gensimModel)) py('import sys; from gensim.models import KeyedVectors as K; K.load_word2vec_format(sys.argv[1], binary=True).save(sys.argv[2])', bin, gensimModel);

// Cold queries, alternating.
const ours = [];
const theirs = [];
for (let round = 0; round < 3; round++) {
  ours.push(kotovec(['similar', model, query, '-k', '10', '--json']));
  theirs.push(py('import sys, json; from gensim.models import KeyedVectors as K; kv = K.load(sys.argv[1], mmap="r"); print(json.dumps(kv.most_similar(sys.argv[2], topn=10)))', gensimModel, query));
}
const brute = py(`import sys, json, numpy as np
from gensim.models import KeyedVectors as K
kv = K.load(sys.argv[1], mmap="r"); v = np.asarray(kv.vectors, dtype=np.float32)
u = v / np.linalg.norm(v, axis=1, keepdims=True); q = u[kv.key_to_index[sys.argv[2]]]
s = u @ q; s[kv.key_to_index[sys.argv[2]]] = -2; top = np.argsort(-s)[:10]
print(json.dumps([kv.index_to_key[i] for i in top]))`, gensimModel, query);
const top = JSON.parse(ours[0].stdout).results.map((r) => r.word);
const float32MB = (+words * +dim * 4) / 2 ** 20;
report.coldSimilar = {
  kotovecSeconds: ours.map((r) => r.seconds),
  kotovecPeakRssMB: Math.max(...ours.map((r) => r.peakRssMB)),
  gensimMmapSeconds: theirs.map((r) => r.seconds),
  speedup: +(median(theirs.map((r) => r.seconds)) / median(ours.map((r) => r.seconds))).toFixed(2),
  rssOverFloat32: +(Math.max(...ours.map((r) => r.peakRssMB)) / float32MB).toFixed(2),
  top10EqualsNumpy: JSON.stringify(top) === JSON.stringify(JSON.parse(brute.stdout)),
};

// Export back to a word2vec binary: byte-identical to the file imported (f32), against gensim's save.
const exported = join(out, 'big-export.bin');
const exportRuns = [];
const gensimSave = [];
for (let round = 0; round < 2; round++) {
  rmSync(exported, { force: true });
  exportRuns.push(kotovec(['export', model, '-o', exported]));
  gensimSave.push(py('import sys; from gensim.models import KeyedVectors as K; K.load(sys.argv[1], mmap="r").save_word2vec_format(sys.argv[2], binary=True)', gensimModel, exported + '.gensim'));
}
report.export = {
  kotovecSeconds: exportRuns.map((r) => r.seconds),
  kotovecPeakRssMB: Math.max(...exportRuns.map((r) => r.peakRssMB)),
  gensimSaveSeconds: gensimSave.map((r) => r.seconds),
  identicalToImported: spawnSync('cmp', ['-s', exported, bin]).status === 0,
};
rmSync(exported, { force: true });
rmSync(exported + '.gensim', { force: true });

if (english) {
  const exported = join(out, 'english-f32.bin');
  kotovec(['export', english, '-o', exported, '--force']);
  const cold = [];
  const gensimCold = [];
  for (let round = 0; round < 3; round++) {
    cold.push(kotovec(['similar', english, 'king', '-k', '10']));
    gensimCold.push(py('import sys; from gensim.models import KeyedVectors as K; kv = K.load_word2vec_format(sys.argv[1], binary=True); kv.most_similar("king", topn=10)', exported));
  }
  report.english = { coldSimilarSeconds: cold.map((r) => r.seconds), gensimLoadBinaryAndQuerySeconds: gensimCold.map((r) => r.seconds) };
  const questions = join(shared, 'data', 'eval', 'en', 'questions-words.txt');
  const { openModel } = await import('../dist/query/model.js');
  const exact = openModel(english);
  const probe = exact.words.keys.slice(50, 50 + overlapWords);
  const truth = probe.map((w) => exact.similar([w], 10).map((r) => r.word));
  const { default: Database } = await import('better-sqlite3');
  const blockBytes = (path) => {
    const db = new Database(path, { readonly: true });
    const bytes = db.prepare('SELECT sum(length(vectors)) FROM word_blocks').pluck().get();
    db.close();
    return bytes;
  };
  const accuracy = (path) => JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'kotovec.js'), 'evaluate', path, '--analogies', questions, '--json'], { encoding: 'utf8' })).analogy.accuracy;
  report.english.precisions = { f32: { fileBytes: statSync(english).size, vectorBytes: blockBytes(english), analogy: accuracy(english) } };
  for (const precision of ['f16', 'int8']) {
    const path = join(out, `english-${precision}.db`);
    kotovec(['upgrade', english, '--precision', precision, '-o', path, '--force']);
    const compact = openModel(path);
    let shared10 = 0;
    probe.forEach((w, i) => {
      const mine = compact.similar([w], 10).map((r) => r.word);
      shared10 += mine.filter((x) => truth[i].includes(x)).length;
    });
    report.english.precisions[precision] = {
      fileBytes: statSync(path).size,
      vectorBytes: blockBytes(path),
      top10Overlap: +(shared10 / (10 * probe.length)).toFixed(4),
      analogy: accuracy(path),
    };
  }
}
report.bestOf = { import: best(imports.kotovec.map((seconds) => ({ seconds }))), coldSimilar: best(ours) };
console.log(JSON.stringify(report, null, 2));
