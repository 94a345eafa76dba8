#!/usr/bin/env node
// Inference stability of kotovec and gensim on the *same* trained weights, so that only the inference
// procedure differs. A kotovec doc2vec model (PV-DM or PV-DBOW, negative sampling) is trained on gensim's
// Lee corpus (dim 50, 40 epochs, min-count 2, as gensim's Doc2Vec tutorial); its word vectors and output
// weights are copied into a gensim Doc2Vec built on the same tokens; then every document of 100+ words is
// inferred with seeds 1 … N by both tools (gensim: `model.random.seed(s)` before `infer_vector`) and the
// cosines of all seed pairs are compared: mean, quantiles of 1 − cos, pairs and documents below 0.98.
// kotovec runs twice: `--subsampling random` (gensim's procedure: frequent words dropped at random) and
// `expected` (its default: every word kept, each prediction weighted by its target's keep probability).
// Needs Debian's python3-gensim. Not a test.
// usage: node bench/infer-same-weights.mjs [--model pv-dm|pv-dbow] [--seeds 8] [--train-seed 1] [--threads 2]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openModel } from '../dist/query/model.js';
import { cosine, flag, kotovec, out, python, shared } from './common.mjs';

const kind = flag('model', 'pv-dm');
const seeds = Number(flag('seeds', '8'));
const trainSeed = flag('train-seed', '1');
const threads = flag('threads', '2');
const corpus = join(shared, 'data', 'corpora', 'docs', 'lee_background.cor');
if (kind !== 'pv-dm' && kind !== 'pv-dbow') throw new Error('--model must be pv-dm or pv-dbow');

const path = join(out, `same-weights-${kind}.db`);
kotovec(['train', corpus, '-o', path, '--force', '--docs', 'lines', '--model', kind, '--dim', '50', '--epochs', '40', '--min-count', '2',
  '--seed', trainSeed, '--threads', threads, '--progress', 'none'], { stdio: 'ignore' });
const model = openModel(path, { outputs: true, docs: true });
const { words, wordVectors, outputNs, dim } = model.data;
const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
writeFileSync(join(out, 'same-weights.words.json'), JSON.stringify(words));
writeFileSync(join(out, 'same-weights.wv.f32'), bytes(wordVectors));
writeFileSync(join(out, 'same-weights.syn1neg.f32'), bytes(outputNs));

const lines = readFileSync(corpus, 'utf8').split('\n');
async function kotovecCosines(subsampling) {
  const byDoc = {};
  for (let i = 0; i < model.data.docIds.length; i++) {
    const tokens = await model.tokenize(lines[i]);
    if (tokens.length < 100) continue;
    const vectors = [];
    for (let s = 1; s <= seeds; s++) vectors.push(await model.inferVector(tokens, { seed: s, subsampling }));
    const pairs = [];
    for (let a = 0; a < seeds; a++) for (let b = a + 1; b < seeds; b++) pairs.push(cosine(vectors[a], vectors[b]));
    byDoc[i] = pairs;
  }
  return byDoc;
}

// gensim: the same tokens (kotovec's `simple` tokenizer is Python's re.findall(r"\w+", line.lower())).
const gensimScript = `
import sys, json, re
import numpy as np
from gensim.models.doc2vec import Doc2Vec, TaggedDocument
path, dm, dim, seeds, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
lines = open(path, encoding='utf-8').read().split('\\n')
if lines and lines[-1] == '': lines.pop()
docs = [TaggedDocument(re.findall(r'\\w+', l.lower()), [i]) for i, l in enumerate(lines)]
m = Doc2Vec(dm=dm, vector_size=dim, epochs=40, min_count=2, workers=1, seed=1)
m.build_vocab(docs)
words = json.load(open(out + '/same-weights.words.json'))
wv = np.fromfile(out + '/same-weights.wv.f32', dtype=np.float32).reshape(len(words), dim)
syn1neg = np.fromfile(out + '/same-weights.syn1neg.f32', dtype=np.float32).reshape(len(words), dim)
if len(words) != len(m.wv): sys.exit('vocabularies differ: %d vs %d words' % (len(words), len(m.wv)))
for j, w in enumerate(words):
    k = m.wv.key_to_index[w]
    m.wv.vectors[k] = wv[j]
    m.syn1neg[k] = syn1neg[j]
result = {}
for d in docs:
    if len(d.words) < 100: continue
    vs = []
    for s in range(1, seeds + 1):
        m.random.seed(s)
        vs.append(m.infer_vector(d.words))
    result[d.tags[0]] = [float(vs[a] @ vs[b] / np.linalg.norm(vs[a]) / np.linalg.norm(vs[b])) for a in range(seeds) for b in range(a + 1, seeds)]
print(json.dumps(result))
`;
const gensimCosines = JSON.parse(execFileSync(python, ['-c', gensimScript, corpus, kind === 'pv-dm' ? '1' : '0', String(dim), String(seeds), out],
  { maxBuffer: 1 << 28 }).toString());

function summary(byDoc) {
  const all = Object.values(byDoc).flat().sort((a, b) => a - b);
  const quantile = (q) => +(1 - all[Math.min(all.length - 1, Math.floor((1 - q) * all.length))]).toFixed(5);
  return {
    docs: Object.keys(byDoc).length,
    pairs: all.length,
    mean: +(all.reduce((s, c) => s + c, 0) / all.length).toFixed(5),
    min: +all[0].toFixed(4),
    pairsBelow098: all.filter((c) => c < 0.98).length,
    docsBelow098: Object.values(byDoc).filter((cs) => Math.min(...cs) < 0.98).length,
    '1-cos p50': quantile(0.5),
    '1-cos p99': quantile(0.99),
    '1-cos p99.9': quantile(0.999),
    seed12Min: +Math.min(...Object.values(byDoc).map((cs) => cs[0])).toFixed(4),
  };
}
const rows = { model: kind, seeds, trainSeed: +trainSeed, 'kotovec random': summary(await kotovecCosines('random')),
  'kotovec expected': summary(await kotovecCosines('expected')), gensim: summary(gensimCosines) };
const file = join(out, `infer-same-weights-${Date.now()}.json`);
writeFileSync(file, JSON.stringify(rows, null, 2));
const columns = Object.keys(rows.gensim);
console.log(['tool', ...columns].join('\t'));
for (const tool of ['kotovec random', 'kotovec expected', 'gensim']) console.log([tool, ...columns.map((c) => rows[tool][c])].join('\t'));
console.log(`(${kind}, weights trained by kotovec with seed ${trainSeed}, ${seeds} inference seeds; written to ${file})`);
