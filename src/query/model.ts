/**
 * A model opened for queries: word vectors (and document vectors) as {@link KeyedVectors}, plus the
 * settings it was trained with.
 *
 * @example
 * ```ts
 * const model = openModel('demo.db');
 * model.similar(['king'], 5);            // [{ word: 'queen', similarity: 0.71 }, …]
 * model.analogy('man', 'king', 'woman'); // man is to king as woman is to …
 * ```
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import type { ModelData } from '../model.js';
import { openModelDatabase, readMeta, readModel, type ReadParts } from '../store/reader.js';
import { precisionOf } from '../store/precision.js';
import { subwordRowReader } from '../store/subwordRows.js';
import { createTokenizer, type Tokenizer } from '../text/tokenizers.js';
import { DocumentInferrer, type InferOptions } from './infer.js';
import { KeyedVectors, type TermPart } from './keyedVectors.js';
import { rowsInMemory, SubwordComposer, type InputRowReader } from './subwords.js';
import { resolveTerms, type QueryTerm } from './terms.js';

export type { QueryTerm };

/** A document id and its cosine similarity to the query. */
export interface DocumentSimilarity {
  id: string;
  similarity: number;
}

/** A word and its cosine similarity to the query. */
export interface WordSimilarity {
  word: string;
  similarity: number;
}

/** How analogies are scored. */
export type AnalogyMethod = 'cosadd' | 'cosmul';

/** A query's answer with the terms it was read as (the `--json` form of `similar` and `analogy`). */
export interface QueryAnswer {
  query: QueryTerm[];
  results: WordSimilarity[];
}

/** An inferred document vector with the tokens it was read as (the `--json` form of `infer`). */
export interface InferAnswer {
  vector: number[];
  /** Tokens of the text in the vocabulary (used). */
  tokens: string[];
  /** Tokens of the text not in the vocabulary (ignored). */
  unknown: string[];
  /** The nearest trained documents, when asked for. */
  similar?: DocumentSimilarity[];
}

/** A model loaded for queries. */
export class Model {
  /** Word vectors. */
  readonly words: KeyedVectors;

  /** Document vectors (doc2vec models), or null. */
  readonly docs: KeyedVectors | null;
  /** Subword models: the vectors of words the vocabulary does not hold, from their n-grams; else null. */
  readonly subwords: SubwordComposer | null;
  private inferrer: DocumentInferrer | undefined;
  private tokenizerPromise: Promise<Tokenizer> | undefined;

  /**
   * @param data the model's contents
   * @param inputRows a subword model's input rows by id, when `data` does not hold them (read from its file)
   */
  constructor(readonly data: ModelData, inputRows?: InputRowReader) {
    this.words = new KeyedVectors(data.words, data.wordVectors, data.dim, 'word');
    this.docs = data.docVectors ? new KeyedVectors(data.docIds, data.docVectors, data.docDim, 'document') : null;
    const sub = data.subwords;
    const reader = sub?.wordRows && sub.ngramRows ? rowsInMemory(sub, data.dim) : inputRows;
    this.subwords = sub && reader ? new SubwordComposer(sub, data.words.length, data.dim, reader) : null;
  }

  /** The tokenizer the model was trained with (loaded once). */
  tokenizer(): Promise<Tokenizer> {
    this.tokenizerPromise ??= createTokenizer(this.data.tokenizer ?? { kind: 'whitespace' });
    return this.tokenizerPromise;
  }

  /** Tokenizes a text the way the model's corpus was tokenized (lines joined). */
  async tokenize(text: string): Promise<string[]> {
    const tokenizer = await this.tokenizer();
    return text.split('\n').flatMap((line) => tokenizer.tokenize(line));
  }

  /**
   * Infers the vector of a new document: tokens, or a text tokenized with the model's own settings.
   * @throws KotovecError UNSUPPORTED (not a doc2vec model), UNKNOWN_WORD (no known word)
   */
  async inferVector(document: string | readonly string[], options: InferOptions = {}): Promise<Float32Array> {
    const tokens = typeof document === 'string' ? await this.tokenize(document) : document;
    this.inferrer ??= new DocumentInferrer(this.data);
    return this.inferrer.infer(tokens, options);
  }

  /**
   * Infers a new document's vector and, with `k` > 0, its nearest trained documents.
   * @param text the document, tokenized with the model's own settings
   * @throws KotovecError UNSUPPORTED (not a doc2vec model), UNKNOWN_WORD (no known word)
   */
  async infer(text: string, options: InferOptions = {}, k = 0): Promise<InferAnswer> {
    const tokens = await this.tokenize(text);
    const vector = await this.inferVector(tokens, options);
    const used = tokens.filter((t) => this.words.has(t));
    const unknown = tokens.filter((t) => !this.words.has(t));
    return { vector: Array.from(vector), tokens: used, unknown, ...(k > 0 ? { similar: this.similarDocs({ vector }, k) } : {}) };
  }

  private requireDocs(): KeyedVectors {
    if (!this.docs) throw new KotovecError(ErrorCodes.UNSUPPORTED, 'this model has no document vectors (train with --model pv-dm, pv-dbow or pv-dm+dbow)');
    return this.docs;
  }

  /**
   * The trained documents nearest to a document id or to a vector.
   * @throws KotovecError UNKNOWN_DOC, UNSUPPORTED
   */
  similarDocs(query: { id: string } | { vector: ArrayLike<number> }, k = 10): DocumentSimilarity[] {
    const docs = this.requireDocs();
    const result =
      'id' in query
        ? docs.mostSimilar([query.id], [], k)
        : docs.topK(docs.cosines(query.vector), k);
    return result.map(({ key, similarity }) => ({ id: key, similarity }));
  }

