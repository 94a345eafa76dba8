/**
 * Phrases over a corpus: the text read and tokenized once, its lines kept as token ids in a spool file (not
 * in memory), learnt pass after pass — pass k counts the text passes 1 … k − 1 joined — and then written
 * with every pass's phrases joined. What `kotovec phrases` runs.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, KotovecError } from '../errors.js';
import { newReadStats, readLineBatches, type InputFile, type ReadStats } from '../text/lineReader.js';
import { Phraser, TokenAtoms, type PhrasePass, type PhraseSettings, type PhraseTable, type TokenAtomsShape, type TokenReplay } from '../text/phrases.js';
import { errorFromWorker, WorkerHost, workerScript, type WorkerFailure } from '../workerThreads.js';
import type { SlotBuffer } from '../text/directTokens.js';
import { countingOf, createBatchTokenizer, tokenizerThreads, type CountableBatch } from '../text/tokenizePool.js';
import type { TokenizerConfig } from '../text/tokenizers.js';
import { WordCounter } from '../vocab/counter.js';
import { PhraseCountThread } from './phraseCountThread.js';
import type { PhraseSpoolSource } from './scanPhraseSpool.js';
import { TokenSpool } from './tokenSpool.js';

/** Progress of a phrase job. */
export interface PhraseProgress {
  phase: 'read' | 'learn' | 'join';
  pass: number;
  lines: number;
  /** Tokens read so far (phase `read`). */
  tokens?: number;
  bytesRead?: number;
  totalBytes?: number;
}

/**
 * What the joining worker is started with: the atoms as they stand and its part of the spool. It adopts
 * the atoms at once, and joins when it is sent the table ({@link PhraseJoinRequest}).
 */
export interface PhraseJoinWorkerData extends TokenAtomsShape {
  replay: TokenReplay;
  spool: string;
  /** The byte of the spool where its part starts (a mark). */
  from: number;
  /** The file the joined text goes to. */
  output: string;
}

/** The table the joining worker joins with, once it is known. */
export interface PhraseJoinRequest {
  passes: PhrasePass[];
  threshold: number;
  /** The passes from this one on are applied to the spool's lines. */
  fromPass: number;
}

/** Messages from the joining worker. */
export type PhraseJoinReply = { kind: 'joined'; lines: number } | ({ kind: 'error' } & WorkerFailure);

/** Bytes of text a chunk holds (a longer line has a chunk of its own). */
const CHUNK_BYTES = 1 << 20;
/**
 * Room for the distinct pairs of a pass beyond the pass before's: the joined phrases pair with their
 * neighbours anew (on the English bench text, pass 2 counts 2–8% more pairs than pass 1). Its table starts
 * that big, so that it does not rehash while counting.
 */
const PAIRS_GROWTH_A_PASS = 1.25;
/** Below this many lines, joining stays on the calling thread. */
const LINES_FOR_A_THREAD = 32768;

/**
 * Every token's UTF-8 bytes back to back in one pool (token t's are `pool[starts[t] … starts[t + 1])`),
 * encoded once each: copying from one typed array keeps the joining loop on one shape of object.
 */
class TokenBytes {
  pool: Uint8Array<ArrayBuffer> = new Uint8Array(1 << 16);
  starts = new Int32Array(1025);
  /** Tokens encoded so far. */
  private covered = 0;

  /** Encodes the tokens added since the last call. */
  cover(tokens: readonly string[]): void {
    for (let id = this.covered; id < tokens.length; id++) {
      const token = tokens[id]!;
      const at = this.starts[id]!;
      // A UTF-16 code unit is at most three UTF-8 bytes.
      if (at + token.length * 3 > this.pool.length) this.pool = growBytes(this.pool, at + token.length * 3);
      const { written } = ENCODER.encodeInto(token, this.pool.subarray(at));
      if (id + 2 > this.starts.length) {
        const grown = new Int32Array(Math.max(id + 2, this.starts.length * 2));
        grown.set(this.starts);
        this.starts = grown;
      }
      this.starts[id + 1] = at + written;
    }
    this.covered = tokens.length;
  }
}

const ENCODER = new TextEncoder();

function growBytes(bytes: Uint8Array, least: number): Uint8Array<ArrayBuffer> {
  const grown = new Uint8Array(Math.max(least, bytes.length * 2));
  grown.set(bytes);
  return grown;
}

/**
 * Lines of token ids with the passes from `fromPass` on applied, as UTF-8 text: the tokens of a line
 * separated by spaces, a newline after each line, in chunks of whole lines. Each token is encoded once.
 */
