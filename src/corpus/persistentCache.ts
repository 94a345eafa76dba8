/**
 * The reusable token cache (`--cache DIR`): pass 1's output — the token cache and the word
 * counts — kept in a folder under a key made of the input files (path, size, modification time) and
 * every setting that changes tokens, so a second run on the same corpus skips reading and tokenizing
 * (the slow part for Japanese). Anything that does not match is simply rebuilt; stdin is never cached.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCodes, KotovecError } from '../errors.js';
import type { InputFile } from '../text/lineReader.js';
import type { TokenizerConfig } from '../text/tokenizers.js';
import { WordCounter, type CounterSnapshot } from '../vocab/counter.js';
import type { DocsMode, ScanResult } from './scan.js';
import { temporaryPathBeside, writeFileAtomically } from '../atomicFile.js';
import { sha256 } from '../sha256.js';

const FORMAT_VERSION = 2;

/** What identifies a pass-1 result. */
export interface CacheKeyParts {
  files: readonly InputFile[];
  tokenizer: TokenizerConfig;
  docs: DocsMode;
  maxVocab: number;
  maxLineChars: number;
}

/** The cache key, or null when the input cannot be cached (stdin). */
export function cacheKey(parts: CacheKeyParts): string | null {
  if (parts.files.some((f) => f.path === '-' || f.stream)) return null;
  const files = parts.files.map((f) => {
    const stats = statSync(f.path);
    return [resolve(f.path), f.name, stats.size, stats.mtimeMs];
  });
  const json = JSON.stringify({ version: FORMAT_VERSION, files, tokenizer: parts.tokenizer, docs: parts.docs, maxVocab: parts.maxVocab, maxLineChars: parts.maxLineChars });
  return sha256().update(json).digest('hex').slice(0, 32);
}

interface Saved {
  counter: CounterSnapshot;
  read: ScanResult['read'];
  sentences: number;
  docIds: string[];
  emptyDocs: number;
  cacheInts: number;
  cacheBlocks: number[];
}

/** Paths of a cache entry. */
export function cachePaths(dir: string, key: string): { tokens: string; meta: string } {
  return { tokens: join(dir, `${key}.tokens`), meta: join(dir, `${key}.json`) };
}

/** Makes sure the cache folder exists. */
export function ensureCacheDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new KotovecError(ErrorCodes.OUTPUT_UNWRITABLE, `cannot use cache folder ${dir}: ${(error as Error).message}`);
  }
}

/** Loads a cached pass-1 result, or null when there is none (or it is unreadable). */
export function loadCachedScan(dir: string, key: string): ScanResult | null {
  const { tokens, meta } = cachePaths(dir, key);
  if (!existsSync(tokens) || !existsSync(meta)) return null;
  try {
    const saved = JSON.parse(readFileSync(meta, 'utf8')) as Saved;
    if (statSync(tokens).size !== saved.cacheInts * 4 || !Array.isArray(saved.cacheBlocks)) return null;
    return { ...saved, counter: WordCounter.restore(saved.counter), cacheBlocks: Float64Array.from(saved.cacheBlocks) };
  } catch {
    return null;
  }
}

/** Saves a pass-1 result whose token cache was written to `tokensWritten`. */
export function saveCachedScan(dir: string, key: string, scan: ScanResult, tokensWritten: string): void {
  const { tokens, meta } = cachePaths(dir, key);
  const saved: Saved = {
    counter: scan.counter.snapshot(),
    read: scan.read,
    sentences: scan.sentences,
    docIds: scan.docIds,
    emptyDocs: scan.emptyDocs,
    cacheInts: scan.cacheInts,
    cacheBlocks: Array.from(scan.cacheBlocks),
  };
  moveFile(tokensWritten, tokens);
  writeFileAtomically(meta, JSON.stringify(saved));
}

/** Renames, or copies then removes across file systems. */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    const temporary = temporaryPathBeside(to);
    try {
      copyFileSync(from, temporary);
      renameSync(temporary, to);
    } finally {
      rmSync(temporary, { force: true });
    }
    rmSync(from, { force: true });
  }
}
