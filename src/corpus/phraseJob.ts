/**
 * Phrases over a corpus: the text read and tokenized once, its lines kept as token ids in a spool file (not
 * in memory), learnt pass after pass — pass k counts the text passes 1 … k − 1 joined — and then written
 * with every pass's phrases joined. What `kotovec phrases` runs.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, KotovecError } from '../errors.js';
import { newReadStats, readLineBatches, type InputFile, type ReadStats } from '../text/lineReader.js';
import { Phraser, TokenAtoms, type PhraseSettings, type PhraseTable } from '../text/phrases.js';
import type { SlotBuffer } from '../text/directTokens.js';
import { countingOf, createBatchTokenizer, type CountableBatch } from '../text/tokenizePool.js';
import type { TokenizerConfig } from '../text/tokenizers.js';
import { WordCounter } from '../vocab/counter.js';
import { PhraseCounter } from '../vocab/phrases.js';

const SPOOL_INTS = 1 << 16;

/** Lines of token ids in a file: each its length, then its ids (int32). */
class TokenSpool {
  private readonly fd: number;
  private readonly buffer = new Int32Array(SPOOL_INTS);
  private used = 0;
  lines = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w+');
  }

  /** Appends a line. */
  write(line: ArrayLike<number>): void {
    if (this.used + line.length + 1 > this.buffer.length) this.flush();
    if (line.length + 1 > this.buffer.length) {
      const whole = Int32Array.from([line.length, ...Array.from(line)]);
      writeSync(this.fd, whole);
    } else {
      this.buffer[this.used++] = line.length;
      for (let i = 0; i < line.length; i++) this.buffer[this.used++] = line[i]!;
    }
    this.lines++;
  }

  private flush(): void {
    if (this.used > 0) writeSync(this.fd, this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  /** Every line written, in order. */
  *read(): Generator<Int32Array> {
    this.flush();
    let position = 0;
    let chunk = new Int32Array(SPOOL_INTS);
    let start = 0;
    let end = 0;
    const fill = (need: number): boolean => {
      if (end - start >= need) return true;
      if (need > chunk.length) {
        const bigger = new Int32Array(need * 2);
        bigger.set(chunk.subarray(start, end));
        chunk = bigger;
      } else chunk.copyWithin(0, start, end);
      end -= start;
      start = 0;
      while (end < need) {
        const read = readSync(this.fd, new Uint8Array(chunk.buffer, end * 4, (chunk.length - end) * 4), 0, (chunk.length - end) * 4, position);
        if (read === 0) return false;
        position += read;
        end += read / 4;
      }
      return true;
    };
    while (fill(1)) {
      const length = chunk[start]!;
      if (!fill(length + 1)) throw new Error('the phrase spool is truncated');
      yield chunk.subarray(start + 1, start + 1 + length);
      start += length + 1;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

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

/** A corpus read for phrases: its table, and the lines with every pass's phrases joined. */
export interface PhraseJob {
  table: PhraseTable;
  /** How many words the first pass read and how many were pruned away (gensim's counts). */
  stats: { words: number; lines: number; prunings: number; vocabulary: number };
  readStats: ReadStats;
  /** The lines with phrases joined, as token strings. */
  joinedLines(): Generator<string[]>;
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
    /** False when only the table is wanted: one pass keeps no lines (`joinedLines` then gives none). */
    keepLines?: boolean;
    /** The text of an input line (e.g. without a document id); the line itself by default. */
    textOf?: (line: string) => string;
    /** Told the folder of the spool files as soon as it exists (to remove it if the process is stopped). */
    onTemporary?: (path: string) => void;
    /** Aborted: the job stops between two batches (KotovecError INTERRUPTED) and removes its files. */
    signal?: AbortSignal;
  },
): Promise<PhraseJob> {
  const dir = mkdtempSync(join(tmpdir(), 'kotovec-phrases-'));
  options.onTemporary?.(dir);
  const spools: TokenSpool[] = [];
  try {
    // Japanese tokens are dictionary words: one that holds the delimiter stays apart from phrases.
    const atoms = new TokenAtoms(settings.delimiter, settings.connectors, tokenizerConfig.kind === 'ja');
    const learning = !options.table;
    const keep = options.keepLines !== false || (!options.table && settings.passes > 1);
    const first = new TokenSpool(join(dir, 'pass-0'));
    spools.push(first);
    const counter = new PhraseCounter(atoms, settings);
    const readStats = newReadStats();
    const tokenizer = await createBatchTokenizer(tokenizerConfig, options.threads);
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
          if (token < 0) token = tokenOfSlot[slot] = atoms.id(words.wordOf(slot));
          ids[k] = token;
        }
        const line = ids.subarray(0, length);
        tokensRead += length;
        if (keep) first.write(line);
        else first.lines++;
        if (learning) counter.addSentence(line);
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
      };
      const textOf = options.textOf;
      for await (const batch of readLineBatches(files, {}, readStats)) {
        if (options.signal?.aborted) throw new KotovecError(ErrorCodes.INTERRUPTED, 'interrupted while learning phrases');
        const texts = textOf ? batch.map(textOf) : batch;
        if (countTokens) {
          for (const text of texts) take(countTokens(text, words, buffer));
          report();
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
    const stats = { words: counter.words, lines: first.lines, prunings: counter.prunings, vocabulary: counter.vocabularySize };
    let table: PhraseTable;
    if (options.table) table = options.table;
    else {
      table = { settings, passes: [counter.export()] };
      for (let pass = 2; pass <= settings.passes; pass++) {
        // Pass k counts the text the passes before it joined.
        const phraser = new Phraser(atoms, table.passes, settings.threshold);
        const next = new TokenSpool(join(dir, `pass-${pass - 1}`));
        spools.push(next);
        const passCounter = new PhraseCounter(atoms, settings);
        const joined: number[] = [];
        for (const line of spools[spools.length - 2]!.read()) {
          phraser.applyPass(pass - 2, line, joined);
          next.write(joined);
          passCounter.addSentence(joined);
          if (next.lines % 16384 === 0) {
            options.onProgress?.({ phase: 'learn', pass, lines: next.lines });
            // Signals are handled in between.
            await new Promise(setImmediate);
            if (options.signal?.aborted) throw new KotovecError(ErrorCodes.INTERRUPTED, 'interrupted while learning phrases');
          }
        }
        table.passes.push(passCounter.export());
      }
    }
    const phraser = new Phraser(atoms, table.passes, table.settings.threshold);
    const last = spools.length - 1;
    return {
      table,
      stats,
      readStats,
      *joinedLines() {
        const buffers: number[][] = [[], []];
        for (const line of spools[last]!.read()) {
          // The passes not yet applied to this spool (all of a given table's; the last learnt one's).
          let current: ArrayLike<number> = line;
          for (let pass = last; pass < phraser.passes; pass++) current = phraser.applyPass(pass, current, buffers[pass % 2]!);
          yield Array.from(current, (id) => atoms.tokens[id]!);
        }
      },
      close() {
        for (const spool of spools) spool.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const spool of spools) spool.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
