// Phrases as gensim 4.2 learns and joins them: the scores, connector words at the edges and inside, a
// token that holds the delimiter, pruning, two passes, the table stored and read back, and the refusals.
// The expected figures are gensim's own on the same text (test/fixtures/phrases/README.md).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parsePhraseTable, phraseTableToText } from '../../src/text/phraseTable.js';
import { checkPhraseSettings, ENGLISH_CONNECTOR_WORDS, Phraser, PHRASE_DEFAULTS, TokenAtoms, type PhraseSettings, type PhraseTable } from '../../src/text/phrases.js';
import { defaultScore, npmiScore, PhraseCounter, word2phraseScore } from '../../src/vocab/phrases.js';
import { openModel } from '../../src/query/model.js';
import { summarize } from '../../src/serve/api.js';
import type { TrainOptions } from '../../src/options.js';
import { trainModel } from '../../src/train/trainer.js';
import { kotovec } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'phrases');
const CORPUS = join(FIXTURES, 'corpus.txt');
const lines = readFileSync(CORPUS, 'utf8').trim().split('\n').map((line) => line.split(' '));
const gensim = JSON.parse(readFileSync(join(FIXTURES, 'gensim-4.2.json'), 'utf8'));
const dir = tempDir();

/** Learns `passes` passes over lines (the fixture's by default); returns the table, the first pass's counter and the joined lines. */
function learn(settings: PhraseSettings, text: string[][] = lines) {
  const atoms = new TokenAtoms(settings.delimiter, settings.connectors);
  let current = text.map((line) => line.map((token) => atoms.id(token)));
  const table: PhraseTable = { settings, passes: [] };
  let first: PhraseCounter | undefined;
  for (let pass = 0; pass < settings.passes; pass++) {
    const counter = new PhraseCounter(atoms, settings);
    for (const line of current) counter.addSentence(line);
    first ??= counter;
    table.passes.push(counter.export());
    const phraser = new Phraser(atoms, table.passes, settings.threshold);
    current = current.map((line) => phraser.applyPass(pass, line, []));
  }
  return { table, counter: first!, joined: current.map((line) => line.map((id) => atoms.tokens[id]).join(' ')) };
}

const settingsOf = (changes: Partial<PhraseSettings>): PhraseSettings => ({ ...PHRASE_DEFAULTS, minCount: 2, threshold: 1, ...changes });
const phrasesOf = (table: PhraseTable, pass = 0) =>
  Object.fromEntries(table.passes[pass]!.phrases.map((phrase, i) => [phrase, [table.passes[pass]!.counts[i], table.passes[pass]!.scores[i]]]));

describe('scores', () => {
  it("default: (count(ab) − min_count) ÷ (count(a) · count(b)) × the vocabulary's size", () => {
    expect(defaultScore(10, 20, 7, 1000, 5)).toBeCloseTo(((7 - 5) / 200) * 1000, 12);
    expect(defaultScore(0, 20, 7, 1000, 5)).toBe(-Infinity);
  });

  it('npmi: ln(p(ab) ÷ (p(a) p(b))) ÷ −ln p(ab), −∞ under min_count', () => {
    const n = 1000;
    expect(npmiScore(10, 20, 5, n, 5)).toBeCloseTo(Math.log((5 / n) / ((10 / n) * (20 / n))) / -Math.log(5 / n), 12);
    expect(npmiScore(10, 20, 4, n, 5)).toBe(-Infinity);
    // Two words that only ever come together score 1.
    expect(npmiScore(7, 7, 7, n, 1)).toBeCloseTo(1, 12);
  });
});

