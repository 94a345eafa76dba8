// The model layout for big models: vectors in blocks at a precision, the scan index, queries answered from
// the file (StoredModel) exactly as from the loaded model, files of the earlier layout read and upgraded.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelData } from '../../src/model.js';
import { writeWord2Vec } from '../../src/formats/word2vec.js';
import { evaluateAnalogies } from '../../src/query/evaluate.js';
import { nearestByIndex, type CandidateSource } from '../../src/query/candidates.js';
import { KeyedVectors, unitRowOf } from '../../src/query/keyedVectors.js';
import { Model, openModel } from '../../src/query/model.js';
import { StoredModel } from '../../src/query/storedModel.js';
import { importWord2Vec } from '../../src/store/importer.js';
import { decodeRows, encodeRow, rowBytes, toHalfBits, type Precision } from '../../src/store/precision.js';
import { readModel } from '../../src/store/reader.js';
import { describeModel } from '../../src/store/info.js';
import { PLAIN_SCHEMA_VERSION, SCHEMA_VERSION } from '../../src/store/schema.js';
import { upgradeModel } from '../../src/store/upgrade.js';
import { writeModel } from '../../src/store/writer.js';
import { trainModel } from '../../src/train/trainer.js';
import { kotovec } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { writeVersion1Model } from '../helpers/version1.js';

const dir = tempDir();
const EN = join(__dirname, '..', '..', 'corpora', 'en');
const QUERIES = ['king', 'alice', 'house', 'said', 'little', 'water', 'quickly', 'war', 'mother', 'london'];

function roundTrip(values: number[], precision: Precision): Float32Array {
  const bytes = encodeRow(Float32Array.from(values), precision, new Uint8Array(rowBytes(precision, values.length)));
  return decodeRows(bytes, precision, 1, values.length);
}

describe('precisions', () => {
  it('encodes half precision exactly where it can and rounds to nearest even', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(1e6)).toBe(0x7bff); // saturates, never infinity
    expect(toHalfBits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toHalfBits(2 ** -26)).toBe(0x0000);
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // a tie: to the even neighbour
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(Array.from(roundTrip([0.5, -0.25, 3, 0, 2 ** -20], 'f16'))).toEqual([0.5, -0.25, 3, 0, 2 ** -20]);
  });

  it('keeps f16 within 2^-11 and int8 within half a step of the row scale', () => {
    const values = Array.from({ length: 300 }, (_, i) => Math.sin(i * 1.7) * 2.5);
    const half = roundTrip(values, 'f16');
    const int8 = roundTrip(values, 'int8');
    const scale = Math.max(...values.map(Math.abs)) / 127;
    values.forEach((v, i) => {
      expect(Math.abs(half[i]! - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 1e-7);
      expect(Math.abs(int8[i]! - v)).toBeLessThanOrEqual(scale / 2 + 1e-6);
    });
    expect(Array.from(roundTrip([0, 0, 0], 'int8'))).toEqual([0, 0, 0]);
  });
});

