/**
 * Tokenizing batches of lines, on the calling thread or on worker threads. Japanese analysis is the
 * slow stage of a Japanese corpus, so with more than one thread, batches go round-robin to workers that
 * share one copy of the dictionary (a `SharedArrayBuffer`) and come back in order. For counting (pass 1)
 * a worker sends back each token as a span of its line, not as a string, and the calling thread counts
 * the spans in order. The fast tokenizers stay on the calling thread, where pass 1 counts their lines
 * from the input's bytes (`byteCounter.ts`).
 */
import { errorFromWorker, WorkerHost, workerScript, type WorkerFailure } from '../workerThreads.js';
import { createByteCounter, type ByteCounter } from './byteCounter.js';
import { DirectTokenizer, type RangeCounter, type SlotBuffer } from './directTokens.js';
import { createJapaneseAnalysis, engineShare, type EngineShare, type JapaneseAnalysis } from './japanese.js';
import { createNormalizer } from './normalize.js';
import { createTokenizer, phraseStage, type TokenizerConfig } from './tokenizers.js';
import { Utf8Builder } from './utf8Builder.js';
import type { InputFile } from './lineReader.js';

/** A batch sent to a worker: tokens as strings, or as spans to count. */
export interface TokenizeRequest {
  id: number;
  texts: string[];
  as: 'tokens' | 'spans' | 'lines';
}

/** Tokens of a batch as spans: the lines as analysed (null where unchanged), tokens per line, spans. */
export interface SpanBatch {
  texts: (string | null)[];
  counts: Int32Array;
  spans: Int32Array;
}

/** A worker's answer. */
export type TokenizeReply =
  | { id: number; tokens: string[][] }
  | { id: number; lines: Uint8Array }
  | ({ id: number } & SpanBatch)
  | { id: number; error: WorkerFailure };

/** What the worker is started with. */
export interface TokenizeWorkerData {
  config: TokenizerConfig;
  dictionary: EngineShare;
}

/** What {@link BatchTokenizer.countTokens} counts with (implemented by `WordCounter`). */
export interface TokenCounter extends RangeCounter {
  add(word: string): number;
}

/** A tokenized batch whose lines are counted one at a time, in order. */
export interface CountableBatch {
  /**
   * Counts the tokens of line `i` of the batch, writing their slots into `buffer.slots` (grown as
   * needed); returns how many there were.
   */
  count(i: number, counter: TokenCounter, buffer: SlotBuffer): number;
}

/** Tokenizes batches of texts; `close` ends any worker threads. */
export interface BatchTokenizer {
  /** How many batches may usefully be in flight at once. */
  readonly depth: number;
  tokenize(texts: string[]): Promise<string[][]>;
  /**
   * The tokens of each text as `tokenize` prints them: space-separated, a line each, UTF-8. Where tokens
   * need not become strings on the way (Japanese analysis), they go from their place in the text into the
   * bytes; otherwise absent.
   */
  tokenizeToLines?(texts: string[]): Promise<Uint8Array>;
  /**
   * Tokenizes one text and counts its tokens at once, writing their slots into `buffer.slots` (grown as
   * needed); returns how many there were. Only where tokenizing runs on the calling thread, which
   * counts tokens without cutting them into strings first where it can (see `directTokens.ts`,
   * `japanese.ts`).
   */
  countTokens?(text: string, counter: TokenCounter, buffer: SlotBuffer): number;
  /** Tokenizes a batch on worker threads for counting (see {@link CountableBatch}). */
  tokenizeForCounting?(texts: string[]): Promise<CountableBatch>;
  /**
   * A counter of lines straight from their UTF-8 bytes (`simple`, `whitespace`), or null when its
   * WebAssembly module is not built; absent for the other tokenizers.
   */
  byteCounter?(): ByteCounter | null;
  close(): Promise<void>;
}

/**
 * Analyses a batch for counting on the thread that holds `analysis`.
 * @param normalize the normaliser of the tokenizer configuration
 */
export function analyzeBatch(analysis: JapaneseAnalysis, normalize: (line: string) => string, texts: string[]): SpanBatch {
  const counts = new Int32Array(texts.length);
  const lines: (string | null)[] = new Array(texts.length).fill(null);
  let spans = new Int32Array(1024);
  let used = 0;
  for (let i = 0; i < texts.length; i++) {
    const { text, count } = analysis.analyze(normalize(texts[i]!));
    if (text !== texts[i]) lines[i] = text;
    counts[i] = count;
    if (used + 3 * count > spans.length) {
      const grown = new Int32Array(Math.max(used + 3 * count, spans.length * 2));
      grown.set(spans.subarray(0, used));
      spans = grown;
    }
    spans.set(analysis.spans.subarray(0, 3 * count), used);
    used += 3 * count;
  }
  return { texts: lines, counts, spans: spans.slice(0, used) };
}

