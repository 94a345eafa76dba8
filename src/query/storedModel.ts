/**
 * A model queried where it lies: one-off similarity queries (`similar`, `analogy`, `similar-docs --id`)
 * read what they need from the file instead of loading it. The query words are found through the
 * vocabulary's SQL index, the scan index (store/scanIndex.ts) is scanned block by block for candidates,
 * and only the candidates' stored vectors are read and scored exactly, with the same arithmetic as the
 * loaded model (query/keyedVectors.ts), so the answer is the same to the last bit. When the scan's error
 * bound cannot promise that the candidates hold the exact top k, more are taken; past a point, and for
 * files without a scan index (written before it existed), the whole model is loaded as before.
 */
import type Database from 'better-sqlite3';
import { ErrorCodes, KotovecError } from '../errors.js';
import { precisionOf, type Precision } from '../store/precision.js';
import { openModelDatabase, readMeta } from '../store/reader.js';
import { hasScanIndex, type ScanMatrix } from '../store/scanIndex.js';
import { readVectorRows } from '../store/vectorBlocks.js';
import { createTokenizer, type Tokenizer, type TokenizerConfig } from '../text/tokenizers.js';
import { scanCandidates } from './indexScan.js';
import { nearestByIndex, type Neighbour } from './candidates.js';
import { KeyedVectors, type TermPart } from './keyedVectors.js';
import { nearestToVectorByIndex } from './candidates.js';
import type { AnalogyMethod, DocumentSimilarity, Model, QueryAnswer } from './model.js';
import { resolveTerms, type QueryTerm } from './terms.js';
import { SubwordComposer } from './subwords.js';
import { subwordRowReader, subwordSettingsOf } from '../store/subwordRows.js';
import { numberedDocuments, numberedRow } from '../store/documentIds.js';

