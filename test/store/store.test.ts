import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openModel } from '../../src/query/model.js';
import { describeModel } from '../../src/store/info.js';
import { readModel } from '../../src/store/reader.js';
import { PLAIN_SCHEMA_VERSION, SCHEMA_VERSION } from '../../src/store/schema.js';
import { writeModel, writeModelInterruptibly } from '../../src/store/writer.js';
import { tempDir } from '../helpers/tmp.js';
import { tinyModel } from '../helpers/tinyModel.js';

const dir = tempDir();


describe('model store', () => {
  it('round-trips vocabulary, vectors and output weights exactly', () => {
    const path = join(dir, 'round.db');
    const model = tinyModel();
    writeModel(path, model);
    const back = readModel(path, { outputs: true });
    expect(back.words).toEqual(model.words);
    expect(Array.from(back.counts)).toEqual(Array.from(model.counts));
    expect(Array.from(back.wordVectors)).toEqual(Array.from(model.wordVectors));
    expect(Array.from(back.outputNs!)).toEqual(Array.from(model.outputNs!));
    expect(back.outputHs).toBeNull();
    // Readable with plain SQL; words only, so at the schema older kotovec versions read too.
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(PLAIN_SCHEMA_VERSION);
    expect(db.prepare('SELECT word, count FROM vocab WHERE id = 1').get()).toEqual({ word: 'cat', count: 5 });
    db.close();
  });

  it('refuses to replace a file without force, and replaces it with force', () => {
    const path = join(dir, 'exists.db');
    writeModel(path, tinyModel());
    expect(() => writeModel(path, tinyModel())).toThrow(/exists.*--force/);
    writeModel(path, { ...tinyModel(), words: ['a', 'b', 'c', 'd', 'e'] }, { force: true });
    expect(readModel(path).words[0]).toBe('a');
  });

  it('leaves the existing model untouched and no temporary file when writing fails', () => {
    const path = join(dir, 'keep.db');
    writeModel(path, tinyModel());
    const before = readFileSync(path);
    const broken = { ...tinyModel(), words: ['x', 'x', 'y', 'z', 'w'] }; // duplicate word: the insert fails
    expect(() => writeModel(path, broken, { force: true })).toThrow(/cannot write model/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a write interrupted between chunks removes its temporary file and keeps the old model', async () => {
    const path = join(dir, 'interrupted.db');
    writeModel(path, tinyModel());
    const before = readFileSync(path);
    const bigger = { ...tinyModel(), createdAt: '2026-02-02T00:00:00.000Z' };
    const controller = new AbortController();
    const writing = writeModelInterruptibly(path, bigger, { force: true, signal: controller.signal, chunkRows: 2 });
    setImmediate(() => controller.abort()); // runs at the first pause, after two rows
    await expect(writing).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // Not interrupted, the same call writes the whole model.
    await writeModelInterruptibly(path, bigger, { force: true, chunkRows: 2 });
    const back = readModel(path, { outputs: true });
    expect(back.createdAt).toBe(bigger.createdAt);
    expect(Array.from(back.wordVectors)).toEqual(Array.from(bigger.wordVectors));
    expect(Array.from(back.outputNs!)).toEqual(Array.from(bigger.outputNs!));
  });

  it('fails clearly on a missing output folder', () => {
    expect(() => writeModel(join(dir, 'no', 'such', 'm.db'), tinyModel())).toThrow(/output folder does not exist/);
  });

  // root writes into read-only folders, so this case can only be checked as another user.
  it.skipIf(process.getuid?.() === 0)('fails clearly on a read-only output folder', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      expect(() => writeModel(join(locked, 'm.db'), tinyModel())).toThrow(/cannot write/);
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  it('says what is wrong with files that are not kotovec models', () => {
    expect(() => readModel(join(dir, 'missing.db'))).toThrow(/model not found/);
    writeFileSync(join(dir, 'text.db'), 'hello, not a database');
    expect(() => readModel(join(dir, 'text.db'))).toThrow(/not an SQLite database/);
    const foreign = new Database(join(dir, 'foreign.db'));
    foreign.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    foreign.close();
    expect(() => readModel(join(dir, 'foreign.db'))).toThrow(/SQLite database of something else/);
    const newer = join(dir, 'newer.db');
    writeModel(newer, tinyModel());
    const db = new Database(newer);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => readModel(newer)).toThrow(expect.objectContaining({ code: 'E_MODEL_TOO_NEW' }));
    const truncated = join(dir, 'truncated.db');
    writeModel(truncated, tinyModel());
    truncateSync(truncated, Math.floor(statSync(truncated).size / 2));
    expect(() => readModel(truncated)).toThrow(expect.objectContaining({ code: 'E_BAD_MODEL' }));
    expect(existsSync(truncated)).toBe(true);
  });
});

describe('reading damaged or unusual rows', () => {
  const tampered = (name: string, sql: string): string => {
    const path = join(dir, name);
    writeModel(path, tinyModel());
    const db = new Database(path);
    db.pragma('foreign_keys = OFF');
    db.exec(sql);
    db.close();
    return path;
  };

  it('names the damage: a short vector, a missing row, a gap in the ids, a missing output row', () => {
    const cases: [string, string, RegExp][] = [
      ['short.db', "UPDATE word_blocks SET vectors = x'0000803f' WHERE block = 0", /word vectors: 1 blocks are not rows of 4 float32 values/],
      ['missing.db', 'UPDATE word_blocks SET rows = 4, vectors = substr(vectors, 1, 64)', /word vectors: 4 of 5 rows/],
      ['gap.db', 'UPDATE word_blocks SET block = 7', /word vectors: blocks run from 7 to 7, expected 0 to 0/],
      ['null.db', 'UPDATE vocab SET count = -3 WHERE id = 1', /count "-3" of word 1/],
      ['outputs.db', 'UPDATE output_ns_blocks SET rows = 4, vectors = substr(vectors, 17)', /ns output weights: 4 of 5 rows/],
      ['settings.db', "INSERT OR REPLACE INTO meta (key, value) VALUES ('tokenizer', '{not json')", /settings: tokenizer is not JSON/],
    ];
    for (const [name, sql, message] of cases) {
      const path = tampered(name, sql);
      expect(() => readModel(path, { outputs: true }), name).toThrow(expect.objectContaining({ code: 'E_BAD_MODEL', message: expect.stringMatching(message) }));
    }
    expect(() => describeModel(join(dir, 'settings.db'))).toThrow(expect.objectContaining({ code: 'E_BAD_MODEL', message: expect.stringMatching(/tokenizer is not JSON/) }));
  });

  it('reads words that hold a newline or a comma (imported files may have them)', () => {
    const path = join(dir, 'odd-words.db');
    const model = tinyModel();
    model.words = ['the', 'a\nb', 'c,d', 'sat', 'café'];
    writeModel(path, model);
    const back = readModel(path);
    expect(back.words).toEqual(model.words);
    expect(Array.from(back.wordVectors)).toEqual(Array.from(model.wordVectors));
    expect(openModel(path).similar(['a\nb'], 1)[0]!.word).toBe('c,d');
  });
});
