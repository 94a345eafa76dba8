/**
 * The JSON API of `kotovec serve`: each route a function from a parsed request to an answer, over the
 * same `Model` methods the command line uses, so that `/api/similar` answers exactly what
 * `kotovec similar --json` prints. Errors are thrown as KotovecErrors; the server turns them into
 * statuses (see `statusOf`).
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import { whyNoInference } from '../query/infer.js';
import type { Model } from '../query/model.js';
import { describeModel, summarizeTokenizer, type ModelInfo } from '../store/info.js';
import { pca, TSNE_MAX_POINTS, type ProjectionMethod } from './projection.js';
import { tsneOffThread } from './projectionPool.js';

/** A model the server holds, under the name the API calls it by. */
export interface ServedModel {
  name: string;
  path: string;
  model: Model;
}

/** What a route is given: query parameters (repeated ones kept) and the JSON body of a POST. */
export interface ApiRequest {
  params: URLSearchParams;
  body?: unknown;
}

/** What routes answer from: the served models, and the one a request names. */
export interface ApiContext {
  models: readonly ServedModel[];
  /** The model a request names (`model=`), or the first. @throws KotovecError NOT_FOUND */
  pick(request: ApiRequest): ServedModel;
}

/** A route: the HTTP method it takes and what it answers. */
export interface Route {
  method: 'GET' | 'POST';
  answer(request: ApiRequest, api: ApiContext): Promise<unknown> | unknown;
}

/** Largest k, limit or number of points a request may ask for. */
export const API_LIMITS = { k: 1000, words: 1000, points: 5000 } as const;

const badRequest = (message: string) => new KotovecError(ErrorCodes.BAD_REQUEST, message);

/** A parameter from the body (POST) or the query string, as text. */
function text(request: ApiRequest, name: string, required: true): string;
function text(request: ApiRequest, name: string, required?: false): string | undefined;
function text(request: ApiRequest, name: string, required = false): string | undefined {
  const fromBody = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>)[name] : undefined;
  if (fromBody !== undefined && typeof fromBody !== 'string' && typeof fromBody !== 'number') throw badRequest(`${name} must be a string`);
  const value = fromBody !== undefined ? String(fromBody) : request.params.get(name) ?? undefined;
  if (required && (value === undefined || value.trim() === '')) throw badRequest(`missing parameter: ${name}`);
  return value;
}

