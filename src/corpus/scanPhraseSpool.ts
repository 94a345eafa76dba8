/**
 * Pass 1 of `train --phrases` without a second read of the text: the phrase job (phraseJob.ts) already
 * read and tokenized the corpus and kept its lines as token ids in a spool file; here those lines, with
 * the learnt phrases joined, are counted and written to the token cache, as `scanCorpus` does
 * from text. The tokens come out as reading the text with the phrase table would give them, line for line.
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import type { ReadStats } from '../text/lineReader.js';
import { Phraser, TokenAtoms, type PhrasePass, type TokenAtomsShape, type TokenReplay } from '../text/phrases.js';
import { WordCounter } from '../vocab/counter.js';
import type { DocsMode, ScanProgress, ScanResult } from './scan.js';
import { TokenCacheWriter } from './tokenCache.js';
import { TokenSpool } from './tokenSpool.js';

/** A phrase job's spooled lines and what joins them, as plain data another thread can be given. */
export interface PhraseSpoolSource extends TokenAtomsShape {
  /** The tokens behind the spool's ids. */
  replay: TokenReplay;
  passes: PhrasePass[];
  threshold: number;
  /** The passes from this one on are still to be applied to the spool's lines. */
  fromPass: number;
  /** The spool file. */
  spool: string;
  /** What reading the text found (lines, invalid UTF-8), reported as pass 1's. */
  read: ReadStats;
  /** The documents of `id<TAB>text` lines or of files, when the lines are such documents. */
  documents?: SpoolDocuments;
}

/**
 * The documents of spooled lines: for `tsv`, each line's id (null for a blank line, which is no document);
 * for `files`, each file's name and the number of spooled lines up to its end.
 */
export type SpoolDocuments = { kind: 'tsv'; ids: (string | null)[] } | { kind: 'files'; files: { name: string; endLine: number }[] };

/** Options of {@link scanPhraseSpool}. */
export interface SpoolScanOptions {
  /**
   * `lines`: every line is a document, its id its 0-based number; `tsv` and `files`: the documents the
   * source names ({@link PhraseSpoolSource.documents}).
   */
  docs: DocsMode;
  /** Prune the counts beyond this many distinct words (0: no limit). */
  maxVocab: number;
  /** Write the token cache here. */
  cachePath: string;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
}

/**
 * Counts the spooled lines with their phrases joined and writes the token cache.
 * @throws KotovecError INTERRUPTED when the signal is aborted
 */
export function scanPhraseSpool(source: PhraseSpoolSource, options: SpoolScanOptions): ScanResult {
  const documents = source.documents;
  if ((options.docs === 'tsv' || options.docs === 'files') && documents?.kind !== options.docs) {
    throw new Error(`scanPhraseSpool: the spool holds no documents of --docs ${options.docs}`);
  }
  const atoms = new TokenAtoms(source.delimiter, source.connectors, source.wholeTokens);
  atoms.adopt(source.replay);
  const phraser = new Phraser(atoms, source.passes, source.threshold);
  const counter = new WordCounter(options.maxVocab);
  const spool = new TokenSpool(source.spool, 'read');
  const writer = new TokenCacheWriter(options.cachePath);
  // The counter's slot of each token id once counted (−1: not yet, or pruned away since).
  let slotOf = new Int32Array(atoms.tokens.length + 1024).fill(-1);
  let slots = new Int32Array(1 << 16);
  const buffers: number[][] = [[], []];
  const docIds: string[] = [];
  let sentences = 0;
  let emptyDocs = 0;
  let lines = 0;
  const report = () => {
    if (options.signal?.aborted) throw new KotovecError(ErrorCodes.INTERRUPTED, 'interrupted');
    options.onProgress?.({ bytesRead: source.read.bytesRead, totalBytes: source.read.totalBytes, lines, tokens: counter.totalTokens });
  };
  const record = (tag: number, length: number) => {
    if (length > 0) sentences++;
    else if (tag >= 0) emptyDocs++;
    if (length > 0 || tag >= 0) writer.write(tag, slots, length);
  };
  // --docs files: the file whose lines are read, and its tokens so far (its lines' one after another).
  const files = documents?.kind === 'files' ? documents.files : [];
  let file = 0;
  let length = 0;
  const endFiles = () => {
    for (; file < files.length && files[file]!.endLine <= lines; file++) {
      record(docIds.push(files[file]!.name) - 1, length);
      length = 0;
    }
  };
  try {
    // Files without a line end before the first line.
    endFiles();
    for (const line of spool.read()) {
      let current: ArrayLike<number> = line;
      for (let pass = source.fromPass; pass < phraser.passes; pass++) current = phraser.applyPass(pass, current, buffers[pass % 2]!);
      if (atoms.tokens.length > slotOf.length) {
        const grown = new Int32Array(atoms.tokens.length * 2).fill(-1);
        grown.set(slotOf);
        slotOf = grown;
      }
      if (documents?.kind !== 'files') length = 0;
      if (length + current.length > slots.length) {
        const grown = new Int32Array((length + current.length) * 2);
        grown.set(slots.subarray(0, length));
        slots = grown;
      }
      for (let i = 0; i < current.length; i++) {
        const id = current[i]!;
        let slot = slotOf[id]!;
        if (slot < 0 || counter.addSlot(slot) < 0) slot = slotOf[id] = counter.add(atoms.tokens[id]!);
        slots[length++] = slot;
      }
      if (documents?.kind === 'files') {
        lines++;
        endFiles();
      } else if (documents?.kind === 'tsv') {
        const id = documents.ids[lines++] ?? null;
        // A blank line is no document.
        if (id !== null) record(docIds.push(id) - 1, length);
      } else {
        record(options.docs === 'lines' ? docIds.push(String(lines)) - 1 : -1, length);
        lines++;
      }
      if (lines % 65536 === 0) report();
    }
  } finally {
    writer.close();
    spool.close();
  }
  report();
  return { counter, read: source.read, sentences, docIds, emptyDocs, cacheInts: writer.position, cacheBlocks: writer.blocks() };
}
