#!/usr/bin/env node
// kotovec's `--dict` engine against MeCab itself (Debian's mecab 0.996), dictionary by dictionary (the
// folders Debian installs: mecab-ipadic-utf8, unidic-mecab, mecab-jumandic-utf8). Not a test.
//
//   same:  every line of the corpus through `kotovec tokenize --tokenizer ja --dict DIR --features --pos all
//          --no-base-form --no-normalize` and through `mecab -d DIR` printing each token's raw features
//          (`-O '' -F '%m\t%H\n'`: UniDic's dicrc would otherwise rewrite them); counts the input lines whose
//          tokens or features differ (both outputs read as UTF-8) and shows the first few.
//   user:  a user dictionary of --entries words from the corpus (its most frequent katakana runs and kanji
//          compounds of 3+ characters, some with costs that win and some that lose, and 60 frequent
//          two-kanji words given again with other features: they compete with the system's entries),
//          ids taken from 東京 and 猫 as the dictionary analyses them; compiled with `mecab-dict-index -u`
//          for `mecab -u`, given as CSV to `--user-dict`; then as `same`, every line. `--dicts builtin`:
//          the built-in IPADIC (which reads MeCab's way once it has a user dictionary) with ipadic-utf8's
//          user dictionary, against `mecab -d ipadic-utf8 -u`, every line, features too.
//   speed: the first --lines lines, one thread, whole process: `kotovec tokenize --threads 1 --pos all
//          --no-base-form --no-normalize [--dict DIR]` against `mecab -Owakati`, alternating, --rounds
//          times; median seconds and peak RSS (/usr/bin/time). The built-in engine runs against IPADIC.
//
// usage: node bench/mecab-dict.mjs [same|user|speed|both] [--dicts ipadic-utf8,unidic,juman-utf8,builtin] [--corpus FILE]
//                                  [--lines 20000] [--rounds 3]
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { flag, out, root, shared } from './common.mjs';

const what = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'both';
const dicts = flag('dicts', 'ipadic-utf8,unidic,juman-utf8').split(',');
const corpus = flag('corpus', join(shared, 'data', 'corpora', 'ja', 'aozora-ja.txt.gz'));
const lines = Number(flag('lines', '20000'));
const rounds = Number(flag('rounds', '3'));
const entries = Number(flag('entries', '1200'));
const cli = join(root, 'bin', 'kotovec.js');
const dictDir = (name) => (name.includes('/') ? name : join('/var/lib/mecab/dic', name));

const text = corpus.endsWith('.gz') ? gunzipSync(readFileSync(corpus)).toString('utf8') : readFileSync(corpus, 'utf8');
const all = join(out, 'mecab-dict-all.txt');
writeFileSync(all, text);
const sample = join(out, 'mecab-dict-sample.txt');
writeFileSync(sample, text.split('\n').slice(0, lines).join('\n') + '\n');

/** Runs a command with stdout to a file. */
function toFile(command, args, path) {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `"$0" "$@" > '${path}'`, command, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}

/** The outputs' sentences (tokens up to EOS), two files read side by side. */
async function* sentences(path) {
  let tokens = [];
  for await (const line of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    if (line === 'EOS') {
      yield tokens;
      tokens = [];
    } else tokens.push(line);
  }
}

/** Writes the user dictionary CSV for a dictionary and compiles it; returns both paths. */
function userDictionary(name) {
  const dir = dictDir(name);
  const ids = (word) => {
    const run = spawnSync('mecab', ['-d', dir, '-O', '', '-F', '%phl,%phr\\n', '-E', ''], { input: word + '\n' });
    return run.stdout.toString().trim();
  };
  const properNoun = ids('東京');
  const commonNoun = ids('猫');
  const counts = new Map();
  for (const m of text.matchAll(/[\u30a1-\u30fa\u30fc]{3,12}|[\u4e00-\u9fff]{3,6}/g)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  const words = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, entries).map(([w]) => w);
  const pairs = new Map();
  for (const m of text.matchAll(/[\u4e00-\u9fff]{2}/g)) pairs.set(m[0], (pairs.get(m[0]) ?? 0) + 1);
  const overrides = [...pairs].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 60).map(([w]) => w);
  const lines = words.map((w, i) => `${w},${i % 3 === 0 ? commonNoun : properNoun},${-2000 + ((i * 37) % 9000)},名詞,固有名詞,一般,*,*,*,${w},*,*`);
  for (const [i, w] of overrides.entries()) lines.push(`${w},${commonNoun},${1000 + ((i * 13) % 5000)},名詞,一般,利用者,*,*,*,${w},*,*`);
  const csv = join(out, `mecab-dict-${name}-user.csv`);
  writeFileSync(csv, lines.join('\n') + '\n');
  const compiled = join(out, `mecab-dict-${name}-user.dic`);
  const run = spawnSync('/usr/lib/mecab/mecab-dict-index', ['-d', dir, '-u', compiled, '-f', 'utf-8', '-t', 'utf-8', csv], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0) throw new Error(`mecab-dict-index failed: ${run.stderr}`);
  console.log(`${name}: user dictionary of ${lines.length} entries (${words.length} words of the corpus, ${overrides.length} given again) → ${csv}`);
  return { csv, compiled };
}

