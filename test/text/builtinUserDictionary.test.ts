/**
 * A user dictionary with the built-in IPADIC: `fixtures/mecab/builtin-user.csv` (IPADIC's ids) against what
 * MeCab 0.996 printed with the same CSV compiled for Debian's IPADIC (`builtin-user-expected.txt`, see the
 * fixture's README) — words that override the dictionary's, a surface with a comma, one beyond UCS-2, a verb,
 * lines where MeCab's rules and kuromoji's part (with a user dictionary, the built-in reads MeCab's way);
 * then ids filled in from the dictionary, base forms, the model that keeps the CSV, and the refusals.
 */
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinMecabDictionaryDir } from '../../src/text/ja/builtinMecab.js';
import { openMecabDictionary, withUserDictionary } from '../../src/text/ja/mecabDictionary.js';
import { MecabAnalyzer } from '../../src/text/ja/mecabLattice.js';
import { createMecabAnalyzer } from '../../src/text/ja/mecabLatticeWasm.js';
import { gunzipSync } from 'node:zlib';
import { createTokenizer, resolveTokenizerConfig } from '../../src/text/tokenizers.js';
import { expectOneLineError, kotovec } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'mecab');
const CSV = join(FIXTURE, 'builtin-user.csv');
const LINES = join(FIXTURE, 'builtin-user-lines.txt');
const dir = tempDir();

const tokenize = (extra: string[], lines = LINES) =>
  kotovec(['tokenize', '--tokenizer', 'ja', '--pos', 'all', '--no-base-form', '--no-normalize', ...extra, lines]);

