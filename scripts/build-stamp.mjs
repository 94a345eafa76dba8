#!/usr/bin/env node
// The build's fingerprint: a hash of everything `npm run build` reads (the TypeScript, AssemblyScript and C
// sources, the compiler settings, the locked packages). `write` records it in dist/ after a build;
// `check` exits 0 when dist/ was built from exactly these inputs, 1 otherwise, so `npm test` builds only
// when something changed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const stampFile = join(root, 'dist', '.build-inputs');
const INPUTS = ['src', 'assembly', 'native', 'scripts', 'tsconfig.json', 'package.json', 'package-lock.json'];

function filesUnder(path) {
  if (!existsSync(path)) return [];
  const entries = readdirSync(path, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile());
  return entries.map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

function fingerprint() {
  const hash = createHash('sha256');
  hash.update(process.version);
  const files = INPUTS.flatMap((input) => {
    const path = join(root, input);
    return existsSync(path) && !path.endsWith('.json') ? filesUnder(path) : [path];
  }).sort();
  for (const file of files) {
    hash.update(relative(root, file));
    hash.update(existsSync(file) ? readFileSync(file) : Buffer.alloc(0));
  }
  return hash.digest('hex');
}

const mode = process.argv[2];
if (mode === 'write') {
  writeFileSync(stampFile, `${fingerprint()}\n`);
} else if (mode === 'check') {
  const built = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  process.exit(built === fingerprint() ? 0 : 1);
} else {
  process.stderr.write('usage: build-stamp.mjs write|check\n');
  process.exit(2);
}
