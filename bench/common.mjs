// Shared by the benchmark scripts: paths, command-line flags, and running the built CLI.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, the shared data folder beside it, and bench/out for results. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const shared = join(root, '..', 'shared');
export const out = join(root, 'bench', 'out');
mkdirSync(out, { recursive: true });

const args = process.argv.slice(2);
/** The value after `--name`, or `fallback`. */
export const flag = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
/** True when `--name` was given. */
export const has = (name) => args.includes(`--${name}`);

/** Runs the built kotovec CLI and returns its stdout. */
export const kotovec = (argv, options = {}) => execFileSync(process.execPath, [join(root, 'bin', 'kotovec.js'), ...argv], { maxBuffer: 1 << 30, ...options });

/** Debian's Python, where python3-gensim lives. */
export const python = '/usr/bin/python3';

/** Cosine similarity of two equally long numeric arrays. */
export const cosine = (a, b) => {
  let dot = 0, na = 0, nb = 0;
  for (let k = 0; k < a.length; k++) {
    dot += a[k] * b[k];
    na += a[k] * a[k];
    nb += b[k] * b[k];
  }
  return dot / Math.sqrt(na * nb);
};
