/**
 * Tokenizing on several threads: kuromoji is the slow stage of a Japanese corpus (~0.2M characters a
 * second a thread), so batches of lines go round-robin to worker threads, each with its own
 * dictionary, and come back in order. For the fast tokenizers the work stays on the calling thread.
 */
import { Worker } from 'node:worker_threads';
import { ErrorCodes, KotovecError } from '../errors.js';
import { workerScript } from '../workerThreads.js';
import { DirectTokenizer, type RangeCounter, type SlotBuffer } from './directTokens.js';
import { createTokenizer, type TokenizerConfig } from './tokenizers.js';

/** A batch sent to a worker. */
export interface TokenizeRequest {
  id: number;
  texts: string[];
}

/** A worker's answer. */
export type TokenizeReply = { id: number; tokens: string[][] } | { id: number; error: { message: string; code?: string } };

/** What {@link BatchTokenizer.countTokens} counts with (implemented by `WordCounter`). */
export interface TokenCounter extends RangeCounter {
  add(word: string): number;
}

/** Tokenizes batches of texts; `close` ends any worker threads. */
export interface BatchTokenizer {
  /** How many batches may usefully be in flight at once. */
  readonly depth: number;
  tokenize(texts: string[]): Promise<string[][]>;
  /**
   * Tokenizes one text and counts its tokens at once, writing their slots into `buffer.slots` (grown as
   * needed); returns how many there were. Only where tokenizing runs on the calling thread (the `simple`
   * and `whitespace` tokenizers), which counts most lines without cutting them into strings first
   * (see `directTokens.ts`).
   */
  countTokens?(text: string, counter: TokenCounter, buffer: SlotBuffer): number;
  close(): Promise<void>;
}


/**
 * Builds a batch tokenizer: worker threads for `ja` when `threads` > 1, the calling thread otherwise.
 * @throws KotovecError TOKENIZER when a dictionary cannot be loaded
 */
export async function createBatchTokenizer(config: TokenizerConfig, threads: number): Promise<BatchTokenizer> {
  if (config.kind !== 'ja' || threads <= 1) {
    const tokenizer = await createTokenizer(config);
    const rule = config.kind === 'simple' ? 'word' : config.kind === 'whitespace' ? 'whitespace' : null;
    const direct = rule ? new DirectTokenizer(rule, config.normalize, config.lowercase) : null;
    const countTokens = (text: string, counter: TokenCounter, buffer: SlotBuffer): number => {
      if (direct?.handles(text)) return direct.count(text, counter, buffer);
      const tokens = tokenizer.tokenize(text);
      if (buffer.slots.length < tokens.length) buffer.slots = new Int32Array(Math.max(tokens.length, buffer.slots.length * 2));
      for (let i = 0; i < tokens.length; i++) buffer.slots[i] = counter.add(tokens[i]!);
      return tokens.length;
    };
    return { depth: 1, tokenize: async (texts) => texts.map((t) => tokenizer.tokenize(t)), countTokens, close: async () => {} };
  }
  const script = workerScript(import.meta.url, 'text/tokenizeWorker.js', 'tokenizer worker');
  const workers = Array.from({ length: threads }, () => new Worker(script, { workerData: config }));
  const pending = new Map<number, { resolve: (tokens: string[][]) => void; reject: (error: Error) => void }>();
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of pending.values()) reject(failure);
    pending.clear();
  };
  for (const worker of workers) {
    worker.on('message', (reply: TokenizeReply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if ('error' in reply) waiting.reject(new KotovecError(ErrorCodes.TOKENIZER, reply.error.message));
      else waiting.resolve(reply.tokens);
    });
    worker.on('error', (error) => fail(new KotovecError(ErrorCodes.TOKENIZER, `tokenizer worker failed: ${error.message}`)));
  }
  let next = 0;
  return {
    depth: threads * 2,
    tokenize(texts) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<string[][]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[id % workers.length]!.postMessage({ id, texts } satisfies TokenizeRequest);
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