export function* joinLines(lines: Iterable<Int32Array>, atoms: TokenAtoms, phraser: Phraser, fromPass: number): Generator<{ text: Buffer; lines: number }> {
  const buffers: number[][] = [[], []];
  const tokens = atoms.tokens;
  const bytes = new TokenBytes();
  bytes.cover(tokens);
  let out = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  let count = 0;
  for (const line of lines) {
    let current: ArrayLike<number> = line;
    for (let pass = fromPass; pass < phraser.passes; pass++) current = phraser.applyPass(pass, current, buffers[pass % 2]!);
    // A phrase joined for the first time is a new token.
    bytes.cover(tokens);
    const { pool, starts } = bytes;
    let size = current.length === 0 ? 1 : current.length;
    for (let i = 0; i < current.length; i++) {
      const id = current[i]!;
      size += starts[id + 1]! - starts[id]!;
    }
    if (used + size > out.length) {
      if (used > 0) yield { text: out.subarray(0, used), lines: count };
      out = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, size));
      used = 0;
      count = 0;
    }
    for (let i = 0; i < current.length; i++) {
      if (i > 0) out[used++] = 0x20;
      const id = current[i]!;
      for (let at = starts[id]!, end = starts[id + 1]!; at < end; at++) out[used++] = pool[at]!;
    }
    out[used++] = 0x0a;
    count++;
  }
  if (used > 0) yield { text: out.subarray(0, used), lines: count };
}

/** A corpus read for phrases: its table, and the lines with every pass's phrases joined. */
export interface PhraseJob {
  table: PhraseTable;
  /** How many words the first pass read and how many were pruned away (gensim's counts). */
  stats: { words: number; lines: number; prunings: number; vocabulary: number };
  readStats: ReadStats;
  /**
   * The text with phrases joined, one line a line, in chunks (the second half of the lines joined on a
   * thread of its own while this one joins the first).
   * @throws KotovecError WORKER if the joining thread fails
   */
  joinedText(): AsyncGenerator<{ text: Buffer; lines: number }>;
  /**
   * The lines as token ids and what joins them, for another thread to read in order (training's pass 1);
   * valid until {@link PhraseJob.close}.
   */
  spooled(): PhraseSpoolSource;
  /** Removes the spool files. */
  close(): void;
}

/**
 * Reads and tokenizes `files`, learns `settings.passes` passes of phrases (or applies `table`, learning
 * nothing) and keeps the lines to be joined.
 */