describe('a user dictionary with the built-in IPADIC', () => {
  it('gives the tokens mecab -u gives with the same CSV', () => {
    const run = tokenize(['--user-dict', CSV]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const expected = readFileSync(join(FIXTURE, 'builtin-user-expected.txt'), 'utf8').split('\n');
    run.stdout.split('\n').forEach((line, i) => expect(line, `line ${i + 1}`).toBe(expected[i]));
    // Without it, the words are the dictionary's pieces, and whole lines follow kuromoji's rules: an unknown
    // kanji run cut in two, the text after 。 analysed apart.
    const without = tokenize([]).stdout.split('\n');
    expect(without[0]).toBe('東京 スカイ ツリー に 赤 シャツ と 行っ た');
    expect(without.slice(9, 11)).toEqual(['儲 口', '「 そう か 。 おや おや 」']);
  });

  it("gives mecab -u's tokens and features on the hard text (spaces, half-width kana, long runs, emoji, control characters)", () => {
    const run = kotovec(['tokenize', '--tokenizer', 'ja', '--user-dict', CSV, '--features', '--pos', 'all', '--no-base-form', '--no-normalize', join(FIXTURE, 'lines.txt')]);
    expect(run.code).toBe(0);
    const ours = run.stdout.split('EOS\n');
    const theirs = readFileSync(join(FIXTURE, 'builtin-user-hard-expected.txt'), 'utf8').split('EOS\n');
    expect(ours.length).toBe(theirs.length);
    ours.forEach((sentence, i) => expect(sentence, `line ${i + 1}`).toBe(theirs[i]));
  });

  it('keeps base forms and parts of speech from the CSV, and gives them to every thread', async () => {
    const text = readFileSync(CSV, 'utf8');
    const config = resolveTokenizerConfig({ kind: 'ja', userDictionary: { name: 'builtin-user.csv', text }, pos: ['名詞-固有名詞', '動詞'], baseForm: true });
    const tokenizer = await createTokenizer(config);
    // 赤シャツ's base form is '*': its surface stays; 東京スカイツリー's is its own (a 地域 of 固有名詞).
    expect(tokenizer.tokenize('赤シャツが東京スカイツリーに行った')).toEqual(['赤シャツ', '東京スカイツリー', '行く']);
    expect(tokenizer.tokenize('毎日ほげる')).toEqual(['ほげる']);
    // Features are MeCab's CSV: a quoted base form keeps its comma.
    const quoted = await createTokenizer(resolveTokenizerConfig({ kind: 'ja', userDictionary: { name: 'builtin-user.csv', text }, pos: ['all'], baseForm: true }));
    expect(quoted.tokenize('すもも,もももももものうち')[0]).toBe('すもも,もも');
    const features = kotovec(['tokenize', '--tokenizer', 'ja', '--user-dict', CSV, '--features', '--pos', 'all', LINES]).stdout;
    // MeCab's features, whole.
    expect(features).toContain('東京スカイツリー\t名詞,固有名詞,地域,一般,*,*,東京スカイツリー,トウキョウスカイツリー,トーキョースカイツリー\n');
    const threads = kotovec(['tokenize', '--tokenizer', 'ja', '--pos', 'all', '--no-base-form', '--no-normalize', '--threads', '2', '--user-dict', CSV, LINES]);
    expect(threads.stdout).toBe(tokenize(['--user-dict', CSV]).stdout);
  });

  it("fills missing ids and cost from IPADIC's words of the same part of speech", async () => {
    const dictionary = await openMecabDictionary(await builtinMecabDictionaryDir());
    const entries = withUserDictionary(dictionary, '東京タワー,,,,名詞,固有名詞,地域,一般,*,*,東京タワー,トウキョウタワー,トーキョータワー\n', 'tower.csv').user!.entries;
    // 名詞,固有名詞,地域,一般: 72,691 words of IPADIC's Noun.place.csv, all with ids 1293, the lowest cost −490.
    expect([entries.left[0], entries.right[0], entries.cost[0]]).toEqual([1293, 1293, -490]);
    dictionary.matrix.close();
    const csv = join(dir, 'tower.csv');
    writeFileSync(csv, '東京タワー,,,,名詞,固有名詞,地域,一般,*,*,東京タワー,トウキョウタワー,トーキョータワー\n');
    const lines = join(dir, 'tower.txt');
    writeFileSync(lines, '東京タワーに行った\n');
    expect(tokenize(['--user-dict', csv], lines).stdout).toBe('東京タワー に 行っ た\n');
  });

  it('gives the same tokens from both MeCab lattices, with user words that win and words that lose', async () => {
    // 400 pieces of the sample's lines as user words (IPADIC's 名詞,一般 ids), costs from -3,000 to 9,000,
    // some surfaces given twice, some beyond UCS-2.
    const sample = gunzipSync(readFileSync(join(__dirname, '..', '..', 'corpora', 'ja', 'aozora-sample.txt.gz'))).toString('utf8').split('\n');
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const lines = sample.filter((line) => line.length > 20).slice(0, 2000);
    const rows: string[] = [];
    for (let k = 0; k < 400; k++) {
      const line = lines[Math.floor(random() * lines.length)]!;
      const at = Math.floor(random() * (line.length - 8));
      let surface = line.slice(at, at + 2 + Math.floor(random() * 5)).replace(/[,"\s]/g, '');
      if (k % 50 === 0) surface += '𠮷';
      if (surface.length < 2) continue;
      const cost = Math.floor(-3000 + random() * 12000);
      const times = k % 7 === 0 ? 2 : 1;
      for (let t = 0; t < times; t++) rows.push(`${surface},1285,1285,${cost + t * 100},名詞,一般,*,*,*,*,${surface},*,*`);
    }
    const dictionary = await openMecabDictionary(await builtinMecabDictionaryDir());
    const withUser = withUserDictionary(dictionary, rows.join('\n'), 'pieces.csv');
    const tokensOf = (analyzer: { analyze(line: string): number; tokenStart: Int32Array; tokenEnd: Int32Array; tokenIndex: Int32Array }, line: string) => {
      const n = analyzer.analyze(line);
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push(analyzer.tokenStart[i]!, analyzer.tokenEnd[i]!, analyzer.tokenIndex[i]!);
      return out.join();
    };
    const plain = createMecabAnalyzer(dictionary);
    const wasm = createMecabAnalyzer(withUser);
    const typescript = new MecabAnalyzer(withUser);
    expect(wasm).not.toBeInstanceOf(MecabAnalyzer);
    let changed = 0;
    let differing = 0;
    for (const line of lines) {
      const expected = tokensOf(typescript, line);
      if (expected !== tokensOf(plain, line)) changed++;
      if (tokensOf(wasm, line) !== expected) differing++;
    }
    expect(changed).toBeGreaterThan(200);
    expect(differing).toBe(0);
    dictionary.matrix.close();
  });

  it('is kept in the model: queries read the words after the CSV is gone', () => {
    const corpus = join(dir, 'corpus.txt');
    writeFileSync(corpus, readFileSync(LINES, 'utf8').repeat(20));
    const copy = join(dir, 'copy.csv');
    copyFileSync(CSV, copy);
    const model = join(dir, 'user.db');
    expect(kotovec(['train', corpus, '-o', model, '--tokenizer', 'ja', '--user-dict', copy, '--pos', 'all', '--min-count', '1', '--dim', '8', '--epochs', '1', '--threads', '1']).code).toBe(0);
    rmSync(copy);
    const info = JSON.parse(kotovec(['info', model, '--json']).stdout);
    expect(info.tokenizer.userDictionary).toEqual({ name: 'copy.csv', entries: 8 });
    expect(info.tokenizer.dictionary).toBeUndefined();
    const similar = JSON.parse(kotovec(['similar', model, '東京スカイツリーは', '--json']).stdout);
    expect(similar.query[0].tokens).toEqual(['東京スカイツリー', 'は']);
    // Continuing with another user dictionary (or none) would read the new text otherwise.
    const other = join(dir, 'other.csv');
    writeFileSync(other, '東京,1293,1293,100,名詞,固有名詞,地域,一般,*,*,東京,トウキョウ,トーキョー\n');
    expectOneLineError(kotovec(['train', corpus, '--from', model, '-o', join(dir, 'more.db'), '--user-dict', other]), /tokenized with --user-dict "copy\.csv", not "other\.csv"/);
  });

  it('names a malformed line with its number, and nothing is trained', () => {
    const cases: [string, RegExp][] = [
      ['東京都,1293,1293,2000,名詞\n京都,1,1\n', /line 2: 3 fields/],
      ['東京都,1293,2000,2000,名詞\n', /line 1: the right id 2000 is outside 0…1315/],
      ['東京都,,,,名詞,未知,*,*\n', /line 1: no word of the system dictionary has the part of speech 名詞,未知,\*,\*/],
    ];
    cases.forEach(([text, message], i) => {
      const csv = join(dir, `bad-${i}.csv`);
      writeFileSync(csv, text);
      expectOneLineError(tokenize(['--user-dict', csv]), new RegExp(`user dictionary bad-${i}\\.csv, ${message.source}`));
      const model = join(dir, `bad-${i}.db`);
      expectOneLineError(kotovec(['train', LINES, '-o', model, '--tokenizer', 'ja', '--user-dict', csv, '--min-count', '1']), message);
      expect(existsSync(model)).toBe(false);
    });
  });
});
