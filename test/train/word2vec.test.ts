// Training on real text: quality (neighbour ranks a broken trainer fails), determinism, and the
// schedule. The corpus is the bundled English sample (corpora/en, ~185k words after min-count).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { Model } from '../../src/query/model.js';
import { learningRate, scheduleKind, threadProgress } from '../../src/train/schedule.js';
import { assertFinite, trainModel } from '../../src/train/trainer.js';
import type { TrainOptions } from '../../src/options.js';
import { nativeKernelWide } from '../../src/kernel/native.js';

const EN = join(__dirname, '..', '..', 'corpora', 'en');
// The first 800 paragraphs (~53k words): enough for every path of the kernels (Huffman codes of every
// length, noise draws, subsampling, the learning rate's decay) to show a difference in the bits.
const EN_START = join(tempDir(), 'en-start.txt');
writeFileSync(EN_START, gunzipSync(readFileSync(join(EN, 'gutenberg-sample.txt.gz'))).toString('utf8').split('\n').slice(0, 800).join('\n') + '\n');

function rankOf(model: Model, query: string[], target: string, k = 20): number {
  return model.similar(query, k).findIndex((r) => r.word === target);
}

// One thread: a seed then gives the same vectors on every run (two threads race, as Hogwild does), so a
// check here passes or fails with the code, never with the machine's load.
async function train(options: Partial<TrainOptions>) {
  return new Model(await trainModel({ inputs: [EN], threads: 1, seed: 1, ...options }));
}

describe('word2vec quality on the English sample', () => {
  const cases: [TrainOptions['model'], TrainOptions['loss'], TrainOptions['kernel'], number][] = [
    ['cbow', 'ns', 'wasm', 10],
    ['skipgram', 'ns', 'wasm', 5],
    ['cbow', 'hs', 'wasm', 10],
    ['skipgram', 'hs', 'wasm', 5],
    ['cbow', 'ns', 'js', 5],
  ];
  for (const [model, loss, kernel, epochs] of cases) {
    it(`${model}+${loss} (${kernel} kernel) learns word relations`, async () => {
      const m = await train({ model, loss, kernel, epochs });
      // Words of one kind end up together: an untrained or broken model fails these.
      const near = (word: string) => m.similar([word], 10).map((r) => r.word);
      const speech = ['asked', 'replied', 'cried', 'added', 'answered', 'exclaimed', 'repeated', 'says', 'remarked'];
      expect(near('said').some((w) => speech.includes(w))).toBe(true);
      expect(near('he').some((w) => ['she', 'him', 'himself'].includes(w))).toBe(true);
      expect(m.analogy('he', 'his', 'she', 3).map((r) => r.word)).toContain('her');
      expect(m.data.stats!.finalLoss).toBeLessThan(loss === 'ns' ? 0.46 : 0.68);
    });
  }
});

