import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The built CLI. */
export const BIN = join(__dirname, '..', '..', 'bin', 'kotovec.js');

/** Runs the built CLI as a child process. */
export function kotovec(args: string[], input?: string | Buffer) {
  const result = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