describe('queries answered from the file', () => {
  let data: ModelData;
  const v2 = join(dir, 'en.db');
  const v1 = join(dir, 'en-v1.db');
  beforeAll(async () => {
    data = await trainModel({ inputs: [EN], threads: 1, seed: 1, dim: 40, epochs: 2 });
    writeModel(v2, data);
    writeVersion1Model(v1, data);
  }, 120_000);

  it('gives the loaded model’s answers to the last bit: similar, phrases, analogies', async () => {
    const loaded = new Model(data);
    const stored = new StoredModel(v2);
    try {
      for (const word of QUERIES) {
        expect(await stored.similarTo([word], 10), word).toEqual(await loaded.similarTo([word], 10));
      }
      expect(await stored.similarTo(['king', 'queen'], 25)).toEqual(await loaded.similarTo(['king', 'queen'], 25));
      expect(await stored.similarTo(['the old house'], 5)).toEqual(await loaded.similarTo(['the old house'], 5));
      expect(await stored.analogyOf('man', 'king', 'woman', 10)).toEqual(await loaded.analogyOf('man', 'king', 'woman', 10));
      expect(await stored.analogyOf('man', 'king', 'woman', 5, 'cosmul')).toEqual(await loaded.analogyOf('man', 'king', 'woman', 5, 'cosmul'));
      await expect(stored.similarTo(['zebraxx'])).rejects.toMatchObject({ code: 'E_UNKNOWN_WORD' });
    } finally {
      stored.close();
    }
  });

  it('reads files of schema 1 as before, with the same answers and evaluation, and upgrades them', async () => {
    const old = readModel(v1);
    expect(old.precision).toBe('f32');
    expect(Buffer.from(old.wordVectors.buffer, old.wordVectors.byteOffset, old.wordVectors.byteLength).equals(Buffer.from(data.wordVectors.buffer, data.wordVectors.byteOffset, data.wordVectors.byteLength))).toBe(true);
    const questions = join(dir, 'questions.txt');
    writeFileSync(questions, ': family\nman woman king queen\nhe she his her\nfather mother son daughter\nboy girl brother sister\n: verbs\ngo went see saw\ncome came take took\n');
    const before = evaluateAnalogies(openModel(v1).words, questions);
    const after = evaluateAnalogies(openModel(v2).words, questions);
    expect(after).toEqual(before);
    // A one-off query on an old file loads it (no index) and answers the same.
    const stored = new StoredModel(v1);
    expect(await stored.similarTo(['king'], 10)).toEqual(await new Model(data).similarTo(['king'], 10));
    stored.close();
    const upgraded = join(dir, 'upgraded.db');
    const result = upgradeModel(v1, { output: upgraded });
    // Words only: the newest schema that such a file needs.
    expect(result).toMatchObject({ fromVersion: 1, toVersion: PLAIN_SCHEMA_VERSION, precision: 'f32', words: data.words.length });
    const db = new Database(upgraded, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(PLAIN_SCHEMA_VERSION);
    expect(db.prepare("SELECT count(*) FROM scan_blocks WHERE matrix = 'words'").pluck().get()).toBeGreaterThan(0);
    expect(db.prepare('SELECT sum(rows) FROM output_ns_blocks').pluck().get()).toBe(data.words.length);
    db.close();
    // The output weights read from the old layout (a row each) and from the new (blocks) are the trained ones.
    expect(readModel(v1, { outputs: true }).outputNs).toEqual(data.outputNs);
    expect(readModel(upgraded, { outputs: true }).outputNs).toEqual(data.outputNs);
    expect(kotovec(['similar', upgraded, 'king', '--json']).stdout).toBe(kotovec(['similar', v1, 'king', '--json']).stdout);
  });

  it('stores f16 and int8 smaller, with nearly the same neighbours', async () => {
    const sizes: Record<string, number> = {};
    const overlap: Record<string, number> = {};
    const exact = new Model(data);
    for (const precision of ['f16', 'int8'] as const) {
      const path = join(dir, `en-${precision}.db`);
      writeModel(path, data, { precision });
      const read = readModel(path);
      expect(read.precision).toBe(precision);
      const db = new Database(path, { readonly: true });
      sizes[precision] = db.prepare('SELECT sum(length(vectors)) FROM word_blocks').pluck().get() as number;
      db.close();
      const stored = new StoredModel(path);
      let shared = 0;
      for (const word of QUERIES) {
        const mine = (await stored.similarTo([word], 10)).results.map((r) => r.word);
        const truth = exact.similar([word], 10).map((r) => r.word);
        shared += mine.filter((w) => truth.includes(w)).length;
        // The file's answer is the loaded model's answer at that precision.
        expect(mine).toEqual(new Model(read).similar([word], 10).map((r) => r.word));
      }
      stored.close();
      overlap[precision] = shared / (10 * QUERIES.length);
    }
    const f32Bytes = data.words.length * data.dim * 4;
    expect(sizes.f16).toBe(f32Bytes / 2);
    expect(sizes.int8).toBe(data.words.length * (data.dim + 4));
    expect(overlap.f16).toBeGreaterThanOrEqual(0.97);
    expect(overlap.int8).toBeGreaterThanOrEqual(0.85);
  });
});

describe('export streams the word vectors', () => {
  it('writes what the loaded model holds, at any precision and from files of schema 1', () => {
    const rows = 5000;
    const dim = 12;
    const model: ModelData = {
      origin: 'imported', dim, words: Array.from({ length: rows }, (_, i) => `w${i}`), counts: new Float64Array(rows),
      wordVectors: Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i * 0.1) * 3), outputNs: null, outputHs: null,
      docIds: [], docVectors: null, docDim: 0, createdAt: '2026-01-01T00:00:00.000Z',
    };
    for (const precision of ['f32', 'f16', 'int8'] as const) {
      const path = join(dir, `export-${precision}.db`);
      writeModel(path, model, { precision });
      const streamed = join(dir, `export-${precision}.bin`);
      expect(kotovec(['export', path, '-o', streamed]).code).toBe(0);
      const loaded = readModel(path);
      const expected = join(dir, `expected-${precision}.bin`);
      writeWord2Vec(expected, { keys: loaded.words, vectors: loaded.wordVectors, dim }, true);
      expect(readFileSync(streamed).equals(readFileSync(expected)), precision).toBe(true);
    }
    const old = join(dir, 'export-v1.db');
    writeVersion1Model(old, model);
    const fromOld = join(dir, 'export-v1.bin');
    expect(kotovec(['export', old, '-o', fromOld]).code).toBe(0);
    expect(readFileSync(fromOld).equals(readFileSync(join(dir, 'expected-f32.bin')))).toBe(true);
  });
});