/**
 * The tokens of a batch as `tokenize` prints them (see {@link BatchTokenizer.tokenizeToLines}), written
 * through `out`.
 */
export function writeBatchLines(analysis: JapaneseAnalysis, normalize: (line: string) => string, texts: string[], out: Utf8Builder): Uint8Array {
  for (const text of texts) analysis.writeTokens(normalize(text), out);
  return out.take();
}

/**
 * Input under this many bytes on disk is analysed on the calling thread: a worker costs ~0.15 s of CPU to
 * start (its own isolate, modules and lattice), more than it saves on text the calling thread analyses
 * in about that time (the built-in engine reads ~10 MB a second).
 */
export const SMALL_INPUT_BYTES = 1 << 20;

/** True when every input is a file on disk and together they hold less than {@link SMALL_INPUT_BYTES}. */
export function isSmallInput(files: readonly InputFile[]): boolean {
  let bytes = 0;
  for (const file of files) {
    if (file.path === '-' || file.stream) return false;
    bytes += file.size;
  }
  return bytes < SMALL_INPUT_BYTES;
}

/**
 * The tokenizer threads worth starting for `files`: `threads`, or 1 for a small input
 * ({@link isSmallInput}). The tokens are the same either way.
 */
export function tokenizerThreads(files: readonly InputFile[], threads: number): number {
  return threads > 1 && isSmallInput(files) ? 1 : threads;
}

/**
 * Builds a batch tokenizer: worker threads for `ja` when `threads` > 1, the calling thread otherwise.
 * @throws KotovecError TOKENIZER when the dictionary cannot be loaded
 */
export async function createBatchTokenizer(config: TokenizerConfig, threads: number): Promise<BatchTokenizer> {
  const phrases = phraseStage(config);
  if (phrases) return withPhrases(await createBatchTokenizer({ ...config, phrases: undefined }, threads), phrases);
  if (config.kind === 'ja') {
    return threads > 1 ? createJapanesePool(config, threads) : createJapaneseOnThisThread(config);
  }
  const tokenizer = await createTokenizer(config);
  const countTokens = fastLineCounter(config, tokenizer);
  return {
    depth: 1,
    tokenize: async (texts) => texts.map((t) => tokenizer.tokenize(t)),
    countTokens,
    byteCounter: () => createByteCounter(directRule(config), (text) => tokenizer.tokenize(text)),
    close: async () => {},
  };
}

/** A worker's answer that is not a failure. */
type Answered<Reply> = Exclude<Reply, { error: WorkerFailure }>;

/**
 * Worker threads (started with the first request) taking requests round-robin and answering each by its
 * id. A thread that fails or ends without a word (killed, out of memory) rejects every request waiting,
 * and every later one.
 */
class WorkerPool<Request extends { id: number }, Reply extends { id: number }> {
  private workers: WorkerHost<Request, Reply>[] | undefined;
  private readonly pending = new Map<number, { resolve: (reply: Answered<Reply>) => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;
  private next = 0;

  /**
   * @param path the worker's script below `dist/` (see `workerScript`)
   * @param what how errors name a worker
   */
  constructor(
    private readonly path: string,
    private readonly what: string,
    private readonly threads: number,
    private readonly workerData: unknown,
  ) {}

  /** Starts the threads now rather than with the first request. */
  start(): WorkerHost<Request, Reply>[] {
    if (this.workers) return this.workers;
    const script = workerScript(import.meta.url, this.path, this.what);
    const onFailure = (error: Error) => {
      this.failure ??= error;
      for (const { reject } of this.pending.values()) reject(this.failure);
      this.pending.clear();
    };
    const onMessage = (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if ('error' in reply) {
        waiting.reject(errorFromWorker(reply.error as WorkerFailure, this.what));
        return;
      }
      waiting.resolve(reply as Answered<Reply>);
    };
    this.workers = Array.from({ length: this.threads }, () =>
      new WorkerHost<Request, Reply>(script, this.what, { onMessage, onFailure }, { workerData: this.workerData }));
    return this.workers;
  }

  /** Sends the request `build` makes with its id to the next worker; resolves with the answer. */
  send(build: (id: number) => Request): Promise<Answered<Reply>> {
    if (this.failure) return Promise.reject(this.failure);
    const workers = this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      workers[id % this.threads]!.post(build(id));
    });
  }

  /** Ends the threads (if started). */
  async close(): Promise<void> {
    if (this.workers) await Promise.all(this.workers.map((w) => w.close()));
  }
}