describe('word2vec determinism', () => {
  it('one thread and a seed give identical vectors run after run; another seed does not', async () => {
    const options: TrainOptions = { inputs: [EN], threads: 1, seed: 7, epochs: 1, dim: 16 };
    const a = await trainModel(options);
    const b = await trainModel(options);
    expect(Buffer.from(a.wordVectors.buffer, a.wordVectors.byteOffset, a.wordVectors.byteLength).equals(
      Buffer.from(b.wordVectors.buffer, b.wordVectors.byteOffset, b.wordVectors.byteLength))).toBe(true);
    expect(Array.from(a.outputNs!)).toEqual(Array.from(b.outputNs!));
    const c = await trainModel({ ...options, seed: 8 });
    expect(Array.from(c.wordVectors.subarray(0, 16))).not.toEqual(Array.from(a.wordVectors.subarray(0, 16)));
  });

  it('the WebAssembly and TypeScript kernels compute the same bits', async () => {
    const cases = [
      ['cbow', 'ns', true, 5], ['skipgram', 'ns', true, 5], ['cbow', 'hs', false, 5], ['skipgram', 'hs', true, 5],
      ['skipgram', 'hs', true, 10], ['cbow', 'ns', true, 40],
    ] as const;
    for (const [model, loss, cbowMean, window] of cases) {
      // dim 30: a block of 16 (four accumulators), three leftover blocks of 4, then a scalar tail of two.
      // Skip-gram + HS walks a path for up to 16 context words at once (window 10: up to 20, in two groups),
      // the TypeScript kernel once per context word. CBOW lists up to 64 rows of its bag at a time
      // (window 40: up to 80, in two lists).
      const options: TrainOptions = { inputs: [EN_START], threads: 1, seed: 3, epochs: 1, dim: 30, model, loss, cbowMean, window };
      const wasm = await trainModel({ ...options, kernel: 'wasm' });
      const js = await trainModel({ ...options, kernel: 'js' });
      const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      expect(bytes(wasm.wordVectors).equals(bytes(js.wordVectors)), `${model}+${loss}, window ${window}`).toBe(true);
      // Another seed gives other vectors: the equality above is not of vectors that cannot differ.
      if (model === 'cbow' && loss === 'ns') expect(bytes(wasm.wordVectors).equals(bytes((await trainModel({ ...options, seed: 4 })).wordVectors))).toBe(false);
    }
  });

  it('two workers taking blocks as they go train every block of every epoch exactly once', async () => {
    const model = await trainModel({ inputs: [EN], threads: 2, seed: 1, epochs: 3, dim: 8 });
    const { workerWords, workerSeconds, trainedWords, threads } = model.stats!;
    expect(threads).toBe(2);
    expect(workerWords).toHaveLength(2);
    expect(workerSeconds).toHaveLength(2);
    expect(workerWords![0]! + workerWords![1]!).toBe(trainedWords * 3);
    // Both took part (the sample has ~40 blocks of ~8k words).
    expect(Math.min(...workerWords!)).toBeGreaterThan(trainedWords / 4);
  });

  it('the TypeScript kernel is deterministic too', async () => {
    const options: TrainOptions = { inputs: [EN], threads: 1, seed: 3, epochs: 1, dim: 8, kernel: 'js' };
    const a = await trainModel(options);
    const b = await trainModel(options);
    expect(Array.from(a.wordVectors)).toEqual(Array.from(b.wordVectors));
  });
});

// The native kernel is built at install with the machine's C compiler (scripts/build-native.mjs); a
// machine without one, or without AVX-512, trains with the WebAssembly kernel by default, and these have
// nothing to check.
describe.skipIf(!nativeKernelWide())('the native kernel', () => {
  it('makes the WebAssembly kernel\'s decisions and draws: the same vectors but for the order of float sums', async () => {
    const cases = [
      ['cbow', 'ns', true, false], ['skipgram', 'ns', true, false], ['cbow', 'hs', false, false], ['skipgram', 'hs', true, false],
      ['pv-dm', 'ns', true, false], ['pv-dbow', 'hs', true, false], ['pv-dbow', 'ns', true, true],
    ] as const;
    for (const [model, loss, cbowMean, dbowWords] of cases) {
      // dim 30: two registers of 16 floats, the second masked to 14. Doc2vec: a document a line.
      const options: TrainOptions = { inputs: [EN_START], threads: 1, seed: 3, epochs: 1, dim: 30, model, loss, cbowMean, dbowWords, ...(model.startsWith('pv-') ? { docs: 'lines' as const } : {}) };
      const native = await trainModel({ ...options, kernel: 'native' });
      const wasm = await trainModel({ ...options, kernel: 'wasm' });
      expect(native.stats!.kernel).toBe('native');
      expect(native.stats!.finalLoss, `${model}+${loss}`).toBeCloseTo(wasm.stats!.finalLoss, 4);
      // The 100 most frequent words point where the WebAssembly kernel's do; another seed's do not.
      const other = await trainModel({ ...options, kernel: 'wasm', seed: 4 });
      const meanCosine = (a: Float32Array, b: Float32Array) => {
        let sum = 0;
        for (let w = 0; w < 100; w++) {
          let dot = 0, na = 0, nb = 0;
          for (let k = 0; k < 30; k++) {
            const x = a[w * 30 + k]!, y = b[w * 30 + k]!;
            dot += x * y;
            na += x * x;
            nb += y * y;
          }
          sum += dot / Math.sqrt(na * nb);
        }
        return sum / 100;
      };
      // PV-DBOW without word vectors leaves them as they were drawn: its documents tell.
      const vectors = (m: Awaited<ReturnType<typeof trainModel>>) => (model === 'pv-dbow' && !dbowWords ? m.docVectors! : m.wordVectors);
      expect(meanCosine(vectors(native), vectors(wasm)), `${model}+${loss}`).toBeGreaterThan(0.999);
      expect(meanCosine(vectors(other), vectors(wasm)), `${model}+${loss}, another seed`).toBeLessThan(0.99);
    }
  });

  it('is deterministic on one thread, and learns word relations on two (private hot rows merged)', async () => {
    const options: TrainOptions = { inputs: [EN], threads: 1, seed: 5, epochs: 1, dim: 16, kernel: 'native', model: 'skipgram', loss: 'hs' };
    const a = await trainModel(options);
    const b = await trainModel(options);
    expect(Array.from(a.wordVectors)).toEqual(Array.from(b.wordVectors));
    const m = await train({ threads: 2, model: 'cbow', loss: 'ns', kernel: 'native', epochs: 10 });
    expect(m.data.stats!.kernel).toBe('native');
    expect(m.similar(['said'], 10).map((r) => r.word).some((w) => ['asked', 'replied', 'cried', 'added', 'answered', 'exclaimed'].includes(w))).toBe(true);
    expect(m.analogy('he', 'his', 'she', 3).map((r) => r.word)).toContain('her');
  });

  it('is the default but for subword models, which stay with the WebAssembly kernel (asking for it there is an error)', async () => {
    const cbow = await trainModel({ inputs: [EN_START], threads: 1, epochs: 1, dim: 8 });
    expect(cbow.stats!.kernel).toBe('native');
    const both = await trainModel({ inputs: [EN_START], threads: 1, epochs: 1, dim: 8, model: 'pv-dm+dbow' });
    expect(both.stats!.kernel).toBe('native');
    const subwords = await trainModel({ inputs: [EN_START], threads: 1, epochs: 1, dim: 8, subwords: true });
    expect(subwords.stats!.kernel).toBe('wasm');
    await expect(trainModel({ inputs: [EN_START], threads: 1, epochs: 1, dim: 8, subwords: true, kernel: 'native' })).rejects.toThrow(/without subwords/);
  });
});

