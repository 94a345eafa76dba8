// The peak memory a model records is the process's own: a kotovec forked from a big process (a test
// runner, a server) does not report its parent's size.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = pathToFileURL(join(__dirname, '..', 'dist', 'peakMemory.js')).href;

describe('peakResidentMB', () => {
  it('gives the process its own peak, not the size of the process that forked it', () => {
    const ballast = Buffer.alloc(300 * 1024 * 1024, 1); // touched: resident in this process while the child starts
    const child = spawnSync(process.execPath, [
      '--input-type=module',
      '-e',
      `import { peakResidentMB } from '${MODULE}'; console.log(JSON.stringify({ own: peakResidentMB() }));`,
    ]);
    ballast.fill(0); // held until the child has answered
    expect(child.status, String(child.stderr)).toBe(0);
    const { own } = JSON.parse(String(child.stdout)) as { own: number }; // maxRSS says 300+ here on Linux
    expect(own).toBeGreaterThan(10);
    expect(own).toBeLessThan(150);
  });
});
