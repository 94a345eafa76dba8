/**
 * The `--dict` engine against MeCab 0.996 itself: `fixtures/mecab/dic` is a small dictionary compiled by
 * `mecab-dict-index` from `fixtures/mecab/src` (see its README), and `expected.txt` is what `mecab -d dic`
 * printed for `lines.txt` — spaces and tabs around words, half-width kana, Latin and digit runs longer than
 * the grouping limit, emoji and characters beyond UCS-2, control characters, empty and blank lines, a line of
 * 600 characters, ties and unknown words of every category. Then the tokenizer over it (forms, threads), the
 * model that remembers its dictionary, and every refusal.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dictionaryRef, openMecabDictionary, openMecabDictionaryFrom, withUserDictionary } from '../../src/text/ja/mecabDictionary.js';
import { splitFeatures } from '../../src/text/ja/mecabEngine.js';
import { createMecabAnalyzer } from '../../src/text/ja/mecabLatticeWasm.js';
import { createBatchTokenizer } from '../../src/text/tokenizePool.js';
import { createJapaneseAnalysis } from '../../src/text/japanese.js';
import { Utf8Builder } from '../../src/text/utf8Builder.js';
import { createTokenizer, resolveTokenizerConfig } from '../../src/text/tokenizers.js';
import { expectOneLineError, kotovec } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'mecab');
const DIC = join(FIXTURE, 'dic');
const LINES = join(FIXTURE, 'lines.txt');
const dir = tempDir();

/** A copy of the fixture dictionary with one file changed. */
function brokenCopy(name: string, change: (folder: string) => void): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  cpSync(DIC, folder, { recursive: true });
  change(folder);
  return folder;
}