describe('document vectors from the file', () => {
  it('answers similar-docs by id as the loaded model does, at every precision', async () => {
    const data = await trainModel({ inputs: [join(__dirname, '..', '..', 'corpora', 'docs', 'lee_background.cor')], model: 'pv-dbow', dim: 24, epochs: 5, minCount: 2, threads: 1, seed: 1 });
    for (const precision of ['f32', 'f16', 'int8'] as const) {
      const path = join(dir, `lee-${precision}.db`);
      writeModel(path, data, { precision });
      const loaded = openModel(path, { docs: true });
      const stored = new StoredModel(path);
      for (const id of ['0', '17', '150', '299']) expect(await stored.similarDocs(id, 10), `${precision} ${id}`).toEqual(loaded.similarDocs({ id }, 10));
      await expect(stored.similarDocs('no such document')).rejects.toMatchObject({ code: 'E_UNKNOWN_DOC' });
      stored.close();
    }
    // Documents numbered 0, 1, 2, … (a line each) are keyed by their numbers: no id rows, schema 4.
    const numbered = join(dir, 'lee-f32.db');
    const db = new Database(numbered, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(0);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'documents'").pluck().get()).toBe(String(data.docIds.length));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    expect(readModel(numbered, { docs: true }).docIds).toEqual(data.docIds);
    expect(describeModel(numbered).documents).toBe(data.docIds.length);
    const stored300 = new StoredModel(numbered);
    for (const id of ['05', '-1', '1e2', String(data.docIds.length), ' 7']) await expect(stored300.similarDocs(id), id).rejects.toMatchObject({ code: 'E_UNKNOWN_DOC' });
    stored300.close();
    // Other ids keep their rows (and a file without numbered documents stays at schema 3).
    const named = { ...data, docIds: data.docIds.map((id) => `doc-${id}`) };
    const namedPath = join(dir, 'lee-named.db');
    writeModel(namedPath, named);
    const namedDb = new Database(namedPath, { readonly: true });
    expect(namedDb.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(data.docIds.length);
    expect(namedDb.pragma('user_version', { simple: true })).toBe(PLAIN_SCHEMA_VERSION);
    namedDb.close();
    const namedStored = new StoredModel(namedPath);
    expect(await namedStored.similarDocs('doc-17', 5)).toEqual(new Model(named).similarDocs({ id: 'doc-17' }, 5));
    namedStored.close();
    // Document vectors in a file of schema 1 (a row each) read back the same, and answer from it.
    const old = join(dir, 'lee-v1.db');
    writeVersion1Model(old, data);
    const read = readModel(old, { docs: true });
    expect(read.docIds).toEqual(data.docIds);
    expect(Array.from(read.docVectors!)).toEqual(Array.from(data.docVectors!));
    const stored = new StoredModel(old);
    expect(await stored.similarDocs('17', 5)).toEqual(new Model(data).similarDocs({ id: '17' }, 5));
    stored.close();
  }, 60_000);
});

describe('big loaded matrices', () => {
  it('normalise a row in TypeScript exactly as the WebAssembly scan does', () => {
    for (const dim of [1, 3, 4, 7, 16, 100, 301]) {
      const rows = 50;
      const vectors = Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1 * (i % 7 === 0 ? 1e-3 : 5));
      const whole = new KeyedVectors(Array.from({ length: rows }, (_, i) => `w${i}`), vectors, dim, 'word', Infinity);
      for (let row = 0; row < rows; row++) {
        expect(Array.from(unitRowOf(vectors.subarray(row * dim, (row + 1) * dim), dim)), `${dim}/${row}`).toEqual(Array.from(whole.unitRow(row)));
      }
    }
  });

  it('answer through the int8 copy exactly as through the float32 one', async () => {
    const data = await trainModel({ inputs: [EN], threads: 1, seed: 2, dim: 30, epochs: 1 });
    const plain = new KeyedVectors(data.words, data.wordVectors, data.dim, 'word', Infinity);
    const indexed = new KeyedVectors(data.words, data.wordVectors, data.dim, 'word', 1000);
    expect(indexed.indexed).toBe(true);
    for (const word of QUERIES) {
      const row = [plain.require(word)];
      expect(indexed.mostSimilarTerms([row], [], 10), word).toEqual(plain.mostSimilarTerms([row], [], 10));
      expect(indexed.unitRow(row[0]!)).toEqual(plain.unitRow(row[0]!));
    }
    const [man, king, woman] = ['man', 'king', 'woman'].map((w) => [plain.require(w)]);
    expect(indexed.mostSimilarTerms([king!, woman!], [man!], 10)).toEqual(plain.mostSimilarTerms([king!, woman!], [man!], 10));
  }, 60_000);
});

describe('the scan index’s error bound', () => {
  it('takes more candidates while the bound cannot rule the rest out, then leaves the answer to a full scan', () => {
    const rows = 5000;
    const dim = 4;
    const vectors = Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i * 0.7));
    const whole = new KeyedVectors(Array.from({ length: rows }, (_, i) => `w${i}`), vectors, dim, 'word', Infinity);
    const asked: number[] = [];
    const source = (bestLeftOut: number): CandidateSource => ({
      rows,
      dim,
      subset: (list) => whole.subset(list),
      scan: (_unit, count) => {
        asked.push(count);
        return { rows: Array.from({ length: Math.min(count, rows) }, (_, i) => i), bestLeftOut, errorBound: 0.01 };
      },
    });
    // Rows left out might score 2 (above any cosine): 257, then 8× more, until that is every row → null.
    expect(nearestByIndex(source(2), [[0]], [], 10)).toBeNull();
    expect(asked).toEqual([257, 2049]);
    // Rows left out surely score below the 10th: the first candidates are the answer.
    asked.length = 0;
    expect(nearestByIndex(source(-1), [[0]], [], 10)).toEqual(whole.subset(Array.from({ length: 257 }, (_, i) => i)).mostSimilarTerms([[0]], [], 10));
    expect(asked).toEqual([257]);
  });

  it('falls back to exact scoring when the candidates cannot be trusted (near-identical rows)', async () => {
    // 3,000 rows that differ by less than an int8 step: the approximate scores cannot rank them.
    const rows = 3000;
    const dim = 16;
    const vectors = new Float32Array(rows * dim);
    for (let r = 0; r < rows; r++) for (let k = 0; k < dim; k++) vectors[r * dim + k] = 1 + ((r * 7919 + k * 104729) % 1000) * 1e-6;
    const model: ModelData = {
      origin: 'imported', dim, words: Array.from({ length: rows }, (_, i) => `w${i}`), counts: new Float64Array(rows), wordVectors: vectors,
      outputNs: null, outputHs: null, docIds: [], docVectors: null, docDim: 0, createdAt: '2026-01-01T00:00:00.000Z',
    };
    const path = join(dir, 'ties.db');
    writeModel(path, model);
    const stored = new StoredModel(path);
    expect(await stored.similarTo(['w17'], 10)).toEqual(await new Model(model).similarTo(['w17'], 10));
    stored.close();
  });
});

