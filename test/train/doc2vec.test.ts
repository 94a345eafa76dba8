// doc2vec on the Lee background corpus (300 news documents), as gensim's Doc2Vec tutorial does.
import { writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Model, openModel } from '../../src/query/model.js';
import { writeModel } from '../../src/store/writer.js';
import { trainModel } from '../../src/train/trainer.js';
import type { TrainOptions } from '../../src/options.js';
import { tempDir } from '../helpers/tmp.js';

const LEE = join(__dirname, '..', '..', 'corpora', 'docs', 'lee_background.cor');
const lines = readFileSync(LEE, 'utf8').split('\n');
const dir = tempDir();

async function selfRecognition(model: Model, sample: number[]): Promise<number> {
  let hits = 0;
  for (const i of sample) {
    const vector = await model.inferVector(lines[i]!);
    if (model.similarDocs({ vector }, 1)[0]!.id === String(i)) hits++;
  }
  return hits / sample.length;
}

const sample = Array.from({ length: 60 }, (_, i) => i * 5);

describe('doc2vec on the Lee corpus', () => {
  for (const kind of ['pv-dbow', 'pv-dm', 'pv-dm+dbow'] as const) {
    it(`${kind}: inferring a training document finds that document`, async () => {
      const options: TrainOptions = { inputs: [LEE], model: kind, docs: 'lines', dim: 50, epochs: 40, minCount: 2, threads: 1, seed: 1 };
      const model = new Model(await trainModel(options));
      expect(model.docs!.size).toBe(300);
      expect(model.data.docDim).toBe(kind === 'pv-dm+dbow' ? 100 : 50);
      expect(await selfRecognition(model, sample)).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('the WebAssembly and TypeScript kernels compute the same document and word vectors', async () => {
    const cases = [['pv-dm', 'ns', true], ['pv-dm', 'hs', false], ['pv-dbow', 'ns', false], ['pv-dbow', 'hs', true]] as const;
    const bytes = (v: Float32Array | null | undefined) => Buffer.from(v!.buffer, v!.byteOffset, v!.byteLength);
    for (const [model, loss, dbowWords] of cases) {
      // dim 10: four SIMD lanes twice, then a scalar tail of two.
      const options: TrainOptions = { inputs: [LEE], model, loss, dbowWords, docs: 'lines', dim: 10, epochs: 2, minCount: 2, threads: 1, seed: 4 };
      const wasm = await trainModel({ ...options, kernel: 'wasm' });
      const js = await trainModel({ ...options, kernel: 'js' });
      expect(bytes(js.docVectors).equals(bytes(wasm.docVectors)), `${model}+${loss} documents`).toBe(true);
      expect(bytes(js.wordVectors).equals(bytes(wasm.wordVectors)), `${model}+${loss} words`).toBe(true);
      // Another seed gives other vectors: the equality above is not of vectors that cannot differ.
      expect(bytes(wasm.docVectors).equals(bytes((await trainModel({ ...options, seed: 5, kernel: 'wasm' })).docVectors))).toBe(false);
    }
  });

  it('an untrained model does not recognise documents (the check can fail)', async () => {
    const model = new Model(await trainModel({ inputs: [LEE], model: 'pv-dbow', docs: 'lines', dim: 50, epochs: 1, alpha: 1e-6, minAlpha: 0, minCount: 2 }));
    expect(await selfRecognition(model, sample.slice(0, 20))).toBeLessThan(0.5);
  });

  it('inference is deterministic for a seed and stable across seeds; the store round-trips', async () => {
    const trained = await trainModel({ inputs: [LEE], model: 'pv-dbow', docs: 'lines', dim: 50, epochs: 40, minCount: 2, threads: 1, seed: 1 });
    const path = join(dir, 'lee.db');
    writeModel(path, trained);
    const model = openModel(path, { outputs: true, docs: true });
    expect(Array.from(model.docs!.vectors)).toEqual(Array.from(trained.docVectors!));
    expect(model.data.docIds).toEqual(trained.docIds);
    const text = lines.find((l) => l.split(' ').length > 150)!;
    const a = await model.inferVector(text, { seed: 1 });
    const b = await model.inferVector(text, { seed: 1 });
    expect(Array.from(a)).toEqual(Array.from(b));
    const c = await model.inferVector(text, { seed: 2 });
    let dot = 0, na = 0, nc = 0;
    for (let k = 0; k < a.length; k++) (dot += a[k]! * c[k]!), (na += a[k]! ** 2), (nc += c[k]! ** 2);
    expect(dot / Math.sqrt(na * nc)).toBeGreaterThanOrEqual(0.98);
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('inference takes subsampling in expectation by default: steadier across seeds than random drops, as faithful', async () => {
    const model = new Model(await trainModel({ inputs: [LEE], model: 'pv-dm', docs: 'lines', dim: 50, epochs: 40, minCount: 2, threads: 1 }));
    const cosine = (a: Float32Array, b: ArrayLike<number>) => {
      let dot = 0, na = 0, nb = 0;
      for (let k = 0; k < a.length; k++) (dot += a[k]! * b[k]!), (na += a[k]! ** 2), (nb += b[k]! ** 2);
      return dot / Math.sqrt(na * nb);
    };
    const spread = { expected: 0, random: 0 };
    const faithful = { expected: 0, random: 0 };
    const docs = [3, 40, 86, 121, 200, 251];
    for (const i of docs) {
      const trainedVector = model.docs!.vectors.subarray(i * 50, (i + 1) * 50);
      for (const mode of ['expected', 'random'] as const) {
        const a = await model.inferVector(lines[i]!, { seed: 1, subsampling: mode });
        const b = await model.inferVector(lines[i]!, { seed: 2, subsampling: mode });
        spread[mode] += 1 - cosine(a, b);
        faithful[mode] += cosine(a, trainedVector) / docs.length;
      }
    }
    // Measured: the seed-to-seed spread about halves; the inferred vectors stay as close to the trained ones.
    expect(spread.expected).toBeLessThan(0.75 * spread.random);
    expect(faithful.expected).toBeGreaterThan(faithful.random - 0.02);
    expect(faithful.expected).toBeGreaterThan(0.85);
    expect(Array.from(await model.inferVector(lines[3]!))).toEqual(Array.from(await model.inferVector(lines[3]!, { subsampling: 'expected' })));
    await expect(model.inferVector(lines[3]!, { subsampling: 'sometimes' as 'random' })).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
  });

  it('inference rebuilds the hierarchical-softmax tree the model was trained with (older files: word2vec C order)', async () => {
    const trained = await trainModel({ inputs: [LEE], model: 'pv-dm', loss: 'hs', huffmanOrder: 'word2vec', docs: 'lines', dim: 20, epochs: 5, minCount: 2, threads: 1 });
    const text = lines[7]!;
    const recorded = await new Model(trained).inferVector(text);
    // A file written before the order was recorded has no huffmanOrder: it was trained with word2vec C's tree.
    const { huffmanOrder: _, ...older } = trained.hyper!;
    expect(Array.from(await new Model({ ...trained, hyper: older }).inferVector(text))).toEqual(Array.from(recorded));
    // The other tree gives another vector, so the order really is read.
    const wrongTree = await new Model({ ...trained, hyper: { ...trained.hyper!, huffmanOrder: 'gensim' } }).inferVector(text);
    expect(Array.from(wrongTree)).not.toEqual(Array.from(recorded));
  });

  it('inference deals equal counts to the leaves as training did (older files: first-seen order)', async () => {
    const trained = await trainModel({ inputs: [LEE], model: 'pv-dm', loss: 'hs', docs: 'lines', dim: 20, epochs: 5, minCount: 2, threads: 1 });
    expect(trained.hyper!.huffmanTies).toBe('scrambled');
    const text = lines[7]!;
    const recorded = await new Model(trained).inferVector(text);
    const firstSeen = await new Model({ ...trained, hyper: { ...trained.hyper!, huffmanTies: 'first-seen' } }).inferVector(text);
    expect(Array.from(firstSeen)).not.toEqual(Array.from(recorded));
    // A file written before the choice was recorded has no huffmanTies: it was trained in first-seen order.
    const { huffmanTies: _, ...older } = trained.hyper!;
    expect(Array.from(await new Model({ ...trained, hyper: older }).inferVector(text))).toEqual(Array.from(firstSeen));
  });

  it('a document of unknown words is a clear error; word2vec models cannot infer', async () => {
    const model = new Model(await trainModel({ inputs: [LEE], model: 'pv-dm', docs: 'lines', dim: 10, epochs: 1, minCount: 2 }));
    await expect(model.inferVector('zzqx qqzx')).rejects.toMatchObject({ code: 'E_UNKNOWN_WORD' });
    const words = new Model(await trainModel({ inputs: [LEE], dim: 10, epochs: 1, minCount: 2 }));
    await expect(words.inferVector('the president')).rejects.toMatchObject({ code: 'E_UNSUPPORTED' });
  });
});

describe('document input formats', () => {
  it('reads tsv ids as given, skips and counts empty documents, and rejects duplicate ids', async () => {
    const tsv = join(dir, 'docs.tsv');
    writeFileSync(tsv, 'alpha\tthe cat sat on the mat\nbeta\t\ngamma\tthe dog sat on the log\n');
    const model = await trainModel({ inputs: [tsv], model: 'pv-dbow', docs: 'tsv', minCount: 1, dim: 8, epochs: 2 });
    expect(model.docIds).toEqual(['alpha', 'beta', 'gamma']);
    expect(model.stats!.emptyDocs).toBe(1);
    writeFileSync(join(dir, 'dup.tsv'), 'a\tx y\nb\ty z\na\tz x\n');
    await expect(trainModel({ inputs: [join(dir, 'dup.tsv')], model: 'pv-dbow', docs: 'tsv', minCount: 1 })).rejects.toThrow(/duplicate document id "a" at line 3 \(first at line 1\)/);
    writeFileSync(join(dir, 'notab.tsv'), 'a\tx y\nno tab here\n');
    await expect(trainModel({ inputs: [join(dir, 'notab.tsv')], model: 'pv-dbow', docs: 'tsv', minCount: 1 })).rejects.toThrow(/line 2.*no tab/);
  });

  it('numbers lines from 0 with --docs lines, and uses relative paths with --docs files', async () => {
    const folder = join(dir, 'files');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'one.txt'), 'the cat sat\non the mat\n');
    writeFileSync(join(folder, 'sub', 'two.txt'), 'the dog sat on the log\n');
    const byFile = await trainModel({ inputs: [folder], model: 'pv-dm', docs: 'files', minCount: 1, dim: 8, epochs: 1 });
    expect(byFile.docIds).toEqual(['one.txt', join('sub', 'two.txt')]);
    const byLine = await trainModel({ inputs: [join(folder, 'one.txt')], model: 'pv-dm', docs: 'lines', minCount: 1, dim: 8, epochs: 1 });
    expect(byLine.docIds).toEqual(['0', '1']);
  });

  it('requires documents for the pv-* models', async () => {
    await expect(trainModel({ inputs: [LEE], model: 'pv-dm', docs: 'none' })).rejects.toThrow(/needs documents/);
  });
});
