#!/usr/bin/env node
// Compares kotovec's Japanese engine with kuromoji, token by token (surface form, base form, part of
// speech, detail 1), on every line of a corpus (the shared Aozora corpus by default), after the same
// sanitising (control characters and lone surrogates become spaces; kuromoji throws on them).
// Prints how many lines differ (the goal: 0) and both tools' characters per second on this run.
// `--lattice ts` checks the TypeScript lattice instead of the WebAssembly one the engine uses.
// usage: node bench/ja-oracle.mjs [--lines N] [--corpus FILE] [--show K] [--lattice wasm|ts]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '0' },
    corpus: { type: 'string', default: join(root, '..', 'shared', 'data', 'corpora', 'ja', 'aozora-ja.txt.gz') },
    show: { type: 'string', default: '5' },
    lattice: { type: 'string', default: 'wasm' },
  },
});
const { loadDictionary, dictionaryString } = await import(join(root, 'dist', 'text', 'ja', 'dictionary.js'));
const { LatticeAnalyzer } = await import(join(root, 'dist', 'text', 'ja', 'lattice.js'));
const { createWasmLattice } = await import(join(root, 'dist', 'text', 'ja', 'latticeWasm.js'));
const { sanitizeForKuromoji } = await import(join(root, 'dist', 'text', 'japanese.js'));
const require = createRequire(join(root, 'package.json'));
const kuromoji = require('kuromoji');

const raw = readFileSync(values.corpus);
let lines = (values.corpus.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n');
if (Number(values.lines) > 0) lines = lines.slice(0, Number(values.lines));
lines = lines.map(sanitizeForKuromoji);
const chars = lines.reduce((sum, line) => sum + line.length, 0);

const kuromojiStart = performance.now();
const tokenizer = await new Promise((resolve, reject) =>
  kuromoji.builder({ dicPath: join(dirname(require.resolve('kuromoji/package.json')), 'dict') }).build((e, t) => (e ? reject(e) : resolve(t))),
);
const kuromojiLoad = (performance.now() - kuromojiStart) / 1000;
const oursStart = performance.now();
const dictionary = await loadDictionary();
const ourLoad = (performance.now() - oursStart) / 1000;
const analyzer = values.lattice === 'ts' ? new LatticeAnalyzer(dictionary) : createWasmLattice(dictionary);
if (!analyzer) throw new Error('the WebAssembly lattice is not built: npm run build');
console.error(`lattice: ${values.lattice === 'ts' ? 'TypeScript' : 'WebAssembly'}`);

const base = new Map();
const baseForm = (entry) => {
  const id = dictionary.entryBase[entry];
  if (id < 0) return '*';
  let s = base.get(id);
  if (s === undefined) base.set(id, (s = dictionaryString(dictionary, id)));
  return s;
};
let ourSeconds = 0;
let theirSeconds = 0;
let differing = 0;
let tokens = 0;
const shown = [];
for (let i = 0; i < lines.length; i++) {
  const line = lines[i];
  let t = performance.now();
  const n = analyzer.analyze(line);
  ourSeconds += performance.now() - t;
  const ours = [];
  for (let k = 0; k < n; k++) {
    const entry = analyzer.tokenEntry[k];
    const [pos, detail] = dictionary.partsOfSpeech[dictionary.entries[4 * entry + 3]];
    ours.push(`${line.slice(analyzer.tokenStart[k], analyzer.tokenEnd[k])}/${baseForm(entry)}/${pos}/${detail}`);
  }
  t = performance.now();
  const theirTokens = tokenizer.tokenize(line);
  theirSeconds += performance.now() - t;
  const theirs = theirTokens.map((x) => `${x.surface_form}/${x.basic_form ?? '*'}/${x.pos}/${x.pos_detail_1}`);
  tokens += theirs.length;
  const a = ours.join(' ');
  const b = theirs.join(' ');
  if (a !== b) {
    differing++;
    if (shown.length < Number(values.show)) shown.push({ line: i + 1, text: line.slice(0, 200), ours: a.slice(0, 400), kuromoji: b.slice(0, 400) });
  }
}
ourSeconds /= 1000;
theirSeconds /= 1000;
console.log(
  JSON.stringify(
    {
      corpus: values.corpus,
      lines: lines.length,
      characters: chars,
      tokens,
      differingLines: differing,
      examples: shown,
      kotovec: { dictionaryLoadSeconds: +ourLoad.toFixed(3), analysisSeconds: +ourSeconds.toFixed(2), charsPerSecond: Math.round(chars / ourSeconds) },
      kuromoji: { dictionaryLoadSeconds: +kuromojiLoad.toFixed(3), analysisSeconds: +theirSeconds.toFixed(2), charsPerSecond: Math.round(chars / theirSeconds) },
    },
    null,
    2,
  ),
);
