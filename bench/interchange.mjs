#!/usr/bin/env node
// Interchange checks against gensim (needs Debian's python3-gensim), not a test:
//  1. kotovec export (binary, text) → gensim load_word2vec_format → max |difference| from kotovec's vectors;
//  2. gensim save_word2vec_format (binary, text) → kotovec import → similar top 10 vs gensim most_similar;
//  3. kotovec evaluate vs gensim's evaluation of the same vectors (analogies, WordSim-353);
//  4. import of a generated 1M × 300 binary file: time and peak RSS.
// usage: node bench/interchange.mjs [--rows 1000000] [--skip-big]
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readModel } from '../dist/store/reader.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench', 'out', 'interchange');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const args = process.argv.slice(2);
const rowsArg = args.includes('--rows') ? Number(args[args.indexOf('--rows') + 1]) : 1_000_000;
const evalDir = join(root, '..', 'shared', 'data', 'eval', 'en');
const kotovec = (...argv) => execFileSync(process.execPath, [join(root, 'bin', 'kotovec.js'), ...argv], { maxBuffer: 1 << 30 }).toString();
const python = (script, ...argv) => execFileSync('/usr/bin/python3', ['-c', script, ...argv], { maxBuffer: 1 << 30 }).toString();
const report = {};

// 1. export → gensim
const model = join(out, 'en.db');
kotovec('train', join(root, 'corpora', 'en'), '-o', model, '--epochs', '5', '--progress', 'none');
kotovec('export', model, '-o', join(out, 'en.bin'));
kotovec('export', model, '-o', join(out, 'en.txt'), '--format', 'word2vec-text');
const data = readModel(model);
writeFileSync(join(out, 'en.f32'), Buffer.from(data.wordVectors.buffer, data.wordVectors.byteOffset, data.wordVectors.byteLength));
writeFileSync(join(out, 'en.words'), data.words.join('\n'));
report.exportToGensim = JSON.parse(python(`
import json, sys, numpy as np
from gensim.models import KeyedVectors
words = open(sys.argv[3], encoding='utf-8').read().split('\\n')
ours = np.fromfile(sys.argv[4], dtype='<f4').reshape(len(words), -1)
result = {}
for name, path, binary in (('binary', sys.argv[1], True), ('text', sys.argv[2], False)):
    kv = KeyedVectors.load_word2vec_format(path, binary=binary)
    assert kv.index_to_key == words, 'keys or order differ'
    result[name] = {'rows': len(kv.index_to_key), 'maxAbsDiff': float(np.abs(kv.vectors - ours).max())}
print(json.dumps(result))
`, join(out, 'en.bin'), join(out, 'en.txt'), join(out, 'en.words'), join(out, 'en.f32')));

// 2. gensim → import → similar
const probe = ['alice', 'time', 'said', 'martians', 'man', 'night', 'creature', 'water', 'queen', 'machine'];
const gensimTop = JSON.parse(python(`
import json, sys, gzip, re
from gensim.models import Word2Vec
sentences = [re.findall(r'\\w+', l.lower()) for l in gzip.open(sys.argv[1], 'rt', encoding='utf-8')]
m = Word2Vec(sentences, vector_size=50, min_count=5, workers=1, seed=1, epochs=3)
m.wv.save_word2vec_format(sys.argv[2], binary=True)
m.wv.save_word2vec_format(sys.argv[3], binary=False)
print(json.dumps({w: [k for k, _ in m.wv.most_similar(w, topn=10)] for w in sys.argv[4].split(',')}))
`, join(root, 'corpora', 'en', 'gutenberg-sample.txt.gz'), join(out, 'gensim.bin'), join(out, 'gensim.txt'), probe.join(',')));
report.gensimToKotovec = {};
for (const [name, file] of [['binary', 'gensim.bin'], ['text', 'gensim.txt']]) {
  const db = join(out, `${file}.db`);
  kotovec('import', join(out, file), '-o', db);
  let same = 0;
  for (const word of probe) {
    const ours = JSON.parse(kotovec('similar', db, word, '-k', '10', '--json')).map((r) => r.word);
    if (JSON.stringify(ours) === JSON.stringify(gensimTop[word])) same++;
  }
  report.gensimToKotovec[name] = { words: probe.length, identicalTop10: same };
}

// 3. evaluation agreement on the gensim-made vectors
const ev = JSON.parse(kotovec('evaluate', join(out, 'gensim.bin.db'), '--analogies', join(evalDir, 'questions-words.txt'), '--pairs', join(evalDir, 'wordsim353.tsv'), '--json'));
const gensimEval = JSON.parse(execFileSync('/usr/bin/python3', [join(root, '..', 'shared', 'tools', 'gensim-baseline.py'), join(out, 'gensim.bin')]).toString());
report.evaluation = {
  kotovec: { analogy: ev.analogy.accuracy, analogyTotal: ev.analogy.total, ws353: ev.pairs.spearman },
  gensim: { analogy: gensimEval.analogy, analogyTotal: gensimEval.analogy_n, ws353: gensimEval.ws353 },
};

// 4. a big import
if (!args.includes('--skip-big')) {
  const big = join(out, 'big.bin');
  const dim = 300;
  const fd = openSync(big, 'w');
  writeSync(fd, `${rowsArg} ${dim}\n`);
  const row = Buffer.alloc(dim * 4);
  let chunk = [];
  let size = 0;
  let state = 12345;
  for (let i = 0; i < rowsArg; i++) {
    for (let k = 0; k < dim; k++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      row.writeFloatLE(state / 2 ** 32 - 0.5, k * 4);
    }
    const part = Buffer.concat([Buffer.from(`w${i} `), row, Buffer.from('\n')]);
    chunk.push(part);
    size += part.length;
    if (size > 1 << 24) {
      writeSync(fd, Buffer.concat(chunk));
      chunk = [];
      size = 0;
    }
  }
  writeSync(fd, Buffer.concat(chunk));
  closeSync(fd);
  const started = performance.now();
  const child = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, join(root, 'bin', 'kotovec.js'), 'import', big, '-o', join(out, 'big.db')], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  const peakKb = Number(child.stderr.trim().split('\n').at(-1));
  report.bigImport = { rows: rowsArg, dim, seconds: +seconds.toFixed(1), peakRssMB: Math.round(peakKb / 1024), status: child.status };
  rmSync(big, { force: true });
  rmSync(join(out, 'big.db'), { force: true });
}
console.log(JSON.stringify(report, null, 2));