describe("learning and joining, as gensim's Phrases → freeze()", () => {
  for (const [name, changes] of [
    ['default-english', {}],
    ['default-none', { connectors: [] }],
    ['npmi-english', { scoring: 'npmi', threshold: 0.3 }],
  ] as const) {
    it(`${name}: the same phrases, counts, scores and joined lines`, () => {
      const { table, counter, joined } = learn(settingsOf(changes as Partial<PhraseSettings>));
      const want = gensim[name];
      expect(counter.vocabularySize).toBe(want.vocab);
      expect(counter.words).toBe(want.words);
      const got = phrasesOf(table);
      expect(Object.keys(got).sort()).toEqual(Object.keys(want.phrases).sort());
      for (const [phrase, [count, score]] of Object.entries(want.phrases as Record<string, [number, number]>)) {
        expect(got[phrase]![0], phrase).toBe(count);
        expect(Math.abs(got[phrase]![1] - score) / Math.abs(score), phrase).toBeLessThan(1e-12);
      }
      expect(joined).toEqual(want.joined);
    });
  }

  it('connector words sit inside a phrase, never at its edges', () => {
    const { joined } = learn(settingsOf({}));
    // bank_of_america is joined; "of new york" does not start with the connector; "the america" stays.
    expect(joined[0]).toBe('the bank_of_america said new_york city is big');
    expect(joined[3]).toBe('of new_york the city');
    expect(joined[6]).toBe('a bank of the america');
  });

  it("a token that holds the delimiter counts as the pair it spells (gensim's keys are the joined strings)", () => {
    const { table } = learn(settingsOf({}));
    // 8 pairs "new york" and the token "new_york" once.
    expect(phrasesOf(table)['new_york']![0]).toBe(9);
  });

  it("word2phrase: word2vec C's score over the corpus's words in float32, pairs counted across lines", () => {
    expect(word2phraseScore(84, 84, 6, 10_947_767, 5)).toBe(Math.fround(Math.fround(Math.fround(1 / 84) / 84) * Math.fround(10_947_767)));
    // A word under min_count never joins.
    expect(word2phraseScore(4, 84, 6, 1000, 5)).toBe(0);
    const settings = settingsOf({ scoring: 'word2phrase', connectors: [], minCount: 1, threshold: 0.5 });
    const atoms = new TokenAtoms('_', []);
    const counter = new PhraseCounter(atoms, settings);
    // "b" ends a line and "c" starts the next: word2phrase's learning counts the pair b_c all the same.
    for (const line of [['a', 'b'], [], ['c', 'd'], ['a', 'b'], [], ['c', 'd']]) counter.addSentence(line.map((t) => atoms.id(t)));
    // Each pair twice (d_a once: (1 − 1) / 2 / 2 × 8 = 0 is not above the threshold).
    expect(counter.export().phrases.sort()).toEqual(['a_b', 'b_c', 'c_d']);
    expect(counter.words).toBe(8);
  });

  it('prunes as max_vocab_size does: counts under a growing floor are dropped after each sentence', () => {
    const { counter, table, joined } = learn(settingsOf({ minCount: 1, maxVocab: 30 }));
    expect(counter.vocabularySize).toBe(gensim.prune.vocab);
    expect(counter.prunings).toBeGreaterThan(0);
    expect(phrasesOf(table)).toEqual(gensim.prune.phrases);
    expect(joined).toEqual(gensim.prune.joined);
  });

  it('two passes learn phrases of phrases on the joined text', () => {
    const { table, joined } = learn(settingsOf({ passes: 2 }));
    const second = Object.fromEntries(Object.entries(phrasesOf(table, 1)).map(([p, [, score]]) => [p, score]));
    expect(second).toEqual(gensim['two-passes'].phrases);
    expect(joined).toEqual(gensim['two-passes'].joined);
  });

  it('atoms replayed on another thread give every token the same id, joined phrases and words kept apart alike', () => {
    const atoms = new TokenAtoms('_', ['of'], true);
    const ids = [atoms.id('bank'), atoms.id('a_b'), atoms.id('of'), atoms.id('bank_of_america', true), atoms.id('america')];
    const replay = atoms.replay();
    const copy = new TokenAtoms('_', ['of'], true);
    copy.adopt(replay);
    expect(replay.tokens.map((token) => copy.id(token))).toEqual(ids);
    expect(ids.map((id) => [copy.isApart(id), copy.isConnector(id), copy.atomCount(id)])).toEqual(ids.map((id) => [atoms.isApart(id), atoms.isConnector(id), atoms.atomCount(id)]));
    expect(copy.isApart(ids[1]!)).toBe(true);
    expect(copy.atomCount(ids[3]!)).toBe(3);
  });

  it('a table written and read back joins the same lines', () => {
    const { table, joined } = learn(settingsOf({ passes: 2 }));
    const back = parsePhraseTable(phraseTableToText(table), 'table.tsv');
    expect(back).toEqual(table);
    const atoms = new TokenAtoms(back.settings.delimiter, back.settings.connectors);
    const phraser = new Phraser(atoms, back.passes, back.settings.threshold);
    expect(lines.map((line) => phraser.apply(line).join(' '))).toEqual(joined);
    expect(() => parsePhraseTable('phrase\tcount\n', 't.tsv')).toThrow(/t.tsv: not a kotovec phrase table \(line 1/);
  });

  it('queries join as the corpus does, and their words are forgotten after (a server does not grow)', () => {
    const { table, joined } = learn(settingsOf({ passes: 2 }));
    const atoms = new TokenAtoms(table.settings.delimiter, table.settings.connectors);
    const phraser = new Phraser(atoms, table.passes, table.settings.threshold);
    const before = atoms.mark();
    for (let round = 0; round < 2; round++) {
      expect(lines.map((line) => phraser.apply(line, false).join(' ')), `round ${round}`).toEqual(joined);
      for (let i = 0; i < 500; i++) phraser.apply([`unseen${i}`, 'of', `word_${i}`, ...lines[i % lines.length]!], false);
      expect(atoms.mark()).toEqual(before);
    }
    // A corpus keeps its words (they come again).
    phraser.apply(['unseen0', ...lines[0]!]);
    expect(atoms.mark().tokens).toBeGreaterThan(before.tokens);
  });

  it('refuses settings gensim refuses', () => {
    expect(() => checkPhraseSettings({ ...PHRASE_DEFAULTS, threshold: 0 })).toThrow(/--threshold must be above 0 with --scoring default \(got 0\)/);
    expect(() => checkPhraseSettings({ ...PHRASE_DEFAULTS, scoring: 'npmi', threshold: 1.5 })).toThrow(/--threshold must be in \(-1, 1\] with --scoring npmi/);
    expect(() => checkPhraseSettings({ ...PHRASE_DEFAULTS, scoring: 'npmi', threshold: -1 })).toThrow(/in \(-1, 1\]/);
    expect(() => checkPhraseSettings({ ...PHRASE_DEFAULTS, minCount: 0 })).toThrow(/--min-count must be at least 1/);
    expect(() => checkPhraseSettings({ ...PHRASE_DEFAULTS, delimiter: '' })).toThrow(/--delimiter/);
    expect(ENGLISH_CONNECTOR_WORDS).toHaveLength(15);
  });
});

describe('kotovec phrases', () => {
  it('writes the joined text, saves the table, and joins another text with it', () => {
    const out = join(dir, 'joined.txt');
    const tablePath = join(dir, 'table.tsv');
    const run = kotovec(['phrases', CORPUS, '-o', out, '--save-table', tablePath, '--min-count', '2', '--threshold', '1', '--tokenizer', 'whitespace']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/learnt 3 phrases \(1 pass\) from 67 words in 9 lines/);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual(gensim['default-english'].joined);
    const again = kotovec(['phrases', '-', '--table', tablePath, '--tokenizer', 'whitespace'], 'we saw new york city and the bank of america\n');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('we saw new_york city and the bank_of_america\n');
    const json = kotovec(['phrases', CORPUS, '--json', '--min-count', '2', '--threshold', '1', '--tokenizer', 'whitespace']);
    expect(JSON.parse(json.stdout).phrases.map((p: { phrase: string }) => p.phrase).sort()).toEqual(['bank_of_america', 'new_york', 'york_city']);
    // Progress as JSON lines on stderr when asked (a bar only on a terminal).
    const progress = kotovec(['phrases', CORPUS, '-o', join(dir, 'progress.txt'), '--progress', 'json', '--min-count', '2', '--threshold', '1']);
    expect(progress.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l).phase)).toContain('scan');
    // The same run twice gives the same text.
    const twice = kotovec(['phrases', CORPUS, '--min-count', '2', '--threshold', '1']);
    expect(kotovec(['phrases', CORPUS, '--min-count', '2', '--threshold', '1']).stdout).toBe(twice.stdout);
  });

  it('a long text is counted and joined on threads of their own, as on one thread', () => {
    // 36,000 lines: the second half is joined by a thread of its own (from 32,768 lines on).
    const long: string[][] = [];
    for (let i = 0; i < 4000; i++) for (const line of lines) long.push(i % 3 === 0 ? line : [...line, `w${i % 7}`, 'new', 'york', 'times', 'square']);
    const input = join(dir, 'long.txt');
    writeFileSync(input, long.map((line) => line.join(' ')).join('\n') + '\n');
    const settings = settingsOf({ passes: 2, minCount: 5, threshold: 0.8, scoring: 'npmi' });
    const expected = learn(settings, long);
    expect(expected.table.passes[1]!.phrases.length).toBeGreaterThan(0);
    const run = kotovec(['phrases', input, '--tokenizer', 'whitespace', '--passes', '2', '--min-count', '5', '--threshold', '0.8', '--scoring', 'npmi']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(expected.joined.join('\n') + '\n');
  });

  it('joins Japanese tokens: compound names of the text become one token', () => {
    const ja = join(__dirname, '..', '..', 'corpora', 'ja');
    const run = kotovec(['phrases', ja, '--tokenizer', 'ja', '--min-count', '3', '--json', '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    const table = JSON.parse(run.stdout);
    // Japanese defaults: no connector words; 赤シャツ (Botchan's "Red Shirt") is two IPADIC tokens.
    expect(table.settings.connectors).toEqual([]);
    const red = table.phrases.find((p: { phrase: string }) => p.phrase === '赤_シャツ');
    expect(red?.count).toBeGreaterThan(100);
  });

  it('never spells a Japanese phrase like a word of the text that holds the delimiter', () => {
    // A user word 国際_連合 (one dictionary word), and the pair 国際 連合 elsewhere: the pair is not joined
    // into a token that would be that word; English would count the word as the pair it spells (gensim).
    const csv = join(dir, 'underscore.csv');
    writeFileSync(csv, '国際_連合,1285,1285,3000,名詞,一般,*,*,*,*,国際_連合,*,*\n');
    const text = '国際連合の会議だ。\n'.repeat(12) + '国際_連合が来た。\n'.repeat(6);
    const args = ['--tokenizer', 'ja', '--min-count', '2', '--threshold', '0.1', '--threads', '1'];
    const joined = kotovec(['phrases', '-', '--user-dict', csv, ...args], text);
    expect(joined.code, joined.stderr).toBe(0);
    const lines = joined.stdout.trim().split('\n');
    expect(lines[0]!.split(' ')[0]).toBe('国際');
    expect(lines.at(-1)!.split(' ')[0]).toBe('国際_連合');
    const table = JSON.parse(kotovec(['phrases', '-', '--user-dict', csv, ...args, '--json'], text).stdout);
    expect(table.phrases.map((p: { phrase: string }) => p.phrase)).not.toContain('国際_連合');
    // Without the user word, the pair is a phrase as before.
    expect(kotovec(['phrases', '-', ...args], '国際連合の会議だ。\n'.repeat(12)).stdout.split('\n')[0]!.split(' ')[0]).toBe('国際_連合');
  });

  it('refuses in one line, and writes nothing', () => {
    const out = join(dir, 'never.txt');
    for (const [args, message] of [
      [['--threshold', '0'], /--threshold must be above 0 with --scoring default \(got 0\) \(E_BAD_OPTION\)/],
      [['--scoring', 'npmi', '--threshold', '2'], /--threshold must be in \(-1, 1\] with --scoring npmi/],
      [['--min-count', '0'], /--min-count must be an integer from 1/],
      [['--table', join(dir, 'missing.tsv')], /cannot read the phrase table .*missing.tsv: ENOENT/],
      [['--table', CORPUS], /not a kotovec phrase table/],
    ] as const) {
      const run = kotovec(['phrases', CORPUS, '-o', out, ...args]);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('train --phrases', () => {
  const EN = join(__dirname, '..', '..', 'corpora', 'en');

  it('trains phrase vectors and reads queries with the same phrases', () => {
    const model = join(dir, 'phrased.db');
    const run = kotovec(['train', EN, '--phrases', '-o', model, '--dim', '16', '--epochs', '1', '--threads', '1', '--progress', 'none']);
    expect(run.code, run.stderr).toBe(0);
    const vocab = kotovec(['vocab', EN, '--min-count', '1']);
    expect(vocab.stdout).not.toMatch(/mock_turtle/);
    // The phrase is a word of the model, and a query in plain text is read as it.
    const similar = kotovec(['similar', model, 'Mock Turtle', '--json', '-k', '3']);
    expect(similar.code, similar.stderr).toBe(0);
    expect(JSON.parse(similar.stdout).query[0].tokens).toEqual(['mock_turtle']);
    // gensim's defaults but word2phrase's threshold: collocations, not the grammatical pairs gensim's 10 joins too.
    const info = JSON.parse(kotovec(['info', model, '--json']).stdout);
    expect(info.tokenizer.phrases).toMatchObject({ scoring: 'default', threshold: 100, minCount: 5, phrases: [82] });
    expect(JSON.parse(kotovec(['similar', model, 'alice replied', '--json']).stdout).query[0].tokens).toEqual(['alice', 'replied']);
    // The explorer's list of models: the table told by its size, and its most frequent phrase as a hint.
    const served = summarize({ name: 'phrased', path: model, model: openModel(model) });
    expect(served.tokenizer).toMatchObject({ phrases: { phrases: [82] } });
    expect(served.phraseExample).toMatch(/^\S+ \S+/);
    expect(JSON.parse(kotovec(['similar', model, served.phraseExample!, '--json']).stdout).query[0].tokens).toHaveLength(1);
  });

  it('reads the text once: training counts the lines phrase learning kept, as a second read would', async () => {
    const original = gunzipSync(readFileSync(join(EN, 'gutenberg-sample.txt.gz')));
    const lines = original.toString('utf8').split('\n');
    // Each input: its files and what they hold; a second read after the replacement would see `zebra crossing`.
    const lineFile = join(dir, 'read-once.txt');
    const tsvFile = join(dir, 'read-once.tsv');
    const folder = join(dir, 'read-once-files');
    mkdirSync(folder, { recursive: true });
    const tsv = Buffer.from(lines.map((line, i) => (i % 500 === 7 ? '  ' : `doc-${i}\t${line}`)).join('\n'));
    const parts = new Map<string, Buffer>([['empty.txt', Buffer.alloc(0)]]);
    for (let part = 0; part < 5; part++) parts.set(`part-${part}.txt`, Buffer.from(lines.filter((_, i) => i % 5 === part).join('\n')));
    for (const { options, files, input } of [
      { options: { maxVocab: 1500, minCount: 1 }, files: new Map([[lineFile, original]]), input: lineFile }, // pruned while counted
      { options: { model: 'pv-dbow', docs: 'lines' }, files: new Map([[lineFile, original]]), input: lineFile },
      { options: { model: 'pv-dbow', docs: 'tsv' }, files: new Map([[tsvFile, tsv]]), input: tsvFile },
      { options: { model: 'pv-dm', docs: 'files' }, files: new Map([...parts].map(([name, text]) => [join(folder, name), text])), input: folder },
    ] as { options: Partial<TrainOptions>; files: Map<string, Buffer>; input: string }[]) {
      for (const [path, text] of files) writeFileSync(path, text);
      const settings: TrainOptions = { inputs: [input], threads: 1, seed: 4, epochs: 1, dim: 12, ...options };
      // Once phrase learning has read every byte, the files say something else: a second read would see it.
      let replaced = false;
      const learnt = await trainModel({ ...settings, phrases: true }, {
        onProgress: (p) => {
          if (p.phase !== 'scan' || p.bytesRead < p.totalBytes || replaced) return;
          for (const path of files.keys()) writeFileSync(path, options.docs === 'tsv' ? 'z\tzebra crossing\n' : 'zebra crossing\n');
          replaced = true;
        },
      });
      expect(replaced).toBe(true);
      expect(learnt.words).toContain('mock_turtle');
      // The same table applied while reading the text again gives the same model, to the bit.
      for (const [path, text] of files) writeFileSync(path, text);
      const reread = await trainModel({ ...settings, phrases: learnt.tokenizer.phrases });
      expect(learnt.words).toEqual(reread.words);
      expect(Array.from(learnt.counts)).toEqual(Array.from(reread.counts));
      expect(Buffer.from(learnt.wordVectors.buffer).equals(Buffer.from(reread.wordVectors.buffer))).toBe(true);
      expect(learnt.docIds).toEqual(reread.docIds);
      if (options.docs) expect(Buffer.from(learnt.docVectors!.buffer).equals(Buffer.from(reread.docVectors!.buffer))).toBe(true);
      if (options.docs === 'tsv') expect(learnt.docIds).toEqual(lines.flatMap((_, i) => (i % 500 === 7 ? [] : [`doc-${i}`])));
      if (options.docs === 'files') expect(learnt.docIds).toEqual(['empty.txt', ...[0, 1, 2, 3, 4].map((part) => `part-${part}.txt`)]);
    }
  });

  it('reuses a saved table, learns from stdin, documents too, and refuses a tsv line without a tab in one line', () => {
    const tablePath = join(dir, 'en.tsv');
    expect(kotovec(['phrases', EN, '--save-table', tablePath, '--json']).code).toBe(0);
    const model = join(dir, 'from-table.db');
    const run = kotovec(['train', EN, '--phrases', tablePath, '-o', model, '--dim', '8', '--epochs', '1', '--progress', 'none']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(kotovec(['similar', model, 'alice replied', '--json']).stdout).query[0].tokens).toEqual(['alice_replied']);
    // Standard input is read once: phrases are learnt from it and training counts the lines kept.
    const piped = join(dir, 'piped.db');
    const fromStdin = kotovec(['train', '-', '--phrases', '-o', piped, '--dim', '8', '--epochs', '1', '--progress', 'none'], gunzipSync(readFileSync(join(EN, 'gutenberg-sample.txt.gz'))));
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    const query = kotovec(['similar', piped, 'Mock Turtle', '--json', '-k', '1']);
    expect(query.code, query.stderr).toBe(0);
    expect(JSON.parse(query.stdout).query[0].tokens).toEqual(['mock_turtle']);
    // Documents as id<TAB>text lines from standard input: their ids come with the lines kept.
    const docs = kotovec(['train', '-', '--phrases', '--docs', 'tsv', '--model', 'pv-dbow', '--min-count', '1', '-o', join(dir, 'docs.db'), '--dim', '8', '--epochs', '1', '--progress', 'none'], 'a\tb c\n\nb\tc d\n');
    expect(docs.code, docs.stderr).toBe(0);
    expect(JSON.parse(kotovec(['info', join(dir, 'docs.db'), '--json']).stdout).documents).toBe(2);
    // A line without a tab is refused while phrases are learnt, in one line, and nothing is written.
    const refused = kotovec(['train', '-', '--phrases', '--docs', 'tsv', '--model', 'pv-dbow', '-o', join(dir, 'never.db'), '--progress', 'none'], 'a\tb c\nno tab here\n');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toBe('kotovec: --docs tsv: line 2 has no tab between id and text (E_BAD_FORMAT)\n');
    expect(existsSync(join(dir, 'never.db'))).toBe(false);
  });
});

describe('a stopped phrase run', () => {
  it('SIGINT while reading removes the spool and writes no output', async () => {
    const { spawn } = await import('node:child_process');
    const { mkdirSync, readdirSync } = await import('node:fs');
    const scratch = join(dir, 'tmp-for-phrases');
    mkdirSync(scratch, { recursive: true });
    const out = join(dir, 'stopped.txt');
    const bin = join(__dirname, '..', '..', 'bin', 'kotovec.js');
    const child = spawn(process.execPath, [bin, 'phrases', '-', '-o', out], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: scratch } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdin.write('the cat sat on the mat\n'.repeat(600));
    // The spool folder exists once the run reads: stdin stays open, so it is still reading.
    while (!readdirSync(scratch).some((f) => f.startsWith('kotovec-phrases-'))) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/^kotovec: interrupted by SIGINT; the unfinished output was removed \(E_INTERRUPTED\)\n$/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(scratch)).toEqual([]);
  });
});
