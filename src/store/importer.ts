/**
 * Importing word vectors from word2vec binary/text files (gensim's `save_word2vec_format`, word2vec C,
 * fastText `.vec`) into a kotovec model file. Rows stream from the file into SQLite inside one
 * transaction, so a GoogleNews-sized file never sits in the JS heap; the model appears at its path only
 * when the whole file was read. Imported models answer similarity queries and evaluation, not inference.
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import { readWord2Vec, type Word2VecFormat, type Word2VecHeader } from '../formats/word2vecReader.js';
import { floatsToBlob, writeDatabaseAtomically, writeMeta } from './writer.js';

/** What an import read. */
export interface ImportResult extends Word2VecHeader {
  seconds: number;
}

/**
 * Imports a word2vec-format file as a model.
 * @param input the vectors file (`.gz` too)
 * @param output the model file to write
 * @param options `format` to skip detection; `force` to replace `output`
 * @throws KotovecError BAD_FORMAT (with row and byte offset), OUTPUT_EXISTS, INPUT_NOT_FOUND
 */
export async function importWord2Vec(input: string, output: string, options: { format?: Word2VecFormat; force?: boolean } = {}): Promise<ImportResult> {
  const started = performance.now();
  let header: Word2VecHeader | undefined;
  await writeDatabaseAtomically(output, options.force, async (db) => {
    const vocab = db.prepare('INSERT INTO vocab (id, word, count) VALUES (?, ?, 0)');
    const vector = db.prepare('INSERT INTO word_vectors (id, vector) VALUES (?, ?)');
    const seen = new Set<string>();
    db.exec('BEGIN');
    header = await readWord2Vec(
      input,
      (h) => {
        writeMeta(db, { origin: 'imported', dim: h.dim, docDim: 0, createdAt: new Date().toISOString() });
      },
      (word, values, row) => {
        if (seen.has(word)) throw new KotovecError(ErrorCodes.BAD_FORMAT, `${input}: duplicate word ${JSON.stringify(word)} (row ${row})`);
        seen.add(word);
        vocab.run(row, word);
        vector.run(row, floatsToBlob(values));
      },
      options.format,
    );
    db.exec('COMMIT');
  });
  return { ...header!, seconds: (performance.now() - started) / 1000 };
}
