/**
 * Tokenizing on several threads: kuromoji is the slow stage of a Japanese corpus (~0.2M characters a
 * second a thread), so batches of lines go round-robin to worker threads, each with its own
 * dictionary, and come back in order. For the fast tokenizers the work stays on the calling thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ErrorCodes, KotovecError } from '../errors.js';
import { createTokenizer, type TokenizerConfig } from './tokenizers.js';

/** A batch sent to a worker; with `intern`, the answer is an {@link InternReply}. */
export interface TokenizeRequest {
  id: number;
  texts: string[];
  intern?: boolean;
}

/** A worker's answer. */
export type TokenizeReply = { id: number; tokens: string[][] } | { id: number; error: { message: string; code?: string } };

/** A worker's answer to an interning request: every text's tokens as the worker's own word ids. */
export interface InternReply {
  id: number;
  /** The tokens of all the texts, one after the other, as ids of the worker's dictionary. */
  ids: Int32Array;
  /** Tokens per text. */
  lengths: Int32Array;
  /** Words first seen by this worker in this batch, in id order (ids continue from the last batch's). */
  newWords: string[];
}

/** An {@link InternReply} with the worker that made it (whose dictionary its ids index). */
export interface InternedBatch extends Omit<InternReply, 'id'> {
  worker: number;
}

/** Tokenizes batches on worker threads and returns the tokens as numbers (see `createInterningTokenizer`). */
export interface InterningTokenizer {
  /** Number of worker threads (each with its own dictionary). */
  readonly workers: number;
  /** How many batches may usefully be in flight at once. */
  readonly depth: number;
  tokenize(texts: string[]): Promise<InternedBatch>;
  close(): Promise<void>;
}

/** Tokenizes batches of texts; `close` ends any worker threads. */
export interface BatchTokenizer {
  /** How many batches may usefully be in flight at once. */
  readonly depth: number;
  tokenize(texts: string[]): Promise<string[][]>;
  close(): Promise<void>;
}

function workerScript(): URL {
  for (const relative of ['./tokenizeWorker.js', '../../dist/text/tokenizeWorker.js']) {
    const url = new URL(relative, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new KotovecError(ErrorCodes.WORKER, 'the tokenizer worker is not built: run `npm run build`');
}

/**
 * Builds a batch tokenizer: worker threads for `ja` when `threads` > 1, the calling thread otherwise.
 * @throws KotovecError TOKENIZER when a dictionary cannot be loaded
 */
export async function createBatchTokenizer(config: TokenizerConfig, threads: number): Promise<BatchTokenizer> {
  if (config.kind !== 'ja' || threads <= 1) {
    const tokenizer = await createTokenizer(config);
    return { depth: 1, tokenize: async (texts) => texts.map((t) => tokenizer.tokenize(t)), close: async () => {} };
  }
  const pool = startPool<string[][]>(config, threads, (reply) => (reply as { tokens: string[][] }).tokens);
  return { depth: threads * 2, tokenize: (texts) => pool.send(texts, false), close: pool.close };
}

/**
 * Tokenizes on `threads` worker threads, for any tokenizer, and hands the tokens back as numbers: each
 * worker numbers the words it meets in its own dictionary and names only the new ones, so a batch comes
 * back as two typed arrays (moved, not copied) and a short list of words instead of millions of strings.
 * Batches go round-robin; the caller keeps one translation table per worker (pass 1 maps them to its
 * counter's slots, in batch order, which keeps the slots in first-seen order).
 * @throws KotovecError TOKENIZER when a dictionary cannot be loaded
 */
export function createInterningTokenizer(config: TokenizerConfig, threads: number): InterningTokenizer {
  const pool = startPool<InternedBatch>(config, threads, (reply, worker) => {
    const { ids, lengths, newWords } = reply as InternReply;
    return { worker, ids, lengths, newWords };
  });
  return { workers: threads, depth: threads * 2, tokenize: (texts) => pool.send(texts, true), close: pool.close };
}

/** Worker threads answering requests in order of their ids; the first failure fails every pending batch. */
function startPool<T>(config: TokenizerConfig, threads: number, unpack: (reply: TokenizeReply | InternReply, worker: number) => T) {
  const script = workerScript();
  const workers = Array.from({ length: threads }, () => new Worker(script, { workerData: config }));
  const pending = new Map<number, { resolve: (result: T) => void; reject: (error: Error) => void }>();
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of pending.values()) reject(failure);
    pending.clear();
  };
  workers.forEach((worker, index) => {
    worker.on('message', (reply: TokenizeReply | InternReply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if ('error' in reply) waiting.reject(new KotovecError(ErrorCodes.TOKENIZER, reply.error.message));
      else waiting.resolve(unpack(reply, index));
    });
    worker.on('error', (error) => fail(new KotovecError(ErrorCodes.TOKENIZER, `tokenizer worker failed: ${error.message}`)));
  });
  let next = 0;
  return {
    send(texts: string[], intern: boolean): Promise<T> {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[id % workers.length]!.postMessage({ id, texts, intern } satisfies TokenizeRequest);
      });
    },
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
