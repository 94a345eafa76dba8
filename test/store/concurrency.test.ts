// Readers never see a half-written model: while another process keeps replacing the model at a path,
// every read returns either the old or the new model, whole.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readModel } from '../../src/store/reader.js';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const IMPORTER = pathToFileURL(join(__dirname, '..', '..', 'dist', 'store', 'importer.js')).href;

describe('atomic replacement', () => {
  it('a reader sees the old or the new model, never a mix', async () => {
    const rows = 20000;
    const make = (value: number) => `${rows} 4\n` + Array.from({ length: rows }, (_, i) => `w${i} ${value} ${value} ${value} ${value}`).join('\n') + '\n';
    writeFileSync(join(dir, 'a.txt'), make(1));
    writeFileSync(join(dir, 'b.txt'), make(2));
    const model = join(dir, 'model.db');
    // The writer: another process replacing the model twelve times, as \`kotovec import --force\` does.
    const script = `
      const { importWord2Vec } = await import(${JSON.stringify(IMPORTER)});
      for (let i = 0; i < 12; i++) await importWord2Vec(${JSON.stringify(dir)} + (i % 2 ? '/b.txt' : '/a.txt'), ${JSON.stringify(model)}, { force: true });
    `;
    execSyncImport(join(dir, 'a.txt'), model);
    const writer = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
    const done = new Promise<number | null>((resolve) => writer.on('exit', resolve));
    let reads = 0;
    let finished = false;
    void done.then(() => (finished = true));
    do {
      const data = readModel(model);
      const first = data.wordVectors[0];
      expect(first === 1 || first === 2).toBe(true);
      expect(data.wordVectors.every((v) => v === first)).toBe(true);
      expect(data.words).toHaveLength(rows);
      reads++;
      await new Promise((resolve) => setImmediate(resolve));
    } while (!finished);
    expect(await done).toBe(0);
    // The last replacement is in place (b: all 2).
    expect(readModel(model).wordVectors.every((v) => v === 2)).toBe(true);
  }, 120_000);
});

function execSyncImport(input: string, output: string): void {
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  execFileSync(process.execPath, [BIN, 'import', input, '-o', output, '--force']);
}