async function same(name, user) {
  // The built-in IPADIC is compared with Debian's ipadic-utf8 (with a user dictionary: it then reads MeCab's way).
  const builtin = name === 'builtin';
  const dir = dictDir(builtin ? 'ipadic-utf8' : name);
  const tag = user ? `${name}-user` : name;
  const ours = join(out, `mecab-dict-${tag}-kotovec.txt`);
  const theirs = join(out, `mecab-dict-${tag}-mecab.txt`);
  const dictArgs = builtin ? [] : ['--dict', dir];
  await toFile(process.execPath, [cli, 'tokenize', '--tokenizer', 'ja', ...dictArgs, ...(user ? ['--user-dict', user.csv] : []), '--features', '--pos', 'all', '--no-base-form', '--no-normalize', '--threads', '1', all], ours);
  await toFile('mecab', ['-d', dir, ...(user ? ['-u', user.compiled] : []), '-b', '100000000', '-O', '', '-F', '%m\\t%H\\n', '-U', '%m\\t%H\\n', '-B', '', '-E', 'EOS\\n', all], theirs);
  const a = sentences(ours);
  const b = sentences(theirs);
  let total = 0;
  let differ = 0;
  const examples = [];
  for (;;) {
    const [x, y] = await Promise.all([a.next(), b.next()]);
    if (x.done || y.done) {
      if (!x.done || !y.done) throw new Error(`${name}: one output has more lines (kotovec ${x.done ? 'ended' : 'goes on'})`);
      break;
    }
    total++;
    if (x.value.join('\n') !== y.value.join('\n')) {
      differ++;
      if (examples.length < 3) {
        const k = x.value.findIndex((t, i) => t !== y.value[i]);
        examples.push({ line: total, kotovec: x.value.slice(k, k + 2), mecab: y.value.slice(k, k + 2) });
      }
    }
  }
  console.log(`${tag}: ${total} lines, ${differ} differ`);
  for (const e of examples) console.log('  ', JSON.stringify(e));
  return { name, lines: total, differ };
}

function timed(command, args) {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr}`);
  const [seconds, kb] = run.stderr.toString().trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds, rssMB: Math.round(kb / 1024) };
}

const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];

function speed(name) {
  const dir = dictDir(name);
  const engines = [{ label: `kotovec --dict ${name}`, args: ['--dict', dir] }];
  if (name === 'ipadic-utf8') engines.push({ label: 'kotovec built-in IPADIC', args: [] });
  const runs = new Map([['mecab', []], ...engines.map((e) => [e.label, []])]);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['mecab', ...engines.map((e) => e.label)] : [...engines.map((e) => e.label), 'mecab'];
    for (const label of order) {
      if (label === 'mecab') runs.get(label).push(timed('mecab', ['-d', dir, '-b', '100000000', '-Owakati', sample]));
      else {
        const engine = engines.find((e) => e.label === label);
        runs.get(label).push(timed(process.execPath, [cli, 'tokenize', '--tokenizer', 'ja', ...engine.args, '--threads', '1', '--pos', 'all', '--no-base-form', '--no-normalize', sample]));
      }
    }
  }
  const mecab = median(runs.get('mecab').map((x) => x.seconds));
  for (const [label, list] of runs) {
    const seconds = median(list.map((x) => x.seconds));
    console.log(`${name}\t${label}\t${seconds.toFixed(2)} s\t${Math.max(...list.map((x) => x.rssMB))} MB\tMeCab's time ÷ this: ${(mecab / seconds).toFixed(2)}\t(${list.map((x) => x.seconds).join(', ')})`);
  }
}

console.log(`${corpus}; speed on the first ${lines} lines, ${rounds} rounds`);
for (const name of dicts) {
  if (name === 'builtin' && what !== 'user') throw new Error('--dicts builtin is for `user` (without one, the built-in follows kuromoji: bench/tokenize-vs-mecab.mjs)');
  if (what === 'same' || what === 'both') await same(name);
  if (what === 'user') await same(name, userDictionary(name === 'builtin' ? 'ipadic-utf8' : name));
  if (what === 'speed' || what === 'both') speed(name);
}