/** One matrix of the file (word or document vectors) read row by row. */
class StoredMatrix {
  private readonly rowOfKey: Database.Statement;
  private readonly keysOf: Database.Statement;
  private readonly known = new Map<string, number | undefined>();

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    readonly matrix: ScanMatrix,
    readonly rows: number,
    readonly dim: number,
    private readonly precision: Precision,
    readonly indexed: boolean,
    /** Keyed by the rows' numbers (documents numbered 0, 1, 2, …: store/documentIds.ts), not by a table. */
    private readonly numbered = false,
  ) {
    const [keyTable, keyColumn] = matrix === 'words' ? ['vocab', 'word'] : ['documents', 'tag'];
    this.rowOfKey = db.prepare(`SELECT id FROM ${keyTable} WHERE ${keyColumn} = ?`).pluck();
    this.keysOf = db.prepare(`SELECT ${keyColumn} FROM ${keyTable} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`).pluck();
  }

  /** Row of a key, or undefined. */
  rowOf(key: string): number | undefined {
    if (this.numbered) return numberedRow(key, this.rows);
    if (!this.known.has(key)) this.known.set(key, this.rowOfKey.get(key) as number | undefined);
    return this.known.get(key);
  }

  /** Keys and vectors of rows given in ascending order, as a small {@link KeyedVectors}. */
  load(rows: readonly number[], what: string): KeyedVectors {
    const keys = this.numbered ? rows.map(String) : (this.keysOf.all(JSON.stringify(rows)) as string[]);
    if (keys.length !== rows.length) throw new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${this.path} (${what}s are missing)`);
    const table = this.matrix === 'words' ? 'word_blocks' : 'document_blocks';
    return new KeyedVectors(keys, readVectorRows(this.db, table, rows, this.dim, this.precision, this.path), this.dim, what, Infinity);
  }
}

/** A model file opened for one-off queries. */
export class StoredModel {
  private readonly db: Database.Database;
  private readonly words: StoredMatrix;
  private readonly docs: StoredMatrix | null;
  private readonly tokenizerConfig: TokenizerConfig | undefined;
  private tokenizerPromise: Promise<Tokenizer> | undefined;
  private loaded: Model | undefined;
  /** Subword models: vectors of words the vocabulary does not hold, from their n-gram rows in the file. */
  private readonly subwords: SubwordComposer | null = null;

  /**
   * Opens a model file (read-only).
   * @throws KotovecError INPUT_NOT_FOUND, BAD_MODEL, MODEL_TOO_NEW
   */
  constructor(readonly path: string) {
    this.db = openModelDatabase(path);
    try {
      // A query reads the scan index once from start to end: mapping the file would only keep it resident
      // (a third of a gigabyte for a million vectors) at no gain in speed.
      this.db.pragma('mmap_size = 0');
      const meta = readMeta(this.db, path);
      const dim = Number(meta.get('dim'));
      const docDim = Number(meta.get('doc_dim') ?? 0);
      if (!Number.isInteger(dim) || dim <= 0) throw new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${path} (bad dimension)`);
      const precision = precisionOf(meta.get('precision'), path);
      this.tokenizerConfig = meta.json<TokenizerConfig>('tokenizer') ?? undefined;
      const countRows = (table: string) => ((this.db.prepare(`SELECT max(id) FROM ${table}`).pluck().get() as number | null) ?? -1) + 1;
      const wordRows = countRows('vocab');
      this.words = new StoredMatrix(this.db, path, 'words', wordRows, dim, precision, hasScanIndex(this.db, 'words', wordRows));
      const numbered = numberedDocuments(meta, path);
      const docRows = docDim > 0 ? numbered ?? countRows('documents') : 0;
      this.docs = docDim > 0 ? new StoredMatrix(this.db, path, 'docs', docRows, docDim, precision, hasScanIndex(this.db, 'docs', docRows), numbered !== null) : null;
      const settings = subwordSettingsOf(meta, path);
      if (settings) this.subwords = new SubwordComposer(settings, wordRows, dim, subwordRowReader(this.db, meta, path, settings, wordRows, dim, precision));
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /**
   * True when one-off word queries read only what they need (a scan index); false for files of an
   * earlier layout, which `kotovec upgrade` rewrites.
   */
  get indexed(): boolean {
    return this.words.indexed;
  }

  /** Number of words. */
  get vocabularySize(): number {
    return this.words.rows;
  }

  /** Closes the file. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /** The whole model, loaded on first need (queries the file alone cannot answer). */
  private async model(): Promise<Model> {
    // Loaded on demand: a query the file answers never pays for the in-memory model's modules.
    const { openModel } = await import('./model.js');
    this.loaded ??= openModel(this.path, { docs: this.docs !== null });
    return this.loaded;
  }

  private tokenizer(): Promise<Tokenizer> {
    this.tokenizerPromise ??= createTokenizer(this.tokenizerConfig ?? { kind: 'whitespace' });
    return this.tokenizerPromise;
  }

  /** Reads query texts as the model's corpus was read (see {@link QueryTerm}). */
  resolve(texts: readonly string[]): Promise<QueryTerm[]> {
    const composes = this.subwords ? (word: string) => this.subwords!.composes(word) : undefined;
    return resolveTerms(texts, (word) => this.words.rowOf(word) !== undefined, () => this.tokenizer(), composes);
  }

  /**
   * The `k` words nearest to Σ positive terms − Σ negative ones when some token is composed from
   * subwords: the query vector from the tokens' unit vectors (rows read by id, composed ones from their
   * n-grams), then the scan index — the arithmetic of `Model.similar` on the loaded model. Null when the
   * file has no scan index.
   */
  private nearestComposed(positive: readonly QueryTerm[], negative: readonly QueryTerm[], k: number): { word: string; similarity: number }[] | null {
    if (!this.words.indexed) return null;
    const rows = [...new Set([...positive, ...negative].flatMap((t) => t.tokens).map((token) => this.words.rowOf(token)).filter((r): r is number => r !== undefined))].sort((a, b) => a - b);
    // The query's known rows as a small matrix of their own (local row i is rows[i]); composed words as vectors.
    const known = this.words.load(rows, 'word');
    const local = new Map(rows.map((row, i) => [row, i]));
    const parts = (term: QueryTerm): TermPart[] =>
      term.tokens.map((token) => {
        const row = this.words.rowOf(token);
        return row !== undefined ? local.get(row)! : this.subwords!.vector(token)!;
      });
    const { vector } = known.queryOf(positive.map(parts), negative.map(parts));
    const dim = this.words.dim;
    const found = nearestToVectorByIndex(
      { rows: this.words.rows, dim, subset: (r) => this.words.load(r, 'word'), scan: (unit, count) => scanCandidates(this.db, 'words', dim, unit, count) },
      vector,
      rows,
      k,
    );
    return found?.map(({ key, similarity }) => ({ word: key, similarity })) ?? null;
  }

  /**
   * The `k` rows of `matrix` nearest to the positive terms minus the negative ones (as
   * `KeyedVectors.mostSimilarTerms`), or null when the full matrix is needed.
   */
  private nearest(matrix: StoredMatrix, positive: number[][], negative: number[][], k: number, what: string): Neighbour[] | null {
    if (!matrix.indexed) return null;
    return nearestByIndex(
      { rows: matrix.rows, dim: matrix.dim, subset: (rows) => matrix.load(rows, what), scan: (unit, count) => scanCandidates(this.db, matrix.matrix, matrix.dim, unit, count) },
      positive,
      negative,
      k,
    );
  }

  private termRows(terms: readonly QueryTerm[]): number[][] {
    return terms.map((term) => term.tokens.map((token) => this.words.rowOf(token)!));
  }

  /**
   * The words nearest to the query texts (the answer of `Model.similarTo`).
   * @throws KotovecError UNKNOWN_WORD, EMPTY_QUERY
   */
  async similarTo(texts: readonly string[], k = 10): Promise<QueryAnswer> {
    const query = await this.resolve(texts);
    if (query.some((term) => term.composed)) {
      const composed = this.nearestComposed(query, [], k);
      return { query, results: composed ?? (await this.model()).similar(query, k) };
    }
    const found = this.nearest(this.words, this.termRows(query), [], k, 'word');
    if (!found) return { query, results: (await this.model()).similar(query, k) };
    return { query, results: found.map(({ key, similarity }) => ({ word: key, similarity })) };
  }

  /**
   * A is to B as C is to ? (the answer of `Model.analogyOf`; 3CosMul loads the model).
   * @throws KotovecError UNKNOWN_WORD, EMPTY_QUERY
   */
  async analogyOf(a: string, b: string, c: string, k = 10, method: AnalogyMethod = 'cosadd'): Promise<QueryAnswer> {
    const query = await this.resolve([a, b, c]);
    if (query.some((term) => term.composed)) {
      const composed = method === 'cosadd' ? this.nearestComposed([query[1]!, query[2]!], [query[0]!], k) : null;
      return { query, results: composed ?? (await this.model()).analogy(query[0]!, query[1]!, query[2]!, k, method) };
    }
    const [ra, rb, rc] = this.termRows(query);
    const found = method === 'cosadd' ? this.nearest(this.words, [rb!, rc!], [ra!], k, 'word') : null;
    if (!found) return { query, results: (await this.model()).analogy(query[0]!, query[1]!, query[2]!, k, method) };
    return { query, results: found.map(({ key, similarity }) => ({ word: key, similarity })) };
  }

  /**
   * The vector of each word, read from the file: its stored vector, or (subword models) the mean of its
   * n-grams' rows; null for a word that has neither (what fastText's `print-word-vectors` prints as zeros).
   */
  vectors(words: readonly string[]): { vector: Float32Array | null; composed: boolean }[] {
    const rows = [...new Set(words.map((w) => this.words.rowOf(w)).filter((r): r is number => r !== undefined))].sort((a, b) => a - b);
    const known = this.words.load(rows, 'word');
    return words.map((word) => {
      const row = this.words.rowOf(word);
      if (row !== undefined) return { vector: known.vector(word), composed: false };
      const vector = this.subwords?.vector(word) ?? null;
      return { vector: vector && Float32Array.from(vector), composed: vector !== null };
    });
  }

  /** True for a subword model (every word with n-grams has a vector). */
  get hasSubwords(): boolean {
    return this.subwords !== null;
  }

  /** Vector dimension of the word vectors. */
  get dim(): number {
    return this.words.dim;
  }

  /**
   * The documents nearest to a trained document (the answer of `Model.similarDocs({ id })`).
   * @throws KotovecError UNKNOWN_DOC, UNSUPPORTED
   */
  async similarDocs(id: string, k = 10): Promise<DocumentSimilarity[]> {
    if (!this.docs) throw new KotovecError(ErrorCodes.UNSUPPORTED, `model has no document vectors: ${this.path} (train it with --model pv-dm, pv-dbow or pv-dm+dbow)`);
    const row = this.docs.rowOf(id);
    if (row === undefined) throw new KotovecError(ErrorCodes.UNKNOWN_DOC, `document not in the model: ${JSON.stringify(id)}`);
    const found = this.nearest(this.docs, [[row]], [], k, 'document');
    if (!found) return (await this.model()).similarDocs({ id }, k);
    return found.map(({ key, similarity }) => ({ id: key, similarity }));
  }
}