describe('long lines', () => {
  const dir = tempDir();
  it('a line of 300,000 words trains as the same words in lines of 10,000 (longer than the read buffer, cut as gensim cuts)', async () => {
    // ASCII words of the sample in their order (as the whitespace tokenizer gives them), some outside the
    // vocabulary (min-count), which training drops.
    const sample = gunzipSync(readFileSync(join(EN, 'gutenberg-sample.txt.gz'))).toString('utf8').split(/\s+/).filter((w) => /^[!-~]+$/.test(w));
    const words = [...sample, ...sample].slice(0, 300_000);
    const oneLine = join(dir, 'one-line.txt');
    const lines = join(dir, 'lines.txt');
    writeFileSync(oneLine, words.join(' ') + '\n');
    // The same cut, made by hand: 10,000 words the vocabulary keeps a line.
    const tokenizer = { kind: 'whitespace' } as const;
    const probe = await trainModel({ inputs: [oneLine], tokenizer, threads: 1, seed: 3, epochs: 1, dim: 8, minCount: 5, maxLineChars: 1 << 24 });
    const known = new Set(probe.words);
    const kept = words.filter((w) => known.has(w));
    const cut: string[] = [];
    for (let at = 0; at < kept.length; at += 10_000) cut.push(kept.slice(at, at + 10_000).join(' '));
    writeFileSync(lines, cut.join('\n') + '\n');
    const options = { tokenizer, threads: 1, seed: 3, epochs: 1, dim: 8, minCount: 5, order: 'file', maxLineChars: 1 << 24 } as const;
    const a = await trainModel({ ...options, inputs: [oneLine] });
    const b = await trainModel({ ...options, inputs: [lines] });
    expect(a.stats!.trainedWords).toBe(kept.length);
    expect(a.words).toEqual(b.words);
    expect(Array.from(a.wordVectors)).toEqual(Array.from(b.wordVectors));
  });
});

