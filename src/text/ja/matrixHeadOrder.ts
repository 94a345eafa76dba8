/**
 * Makes the cached head of a big connection matrix (`matrixHead.ts`) the first time a dictionary is used:
 * the order of its columns is the order MeCab's analysis meets them on the bundled Japanese sample (the
 * first {@link SAMPLE_LINES} lines of `corpora/ja/aozora-sample.txt.gz`: particles, endings and punctuation
 * first), then the columns it did not meet. On UniDic (bench/RESULTS.md) the sample's order, though not the
 * text's own, takes what 20,000 Aozora lines read of the matrix from 633 MB to 122 MB.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { columnOrder, columnsMet, giveColumnsPlaces, type MecabDictionary } from './mecabDictionary.js';
import { createMecabAnalyzer, WasmMecabAnalyzer } from './mecabLatticeWasm.js';
import { matrixHeadPath, writeMatrixHead } from './matrixHead.js';

/** Lines of the sample analysed to order the columns. */
export const SAMPLE_LINES = 1000;

const SAMPLE = new URL('../../../corpora/ja/aozora-sample.txt.gz', import.meta.url);

function sampleLines(): string[] | null {
  try {
    return gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n').slice(0, SAMPLE_LINES);
  } catch {
    return null;
  }
}

/** What {@link ensureMatrixHead} did. */
export type HeadOutcome = 'whole' | 'had' | 'made' | 'none';

/**
 * Gives a dictionary whose matrix is read a row at a time its head, made and cached now when there is
 * none: the sample analysed, every column given its place, the head written (about 0.8 s for UniDic, once per
 * dictionary and machine). Without a sample, WebAssembly or a cache folder that can be written, nothing is
 * made and the analysis reads rows as without a head.
 * @param dictionary just opened: no analysis has run on it in another thread
 * @param folder the cache folder (`matrixHead.ts` `cacheFolder`)
 * @param sample the lines to order the columns by (default: the bundled sample's; null: none)
 * @returns `whole` for a matrix read whole (no head needed), `had`, `made`, or `none`
 */
export function ensureMatrixHead(dictionary: MecabDictionary, folder?: string, sample?: string[] | null): HeadOutcome {
  const matrix = dictionary.matrix;
  if (matrix.whole || !matrix.share.tables) return 'whole';
  if (matrix.share.head) return 'had';
  const lines = sample === undefined ? sampleLines() : sample;
  if (!lines) return 'none';
  try {
    const analyzer = createMecabAnalyzer(dictionary);
    if (!(analyzer instanceof WasmMecabAnalyzer)) return 'none';
    for (const line of lines) analyzer.analyze(line);
    if (columnsMet(matrix) === 0) return 'none';
    const order = columnOrder(matrix);
    const path = matrixHeadPath(dictionary.name, dictionary.fingerprint, folder);
    const places = writeMatrixHead(path, matrix.path, matrix.leftSize, matrix.rightSize, order);
    giveColumnsPlaces(matrix, order);
    matrix.share.head = { path, places };
    return 'made';
  } catch {
    // A cache that cannot be made (a folder that cannot be written, a matrix that cannot be read: the
    // analysis says so itself) leaves the rows read as without it.
    return 'none';
  }
}
