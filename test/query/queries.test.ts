import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openModel } from '../../src/query/model.js';
import { writeModel } from '../../src/store/writer.js';
import { tempDir } from '../helpers/tmp.js';
import { tinyModel } from '../helpers/tinyModel.js';

const dir = tempDir();

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

  it('reads text the vocabulary does not hold with the model\'s tokenizer, a phrase as the mean of its tokens', async () => {
    // The tiny model has no tokenizer recorded: it reads text as whitespace-separated tokens.
    const [phrase] = await model.resolve(['cat dog zebra']);
    expect(phrase).toEqual({ text: 'cat dog zebra', tokens: ['cat', 'dog'], unknown: ['zebra'] });
    const [word] = await model.resolve(['café']);
    expect(word).toEqual({ text: 'café', tokens: ['café'], unknown: [] });
    // The phrase points where cat and dog point together, and neither is an answer.
    expect(model.similar([phrase!], 3)).toEqual(model.similar(['cat', 'dog'], 3));
    await expect(model.resolve(['zebra okapi'])).rejects.toMatchObject({ code: 'E_UNKNOWN_WORD' });
    await expect(model.resolve(['   '])).rejects.toMatchObject({ code: 'E_EMPTY_QUERY' });
  });
});
