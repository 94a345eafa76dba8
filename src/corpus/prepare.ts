/**
 * Getting a corpus ready for training: pass 1 (read, tokenize, count, write the token cache) or its reuse
 * from a cache folder, then the vocabulary and the map from the cache's slots to its ids. Everything here is
 * plain data in and out, so it runs as well on a worker thread (`prepareThread.ts`) as on the caller's.
 */
import { join } from 'node:path';
import { ErrorCodes, KotovecError } from '../errors.js';
import type { InputFile } from '../text/lineReader.js';
import { createBatchTokenizer, tokenizerThreads } from '../text/tokenizePool.js';
import type { TokenizerConfig } from '../text/tokenizers.js';
import { buildVocabulary, type BaseVocabulary, type RareWords } from '../vocab/vocabulary.js';
import { cacheKey, cachePaths, ensureCacheDir, loadCachedScan, saveCachedScan } from './persistentCache.js';
import { scanCorpus, type DocsMode, type ScanProgress, type ScanResult } from './scan.js';
import { scanPhraseSpool, type PhraseSpoolSource } from './scanPhraseSpool.js';
import type { TrainingCache } from './tokenCache.js';

/** What corpus preparation needs, as plain data a worker can be given. */
export interface PrepareJob {
  files: InputFile[];
  tokenizer: TokenizerConfig;
  /** Tokenizer threads (Japanese). */
  threads: number;
  docs: DocsMode;
  maxVocab: number;
  minCount: number;
  maxLineChars: number;
  /** Where the token caches go (removed by the caller). */
  workDir: string;
  /** A folder to keep pass 1 in and reuse it from (`--cache`). */
  cacheDir?: string;
  /** The vocabulary of a model being continued (see `buildVocabulary`). */
  base?: BaseVocabulary;
  /**
   * The text already read and tokenized by a phrase job (`train --phrases`): pass 1 counts its spooled
   * lines with the phrases joined instead of reading `files` again.
   */
  phraseSpool?: PhraseSpoolSource;
}

/** A corpus ready for training. */
export interface PreparedCorpus {
  /** The vocabulary: words by id (most frequent first) and their counts. */
  words: string[];
  counts: Float64Array;
  /** Words under min-count and their counts (stored, so that a continued model can merge them). */
  rare: RareWords;
  /** The token cache (in `workDir`, or in the cache folder), as training reads it. */
  cache: TrainingCache;
  /** Document ids by index (doc modes only). */
  docIds: string[];
  /** Tokens read, words outside the vocabulary included. */
  corpusTokens: number;
  lines: number;
  invalidUtf8: number;
  emptyDocs: number;
  /** True when pass 1 came from the cache folder. */
  reused: boolean;
}

/**
 * Prepares the corpus on this thread.
 * @param signal aborting it stops pass 1 with an INTERRUPTED error
 * @throws KotovecError EMPTY_CORPUS, INTERRUPTED, and the reader's and tokenizer's errors
 */
export async function prepareCorpus(job: PrepareJob, signal?: AbortSignal, onProgress?: (p: ScanProgress) => void): Promise<PreparedCorpus> {
  const key = job.cacheDir
    ? cacheKey({ files: job.files, tokenizer: job.tokenizer, docs: job.docs, maxVocab: job.maxVocab, maxLineChars: job.maxLineChars })
    : null;
  if (job.cacheDir) ensureCacheDir(job.cacheDir);
  let scan: ScanResult | null = key ? loadCachedScan(job.cacheDir!, key) : null;
  let tokens = key ? cachePaths(job.cacheDir!, key).tokens : join(job.workDir, 'tokens.cache');
  const reused = scan !== null;
  if (!scan) {
    tokens = join(job.workDir, 'tokens.cache');
    if (job.phraseSpool) {
      scan = scanPhraseSpool(job.phraseSpool, { docs: job.docs, maxVocab: job.maxVocab, cachePath: tokens, signal, onProgress });
    } else {
      const tokenizer = await createBatchTokenizer(job.tokenizer, tokenizerThreads(job.files, job.threads));
      scan = await scanCorpus(job.files, {
        tokenizer,
        docs: job.docs,
        maxVocab: job.maxVocab,
        cachePath: tokens,
        maxLineChars: job.maxLineChars,
        signal,
        onProgress,
        countThreads: { threads: job.threads, config: job.tokenizer },
      }).finally(() => tokenizer.close());
    }
    if (signal?.aborted) throw new KotovecError(ErrorCodes.INTERRUPTED, 'training interrupted');
    if (key) {
      saveCachedScan(job.cacheDir!, key, scan, tokens);
      tokens = cachePaths(job.cacheDir!, key).tokens;
    }
  }
  const { vocabulary, slotToId, rare, keptTokens } = buildVocabulary(scan.counter, job.minCount, job.base);
  const cache: TrainingCache = { path: tokens, ints: scan.cacheInts, words: keptTokens, blocks: scan.cacheBlocks, slotToId };
  if (job.docs !== 'none' && scan.docIds.length === 0) {
    throw new KotovecError(ErrorCodes.EMPTY_CORPUS, 'no documents found in the input');
  }
  // Only what training and the summary need leaves here: the word counter (every distinct word seen,
  // pruned ones included) stays behind.
  return {
    words: [...vocabulary.words],
    counts: vocabulary.counts,
    rare,
    cache,
    docIds: scan.docIds,
    corpusTokens: scan.counter.totalTokens,
    lines: scan.read.lines,
    invalidUtf8: scan.read.invalidUtf8,
    emptyDocs: scan.emptyDocs,
    reused,
  };
}
