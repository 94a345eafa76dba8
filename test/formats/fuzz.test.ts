// The word2vec importer survives fuzzing: mutated and truncated variants of valid binary and text files
// each end in a clean KotovecError or a valid import — never a crash, a hang or a runaway heap.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KotovecError } from '../../src/errors.js';
import { writeWord2Vec } from '../../src/formats/word2vec.js';
import { openModel } from '../../src/query/model.js';
import { importWord2Vec } from '../../src/store/importer.js';
import { Random } from '../../src/kernel/random.js';
import { tempDir } from '../helpers/tmp.js';
import { readFileSync } from 'node:fs';

const dir = tempDir();
const words = ['the', 'cat', 'sat', 'on', 'mat', '東京', 'größe', 'a_b', 'x1', 'zz'];
const vectors = Float32Array.from({ length: words.length * 8 }, (_, i) => Math.sin(i) * 3);

function mutate(source: Buffer, random: Random): Buffer {
  const bytes = Buffer.from(source);
  switch (random.below(6)) {
    case 0: // truncate anywhere
      return bytes.subarray(0, random.below(bytes.length));
    case 1: // flip a few bytes
      for (let i = 0, n = 1 + random.below(8); i < n; i++) bytes[random.below(bytes.length)] = random.below(256);
      return bytes;
    case 2: // mangle the header
      return Buffer.concat([Buffer.from(['99999999999 8', '10 0', '10 -3', 'x y', '10 99999999', '', '3', '2 8 9'][random.below(8)]!), bytes.subarray(bytes.indexOf(10))]);
    case 3: { // insert random bytes
      const at = random.below(bytes.length);
      const junk = Buffer.from(Array.from({ length: 1 + random.below(64) }, () => random.below(256)));
      return Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]);
    }
    case 4: { // delete a slice
      const at = random.below(bytes.length);
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + random.below(32))]);
    }
    default: // duplicate a slice
      const at = random.below(bytes.length);
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + 40), bytes.subarray(at)]);
  }
}

describe('word2vec importer fuzzing', () => {
  it('1,200 mutated files: each a clean error or a valid model', async () => {
    const sources: Buffer[] = [];
    for (const binary of [true, false]) {
      const path = join(dir, `source.${binary ? 'bin' : 'txt'}`);
      writeWord2Vec(path, { keys: words, vectors, dim: 8 }, binary);
      sources.push(readFileSync(path));
    }
    const random = new Random(2024);
    let imported = 0;
    let refused = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1200; i++) {
      const input = join(dir, `fuzz-${i % 8}.in`);
      const output = join(dir, `fuzz-${i % 8}.db`);
      rmSync(output, { force: true });
      writeFileSync(input, mutate(sources[i % 2]!, random));
      try {
        const result = await importWord2Vec(input, output);
        const model = openModel(output);
        expect(model.words.size).toBe(result.count);
        imported++;
      } catch (error) {
        if (!(error instanceof KotovecError)) throw new Error(`variant ${i} crashed: ${(error as Error).stack}`);
        expect(error.message.split('\n')).toHaveLength(1);
        expect(existsSync(output)).toBe(false);
        refused++;
      }
    }
    expect(imported + refused).toBe(1200);
    expect(refused).toBeGreaterThan(600);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
  }, 120_000);
});