describe('import', () => {
  it('stores imported vectors at the precision asked for, with a scan index', async () => {
    const dim = 20;
    const lines = [`3000 ${dim}`];
    for (let r = 0; r < 3000; r++) lines.push(`w${r} ${Array.from({ length: dim }, (_, k) => Math.sin(r * 0.37 + k * (r % 13)).toFixed(5)).join(' ')}`);
    const text = join(dir, 'vectors.txt');
    writeFileSync(text, lines.join('\n') + '\n');
    const progress: number[] = [];
    for (const precision of ['f32', 'f16', 'int8'] as const) {
      const path = join(dir, `imported-${precision}.db`);
      const result = await importWord2Vec(text, path, { precision, onProgress: (p) => progress.push(p.rows) });
      expect(result).toMatchObject({ count: 3000, dim, precision });
      const model = readModel(path);
      expect(model.precision).toBe(precision);
      const tolerance = precision === 'f32' ? 0 : precision === 'f16' ? 1e-3 : 5e-3;
      expect(Math.abs(model.wordVectors[5 * dim + 3]! - Math.fround(Number(lines[6]!.split(' ')[4])))).toBeLessThanOrEqual(tolerance);
      const stored = new StoredModel(path);
      expect(await stored.similarTo(['w42'], 10)).toEqual(await new Model(model).similarTo(['w42'], 10));
      stored.close();
    }
    expect(progress.at(-1)).toBe(3000);
  });
});

describe('a damaged scan index', () => {
  it('is named, with the command that rebuilds it', async () => {
    const path = join(dir, 'damaged-index.db');
    const rows = 600;
    const model: ModelData = {
      origin: 'imported', dim: 8, words: Array.from({ length: rows }, (_, i) => `w${i}`), counts: new Float64Array(rows),
      wordVectors: Float32Array.from({ length: rows * 8 }, (_, i) => Math.sin(i)), outputNs: null, outputHs: null,
      docIds: [], docVectors: null, docDim: 0, createdAt: '2026-01-01T00:00:00.000Z',
    };
    writeModel(path, model);
    const db = new Database(path);
    db.exec("UPDATE scan_blocks SET codes = substr(codes, 1, 100) WHERE matrix = 'words'");
    db.close();
    const stored = new StoredModel(path);
    await expect(stored.similarTo(['w3'])).rejects.toMatchObject({ code: 'E_BAD_MODEL', message: expect.stringMatching(/scan index is damaged.*kotovec upgrade/) });
    stored.close();
    upgradeModel(path);
    const repaired = new StoredModel(path);
    expect(await repaired.similarTo(['w3'], 5)).toEqual(await new Model(model).similarTo(['w3'], 5));
    repaired.close();
  });
});