describe('the --dict engine = mecab -d DIR', () => {
  it("gives MeCab's tokens and features on every line of the hard text", () => {
    const run = kotovec(['tokenize', '--tokenizer', 'ja', '--dict', DIC, '--features', '--pos', 'all', '--no-base-form', '--no-normalize', LINES]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const expected = readFileSync(join(FIXTURE, 'expected.txt'), 'utf8');
    // Compared sentence by sentence, so that a failure names the line.
    const ours = run.stdout.split('EOS\n');
    const theirs = expected.split('EOS\n');
    expect(ours.length).toBe(theirs.length);
    ours.forEach((sentence, i) => expect(sentence, `line ${i + 1}`).toBe(theirs[i]));
  });

  it('writes every surface as `tokenize --pos all --no-base-form` prints it, whitespace tokens left out', async () => {
    const analysis = await createJapaneseAnalysis({ dictionary: dictionaryRef(DIC), userDictionary: null, baseForm: false, pos: ['all'] });
    expect(analysis.engine.writeSurfaces).toBeDefined();
    const lines = readFileSync(LINES, 'utf8').split('\n');
    lines.push('a\ud800b\udc00c', '\u3000 \t', '', '猫\u2003が\u00a0\ufeffいる\u2028。\u3000');
    for (const line of lines) {
      const out = new Utf8Builder(16);
      analysis.writeTokens(line, out);
      // The tokens one at a time (their UTF-16 ranges, blank ones dropped), encoded as Buffer.from does.
      expect(Buffer.from(out.take()).toString('hex'), line.slice(0, 40)).toBe(Buffer.from(`${analysis.tokenize(line).join(' ')}\n`).toString('hex'));
    }
  });

  it('keeps base forms and filters parts of speech from the features', async () => {
    const ref = dictionaryRef(DIC);
    const tokenizer = await createTokenizer({ kind: 'ja', dictionary: ref, normalize: 'none', baseForm: true, pos: ['content'] });
    // Content words, base forms: 行っ → 行く; particles and the auxiliary go.
    expect(tokenizer.tokenize('東京都に行った')).toEqual(['東京', '都', '行く']);
    const surfaces = await createTokenizer({ kind: 'ja', dictionary: ref, normalize: 'none', baseForm: false, pos: ['all'] });
    expect(surfaces.tokenize('  東京  は　京都 ')).toEqual(['東京', 'は', '京都']);
    expect(surfaces.tokenize('猫🐈は😀と𠮷野家')).toContain('🐈');
  });

  it('gives the same tokens on worker threads as on this one', async () => {
    const config = resolveTokenizerConfig({ kind: 'ja', dictionary: dictionaryRef(DIC), normalize: 'none', pos: ['all'] });
    const lines = readFileSync(LINES, 'utf8').split('\n');
    const one = await createBatchTokenizer(config, 1);
    const two = await createBatchTokenizer(config, 2);
    try {
      expect(await two.tokenize(lines)).toEqual(await one.tokenize(lines));
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('reads features with quoted commas as UniDic writes them', () => {
    expect(splitFeatures('助詞,格助詞,*,"動詞%F2@0,名詞%F1",*')).toEqual(['助詞', '格助詞', '*', '動詞%F2@0,名詞%F1', '*']);
    expect(splitFeatures('名詞,一般,*')).toEqual(['名詞', '一般', '*']);
  });

  it('reads a small connection matrix at once, a big one page by page, with the same tokens', async () => {
    const whole = await openMecabDictionary(DIC);
    const { leftSize, rightSize } = whole.matrix;
    expect(whole.matrix.bytesRead).toBe(2 * leftSize * rightSize);
    const paged = await openMecabDictionary(DIC, 0);
    expect(paged.matrix.bytesRead).toBe(0);
    expect(paged.matrix.cost(3, 2)).toBe(whole.matrix.cost(3, 2));
    expect(paged.matrix.bytesRead).toBe(2 * leftSize); // one row, read whole
    for (let l = 0; l < rightSize; l++) for (let r = 0; r < leftSize; r++) expect(paged.matrix.cost(l, r)).toBe(whole.matrix.cost(l, r));
    // The analyser over a matrix read row by row, connecting in WebAssembly and in JavaScript: MeCab's
    // tokens and features still.
    const lines = readFileSync(LINES, 'utf8').split('\n').slice(0, -1);
    const expected = readFileSync(join(FIXTURE, 'expected.txt'), 'utf8').split('EOS\n');
    for (const webAssembly of [true, false]) {
      const analyzer = createMecabAnalyzer(await openMecabDictionary(DIC, 0), webAssembly);
      lines.forEach((line, i) => {
        const n = analyzer.analyze(line);
        const rows = Array.from({ length: n }, (_, k) => `${analyzer.surface(line, k)}\t${analyzer.feature(k)}\n`);
        expect(rows.join(''), `line ${i + 1}`).toBe(expected[i]);
      });
      analyzer.dictionary.matrix.close();
    }
    // Two analysers over one matrix read row by row (as two threads share it), taking lines in turn: the
    // rows and the order of their columns one fills are read by the other.
    const first = await openMecabDictionary(DIC, 0);
    const second = openMecabDictionaryFrom(first.transfer, 0);
    expect(second.matrix.share.memory).toBe(first.matrix.share.memory);
    const pair = [createMecabAnalyzer(first), createMecabAnalyzer(second)];
    lines.forEach((line, i) => {
      const analyzer = pair[i % 2]!;
      const n = analyzer.analyze(line);
      const rows = Array.from({ length: n }, (_, k) => `${analyzer.surface(line, k)}\t${analyzer.feature(k)}\n`);
      expect(rows.join(''), `line ${i + 1}`).toBe(expected[i]);
    });
    for (const d of [whole, paged, first, second]) d.matrix.close();
  });

  it('fills one matrix read row by row from two threads at once, with the same tokens', async () => {
    const { Worker } = await import('node:worker_threads');
    const lines = readFileSync(LINES, 'utf8').split('\n').slice(0, -1);
    const expected = readFileSync(join(FIXTURE, 'expected.txt'), 'utf8').split('EOS\n').slice(0, lines.length);
    const dictionary = await openMecabDictionary(DIC, 0);
    // Each thread takes every line, one from the first, the other from the last, many times over: the
    // columns' places and the rows' fills race between them.
    const script = `
      const { parentPort, workerData } = require('node:worker_threads');
      Promise.all([import(workerData.dictionaryModule), import(workerData.analyzerModule)]).then(([{ openMecabDictionaryFrom }, { createMecabAnalyzer }]) => {
        const dictionary = openMecabDictionaryFrom(workerData.transfer, 0);
        const analyzer = createMecabAnalyzer(dictionary);
        const order = workerData.lines.map((_, i) => i);
        if (workerData.reversed) order.reverse();
        const answers = [];
        for (let round = 0; round < 5; round++) for (const i of order) {
          const line = workerData.lines[i];
          const n = analyzer.analyze(line);
          let rows = '';
          for (let k = 0; k < n; k++) rows += analyzer.surface(line, k) + '\\t' + analyzer.feature(k) + '\\n';
          if (round === 4) answers[i] = rows;
        }
        parentPort.postMessage({ kind: analyzer.constructor.name, answers });
      });`;
    const run = (reversed: boolean) => {
      const worker = new Worker(script, {
        eval: true,
        workerData: {
          transfer: dictionary.transfer,
          lines,
          reversed,
          dictionaryModule: new URL('../../dist/text/ja/mecabDictionary.js', import.meta.url).href,
          analyzerModule: new URL('../../dist/text/ja/mecabLatticeWasm.js', import.meta.url).href,
        },
      });
      return new Promise<{ kind: string; answers: string[] }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }).finally(() => worker.terminate());
    };
    const answers = await Promise.all([run(false), run(true)]);
    for (const { kind, answers: rows } of answers) {
      expect(kind).toBe('WasmMecabAnalyzer');
      rows.forEach((row, i) => expect(row, `line ${i + 1}`).toBe(expected[i]));
    }
    dictionary.matrix.close();
  });
});

describe('a user dictionary = mecab -u', () => {
  const USER = join(FIXTURE, 'user.csv');
  const tokenizeWith = (csv: string, lines = join(FIXTURE, 'user-lines.txt'), extra: string[] = []) =>
    kotovec(['tokenize', '--tokenizer', 'ja', '--dict', DIC, '--user-dict', csv, '--features', '--pos', 'all', '--no-base-form', '--no-normalize', ...extra, lines]);

  it("gives MeCab's tokens with the same CSV compiled by mecab-dict-index -u", () => {
    // New words, a longer word over a shorter one, a word overriding the system's, two entries of one
    // surface (file order kept), a quoted surface with a comma, spaces before a field.
    const run = tokenizeWith(USER);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(readFileSync(join(FIXTURE, 'user-expected.txt'), 'utf8'));
  });

  it('tokenizes the same on worker threads, and a model keeps the entries', async () => {
    const config = resolveTokenizerConfig({ kind: 'ja', dictionary: dictionaryRef(DIC), userDictionary: { name: 'user.csv', text: readFileSync(USER, 'utf8') }, pos: ['all'], baseForm: false });
    const lines = readFileSync(join(FIXTURE, 'user-lines.txt'), 'utf8').split('\n').filter(Boolean);
    const one = await createBatchTokenizer(config, 1);
    const two = await createBatchTokenizer(config, 2);
    try {
      const tokens = await one.tokenize(lines);
      expect(tokens[0]).toEqual(['東京都', 'に', '行っ', 'た']);
      expect(await two.tokenize(lines)).toEqual(tokens);
    } finally {
      await one.close();
      await two.close();
    }
    const corpus = join(dir, 'user-corpus.txt');
    const model = join(dir, 'user.db');
    writeFileSync(corpus, readFileSync(join(FIXTURE, 'user-lines.txt'), 'utf8').repeat(20));
    const userCopy = join(dir, 'user-copy.csv');
    copyFileSync(USER, userCopy);
    expect(kotovec(['train', corpus, '-o', model, '--tokenizer', 'ja', '--dict', DIC, '--user-dict', userCopy, '--pos', 'all', '--min-count', '1', '--dim', '8', '--epochs', '1', '--threads', '1']).code).toBe(0);
    rmSync(userCopy);
    const info = JSON.parse(kotovec(['info', model, '--json']).stdout);
    expect(info.tokenizer.userDictionary).toEqual({ name: 'user-copy.csv', entries: 9 });
    // The CSV is gone, the model still reads 東京スカイツリー as the user's one word.
    const similar = JSON.parse(kotovec(['similar', model, '東京スカイツリーは', '--json']).stdout);
    expect(similar.query[0].tokens).toEqual(['東京スカイツリー', 'は']);
  });

  it('fills missing ids and cost from the system words of the same part of speech', async () => {
    const csv = join(dir, 'missing.csv');
    // 名詞,固有名詞,地域,* in the system dictionary: 東京, 京都 (cost 3000) and Tokyo (2000), ids 1/1.
    writeFileSync(csv, '東京タワー,,,,名詞,固有名詞,地域,*,*,*,東京タワー,トウキョウタワー,トーキョータワー\n');
    const lines = join(dir, 'missing-lines.txt');
    writeFileSync(lines, '東京タワーに行った\n');
    const run = tokenizeWith(csv, lines);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('東京タワー\t名詞,固有名詞,地域,*,*,*,東京タワー,トウキョウタワー,トーキョータワー');
    const analyzer = createMecabAnalyzer(withUserDictionary(await openMecabDictionary(DIC), readFileSync(csv, 'utf8'), 'missing.csv'));
    analyzer.analyze('東京タワー');
    expect(analyzer.tokenIndex[0]).toBe(analyzer.userBase);
    const entries = analyzer.dictionary.user!.entries;
    expect([entries.left[0], entries.right[0], entries.cost[0]]).toEqual([1, 1, 2000]);
  });

  it('names a malformed line with its number, and nothing is trained', () => {
    const cases: [string, RegExp][] = [
      ['東京都,1,1,2000,名詞\n京都,1,1\n', /line 2: 3 fields/],
      ['東京都,1,1,2000,名詞\n\n,1,1,2000,名詞\n', /line 3: the surface is empty/],
      ['東京都,x,1,2000,名詞\n', /line 1: the left id "x" is not an integer/],
      ['東京都,1,99,2000,名詞\n', /line 1: the right id 99 is outside 0…6/],
      ['東京都,1,1,40000,名詞\n', /line 1: the cost 40000 is outside -32768…32767/],
      ['東京都,,,,動詞,非自立,*,*\n', /line 1: no word of the system dictionary has the part of speech 動詞,非自立,\*,\*/],
    ];
    cases.forEach(([text, message], i) => {
      const csv = join(dir, `bad-${i}.csv`);
      writeFileSync(csv, text);
      expectOneLineError(tokenizeWith(csv), new RegExp(`user dictionary bad-${i}\\.csv, ${message.source}`));
      // train reads the CSV through the same parser: one line that fails to parse and one that fails against
      // the system dictionary show it refuses before writing anything.
      if (i !== 0 && i !== cases.length - 1) return;
      const model = join(dir, `bad-${i}.db`);
      expectOneLineError(kotovec(['train', LINES, '-o', model, '--tokenizer', 'ja', '--dict', DIC, '--user-dict', csv, '--min-count', '1']), message);
      expect(existsSync(model)).toBe(false);
    });
    expectOneLineError(tokenizeWith(join(dir, 'absent.csv')), /cannot read the user dictionary .*absent\.csv: no such file.*E_INPUT_UNREADABLE/);
    expectOneLineError(kotovec(['tokenize', '--user-dict', USER, LINES]), /--user-dict is for --tokenizer ja/);
  });
});

describe('a model remembers its dictionary', () => {
  const corpus = join(dir, 'ja.txt');
  const model = join(dir, 'ja.db');

  it('is trained, answers and names the dictionary in info', () => {
    writeFileSync(corpus, (readFileSync(LINES, 'utf8').split('\n').slice(0, 12).join('\n') + '\n').repeat(30));
    const train = kotovec(['train', corpus, '-o', model, '--tokenizer', 'ja', '--dict', DIC, '--pos', 'all', '--min-count', '1', '--dim', '8', '--epochs', '1', '--threads', '1']);
    expect(train.stderr).not.toMatch(/Error|at /);
    expect(train.code).toBe(0);
    const info = JSON.parse(kotovec(['info', model, '--json']).stdout);
    expect(JSON.stringify(info)).toContain(DIC);
    // A query reads its text with the same dictionary: 東京都 is 東京 + 都 there.
    const similar = kotovec(['similar', model, '東京都', '--json']);
    expect(similar.code).toBe(0);
    expect(JSON.stringify(JSON.parse(similar.stdout))).toContain('東京');
  });

  it('says in one line when its dictionary is gone or changed', () => {
    const moved = brokenCopy('moved', () => {});
    const movedModel = join(dir, 'moved.db');
    expect(kotovec(['train', corpus, '-o', movedModel, '--tokenizer', 'ja', '--dict', moved, '--pos', 'all', '--min-count', '1', '--dim', '8', '--epochs', '1']).code).toBe(0);
    // Changed: another dictionary now lies where the model's was.
    copyFileSync(join(DIC, 'sys.dic'), join(moved, 'sys.dic'));
    writeFileSync(join(moved, 'dicrc'), readFileSync(join(DIC, 'dicrc'), 'utf8') + '; changed\n');
    // A vocabulary word is answered as it is; text needs the dictionary.
    expect(kotovec(['similar', movedModel, '東京']).code).toBe(0);
    expectOneLineError(kotovec(['similar', movedModel, '東京都に行った']), /moved.*fingerprint.*E_TOKENIZER/);
    // Gone: the model names the dictionary it needs.
    rmSync(moved, { recursive: true });
    expectOneLineError(kotovec(['similar', movedModel, '東京都に行った']), /MeCab dictionary moved \(.*\), which cannot be read here/);
  });
});

describe('refusals, one line each', () => {
  const run = (folder: string) => kotovec(['tokenize', '--tokenizer', 'ja', '--dict', folder, LINES]);

  it('a folder that is not there, or holds no sys.dic', () => {
    expectOneLineError(run(join(dir, 'nowhere')), /no MeCab dictionary folder/);
    expectOneLineError(run(dir), /no sys\.dic/);
  });

  it('a damaged or truncated sys.dic, another version, another charset', () => {
    expectOneLineError(run(brokenCopy('truncated', (f) => writeFileSync(join(f, 'sys.dic'), readFileSync(join(f, 'sys.dic')).subarray(0, 5000)))), /sys\.dic.*not a compiled MeCab dictionary/);
    const version = brokenCopy('version', (f) => {
      const bytes = readFileSync(join(f, 'sys.dic'));
      bytes.writeUInt32LE(101, 4);
      writeFileSync(join(f, 'sys.dic'), bytes);
    });
    expectOneLineError(run(version), /version 101/);
    const charset = brokenCopy('charset', (f) => {
      const bytes = readFileSync(join(f, 'sys.dic'));
      bytes.fill(0, 40, 72).write('EUC-JP', 40, 'latin1');
      writeFileSync(join(f, 'sys.dic'), bytes);
    });
    expectOneLineError(run(charset), /EUC-JP; only UTF-8/);
  });

  it('a missing or mismatched matrix.bin, char.bin or unk.dic', () => {
    const matrix = brokenCopy('matrix', (f) => writeFileSync(join(f, 'matrix.bin'), Buffer.from([2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0])));
    expectOneLineError(run(matrix), /matrix\.bin.*not of one dictionary/);
    expectOneLineError(run(brokenCopy('char', (f) => writeFileSync(join(f, 'char.bin'), Buffer.alloc(100)))), /char\.bin/);
    expectOneLineError(run(brokenCopy('unk', (f) => copyFileSync(join(f, 'sys.dic'), join(f, 'unk.dic')))), /unk\.dic.*no unknown-word entry/);
  });

  it('--dict for another tokenizer, --features for another tokenizer', () => {
    expectOneLineError(kotovec(['tokenize', '--dict', DIC, LINES]), /--dict is for --tokenizer ja/);
    expectOneLineError(kotovec(['tokenize', '--features', LINES]), /--features is for --tokenizer ja/);
  });
});