export async function runPhraseJob(
  files: InputFile[],
  tokenizerConfig: TokenizerConfig,
  settings: PhraseSettings,
  options: {
    threads: number;
    table?: PhraseTable;
    onProgress?: (p: PhraseProgress) => void;
    /** False when only the table is wanted: one pass keeps no lines (`joinedText` and `spooled` then give none). */
    keepLines?: boolean;
    /**
     * The joined text will be asked for ({@link PhraseJob.joinedText}): the thread that joins its second
     * half starts as soon as the lines are all spooled, and takes in the tokens while the counts are made.
     */
    joinAhead?: boolean;
    /** Longest line in characters before it is split (the reader's default when absent). */
    maxLineChars?: number;
    /** The text of an input line (e.g. without a document id); the line itself by default. */
    textOf?: (line: string) => string;
    /** Told the folder of the spool files as soon as it exists (to remove it if the process is stopped). */
    onTemporary?: (path: string) => void;
    /** Aborted: the job stops between two batches (KotovecError INTERRUPTED) and removes its files. */
    signal?: AbortSignal;
    /** Told when a file has been read to its end, with the number of lines read so far (the spool's lines up to its end). */
    onFileEnd?: (file: InputFile, lines: number) => void;
  },
): Promise<PhraseJob> {
  const dir = mkdtempSync(join(tmpdir(), 'kotovec-phrases-'));
  options.onTemporary?.(dir);
  const spools: TokenSpool[] = [];
  const threads: ({ close(): Promise<void> } | undefined)[] = [];
  try {
    // Japanese tokens are dictionary words: one that holds the delimiter stays apart from phrases.
    const shape: TokenAtomsShape = { delimiter: settings.delimiter, connectors: settings.connectors, wholeTokens: tokenizerConfig.kind === 'ja' };
    const atoms = new TokenAtoms(shape.delimiter, shape.connectors, shape.wholeTokens);
    const learning = !options.table;
    const keep = options.keepLines !== false || (!options.table && settings.passes > 1);
    const first = new TokenSpool(join(dir, 'pass-0'));
    spools.push(first);
    // The first pass is counted on a thread of its own while this one reads and tokenizes.
    const countingData = { ...shape, settings };
    const counting = learning ? new PhraseCountThread({ ...countingData, expectedPairs: expectedPairsOf(files) }) : undefined;
    threads.push(counting);
    const readStats = newReadStats();
    const tokenizer = await createBatchTokenizer(tokenizerConfig, tokenizerThreads(files, options.threads));
    try {
      // Tokens reach the phrase counter as ids without becoming strings where the tokenizer can help it:
      // the word counter files each token straight from its line (text/directTokens.ts), and only a word
      // seen for the first time is named to the atoms.
      const words = new WordCounter(0);
      const buffer: SlotBuffer = { slots: new Int32Array(1024) };
      let tokenOfSlot = new Int32Array(1024).fill(-1);
      let ids = new Int32Array(1024);
      let tokensRead = 0;
      const take = (length: number) => {
        const slots = buffer.slots;
        if (ids.length < length) ids = new Int32Array(length * 2);
        for (let k = 0; k < length; k++) {
          const slot = slots[k]!;
          if (slot >= tokenOfSlot.length) {
            const grown = new Int32Array(Math.max(slot + 1, tokenOfSlot.length * 2)).fill(-1);
            grown.set(tokenOfSlot);
            tokenOfSlot = grown;
          }
          let token = tokenOfSlot[slot]!;
          if (token < 0) {
            const word = words.wordOf(slot);
            const known = atoms.tokens.length;
            token = tokenOfSlot[slot] = atoms.id(word);
            if (token === known) counting?.newToken(word);
          }
          ids[k] = token;
        }
        const line = ids.subarray(0, length);
        tokensRead += length;
        if (keep) first.write(line);
        else first.lines++;
        counting?.line(line);
      };
      const report = () => options.onProgress?.({ phase: 'read', pass: 1, lines: first.lines, tokens: tokensRead, bytesRead: readStats.bytesRead, totalBytes: readStats.totalBytes });
      const tokenizeForCounting = countingOf(tokenizer);
      const countTokens = tokenizer.countTokens;
      const queue: { batch: Promise<CountableBatch>; size: number }[] = [];
      const drain = async () => {
        const { batch, size } = queue.shift()!;
        const counted = await batch;
        for (let i = 0; i < size; i++) take(counted.count(i, words, buffer));
        report();
        await counting?.keepUp();
      };
      const textOf = options.textOf;
      let linesRead = 0;
      const onFileEnd = options.onFileEnd && ((file: InputFile) => options.onFileEnd!(file, linesRead));
      for await (const batch of readLineBatches(files, { maxLineChars: options.maxLineChars }, readStats, onFileEnd)) {
        if (options.signal?.aborted) throw new KotovecError(ErrorCodes.INTERRUPTED, 'interrupted while learning phrases');
        const texts = textOf ? batch.map(textOf) : batch;
        linesRead += texts.length;
        if (countTokens) {
          for (const text of texts) take(countTokens(text, words, buffer));
          report();
          await counting?.keepUp();
          continue;
        }
        queue.push({ batch: tokenizeForCounting(texts), size: texts.length });
        queue.at(-1)!.batch.catch(() => {});
        while (queue.length >= tokenizer.depth) await drain();
      }
      while (queue.length > 0) await drain();
    } finally {
      await tokenizer.close();
    }
    const output = join(dir, 'joined-second-half.txt');
    let joiner: Joiner | undefined;
    const joinAhead = (spool: TokenSpool) => {
      // Without kept lines there is nothing to join.
      if (!options.joinAhead || !keep) return;
      joiner = startJoiner(spool, shape, atoms, output);
      threads.push(joiner);
    };
    if (!learning || settings.passes === 1) joinAhead(first);
    const counts = await counting?.finish();
    const stats = { words: counts?.words ?? 0, lines: first.lines, prunings: counts?.prunings ?? 0, vocabulary: counts?.vocabulary ?? 0 };
    let table: PhraseTable;
    if (options.table) table = options.table;
    else {
      table = { settings, passes: [counts!.pass] };
      let pairsBefore = counts!.pairs;
      for (let pass = 2; pass <= settings.passes; pass++) {
        // Pass k counts the text the passes before it joined.
        const phraser = new Phraser(atoms, table.passes, settings.threshold);
        const next = new TokenSpool(join(dir, `pass-${pass - 1}`));
        spools.push(next);
        // Counted on a thread of its own while this one joins the lines and spools them.
        // Its table starts as big as the pass before ended, with room to grow.
        const passCounting = new PhraseCountThread({ ...countingData, expectedPairs: Math.ceil(pairsBefore * PAIRS_GROWTH_A_PASS), replay: atoms.replay() });
        threads.push(passCounting);
        const joined: number[] = [];
        for (const line of spools[spools.length - 2]!.read()) {
          const known = atoms.tokens.length;
          phraser.applyPass(pass - 2, line, joined);
          for (let id = known; id < atoms.tokens.length; id++) passCounting.newToken(atoms.tokens[id]!, true);
          next.write(joined);
          passCounting.line(joined);
          if (next.lines % 4096 === 0) {
            await passCounting.keepUp();
            if (next.lines % 16384 === 0) {
              options.onProgress?.({ phase: 'learn', pass, lines: next.lines });
              // Signals are handled in between.
              await new Promise(setImmediate);
            }
            if (options.signal?.aborted) throw new KotovecError(ErrorCodes.INTERRUPTED, 'interrupted while learning phrases');
          }
        }
        if (pass === settings.passes) joinAhead(next);
        const passCounts = await passCounting.finish();
        table.passes.push(passCounts.pass);
        pairsBefore = passCounts.pairs;
      }
    }
    const phraser = new Phraser(atoms, table.passes, table.settings.threshold);
    // The passes not yet applied to the last spool: all of a given table's; the last learnt one's.
    const last = spools.length - 1;
    return {
      table,
      stats,
      readStats,
      async *joinedText() {
        const spool = spools[last]!;
        spool.flush();
        if (!options.joinAhead) {
          joiner = startJoiner(spool, shape, atoms, output);
          threads.push(joiner);
        }
        const helper = joiner;
        helper?.join({ passes: table.passes, threshold: table.settings.threshold, fromPass: last });
        // The helper joins from the middle mark on (see startJoiner).
        const half = helper ? spool.marks[spool.marks.length >> 1]! : undefined;
        yield* joinLines(spool.read(0, half), atoms, phraser, last);
        if (!helper) return;
        await helper.done;
        yield* readText(output);
      },
      spooled() {
        const spool = spools[last]!;
        spool.flush();
        return { ...shape, replay: atoms.replay(), passes: table.passes, threshold: table.settings.threshold, fromPass: last, spool: spool.path, read: readStats };
      },
      close() {
        for (const thread of threads) void thread?.close();
        for (const spool of spools) spool.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(threads.map((thread) => thread?.close()));
    for (const spool of spools) spool.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The joining worker: started early, told the table later; `done` settles when it has written its part. */
interface Joiner {
  join(request: PhraseJoinRequest): void;
  done: Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the joining worker on the second half of `spool` (complete), or nothing for a short text. It takes
 * in the atoms while this thread still waits for the counts.
 */
function startJoiner(spool: TokenSpool, shape: TokenAtomsShape, atoms: TokenAtoms, output: string): Joiner | undefined {
  if (spool.lines < LINES_FOR_A_THREAD) return undefined;
  spool.flush();
  const workerData: PhraseJoinWorkerData = { ...shape, replay: atoms.replay(), spool: spool.path, from: spool.marks[spool.marks.length >> 1]!, output };
  const script = workerScript(import.meta.url, 'corpus/phraseJoinWorker.js', 'phrase joining worker');
  let settle!: { resolve: (lines: number) => void; reject: (error: KotovecError) => void };
  const done = new Promise<number>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => {});
  const host = new WorkerHost<PhraseJoinRequest, PhraseJoinReply>(
    script,
    'phrase joining worker',
    {
      onMessage: (reply) => (reply.kind === 'joined' ? settle.resolve(reply.lines) : settle.reject(errorFromWorker(reply, 'phrase joining worker'))),
      onFailure: (error) => settle.reject(error),
    },
    { workerData },
  );
  return { join: (request) => host.post(request), done: done.finally(() => host.close()), close: () => host.close() };
}

/** A text file in chunks of 4 MB, each with the number of lines it ends. */
function* readText(path: string): Generator<{ text: Buffer; lines: number }> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(1 << 22);
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) return;
      const text = buffer.subarray(0, read);
      let lines = 0;
      for (let at = text.indexOf(10); at >= 0; at = text.indexOf(10, at + 1)) lines++;
      yield { text, lines };
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A guess at the distinct pairs of a text from the size of its files: English text holds one new pair in
 * ~20 bytes at 10M words, fewer as it grows (a compressed file counted at three times its size). Kept under
 * 3M (a 64 MB table) so that a wrong guess costs little memory; the table grows past it as needed.
 */
function expectedPairsOf(files: InputFile[]): number {
  const bytes = files.reduce((sum, file) => sum + file.size * (file.path.endsWith('.gz') ? 3 : 1), 0);
  return Math.min(bytes / 20, 3_000_000);
}
