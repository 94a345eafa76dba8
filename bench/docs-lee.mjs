#!/usr/bin/env node
// Doc2vec on gensim's Lee corpus (shared lee_background.cor, 300 documents), as in gensim's Doc2Vec
// tutorial: dim 50, 40 epochs, min-count 2, a document a line. For PV-DBOW, PV-DM and their
// concatenation it reports
//   - self-recognition: inferring each training document's own text finds that document as the most
//     similar trained one (share of documents);
//   - inference stability: for every document of 100+ words, the cosine between the vectors inferred
//     with seed 1 and with seed 2 (mean, minimum, how many below 0.98), and with --seeds N, the minimum
//     over all pairs among N seeds.
// With --vs-gensim (python3-gensim installed), gensim's Doc2Vec on the same tokens, same settings.
// With --train-seeds 1,2,3 every model is trained once per seed (both tools), since the minimum over the
// documents moves from one trained model to the next.
// usage: node bench/docs-lee.mjs [--models pv-dbow,pv-dm,pv-dm+dbow] [--threads 2] [--seeds 2]
//                                [--train-seeds 1] [--vs-gensim]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openModel } from '../dist/query/model.js';
import { cosine, flag, has, kotovec, out, python, shared } from './common.mjs';

const models = flag('models', 'pv-dbow,pv-dm,pv-dm+dbow').split(',');
const threads = flag('threads', '2');
const seeds = Number(flag('seeds', '2'));
const trainSeeds = flag('train-seeds', '1').split(',');
const corpus = join(shared, 'data', 'corpora', 'docs', 'lee_background.cor');

function summarise(cosines) {
  const sorted = [...cosines].sort((a, b) => a - b);
  return {
    n: sorted.length,
    mean: +(sorted.reduce((s, c) => s + c, 0) / sorted.length).toFixed(4),
    min: +sorted[0].toFixed(4),
    below098: sorted.filter((c) => c < 0.98).length,
  };
}

async function kotovecRun(model, trainSeed) {
  const path = join(out, `lee-${model}.db`);
  const started = performance.now();
  kotovec(['train', corpus, '-o', path, '--force', '--docs', 'lines', '--model', model, '--dim', '50', '--epochs', '40', '--min-count', '2',
    '--seed', trainSeed, '--threads', threads, '--progress', 'none'], { stdio: 'ignore' });
  const seconds = (performance.now() - started) / 1000;
  const m = openModel(path, { outputs: true, docs: true });
  const lines = readFileSync(corpus, 'utf8').split('\n');
  let self = 0;
  const pairCosines = [];
  const allPairsMin = [];
  for (let i = 0; i < m.data.docIds.length; i++) {
    const tokens = await m.tokenize(lines[i]);
    const vector = await m.inferVector(tokens, { seed: 1 });
    if (m.similarDocs({ vector }, 1)[0].id === String(i)) self++;
    if (tokens.length < 100) continue;
    const vectors = [vector];
    for (let s = 2; s <= seeds; s++) vectors.push(await m.inferVector(tokens, { seed: s }));
    pairCosines.push(cosine(vectors[0], vectors[1]));
    let min = 1;
    for (let a = 0; a < vectors.length; a++) for (let b = a + 1; b < vectors.length; b++) min = Math.min(min, cosine(vectors[a], vectors[b]));
    allPairsMin.push(min);
  }
  return {
    selfRecognition: +(self / m.data.docIds.length).toFixed(4),
    seeds12: summarise(pairCosines),
    ...(seeds > 2 ? { allSeedPairsMin: +Math.min(...allPairsMin).toFixed(4) } : {}),
    trainSeconds: +seconds.toFixed(1),
  };
}

// gensim: the same tokens (kotovec's `simple` tokenizer is Python's re.findall(r"\w+", line.lower())).
const gensimScript = `
import sys, json, re
import numpy as np
from gensim.models.doc2vec import Doc2Vec, TaggedDocument
path, model, threads, train_seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
lines = open(path, encoding='utf-8').read().split('\\n')
if lines and lines[-1] == '': lines.pop()
docs = [TaggedDocument(re.findall(r'\\w+', l.lower()), [i]) for i, l in enumerate(lines)]
def make(dm):
    return Doc2Vec(docs, dm=dm, vector_size=50, epochs=40, min_count=2, workers=threads, seed=train_seed)
parts = [make(1), make(0)] if model == 'pv-dm+dbow' else [make(1 if model == 'pv-dm' else 0)]
def infer(words, seed):
    out = []
    for m in parts:
        m.random.seed(seed)
        out.append(m.infer_vector(words))
    return np.concatenate(out)
trained = np.stack([np.concatenate([m.dv[i] for m in parts]) for i in range(len(docs))])
trained /= np.linalg.norm(trained, axis=1, keepdims=True)
cos = lambda a, b: float(np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b))
self_hits, pairs = 0, []
for d in docs:
    v = infer(d.words, 1)
    if int(np.argmax(trained @ (v / np.linalg.norm(v)))) == d.tags[0]: self_hits += 1
    if len(d.words) >= 100: pairs.append(cos(v, infer(d.words, 2)))
pairs = np.array(pairs)
print(json.dumps({"selfRecognition": round(self_hits / len(docs), 4), "seeds12": {"n": len(pairs), "mean": round(float(pairs.mean()), 4),
      "min": round(float(pairs.min()), 4), "below098": int((pairs < 0.98).sum())}}))
`;

const rows = [];
for (const model of models) {
  for (const trainSeed of trainSeeds) {
    const row = { model, trainSeed: +trainSeed, kotovec: await kotovecRun(model, trainSeed) };
    if (has('vs-gensim')) row.gensim = JSON.parse(execFileSync(python, ['-c', gensimScript, corpus, model, threads, trainSeed], { maxBuffer: 1 << 26 }).toString());
    rows.push(row);
    console.error(JSON.stringify(row));
  }
}
const file = join(out, `docs-lee-${Date.now()}.json`);
writeFileSync(file, JSON.stringify(rows, null, 2));
console.log(['model', 'train seed', 'tool', 'self-recognition', 'seed cos mean', 'seed cos min', 'docs < 0.98', 'docs 100+ words'].join('\t'));
for (const r of rows) {
  for (const tool of ['kotovec', 'gensim']) {
    const x = r[tool];
    if (x) console.log([r.model, r.trainSeed, tool, x.selfRecognition, x.seeds12.mean, x.seeds12.min, x.seeds12.below098, x.seeds12.n].join('\t'));
  }
}
console.log(`(written to ${file})`);