describe('reusable token cache', () => {
  it('a second run on the same corpus reuses pass 1 and gives the same vectors', async () => {
    const { mkdtempSync, readdirSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const cache = mkdtempSync(join(tmpdir(), 'kotovec-cache-test-'));
    try {
      const options: TrainOptions = { inputs: [EN], threads: 1, seed: 5, epochs: 1, dim: 12, cache };
      const first = await trainModel(options);
      expect(first.stats!.cacheReused).toBe(false);
      expect(readdirSync(cache).sort().map((f) => f.replace(/^[0-9a-f]+/, 'KEY'))).toEqual(['KEY.json', 'KEY.tokens']);
      const second = await trainModel(options);
      expect(second.stats!.cacheReused).toBe(true);
      expect(Array.from(second.wordVectors)).toEqual(Array.from(first.wordVectors));
      const other = await trainModel({ ...options, tokenizer: { kind: 'whitespace' } });
      expect(other.stats!.cacheReused).toBe(false);
      expect(readdirSync(cache)).toHaveLength(4);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('removes its temporary files when no cache folder is given', async () => {
    const { mkdtempSync, readdirSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const privateTmp = mkdtempSync(join(tmpdir(), 'kotovec-test-tmp-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      await trainModel({ inputs: [EN], threads: 1, epochs: 1, dim: 8 });
      expect(readdirSync(privateTmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(privateTmp, { recursive: true, force: true });
    }
  });
});

describe('learning-rate schedule', () => {
  it('decays linearly from alpha to min-alpha over all epochs', () => {
    expect(learningRate(0.025, 0.0001, 0)).toBe(0.025);
    expect(learningRate(0.025, 0.0001, 1)).toBeCloseTo(0.0001, 12);
    expect(learningRate(0.025, 0.0001, 0.5)).toBeCloseTo((0.025 + 0.0001) / 2, 12);
    expect(learningRate(0.025, 0.0001, 1.5)).toBeCloseTo(0.0001, 12);
  });

  it('on several threads, CBOW decays by each thread\'s own share of each epoch, as gensim corpus_file workers do', () => {
    // Two threads, 5 epochs of 1,000 words: a thread that trained its 500 words of epoch 2 is 2.5/5 along.
    expect(threadProgress(2, 500, 1000, 5)).toBeCloseTo(0.5, 12);
    // Each epoch starts where a single thread's would; the last ends at 4.5/5, not at the end.
    expect(threadProgress(3, 0, 1000, 5)).toBeCloseTo(0.6, 12);
    expect(learningRate(0.05, 0.0001, threadProgress(4, 500, 1000, 5))).toBeCloseTo(0.05 - 0.0499 * 0.9, 12);
    // CBOW takes it; skip-gram, doc2vec and subword models (as fastText) decay by all threads' progress.
    const saved = process.env.KOTOVEC_SCHEDULE;
    delete process.env.KOTOVEC_SCHEDULE;
    try {
      expect(scheduleKind({ model: 'cbow' })).toBe('thread');
      expect(scheduleKind({ model: 'skipgram' })).toBe('global');
      expect(scheduleKind({ model: 'pv-dm' })).toBe('global');
      expect(scheduleKind({ model: 'cbow', subwords: { minn: 3 } })).toBe('global');
    } finally {
      if (saved !== undefined) process.env.KOTOVEC_SCHEDULE = saved;
    }
  });
});

describe('training options', () => {
  it('an untrained model fails the same checks (the checks can fail)', async () => {
    const m = await train({ epochs: 1, alpha: 1e-9, minAlpha: 0 });
    expect(m.similar(['said'], 10).map((r) => r.word)).not.toContain('asked');
    expect(m.analogy('he', 'his', 'she', 3).map((r) => r.word)).not.toContain('her');
  });

  it('rejects invalid values, naming the option', async () => {
    await expect(trainModel({ inputs: [EN], dim: 0 })).rejects.toThrow(/--dim/);
    await expect(trainModel({ inputs: [EN], window: -1 })).rejects.toThrow(/--window/);
    await expect(trainModel({ inputs: [EN], threads: 10000 })).rejects.toThrow(/--threads/);
    await expect(trainModel({ inputs: [EN], alpha: Number.NaN })).rejects.toThrow(/--alpha/);
    await expect(trainModel({ inputs: [EN], model: 'glove' as never })).rejects.toThrow(/--model/);
  });

  it('refuses diverged (non-finite) weights', () => {
    expect(() => assertFinite('the word vectors', Float32Array.of(1, Number.NaN))).toThrow(expect.objectContaining({ code: 'E_DIVERGED' }));
    expect(() => assertFinite('the word vectors', Float32Array.of(1, Number.POSITIVE_INFINITY))).toThrow(/diverged/);
    expect(() => assertFinite('the word vectors', Float32Array.of(1, -2))).not.toThrow();
  });

  it('fails clearly when no word reaches min-count', async () => {
    await expect(trainModel({ inputs: [EN], minCount: 10_000_000 })).rejects.toMatchObject({ code: 'E_EMPTY_CORPUS' });
  });
});