/** An integer parameter within [min, max], or its default. */
function integer(request: ApiRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = text(request, name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw badRequest(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return value;
}

/** A parameter that must be one of `choices`, or its default. */
function choice<T extends string>(request: ApiRequest, name: string, choices: readonly T[], fallback: T): T {
  const raw = text(request, name);
  if (raw === undefined || raw === '') return fallback;
  if (!choices.includes(raw as T)) throw badRequest(`${name} must be one of ${choices.join(', ')} (got ${JSON.stringify(raw)})`);
  return raw as T;
}

/** What `/api/models` lists for each model. */
export interface ModelSummary {
  name: string;
  kind: string;
  origin: string;
  dim: number;
  words: number;
  documents: number;
  canInfer: boolean;
  /** The tokenizer's settings; a phrase table and a user dictionary told by their sizes. */
  tokenizer: unknown;
  /** A model with phrases: its most frequent one as a user types it (`new york`), for the page's hint. */
  phraseExample?: string;
}

/** The summary of a served model. */
export function summarize({ name, model }: ServedModel): ModelSummary {
  const hyper = model.data.hyper;
  return {
    name,
    kind: hyper ? `${hyper.model}+${hyper.loss}` : 'word vectors (imported)',
    origin: model.data.origin,
    dim: model.dim,
    words: model.words.size,
    documents: model.docs?.size ?? 0,
    canInfer: whyNoInference(model.data) === null,
    tokenizer: summarizeTokenizer(model.data.tokenizer ?? null),
    ...phraseExample(model),
  };
}

/** The most frequent phrase of a model's first pass, its tokens joined by spaces (none without phrases). */
function phraseExample(model: Model): { phraseExample?: string } {
  const table = model.data.tokenizer?.phrases;
  const pass = table?.passes[0];
  if (!table || !pass || pass.phrases.length === 0) return {};
  let best = 0;
  pass.counts.forEach((count, i) => {
    if (count > pass.counts[best]!) best = i;
  });
  return { phraseExample: pass.phrases[best]!.split(table.settings.delimiter).join(' ') };
}

/** A word and where it lands on a map. */
export interface MapPoint {
  word: string;
  x: number;
  y: number;
  /** Cosine similarity to the query word (neighbourhood maps). */
  similarity?: number;
}

/** Maps vectors to the plane: PCA here, t-SNE on a worker thread. */
function project(vectors: Float32Array[], dim: number, method: ProjectionMethod): Promise<Float32Array> {
  const flat = new Float32Array(vectors.length * dim);
  vectors.forEach((vector, i) => flat.set(vector, i * dim));
  return method === 'tsne' ? tsneOffThread(flat, vectors.length, dim) : Promise.resolve(pca(flat, vectors.length, dim));
}

/** The API's routes by path. */
export const ROUTES: Record<string, Route> = {
  '/api/models': {
    method: 'GET',
    answer: (_request, api) => ({ models: api.models.map(summarize) }),
  },
  '/api/info': {
    method: 'GET',
    answer: (request, api): ModelInfo => describeModel(api.pick(request).path),
  },
  '/api/similar': {
    method: 'GET',
    answer: (request, api) => {
      const words = request.params.getAll('word').filter((w) => w.trim() !== '');
      if (words.length === 0) throw badRequest('missing parameter: word');
      return api.pick(request).model.similarTo(words, integer(request, 'k', 10, 1, API_LIMITS.k));
    },
  },
  '/api/analogy': {
    method: 'GET',
    answer: (request, api) =>
      api.pick(request).model.analogyOf(text(request, 'a', true), text(request, 'b', true), text(request, 'c', true),
        integer(request, 'k', 10, 1, API_LIMITS.k), choice(request, 'method', ['cosadd', 'cosmul'] as const, 'cosadd')),
  },
  '/api/vector': {
    method: 'GET',
    answer: async (request, api) => {
      const { model } = api.pick(request);
      const [term] = await model.resolve([text(request, 'word', true)]);
      const single = term!.tokens.length === 1 && term!.tokens[0] === term!.text;
      // A vocabulary word: its vector as stored; a phrase: the mean of its tokens' unit vectors, as queries use.
      const vector = single ? model.vector(term!.text) : model.termVector(term!);
      return { query: term, vector: Array.from(vector) };
    },
  },
  '/api/words': {
    method: 'GET',
    answer: (request, api) => {
      const { model } = api.pick(request);
      const limit = integer(request, 'limit', 10, 1, API_LIMITS.words);
      const prefix = (text(request, 'prefix') ?? '').normalize('NFKC');
      const lower = prefix.toLowerCase();
      const words: { word: string; count: number }[] = [];
      const keys = model.data.words;
      // Frequency order: the vocabulary is stored most frequent first. Exact-case matches come first.
      for (const caseSensitive of [true, false]) {
        for (let i = 0; i < keys.length && words.length < limit; i++) {
          const word = keys[i]!;
          const match = caseSensitive ? word.startsWith(prefix) : !word.startsWith(prefix) && word.toLowerCase().startsWith(lower);
          if (match) words.push({ word, count: model.data.counts[i] ?? 0 });
        }
      }
      return { prefix, words };
    },
  },
  '/api/infer': {
    method: 'POST',
    answer: (request, api) => {
      const content = text(request, 'text', true);
      const k = integer(request, 'k', 10, 0, API_LIMITS.k);
      const seed = integer(request, 'seed', 1, 0, 0xffffffff);
      return api.pick(request).model.infer(content, { seed }, k);
    },
  },
  '/api/similar-docs': {
    method: 'GET',
    answer: async (request, api) => {
      const { model } = api.pick(request);
      const k = integer(request, 'k', 10, 1, API_LIMITS.k);
      const id = text(request, 'id');
      const content = text(request, 'text');
      if ((id === undefined) === (content === undefined)) throw badRequest('give exactly one of id or text');
      if (id !== undefined) return model.similarDocs({ id }, k);
      if (content!.trim() === '') throw badRequest('missing parameter: text');
      return model.similarDocs({ vector: await model.inferVector(content!, { seed: integer(request, 'seed', 1, 0, 0xffffffff) }) }, k);
    },
  },
  '/api/projection': {
    method: 'GET',
    answer: async (request, api) => {
      const { model } = api.pick(request);
      const method = choice(request, 'method', ['pca', 'tsne'] as const, 'pca');
      const limit = method === 'tsne' ? TSNE_MAX_POINTS : API_LIMITS.points;
      const word = text(request, 'word');
      if (word !== undefined && word.trim() !== '') {
        // A word's neighbourhood: the word (or phrase) and its k nearest words.
        const k = integer(request, 'k', 50, 1, limit - 1);
        const answer = await model.similarTo([word], k);
        const term = answer.query[0]!;
        const centre = model.words.termVector(term.tokens.map((t) => model.words.indexOf(t)));
        const vectors = [centre, ...answer.results.map((r) => model.words.unitRow(model.words.indexOf(r.word)))];
        const xy = await project(vectors, model.dim, method);
        const points: MapPoint[] = [{ word: term.text, x: xy[0]!, y: xy[1]!, similarity: 1 }];
        answer.results.forEach((r, i) => points.push({ word: r.word, x: xy[2 * (i + 1)]!, y: xy[2 * (i + 1) + 1]!, similarity: r.similarity }));
        return { method, query: answer.query, points };
      }
      // The most frequent words.
      const top = Math.min(integer(request, 'top', 500, 2, limit), model.words.size);
      const rows = Array.from({ length: top }, (_, i) => i);
      const xy = await project(rows.map((row) => model.words.unitRow(row)), model.dim, method);
      return { method, points: rows.map((row, i): MapPoint => ({ word: model.data.words[row]!, x: xy[2 * i]!, y: xy[2 * i + 1]! })) };
    },
  },
};

/**
 * The context routes answer from.
 * @param models at least one; names must differ
 */
export function apiContext(models: readonly ServedModel[]): ApiContext {
  return {
    models,
    pick(request) {
      const fromBody = request.body && typeof request.body === 'object' ? (request.body as { model?: unknown }).model : undefined;
      const name = request.params.get('model') ?? fromBody;
      if (name === undefined || name === null || name === '') return models[0]!;
      const found = models.find((m) => m.name === name);
      if (!found) throw new KotovecError(ErrorCodes.NOT_FOUND, `no model named ${JSON.stringify(String(name))}; /api/models lists them`);
      return found;
    },
  };
}

/** The HTTP status for an error a route threw. */
export function statusOf(error: unknown): number {
  const code = error instanceof KotovecError ? error.code : undefined;
  switch (code) {
    case ErrorCodes.UNKNOWN_WORD:
    case ErrorCodes.UNKNOWN_DOC:
    case ErrorCodes.NOT_FOUND:
      return 404;
    case ErrorCodes.BAD_REQUEST:
    case ErrorCodes.BAD_OPTION:
    case ErrorCodes.EMPTY_QUERY:
    case ErrorCodes.UNSUPPORTED:
      return 400;
    case ErrorCodes.METHOD_NOT_ALLOWED:
      return 405;
    case ErrorCodes.TOO_LARGE:
      return 413;
    default:
      return 500;
  }
}
