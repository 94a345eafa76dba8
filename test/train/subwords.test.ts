// Subword vectors (fastText's model) trained on the bundled English sample: the kernels agree to the
// bit, one thread is deterministic, words the corpus never held get vectors from their n-grams, and the
// model file keeps the n-gram rows so that a query read from the file answers as the loaded model does.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelData } from '../../src/model.js';
import type { TrainOptions } from '../../src/options.js';
import { Model, openModel } from '../../src/query/model.js';
import { StoredModel } from '../../src/query/storedModel.js';
import { readModel } from '../../src/store/reader.js';
import { writeModel } from '../../src/store/writer.js';
import { trainModel } from '../../src/train/trainer.js';
import { buildSubwordTable, composeFromTable, meanOfRows, ngramBuckets } from '../../src/vocab/subwords.js';
import { tempDir } from '../helpers/tmp.js';
import { denseNgramRows, initialNgramRow } from '../../src/kernel/ngramRows.js';

const EN = join(__dirname, '..', '..', 'corpora', 'en');
const dir = tempDir();
const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
};

describe('training subword vectors', () => {
  it('the WebAssembly and TypeScript kernels compute the same bits (cbow and skip-gram, ns and hs)', async () => {
    for (const [model, loss, cbowMean] of [['cbow', 'ns', true], ['skipgram', 'ns', true], ['cbow', 'hs', false], ['skipgram', 'hs', true]] as const) {
      // dim 10: SIMD lanes and a scalar tail; few buckets, so n-gram rows are shared and updated often.
      const options: TrainOptions = { inputs: [EN], threads: 1, seed: 3, epochs: 1, dim: 10, model, loss, cbowMean, subwords: { bucket: 5000 } };
      const wasm = await trainModel({ ...options, kernel: 'wasm' });
      const js = await trainModel({ ...options, kernel: 'js' });
      expect(bytes(wasm.subwords!.ngramRows!).equals(bytes(js.subwords!.ngramRows!)), `${model}+${loss} n-grams`).toBe(true);
      expect(bytes(wasm.subwords!.wordRows!).equals(bytes(js.subwords!.wordRows!)), `${model}+${loss} words`).toBe(true);
      expect(bytes(wasm.wordVectors).equals(bytes(js.wordVectors))).toBe(true);
      // The n-grams learnt: nearly every row moved from where it started.
      const dense = denseNgramRows(wasm.subwords!, 10);
      const start = new Float32Array(10);
      let moved = 0;
      for (let b = 0; b < 5000; b++) {
        initialNgramRow(wasm.subwords!.initSeed ?? 0, b, 10, start);
        if (!bytes(start).equals(bytes(dense.subarray(b * 10, (b + 1) * 10)))) moved++;
      }
      expect(moved, `${model}+${loss} n-gram rows moved`).toBeGreaterThan(4500);
    }
  });

  it('one thread and a seed give identical vectors run after run', async () => {
    const options: TrainOptions = { inputs: [EN], threads: 1, seed: 5, epochs: 1, dim: 16, model: 'skipgram', subwords: { bucket: 20000 } };
    const a = await trainModel(options);
    const b = await trainModel(options);
    expect(bytes(a.subwords!.ngramRows!).equals(bytes(b.subwords!.ngramRows!))).toBe(true);
    expect(bytes(a.wordVectors).equals(bytes(b.wordVectors))).toBe(true);
  });

  it("a word's vector is the mean of its own row and its n-grams' rows", async () => {
    const model = await trainModel({ inputs: [EN], threads: 2, epochs: 1, dim: 12, subwords: { minn: 2, maxn: 4, bucket: 3000 } });
    expect(model.hyper!.subwords).toEqual({ minn: 2, maxn: 4, bucket: 3000 });
    // Composed again from scratch: every word's n-grams hashed anew, over every bucket's row.
    const dense = new Float32Array([...model.subwords!.wordRows!, ...denseNgramRows(model.subwords!, 12)]);
    const recomposed = composeFromTable(dense, buildSubwordTable(model.words, model.subwords!), 12);
    expect(bytes(recomposed).equals(bytes(model.wordVectors))).toBe(true);
    const id = model.words.indexOf('martians');
    const rows = [id, ...ngramBuckets('martians', model.subwords!).map((b) => model.words.length + b)];
    expect(Array.from(model.wordVectors.subarray(id * 12, (id + 1) * 12))).toEqual(Array.from(meanOfRows(dense, rows, 12)));
  });

  it('is refused for doc2vec and for n-gram settings out of range', async () => {
    await expect(trainModel({ inputs: [EN], model: 'pv-dbow', subwords: true })).rejects.toThrow(/subword vectors are trained by --model cbow or skipgram/);
    await expect(trainModel({ inputs: [EN], subwords: { minn: 5, maxn: 4 } })).rejects.toThrow(/--maxn \(4\) must not be under --minn \(5\)/);
  });
});

