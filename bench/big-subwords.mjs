#!/usr/bin/env node
// A cc.*.300.bin-shaped fastText model, synthetic: --words (500,000) words of 3–12 letters, --buckets
// (1,000,000) n-gram rows, --dim (300). Measures, kotovec and gensim alternating (--rounds):
//   import:  `kotovec import model.bin` against gensim's `load_facebook_vectors` (whole process);
//   query:   a cold `kotovec similar` for a word the model does not hold (whole process, the model file
//            read where it lies) against gensim loading the .bin and asking `most_similar`;
//   exact:   kotovec's top 10 against brute force over every composed word vector (numpy, float64).
// Not a test. usage: node bench/big-subwords.mjs [--words 500000] [--buckets 1000000] [--dim 300] [--rounds 3]
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { flag, out, python, root } from './common.mjs';

const words = Number(flag('words', '500000'));
const buckets = Number(flag('buckets', '1000000'));
const dim = Number(flag('dim', '300'));
const rounds = Number(flag('rounds', '3'));
const bin = join(out, `big-${words}-${buckets}-${dim}.bin`);
const db = bin.replace(/\.bin$/, '.db');
const query = 'zqxjunwordly';

if (!existsSync(bin)) {
  const { writeFastText } = await import(join(root, 'dist', 'formats', 'fasttext.js'));
  // A deterministic generator: words of random letters, counts falling with rank, values in [-0.5, 0.5).
  let state = 0x2545f491;
  const next = () => ((state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const letters = 'etaoinshrdlcumwfgypbvkjxqz';
  const seen = new Set();
  const list = [];
  while (list.length < words) {
    const length = 3 + Math.floor(next() * 10);
    let w = '';
    for (let i = 0; i < length; i++) w += letters[Math.floor(next() ** 2 * 26)];
    if (!seen.has(w) && w !== query) {
      seen.add(w);
      list.push(w);
    }
  }
  const fill = (n) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = next() - 0.5;
    return a;
  };
  writeFastText(bin, {
    version: 12,
    args: { dim, window: 5, epoch: 5, minCount: 5, negative: 10, wordNgrams: 1, loss: 'ns', model: 'skipgram', bucket: buckets, minn: 3, maxn: 6, lrUpdateRate: 100, sample: 1e-4 },
    words: list,
    counts: Float64Array.from(list, (_, i) => Math.round(1e9 / (i + 10))),
    tokens: 1e10,
    wordRows: fill(words * dim),
    ngramRows: fill(buckets * dim),
    output: fill(words * dim),
  });
}
console.log(`model: ${bin} (${(statSync(bin).size / 2 ** 30).toFixed(2)} GiB: ${words} words, ${buckets} buckets, dim ${dim})`);

const gensimLoad = `
import sys, time
t = time.time()
from gensim.models.fasttext import load_facebook_vectors
wv = load_facebook_vectors(sys.argv[1])
if len(sys.argv) > 2:
    print(wv.most_similar(sys.argv[2], topn=10))
print(round(time.time() - t, 2))
`;
const time = (command, args) => {
  const started = performance.now();
  const output = execFileSync(command, args, { maxBuffer: 1 << 28 }).toString();
  return { seconds: +((performance.now() - started) / 1000).toFixed(2), output };
};
const kotovec = (args) => time(process.execPath, [join(root, 'bin', 'kotovec.js'), ...args]);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const runs = { kotovecImport: [], gensimLoad: [], kotovecQuery: [], gensimQuery: [] };
for (let r = 0; r < rounds; r++) {
  rmSync(db, { force: true }); // removing the last round's model is not part of importing
  runs.kotovecImport.push(kotovec(['import', bin, '-o', db]).seconds);
  runs.gensimLoad.push(time(python, ['-c', gensimLoad, bin]).seconds);
  runs.kotovecQuery.push(kotovec(['similar', db, query, '-k', '10', '--json']).seconds);
  runs.gensimQuery.push(time(python, ['-c', gensimLoad, bin, query]).seconds);
  console.error(JSON.stringify(runs));
}
const answer = JSON.parse(kotovec(['similar', db, query, '-k', '10', '--json']).output);

// Brute force: every composed word vector (fastText's), cosine with the query word's composed vector.
const brute = execFileSync(python, ['-c', `
import sys, json, numpy as np
from gensim.models.fasttext import load_facebook_vectors
wv = load_facebook_vectors(sys.argv[1])
q = wv[sys.argv[2]].astype(np.float64)
m = wv.vectors.astype(np.float64)
s = m @ q / (np.linalg.norm(m, axis=1) * np.linalg.norm(q))
top = np.argsort(-s)[:10]
print(json.dumps([[wv.index_to_key[i], float(s[i])] for i in top]))
`, bin, query], { maxBuffer: 1 << 26 }).toString();
const exact = JSON.parse(brute);
const same = answer.results.map((r) => r.word).join(' ') === exact.map(([w]) => w).join(' ');
const table = {
  import: { kotovec: median(runs.kotovecImport), gensim: median(runs.gensimLoad) },
  coldQuery: { kotovec: median(runs.kotovecQuery), gensim: median(runs.gensimQuery) },
};
console.log(JSON.stringify({ ...table, importRatio: +(table.import.gensim / table.import.kotovec).toFixed(2), queryRatio: +(table.coldQuery.gensim / table.coldQuery.kotovec).toFixed(2), runs, top10SameAsBruteForce: same, composed: answer.query[0].composed }, null, 1));
if (!same) console.log({ kotovec: answer.results, exact });
