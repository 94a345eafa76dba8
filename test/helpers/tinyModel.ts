import type { ModelData } from '../../src/model.js';

/** Five words in four dimensions: cat and dog close, the and sat apart, café in between. */
export function tinyModel(): ModelData {
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
