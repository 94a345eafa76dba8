#!/usr/bin/env node
// Documents that mean alike land together: on the Aozora works of five authors (shared
// aozora-ja-docs.tsv.gz, id = aozora-<author>-<work>), train PV-DBOW and PV-DM (dim 100, 20 epochs,
// min-count 5) with kotovec (--tokenizer ja) and with gensim's Doc2Vec (on `mecab -Owakati` tokens of
// the same works), and report how often each document's nearest other document is by the same author.
// Needs python3-gensim, mecab and mecab-ipadic-utf8. Not a test.
// usage: node bench/docs-authors.mjs [--models pv-dbow,pv-dm] [--threads 2]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { openModel } from '../dist/query/model.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench', 'out');
mkdirSync(out, { recursive: true });
const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const models = flag('models', 'pv-dbow,pv-dm').split(',');
const threads = flag('threads', '2');
const corpus = join(root, '..', 'shared', 'data', 'corpora', 'docs', 'aozora-ja-docs.tsv.gz');
const author = (id) => id.split('-')[1];

// MeCab tokens for gensim: id<TAB>tokens.
const mecabTsv = join(out, 'aozora-docs.mecab.tsv');
if (!existsSync(mecabTsv)) {
  const rows = gunzipSync(readFileSync(corpus)).toString('utf8').split('\n').filter((l) => l.includes('\t'));
  const ids = rows.map((r) => r.slice(0, r.indexOf('\t')));
  const texts = rows.map((r) => r.slice(r.indexOf('\t') + 1));
  const tokenized = execFileSync('mecab', ['-d', '/var/lib/mecab/dic/ipadic-utf8', '-b', '67108864', '-Owakati'], { input: texts.join('\n') + '\n', maxBuffer: 1 << 30 }).toString('utf8').split('\n');
  writeFileSync(mecabTsv, ids.map((id, i) => `${id}\t${tokenized[i].trim()}`).join('\n') + '\n');
}

const gensimScript = `
import sys, json, time
from gensim.models.doc2vec import Doc2Vec, TaggedDocument
path, dm, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
docs = []
for line in open(path, encoding='utf-8'):
    tag, _, text = line.rstrip('\\n').partition('\\t')
    docs.append(TaggedDocument(text.split(), [tag]))
start = time.time()
m = Doc2Vec(docs, dm=dm, vector_size=100, epochs=20, min_count=5, workers=threads, seed=1)
seconds = time.time() - start
author = lambda tag: tag.split('-')[1]
same = sum(1 for d in docs if author(m.dv.most_similar(d.tags[0], topn=1)[0][0]) == author(d.tags[0]))
print(json.dumps({"sameAuthor": same / len(docs), "docs": len(docs), "seconds": round(seconds, 1)}))
`;

function kotovecRate(model) {
  const path = join(out, `aozora-${model}.db`);
  const started = performance.now();
  execFileSync(process.execPath, [join(root, 'bin', 'kotovec.js'), 'train', corpus, '-o', path, '--force', '--docs', 'tsv', '--tokenizer', 'ja',
    '--model', model, '--dim', '100', '--epochs', '20', '--min-count', '5', '--threads', threads, '--progress', 'none', '--cache', join(out, 'cache')], { stdio: 'ignore' });
  const seconds = (performance.now() - started) / 1000;
  const m = openModel(path, { docs: true });
  let same = 0;
  for (const id of m.data.docIds) if (author(m.similarDocs({ id }, 1)[0].id) === author(id)) same++;
  return { sameAuthor: same / m.data.docIds.length, docs: m.data.docIds.length, seconds: +seconds.toFixed(1) };
}

const rows = [];
for (const model of models) {
  const k = kotovecRate(model);
  const g = JSON.parse(execFileSync('/usr/bin/python3', ['-c', gensimScript, mecabTsv, model === 'pv-dm' ? '1' : '0', threads], { maxBuffer: 1 << 26 }).toString());
  rows.push({ model, kotovec: k, gensim: g });
  console.error(JSON.stringify(rows.at(-1)));
}
writeFileSync(join(out, `docs-authors-${Date.now()}.json`), JSON.stringify(rows, null, 2));
console.log('model\tkotovec same-author\tgensim same-author\tkotovec s\tgensim s');
for (const r of rows) console.log(`${r.model}\t${r.kotovec.sameAuthor.toFixed(4)}\t${r.gensim.sameAuthor.toFixed(4)}\t${r.kotovec.seconds}\t${r.gensim.seconds}`);
