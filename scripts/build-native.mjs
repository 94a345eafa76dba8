#!/usr/bin/env node
// Builds the native training kernel (native/kernel.c → dist/kernel-native.node) with the machine's C
// compiler ($CC, else cc) against Node's own headers, for this machine's CPU. Never fails the build:
// without a compiler or the headers it says so in one line, and `--kernel native` reports that the
// kernel is not built.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const source = join(root, 'native', 'kernel.c');
const target = join(root, 'dist', 'kernel-native.node');
const headers = [process.env.npm_config_nodedir, join(dirname(process.execPath), '..')]
  .filter(Boolean)
  .map((prefix) => join(prefix, 'include', 'node'))
  .find((folder) => existsSync(join(folder, 'node_api.h')));

rmSync(target, { force: true });
if (!headers) {
  console.error("build-native: Node's headers (node_api.h) not found; the native kernel is not built");
} else {
  mkdirSync(dirname(target), { recursive: true });
  // Sums may be reordered (so that dot products vectorise); NaN and infinities keep their meaning.
  const flags = ['-O3', '-march=native', '-fno-math-errno', '-fno-trapping-math', '-fno-signed-zeros', '-fassociative-math', '-ffp-contract=fast', '-fPIC', '-shared', '-std=c11'];
  try {
    execFileSync(process.env.CC || 'cc', [...flags, `-I${headers}`, '-o', target, source], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const why = (error.stderr?.toString() ?? error.message).trim().split('\n')[0];
    console.error(`build-native: the native kernel is not built (${why})`);
    rmSync(target, { force: true });
  }
}
