/**
 * The first pass of phrase learning on a thread of its own: while the calling thread reads and tokenizes
 * the text, this one counts its words and pairs (`PhraseCounter`), line after line in the text's order — the
 * same counts, prunings included, as counting on the calling thread. Lines travel as token ids; the tokens
 * behind new ids travel with them, and the worker gives them the same ids in the same order.
 */
import type { PhrasePass, PhraseSettings, TokenAtomsShape, TokenReplay } from '../text/phrases.js';
import { errorFromWorker, WorkerHost, workerScript, type WorkerFailure } from '../workerThreads.js';
import type { KotovecError } from '../errors.js';

/** How the counting worker builds its atoms and counter. */
export interface PhraseCountWorkerData extends TokenAtomsShape {
  settings: PhraseSettings;
  /** How many pairs the text is expected to hold (see `PhraseCounter`). */
  expectedPairs: number;
  /** The tokens that have ids already (a later pass's), as `TokenAtoms.replay` gives them. */
  replay?: TokenReplay;
}

/** The counts of the first pass, as the counter gives them. */
export interface PhraseCounts {
  pass: PhrasePass;
  /** Words read (gensim's `corpus_word_count`). */
  words: number;
  /** Distinct pairs (keys of two atoms or more) at the end. */
  pairs: number;
  prunings: number;
  /** Distinct words and pairs at the end (gensim's `len(vocab)`). */
  vocabulary: number;
}

/** Messages to the counting worker. */
export type PhraseCountRequest =
  | ({ kind: 'lines'; data: Int32Array; length: number } & TokenReplay)
  | { kind: 'end' };

/** Messages from the counting worker. */
export type PhraseCountReply =
  | { kind: 'counted-lines' }
  | ({ kind: 'counted' } & PhraseCounts)
  | ({ kind: 'error' } & WorkerFailure);

/** Ints a message of lines holds (each line: its length, then its ids). */
const MESSAGE_INTS = 1 << 16;
/** Messages the worker may have queued before the reader waits for it (memory stays bounded). */
const MAX_IN_FLIGHT = 16;

/** The counting thread, fed line by line. */
export class PhraseCountThread {
  private readonly host: WorkerHost<PhraseCountRequest, PhraseCountReply>;
  private data = new Int32Array(MESSAGE_INTS);
  private used = 0;
  private tokens: string[] = [];
  private joined: boolean[] = [];
  private inFlight = 0;
  private wakeReader: (() => void) | undefined;
  private failure: KotovecError | undefined;
  private settle: { resolve: (counts: PhraseCounts) => void; reject: (error: KotovecError) => void } | undefined;

  constructor(workerData: PhraseCountWorkerData) {
    const script = workerScript(import.meta.url, 'corpus/phraseCountWorker.js', 'phrase counting worker');
    this.host = new WorkerHost<PhraseCountRequest, PhraseCountReply>(
      script,
      'phrase counting worker',
      {
        onMessage: (reply) => {
          if (reply.kind === 'counted-lines') {
            this.inFlight--;
            this.wake();
          } else if (reply.kind === 'counted') {
            this.settle?.resolve(reply);
          } else this.fail(errorFromWorker(reply, 'phrase counting worker'));
        },
        onFailure: (error) => this.fail(error),
      },
      { workerData },
    );
  }

  private fail(error: KotovecError): void {
    this.failure ??= error;
    this.settle?.reject(this.failure);
    this.wake();
  }

  private wake(): void {
    const wake = this.wakeReader;
    this.wakeReader = undefined;
    wake?.();
  }

  /**
   * Tells the worker the token that was just given the next id (before any line holding it).
   * @param joined a phrase a pass joined (see `TokenAtoms.id`)
   */
  newToken(token: string, joined = false): void {
    this.tokens.push(token);
    this.joined.push(joined);
  }

  /** Queues a line of token ids for counting. */
  line(ids: ArrayLike<number>): void {
    if (this.used + ids.length + 1 > this.data.length) {
      this.send();
      if (ids.length + 1 > this.data.length) this.data = new Int32Array(ids.length + 1);
    }
    const data = this.data;
    data[this.used++] = ids.length;
    for (let i = 0; i < ids.length; i++) data[this.used++] = ids[i]!;
  }

  private send(): void {
    if (this.used === 0 && this.tokens.length === 0) return;
    const data = this.data;
    this.host.post({ kind: 'lines', tokens: this.tokens, joined: this.joined, data, length: this.used }, [data.buffer]);
    this.inFlight++;
    this.data = new Int32Array(MESSAGE_INTS);
    this.used = 0;
    this.tokens = [];
    this.joined = [];
  }

  /**
   * Waits while the worker is far behind (so the lines waiting for it stay few).
   * @throws the worker's failure
   */
  async keepUp(): Promise<void> {
    if (this.used >= MESSAGE_INTS >> 1) this.send();
    while (this.inFlight > MAX_IN_FLIGHT && !this.failure) await new Promise<void>((resolve) => (this.wakeReader = resolve));
    if (this.failure) throw this.failure;
  }

  /**
   * Sends what is left, waits for the counts and the phrases they give, and ends the thread.
   * @throws the worker's failure
   */
  async finish(): Promise<PhraseCounts> {
    if (this.failure) throw this.failure;
    this.send();
    const counted = new Promise<PhraseCounts>((resolve, reject) => (this.settle = { resolve, reject }));
    this.host.post({ kind: 'end' });
    try {
      return await counted;
    } finally {
      await this.close();
    }
  }

  /** Ends the thread (at once, when the counts are no longer wanted). */
  async close(): Promise<void> {
    await this.host.close();
  }
}