describe('words outside the vocabulary', () => {
  let data: ModelData;
  let path: string;
  it('get vectors from their n-grams: misspellings and inflections land next to their words', async () => {
    // One thread: the same model every run, so the neighbours below are the same every run.
    data = await trainModel({ inputs: [EN], threads: 1, seed: 1, epochs: 5, subwords: { bucket: 200000 } });
    const model = new Model(data);
    for (const [made, word] of [['martianz', 'martian'], ['machinez', 'machine'], ['thingss', 'things']] as const) {
      expect(data.words.includes(made)).toBe(false);
      const neighbours = model.similar([made], 5).map((r) => r.word);
      expect(neighbours, made).toContain(word);
    }
    // Composed vectors are specific: a made-up word is far nearer its stem than an unrelated word (on this
    // small text every vector shares a large common part: unrelated words still have cosines near 0.8).
    expect(cosine(model.vector('martianz'), model.vector('martian'))).toBeGreaterThan(cosine(model.vector('martianz'), model.vector('queen')) + 0.1);
    const answer = await model.similarTo(['martianz'], 3);
    expect(answer.query).toEqual([{ text: 'martianz', tokens: ['martianz'], unknown: [], composed: ['martianz'] }]);
    // A word2vec model still refuses a word it does not hold.
    const plain = new Model(await trainModel({ inputs: [EN], threads: 2, epochs: 1, dim: 8 }));
    await expect(plain.similarTo(['martianz'])).rejects.toThrow(/word not in the model: "martianz"/);
  });

  it('the model file keeps the n-gram rows; loaded and read-where-it-lies answers are the same', async () => {
    path = join(dir, 'sub.db');
    writeModel(path, data);
    const back = readModel(path, { subwords: true });
    expect(back.subwords!.bucket).toBe(200000);
    expect(bytes(back.subwords!.ngramRows!).equals(bytes(data.subwords!.ngramRows!))).toBe(true);
    expect(bytes(back.subwords!.wordRows!).equals(bytes(data.subwords!.wordRows!))).toBe(true);
    expect(bytes(back.wordVectors).equals(bytes(data.wordVectors))).toBe(true);
    // Only the rows training moved are kept: a bucket no word of the vocabulary uses still holds its
    // initial row, computed again from the seed (and a made-up word may use such buckets).
    const trained = back.subwords!.trainedBuckets!;
    expect(Array.from(trained)).toEqual(Array.from(data.subwords!.trainedBuckets!));
    expect(trained.length).toBeGreaterThan(1000);
    expect(trained.length).toBeLessThan(200000 / 2);
    const unused = [0, 1, 2, 3, 4, 5].find((b) => !trained.includes(b))!;
    const initial = new Float32Array(100);
    initialNgramRow(back.subwords!.initSeed!, unused, 100, initial);
    expect(Array.from(denseNgramRows(back.subwords!, 100).subarray(unused * 100, (unused + 1) * 100))).toEqual(Array.from(initial));
    // Opened for queries, the rows stay in the file; a word outside the vocabulary reads its n-grams.
    const loaded = openModel(path);
    expect(loaded.data.subwords!.ngramRows).toBeUndefined();
    expect(Array.from(loaded.vector('martianz'))).toEqual(Array.from(new Model(data).vector('martianz')));
    const stored = new StoredModel(path);
    try {
      for (const texts of [['martianz'], ['martianz', 'queen'], ['the martianz']]) {
        expect(await stored.similarTo(texts, 7)).toEqual(await loaded.similarTo(texts, 7));
      }
      expect(await stored.analogyOf('man', 'martianz', 'woman', 5)).toEqual(await loaded.analogyOf('man', 'martianz', 'woman', 5));
    } finally {
      stored.close();
    }
  });

  it('at f16 the n-gram rows are stored at half size too', async () => {
    const half = join(dir, 'sub16.db');
    writeModel(half, data, { precision: 'f16' });
    const back = readModel(half, { subwords: true });
    const ngrams = back.subwords!.ngramRows!;
    let worst = 0;
    for (let i = 0; i < ngrams.length; i += 997) worst = Math.max(worst, Math.abs(ngrams[i]! - data.subwords!.ngramRows![i]!));
    expect(worst).toBeLessThan(1e-3);
    expect(cosine(openModel(half).vector('martianz'), new Model(data).vector('martianz'))).toBeGreaterThan(0.999);
  });

  it('continued training keeps the n-grams and their settings; other settings are refused', async () => {
    const more = await trainModel({ inputs: [EN], from: path, epochs: 1, threads: 1 });
    expect(more.hyper!.subwords).toEqual({ minn: 3, maxn: 6, bucket: 200000 });
    expect(new Model(more).similar(['martianz'], 5).map((r) => r.word)).toContain('martian');
    await expect(trainModel({ inputs: [EN], from: path, subwords: { maxn: 5 } })).rejects.toThrow(/--maxn 5 differs from the model's 6/);
  });
});
