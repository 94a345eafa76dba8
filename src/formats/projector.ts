/**
 * The TensorFlow Embedding Projector's input (projector.tensorflow.org, "Load"): `vectors.tsv`, one
 * tab-separated row of numbers per key, and `metadata.tsv`, one key per line (a single column, so no
 * header). Rows are streamed to the files.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { formatFloat, type VectorRows } from './word2vec.js';

/**
 * Writes `vectors.tsv` and `metadata.tsv` into `folder` (which must exist).
 * @param limit keep only the first `limit` rows (0: all)
 */
export function writeProjector(folder: string, rows: VectorRows, limit = 0): void {
  const count = limit > 0 ? Math.min(limit, rows.keys.length) : rows.keys.length;
  const vectors = openSync(join(folder, 'vectors.tsv'), 'w');
  const metadata = openSync(join(folder, 'metadata.tsv'), 'w');
  try {
    let vectorChunk = '';
    let metaChunk = '';
    for (let i = 0; i < count; i++) {
      const row = rows.vectors.subarray(i * rows.dim, (i + 1) * rows.dim);
      vectorChunk += Array.from(row, formatFloat).join('\t') + '\n';
      // Tabs and newlines would break the one-column file.
      metaChunk += rows.keys[i]!.replace(/[\t\r\n]/g, ' ') + '\n';
      if (vectorChunk.length > 1 << 20) {
        writeSync(vectors, vectorChunk);
        writeSync(metadata, metaChunk);
        vectorChunk = '';
        metaChunk = '';
      }
    }
    writeSync(vectors, vectorChunk);
    writeSync(metadata, metaChunk);
  } finally {
    closeSync(vectors);
    closeSync(metadata);
  }
}
