/**
 * SHA-256 hashes, with `node:crypto` loaded on first use: few runs hash anything (a `--dict` dictionary's
 * fingerprint, a `--cache` key), and loading the module costs every process start about 7 ms.
 */
import { createRequire } from 'node:module';
import type { Hash } from 'node:crypto';

let crypto: typeof import('node:crypto') | undefined;

/** A new SHA-256 hash to feed with `update` and finish with `digest`. */
export function sha256(): Hash {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha256');
}
