// Child of bench/count.mjs: counts the inputs with a token cache written to a temp folder, prints JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanCorpus } from '../dist/corpus/scan.js';
import { resolveInputs } from '../dist/text/lineReader.js';
import { createBatchTokenizer } from '../dist/text/tokenizePool.js';
import { resolveTokenizerConfig } from '../dist/text/tokenizers.js';

const dir = mkdtempSync(join(tmpdir(), 'kotovec-count-'));
const started = performance.now();
const scan = await scanCorpus(await resolveInputs(process.argv.slice(2)), {
  tokenizer: await createBatchTokenizer(resolveTokenizerConfig({ kind: 'simple' }), 1),
  cachePath: join(dir, 'pass1.cache'),
});
const seconds = (performance.now() - started) / 1000;
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ tokens: scan.counter.totalTokens, distinct: scan.counter.size, seconds, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
