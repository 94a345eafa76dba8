import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

/** The built CLI. */
export const BIN = join(__dirname, '..', '..', 'bin', 'kotovec.js');

/** Runs the built CLI as a child process. */
export function kotovec(args: string[], input?: string | Buffer) {
  const result = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Expects a failed run that said one line on stderr, `kotovec: … (E_CODE)`, matching `code` when given. */
export function expectOneLineError(result: ReturnType<typeof kotovec>, code?: RegExp): void {
  expect(result.code === 1 || result.code === 2).toBe(true);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^kotovec: .+ \(E_[A-Z_]+\)$/);
  if (code) expect(lines[0]).toMatch(code);
}

/** The Lee corpus the bad-input tests train their small models on. */
export const LEE = join(__dirname, '..', '..', 'corpora', 'docs', 'lee_background.cor');

/** Trains the two small models the bad-input tests read: word2vec (`good`) and PV-DBOW (`docs`) on {@link LEE}. */
export function trainSmallModels(good: string, docs: string): void {
  expect(kotovec(['train', LEE, '-o', good, '--epochs', '1', '--min-count', '2', '--dim', '20']).code).toBe(0);
  expect(kotovec(['train', LEE, '-o', docs, '--model', 'pv-dbow', '--docs', 'lines', '--epochs', '2', '--min-count', '2', '--dim', '20']).code).toBe(0);
}
