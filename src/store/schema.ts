/**
 * The model file: one SQLite database. `PRAGMA user_version` holds {@link SCHEMA_VERSION}; the `meta`
 * table says it is a kotovec model and holds the settings (hyperparameters and tokenizer, as JSON) so
 * queries and inference tokenize the same way as training did. Vectors are little-endian float32 BLOBs
 * unless `meta.precision` says f16 or int8 (store/precision.ts); words and counts are plain rows, so
 * `sqlite3 model.db 'select word, count from vocab limit 10'` works.
 */

/**
 * Version of the schema this kotovec writes. Version 2 stores word and document vectors in blocks of rows
 * (`word_blocks`, `document_blocks`, store/vectorBlocks.ts) instead of a row each (`word_vectors`,
 * `documents.vector`), at the precision
 * `meta.precision` names (f32, f16, int8), with a scan index (`scan_blocks`, store/scanIndex.ts) for
 * queries on big models. Version 3 stores the output weights in blocks too (`output_*_blocks`, float32),
 * instead of a row a statement in `output_weights`. Version 4 keys documents numbered 0, 1, 2, … by their
 * numbers, with no rows in `documents` (store/documentIds.ts); a file without such documents is written
 * as version 3. Version 1, 2 and 3 files are read as they are.
 */
export const SCHEMA_VERSION = 4;
/** The version of a file that holds nothing of version 4's (older kotovec versions read it). */
export const PLAIN_SCHEMA_VERSION = 3;
/** The oldest schema this kotovec reads. */
export const OLDEST_SCHEMA_VERSION = 1;
/** SQLite page size of the files this kotovec writes. */
export const PAGE_SIZE = 65536;
/** Value of `meta.format` in every kotovec model. */
export const FORMAT_NAME = 'kotovec';

/** Statements that create an empty model. */
export const CREATE_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE vocab (id INTEGER PRIMARY KEY, word TEXT NOT NULL, count INTEGER NOT NULL);
CREATE TABLE word_blocks (block INTEGER PRIMARY KEY, rows INTEGER NOT NULL, vectors BLOB NOT NULL);
CREATE TABLE documents (id INTEGER PRIMARY KEY, tag TEXT NOT NULL);
CREATE TABLE document_blocks (block INTEGER PRIMARY KEY, rows INTEGER NOT NULL, vectors BLOB NOT NULL);
`;

/**
 * The vocabulary's word index, made once every word is in: building it from sorted words at the end is
 * cheaper than keeping it up to date through a million inserts. Its failure is a duplicate word.
 */
export const CREATE_WORD_INDEX = 'CREATE UNIQUE INDEX vocab_word ON vocab (word)';

/**
 * The documents' id index, made once every document is in, for the same reason (files written before
 * it hold the same index as a `UNIQUE` constraint of the table). Its failure is a duplicate id.
 */
export const CREATE_DOCUMENT_INDEX = 'CREATE UNIQUE INDEX documents_tag ON documents (tag)';

/** The kinds of output weights a model may hold: negative sampling's and hierarchical softmax's, of words and of PV-DBOW. */
export type OutputKind = 'ns' | 'hs' | 'dbow-ns' | 'dbow-hs';

/**
 * The table of one kind of output weights (schema 3): float32 rows in blocks like `word_blocks`, created
 * only when the model has them. Schema 1 and 2 files keep them in `output_weights`, a row each.
 */
export function outputBlockTable(kind: OutputKind): OutputBlockTable {
  return `output_${kind.replace('-', '_')}_blocks` as OutputBlockTable;
}
export type OutputBlockTable = 'output_ns_blocks' | 'output_hs_blocks' | 'output_dbow_ns_blocks' | 'output_dbow_hs_blocks';

/** Creates the block table of one kind of output weights. */
export function createOutputBlocks(kind: OutputKind): string {
  return `CREATE TABLE IF NOT EXISTS ${outputBlockTable(kind)} (block INTEGER PRIMARY KEY, rows INTEGER NOT NULL, vectors BLOB NOT NULL)`;
}

/**
 * Words the corpus held fewer than min-count times, with their counts: written by training (not by
 * import), read when a model is continued. Optional: files without it are read as they always were.
 */
/**
 * A subword model's input matrix as fastText keeps it (store/subwordRows.ts): each word's own row (rows
 * 0 … words − 1), then a row a hash bucket of character n-grams, in blocks at the model's precision like
 * `word_blocks`; `meta.subwords` holds the n-gram settings. Only subword models have it; `word_blocks`
 * hold their words' composed vectors, so every other reader is unchanged.
 */
export const CREATE_SUBWORD_BLOCKS = 'CREATE TABLE IF NOT EXISTS subword_blocks (block INTEGER PRIMARY KEY, rows INTEGER NOT NULL, vectors BLOB NOT NULL)';

/**
 * A trained subword model keeps only the n-gram rows training moved (kernel/ngramRows.ts): `subword_blocks`
 * then holds the words' rows and those buckets' rows, and this table (one row, id 0) the buckets, ascending,
 * as little-endian int32; `meta.subwords.initSeed` gives every other bucket's row. Without this table
 * `subword_blocks` holds every bucket's row (fastText's files, and models written before).
 */
export const CREATE_SUBWORD_BUCKETS = 'CREATE TABLE IF NOT EXISTS subword_buckets (id INTEGER PRIMARY KEY, buckets BLOB NOT NULL)';

export const CREATE_RARE_WORDS = 'CREATE TABLE IF NOT EXISTS rare_words (word TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID';