/**
 * Counts one line of a fast tokenizer (`simple`, `whitespace`; `tokenizer` made from `config`) into a
 * counter: straight from the line's characters where {@link DirectTokenizer} takes it, else its tokens
 * as strings.
 */
function fastLineCounter(
  config: TokenizerConfig,
  tokenizer: Awaited<ReturnType<typeof createTokenizer>>,
): (text: string, counter: TokenCounter, buffer: SlotBuffer) => number {
  const direct = directRule(config);
  return (text, counter, buffer) => (direct.handles(text) ? direct.count(text, counter, buffer) : countStrings(tokenizer.tokenize(text), counter, buffer));
}

/** The direct rule of a fast tokenizer's configuration. */
function directRule(config: TokenizerConfig): DirectTokenizer {
  return new DirectTokenizer(config.kind === 'simple' ? 'word' : 'whitespace', config.normalize, config.lowercase);
}

async function createJapaneseOnThisThread(config: TokenizerConfig): Promise<BatchTokenizer> {
  const analysis = await createJapaneseAnalysis(config);
  const normalize = createNormalizer({ form: config.normalize, lowercase: config.lowercase });
  const out = new Utf8Builder();
  return {
    depth: 1,
    tokenize: async (texts) => texts.map((t) => analysis.tokenize(normalize(t))),
    tokenizeToLines: async (texts) => writeBatchLines(analysis, normalize, texts, out),
    countTokens: (text, counter, buffer) => analysis.count(normalize(text), counter, buffer),
    close: async () => {},
  };
}

async function createJapanesePool(config: TokenizerConfig, threads: number): Promise<BatchTokenizer> {
  const dictionary = await engineShare(config);
  // The calling thread turns base-form ids into strings with the same dictionary.
  const analysis = await createJapaneseAnalysis(config, dictionary);
  const workerData: TokenizeWorkerData = { config, dictionary };
  const pool = new WorkerPool<TokenizeRequest, TokenizeReply>('text/tokenizeWorker.js', 'tokenizer worker', threads, workerData);
  pool.start();
  const send = (texts: string[], as: TokenizeRequest['as']) => pool.send((id) => ({ id, texts, as }));
  return {
    depth: threads * 2,
    async tokenize(texts) {
      return ((await send(texts, 'tokens')) as { tokens: string[][] }).tokens;
    },
    async tokenizeToLines(texts) {
      return ((await send(texts, 'lines')) as { lines: Uint8Array }).lines;
    },
    async tokenizeForCounting(texts) {
      const reply = (await send(texts, 'spans')) as SpanBatch;
      const starts = new Int32Array(texts.length + 1);
      for (let i = 0; i < texts.length; i++) starts[i + 1] = starts[i]! + reply.counts[i]!;
      return {
        count: (i, counter, buffer) =>
          analysis.countSpans(reply.texts[i] ?? texts[i]!, reply.spans, starts[i]!, reply.counts[i]!, counter, buffer),
      };
    },
    close: () => pool.close(),
  };
}

/**
 * A batch tokenizer whose lines go through the phrase stage: tokens as strings (the fast counting paths
 * work on tokens that never become strings), joined, then counted.
 */
function withPhrases(base: BatchTokenizer, phrases: (tokens: string[]) => string[]): BatchTokenizer {
  const tokenize = async (texts: string[]) => (await base.tokenize(texts)).map(phrases);
  return {
    depth: base.depth,
    tokenize,
    async tokenizeForCounting(texts) {
      const lines = await tokenize(texts);
      return { count: (i, counter, buffer) => countStrings(lines[i]!, counter, buffer) };
    },
    close: () => base.close(),
  };
}

/**
 * How a batch tokenizer's batches are counted: its own `tokenizeForCounting`, or its tokens counted one by
 * one as strings.
 */
export function countingOf(tokenizer: BatchTokenizer): (texts: string[]) => Promise<CountableBatch> {
  if (tokenizer.tokenizeForCounting) return tokenizer.tokenizeForCounting.bind(tokenizer);
  return async (texts) => {
    const lists = await tokenizer.tokenize(texts);
    return { count: (i, counter, buffer) => countStrings(lists[i]!, counter, buffer) };
  };
}

/** Counts a line's tokens given as strings, writing their slots into `buffer.slots`. */
function countStrings(tokens: string[], counter: TokenCounter, buffer: SlotBuffer): number {
  if (buffer.slots.length < tokens.length) buffer.slots = new Int32Array(Math.max(tokens.length, buffer.slots.length * 2));
  for (let i = 0; i < tokens.length; i++) buffer.slots[i] = counter.add(tokens[i]!);
  return tokens.length;
}
