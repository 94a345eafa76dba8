// Readers never see a half-written model: while another process keeps replacing the model at a path,
// every read returns either the old or the new model, whole.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModel } from '../../src/store/reader.js';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

describe('atomic replacement', () => {
  it('a reader sees the old or the new model, never a mix', async () => {
    const rows = 2000;
    const make = (value: number) => `${rows} 4\n` + Array.from({ length: rows }, (_, i) => `w${i} ${value} ${value} ${value} ${value}`).join('\n') + '\n';
    writeFileSync(join(dir, 'a.txt'), make(1));
    writeFileSync(join(dir, 'b.txt'), make(2));
    const model = join(dir, 'model.db');
    const script = `
      const { execFileSync } = require('node:child_process');
      for (let i = 0; i < 12; i++) execFileSync(process.execPath, [${JSON.stringify(BIN)}, 'import', ${JSON.stringify(dir)} + (i % 2 ? '/b.txt' : '/a.txt'), '-o', ${JSON.stringify(model)}, '--force']);
    `;
    execSyncImport(join(dir, 'a.txt'), model);
    const writer = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    const done = new Promise((resolve) => writer.on('exit', resolve));
    let reads = 0;
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      const data = readModel(model);
      const first = data.wordVectors[0];
      expect(first === 1 || first === 2).toBe(true);
      expect(data.wordVectors.every((v) => v === first)).toBe(true);
      expect(data.words).toHaveLength(rows);
      reads++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(reads).toBeGreaterThan(5);
  }, 120_000);
});

function execSyncImport(input: string, output: string): void {
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  execFileSync(process.execPath, [BIN, 'import', input, '-o', output, '--force']);
}
