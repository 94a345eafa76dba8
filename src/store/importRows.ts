/**
 * The writing side of `import` (see importer.ts): words, vector blocks at the model's precision and the
 * scan blocks the reading side quantised, into the model being built, over a connection of its own, in
 * one transaction from the first batch to {@link ImportRows.finish}. It runs on the import writer thread
 * (importWorker.ts), or on the importing thread for a file too small to be worth a thread.
 */
import Database from 'better-sqlite3';
import { ErrorCodes, KotovecError } from '../errors.js';
import { CREATE_WORD_INDEX } from './schema.js';
import { BatchInsert } from './batchInsert.js';
import type { Precision } from './precision.js';
import { ScanBlockWriter, type ScanBlock } from './scanIndex.js';
import { VectorBlockWriter } from './vectorBlocks.js';

/** Writes imported rows into the model at `path` (a temporary file while it is built). */
export class ImportRows {
  private readonly db: Database.Database;
  private readonly vocab: BatchInsert;
  private readonly vectors: VectorBlockWriter;
  private readonly index: ScanBlockWriter;

  /**
   * @param path the model being built
   * @param source the file imported, for messages
   */
  constructor(path: string, private readonly source: string, precision: Precision, dim: number) {
    // The importing thread created the file and owns it: an interrupted import removes it, possibly
    // before this (worker) thread opens it, and opening must not then make a new file there.
    this.db = new Database(path, { fileMustExist: true });
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec('BEGIN');
    this.vocab = new BatchInsert(this.db, 'vocab', ['id', 'word', 'count']);
    this.vectors = new VectorBlockWriter(this.db, 'word_blocks', precision, dim);
    this.index = new ScanBlockWriter(this.db, 'words');
  }

  /** Writes a batch: rows `first` …, their vectors encoded back to back, and their scan block. */
  write(first: number, words: readonly string[], encoded: Uint8Array, scan: ScanBlock | null): void {
    for (let i = 0; i < words.length; i++) this.vocab.add(first + i, words[i], 0);
    this.vectors.pushEncoded(encoded, words.length);
    this.index.write(scan);
  }

  /**
   * Writes what is left, builds the word index and commits.
   * @throws KotovecError BAD_FORMAT for a word the file holds twice (named, with the row where it came again)
   */
  finish(): void {
    this.vocab.finish();
    this.vectors.finish();
    this.indexWords();
    this.db.exec('COMMIT');
    this.db.close();
  }

  /** Closes the connection without committing (after a failure). */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private indexWords(): void {
    try {
      this.db.exec(CREATE_WORD_INDEX);
    } catch (error) {
      const again = this.db
        .prepare('SELECT word, (SELECT id FROM vocab AS v WHERE v.word = d.word ORDER BY id LIMIT 1 OFFSET 1) AS row FROM (SELECT word FROM vocab GROUP BY word HAVING count(*) > 1) AS d ORDER BY row LIMIT 1')
        .get() as { word: string; row: number } | undefined;
      if (!again) throw error;
      throw new KotovecError(ErrorCodes.BAD_FORMAT, `${this.source}: duplicate word ${JSON.stringify(again.word)} (row ${again.row})`);
    }
  }
}
