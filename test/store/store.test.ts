import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ModelData } from '../../src/model.js';
import { openModel } from '../../src/query/model.js';
import { readModel } from '../../src/store/reader.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { writeModel, writeModelInterruptibly } from '../../src/store/writer.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

function tinyModel(): ModelData {
  const words = ['the', 'cat', 'dog', 'sat', 'café'];
  const dim = 4;
  const wordVectors = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0.9, 0.1, 0, 0, 0, 1, 0, 0.5, 0.5, 0.5, 0.5]);
  return {
    origin: 'trained',
    dim,
    words,
    counts: Float64Array.from([10, 5, 4, 3, 2]),
    wordVectors,
    outputNs: Float32Array.from({ length: 20 }, (_, i) => i / 7),
    outputHs: null,
    docIds: [],
    docVectors: null,
    docDim: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

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
    // Readable with plain SQL.
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
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
      ['short.db', "UPDATE word_vectors SET vector = x'0000803f' WHERE id = 2", /word vectors: 1 rows are not 4 float32 values/],
      ['missing.db', 'DELETE FROM word_vectors WHERE id = 4', /word vectors: 4 of 5 rows/],
      ['gap.db', 'UPDATE word_vectors SET id = 7 WHERE id = 4', /word vectors: keys run from 0 to 7/],
      ['null.db', 'UPDATE vocab SET count = -3 WHERE id = 1', /count "-3" of word 1/],
      ['outputs.db', "DELETE FROM output_weights WHERE kind = 'ns' AND row = 0", /ns output weights: keys run from 1 to 4/],
    ];
    for (const [name, sql, message] of cases) {
      const path = tampered(name, sql);
      expect(() => readModel(path, { outputs: true }), name).toThrow(expect.objectContaining({ code: 'E_BAD_MODEL', message: expect.stringMatching(message) }));
    }
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

describe('queries', () => {
  const path = join(dir, 'query.db');
  writeModel(path, tinyModel());
  const model = openModel(path);

  it('finds nearest words by cosine, excluding the query', () => {
    const result = model.similar(['cat'], 2);
    expect(result[0]!.word).toBe('dog');
    expect(result[0]!.similarity).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 6);
    expect(result.map((r) => r.word)).not.toContain('cat');
    expect(model.similar(['cat', 'the'], 10).map((r) => r.word)).not.toContain('the');
  });

  it('answers analogies with 3CosAdd and 3CosMul, excluding a, b and c', () => {
    // the → cat as sat → ?: cat − the + sat = (−1, 1, 1, 0); dog scores 1.10, café 0.5 (before normalising)
    const add = model.analogy('the', 'cat', 'sat', 5);
    expect(add.map((r) => r.word)).not.toContain('the');
    expect(add.map((r) => r.word)).not.toContain('cat');
    expect(add[0]!.word).toBe('dog');
    expect(model.analogy('the', 'cat', 'sat', 1, 'cosmul')[0]!.word).toBe('dog');
    expect(model.analogy('the', 'cat', 'sat', 1, 'cosmul')[0]!.similarity).toBeCloseTo((((1 + 0.9 / Math.hypot(0.9, 0.1)) / 2) * ((1 + 0.1 / Math.hypot(0.9, 0.1)) / 2)) / (0.5 + 1e-6), 5);
  });

  it('names an unknown word and refuses an empty query', () => {
    expect(() => model.similar(['zebra'])).toThrow(/word not in the model: "zebra"/);
    expect(() => model.analogy('the', 'zebra', 'cat')).toThrow(expect.objectContaining({ code: 'E_UNKNOWN_WORD' }));
    expect(() => model.similar([])).toThrow(expect.objectContaining({ code: 'E_EMPTY_QUERY' }));
  });

  it('returns a copy of a vector', () => {
    const v = model.vector('cat');
    v[0] = 99;
    expect(model.vector('cat')[0]).toBe(0);
  });
});
