/**
 * The Japanese engine against its oracle, kuromoji 0.1.2 itself (which ships the same dictionary):
 * every token's surface form, base form and part of speech on the bundled Aozora sample and on hard
 * text, line by line — for both lattices, the TypeScript one and the WebAssembly one the engine uses.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dictionaryString, kuromojiDictionaryPath, loadDictionary } from '../../src/text/ja/dictionary.js';
import { LatticeAnalyzer, type TokenLattice } from '../../src/text/ja/lattice.js';
import { createWasmLattice } from '../../src/text/ja/latticeWasm.js';
import { sanitizeForKuromoji } from '../../src/text/japanese.js';
import { Utf8Builder } from '../../src/text/utf8Builder.js';

interface KuromojiToken {
  surface_form: string;
  basic_form?: string;
  pos: string;
  pos_detail_1: string;
}
const require = createRequire(import.meta.url);
const kuromoji = require('kuromoji') as {
  builder(o: { dicPath: string }): { build(cb: (e: Error | null, t: { tokenize(s: string): KuromojiToken[] }) => void): void };
};

const oracle = await new Promise<{ tokenize(s: string): KuromojiToken[] }>((resolve, reject) =>
  kuromoji.builder({ dicPath: kuromojiDictionaryPath() }).build((e, t) => (e ? reject(e) : resolve(t))),
);
const dictionary = await loadDictionary();
const theirTokens = new Map<string, string[]>();
const theirs = (line: string): string[] => {
  let tokens = theirTokens.get(line);
  if (!tokens) {
    tokens = oracle.tokenize(line).map((t) => `${t.surface_form}|${t.basic_form ?? '*'}|${t.pos}|${t.pos_detail_1}`);
    theirTokens.set(line, tokens);
  }
  return tokens;
};
const sample = gunzipSync(readFileSync(new URL('../../corpora/ja/aozora-sample.txt.gz', import.meta.url))).toString('utf8').split('\n');

const wasm = createWasmLattice(dictionary);
it('the engine has the WebAssembly lattice (the image is in a WebAssembly memory, lattice.wasm is built)', () => {
  expect(dictionary.memory).toBeInstanceOf(WebAssembly.Memory);
  expect(wasm).not.toBeNull();
});

const lattices: [string, TokenLattice | null][] = [
  ['TypeScript', new LatticeAnalyzer(dictionary)],
  ['WebAssembly', wasm],
];
for (const [label, lattice] of lattices) describe(`Japanese engine (${label} lattice) = kuromoji`, () => {
  const analyzer = lattice!;
  const ours = (line: string): string[] => {
    const n = analyzer.analyze(line);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const entry = analyzer.tokenEntry[i]!;
      const [pos, detail] = dictionary.partsOfSpeech[dictionary.entries[4 * entry + 3]!]!;
      const base = dictionary.entryBase[entry]! >= 0 ? dictionaryString(dictionary, dictionary.entryBase[entry]!) : '*';
      out.push(`${line.slice(analyzer.tokenStart[i], analyzer.tokenEnd[i])}|${base}|${pos}|${detail}`);
    }
    return out;
  };
  it('gives kuromoji\'s tokens on every line of the Aozora sample', () => {
    let differing = 0;
    let tokens = 0;
    for (const raw of sample) {
      const line = sanitizeForKuromoji(raw);
      const a = ours(line);
      const b = theirs(line);
      tokens += b.length;
      if (a.join(' ') !== b.join(' ')) differing++;
    }
    expect(tokens).toBeGreaterThan(200_000);
    expect(differing).toBe(0);
  });

  const hard: [string, string][] = [
    ['empty', ''],
    ['spaces only', '   \u3000 '],
    ['long unpunctuated run', 'きょうはいいてんきだったのでさんぽにいってそれからともだちとあってごはんをたべてかえってきた'.repeat(8)],
    ['unknown katakana runs', 'スーパーウルトラハイパーメガトンキックアタックをクラッシュバンディクーがシュバババと'],
    ['Latin and digits', 'kotovecはversion 0.1.2で12345678901234567890件のABCxyzを処理した'],
    ['mixed scripts', 'ΑΒΓδεζабвгд漢字かなカナＡＢＣ１２３①②③'],
    ['half-width kana', 'ｶﾀｶﾅﾃﾞｽｶﾞﾊﾝｶｸﾃﾞｽ｡ｺﾝﾆﾁﾊ､ｾｶｲ'],
    ['surrogate pairs alone', '𠮷野家で𩸽を食べた'],
    ['surrogate pairs in runs', '😀😀😀と😀、𠮷𠮷𠮷の🍣🍣が'],
    ['grouped runs ending in a pair', 'ab😀😀cd😀'],
    ['control characters and lone surrogates, sanitised', sanitizeForKuromoji('猫\u0001が\u0000\ud800い\udc00る\u007f。')],
    ['punctuation only', '、。、。！？…‥「」『』（）'],
    ['kanji numerals', '二千二十六年十二月二日に三百五十人が集まった'],
    ['tabs and ASCII symbols', '猫\tが\t#$%&いる!?'],
  ];
  for (const [name, line] of hard) {
    it(`gives kuromoji's tokens on ${name}`, () => {
      expect(ours(line)).toEqual(theirs(line));
    });
  }

  it('gives kuromoji\'s tokens on random strings of Japanese, Latin, symbols and pairs', () => {
    const alphabet = [...'あいうえおかきくけこんアイウエオカキクケコンー漢字日本語東京都は、。！？ 　abcXYZ019１２ｱｲｳﾞ😀𠮷・「」…'];
    let seed = 12345;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let k = 0; k < 400; k++) {
      let line = '';
      const length = 1 + Math.floor(random() * 60);
      for (let i = 0; i < length; i++) line += alphabet[Math.floor(random() * alphabet.length)];
      expect(ours(line), line).toEqual(theirs(line));
    }
  });
});

describe('the WebAssembly lattice', () => {
  const reference = new LatticeAnalyzer(dictionary);
  const tokensOf = (analyzer: TokenLattice, line: string): number[] => {
    const n = analyzer.analyze(line);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(analyzer.tokenStart[i]!, analyzer.tokenEnd[i]!, analyzer.tokenEntry[i]!);
    return out;
  };

  it('equals the TypeScript lattice on lines long enough to grow every scratch array', () => {
    // 200,000 characters without a 、 or 。: one piece of more nodes, tokens and text than it starts with.
    const text = sample.filter((line) => line.length > 0).join('').replace(/[、。]/g, '');
    const long = text.slice(0, 200_000);
    expect(long.length).toBe(200_000);
    const expected = tokensOf(reference, long);
    expect(expected.length / 3).toBeGreaterThan(50_000);
    expect(tokensOf(wasm!, long)).toEqual(expected);
    // And short lines after it, on the grown arrays.
    for (const line of sample.slice(0, 200)) expect(tokensOf(wasm!, line)).toEqual(tokensOf(reference, line));
  });

  it('writes the surfaces `tokenize --pos all --no-base-form` prints: the tokens but blank ones, spaced, as UTF-8', () => {
    const blank = /^\s*$/;
    const expected = (line: string): Buffer => {
      const n = reference.analyze(line);
      const surfaces: string[] = [];
      for (let i = 0; i < n; i++) surfaces.push(line.slice(reference.tokenStart[i]!, reference.tokenEnd[i]!));
      // Buffer.from writes a lone surrogate as U+FFFD, as the module must.
      return Buffer.from(`${surfaces.filter((s) => !blank.test(s)).join(' ')}\n`);
    };
    const written = (line: string): Buffer => {
      const out = new Utf8Builder(16);
      wasm!.analyze(line);
      wasm!.writeSurfaces(out);
      return Buffer.from(out.take());
    };
    const long = sample.filter((line) => line.length > 0).join('').slice(0, 100_000);
    const lines = [
      '', '   \u3000 ', '猫\u3000が\tいる\u00a0。\u2003', 'ΑΒΓабв漢字ＡＢＣ１２３①', 'ｶﾀｶﾅﾃﾞｽ｡', '𠮷野家で😀😀😀と🍣', 'ab😀😀cd😀',
      'a\ud800b\udc00c', '\ud83d', long, ...sample.slice(0, 300),
    ];
    for (const line of lines) expect(written(line).equals(expected(line)), line.slice(0, 40)).toBe(true);
  });

  it('gives the same tokens on every thread that shares the image', async () => {
    const { Worker } = await import('node:worker_threads');
    const lines = sample.slice(0, 300);
    const expected = lines.map((line) => tokensOf(reference, line));
    const script = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.dictionaryModule).then(async ({ openDictionaryImage }) => {
        const { createWasmLattice } = await import(workerData.latticeModule);
        const lattice = createWasmLattice(openDictionaryImage(workerData.memory));
        parentPort.postMessage(workerData.lines.map((line) => {
          const n = lattice.analyze(line);
          const out = [];
          for (let i = 0; i < n; i++) out.push(lattice.tokenStart[i], lattice.tokenEnd[i], lattice.tokenEntry[i]);
          return out;
        }));
      });`;
    const worker = new Worker(script, {
      eval: true,
      workerData: {
        memory: dictionary.memory,
        lines,
        dictionaryModule: new URL('../../dist/text/ja/dictionaryImage.js', import.meta.url).href,
        latticeModule: new URL('../../dist/text/ja/latticeWasm.js', import.meta.url).href,
      },
    });
    const answer = await new Promise<number[][]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(answer).toEqual(expected);
  });
});