  /** Vector dimension. */
  get dim(): number {
    return this.data.dim;
  }

  /**
   * Reads query texts as the model's corpus was read (see {@link QueryTerm}).
   * @throws KotovecError UNKNOWN_WORD when no token of a text is in the vocabulary, EMPTY_QUERY for an
   *   empty text
   */
  async resolve(texts: readonly string[]): Promise<QueryTerm[]> {
    const composes = this.subwords ? (word: string) => this.subwords!.composes(word) : undefined;
    return resolveTerms(texts, (word) => this.words.has(word), () => this.tokenizer(), composes);
  }

  /** A word's row, or (subword models) its vector from its n-grams. @throws KotovecError UNKNOWN_WORD */
  private part(word: string): TermPart {
    if (this.words.has(word) || !this.subwords) return this.words.require(word);
    return this.subwords.vector(word) ?? this.words.require(word);
  }

  private parts(term: string | QueryTerm): TermPart[] {
    return typeof term === 'string' ? [this.part(term)] : term.tokens.map((t) => this.part(t));
  }

  /**
   * The words nearest to Σ positive terms − Σ negative ones: by rows when every part is a row of the
   * matrix (gensim's arithmetic), else by the query vector (words composed from subwords), the rows of
   * the query excluded either way.
   */
  private nearestTerms(positive: TermPart[][], negative: TermPart[][], k: number): WordSimilarity[] {
    const allRows = [...positive, ...negative].every((parts) => parts.every((p) => typeof p === 'number'));
    let found;
    if (allRows) found = this.words.mostSimilarTerms(positive as number[][], negative as number[][], k);
    else {
      const { vector, exclude } = this.words.queryOf(positive, negative);
      found = this.words.nearestTo(vector, [...exclude], k);
    }
    return found.map(({ key, similarity }) => ({ word: key, similarity }));
  }

  /**
   * The words nearest to one word or to the mean of several (gensim `most_similar(positive=…)`).
   * @param terms vocabulary words, or terms from {@link resolve} (a phrase counts as the mean of its tokens)
   * @param k how many
   * @throws KotovecError UNKNOWN_WORD naming the word, EMPTY_QUERY for no word
   */
  similar(terms: readonly (string | QueryTerm)[], k = 10): WordSimilarity[] {
    return this.nearestTerms(terms.map((t) => this.parts(t)), [], k);
  }

  /**
   * A is to B as C is to ? — B − A + C on unit vectors (3CosAdd), or 3CosMul; A, B and C excluded.
   * Each of A, B, C is a vocabulary word or a term from {@link resolve}.
   * @throws KotovecError UNKNOWN_WORD naming the word
   */
  analogy(a: string | QueryTerm, b: string | QueryTerm, c: string | QueryTerm, k = 10, method: AnalogyMethod = 'cosadd'): WordSimilarity[] {
    const positive = [this.parts(b), this.parts(c)];
    const negative = [this.parts(a)];
    if (method === 'cosadd') return this.nearestTerms(positive, negative, k);
    return this.words.mostSimilarCosmulTerms(positive, negative, k).map(({ key, similarity }) => ({ word: key, similarity }));
  }

  /**
   * Reads query texts with the model's tokenizer and answers with their nearest words (the `--json`
   * answer of `similar`).
   * @throws KotovecError UNKNOWN_WORD, EMPTY_QUERY
   */
  async similarTo(texts: readonly string[], k = 10): Promise<QueryAnswer> {
    const query = await this.resolve(texts);
    return { query, results: this.similar(query, k) };
  }

  /**
   * Reads A, B and C with the model's tokenizer and answers the analogy (the `--json` answer of `analogy`).
   * @throws KotovecError UNKNOWN_WORD, EMPTY_QUERY
   */
  async analogyOf(a: string, b: string, c: string, k = 10, method: AnalogyMethod = 'cosadd'): Promise<QueryAnswer> {
    const query = await this.resolve([a, b, c]);
    return { query, results: this.analogy(query[0]!, query[1]!, query[2]!, k, method) };
  }

  /**
   * The vector of a word (a copy).
   * @throws KotovecError UNKNOWN_WORD
   */
  vector(word: string): Float32Array {
    const part = this.part(word);
    return typeof part === 'number' ? this.words.vector(word) : Float32Array.from(part);
  }

  /** The unit vector a query term stands for (a phrase: the mean of its tokens' unit vectors). */
  termVector(term: QueryTerm): Float32Array {
    return this.words.termVectorOf(this.parts(term));
  }

}

/**
 * Opens a model file for queries.
 * @param path the model file
 * @param parts optional parts to load as well (output weights, documents)
 * @throws KotovecError INPUT_NOT_FOUND, BAD_MODEL, MODEL_TOO_NEW
 */
export function openModel(path: string, parts: ReadParts = {}): Model {
  const data = readModel(path, parts);
  return new Model(data, data.subwords && !data.subwords.ngramRows ? fileRowReader(path, data) : undefined);
}

/**
 * A subword model's input rows read from its file by id, the file opened on the first read and kept open
 * (queries of a served model read a few rows each).
 */
function fileRowReader(path: string, data: ModelData): InputRowReader {
  let read: InputRowReader | undefined;
  return (rowIds) => {
    if (!read) {
      const db = openModelDatabase(path);
      db.pragma('mmap_size = 0');
      const meta = readMeta(db, path);
      read = subwordRowReader(db, meta, path, data.subwords!, data.words.length, data.dim, precisionOf(meta.get('precision'), path));
    }
    return read(rowIds);
  };
}

