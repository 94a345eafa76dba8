#!/usr/bin/env node
// Screenshots of the explorer page: starts `kotovec serve` on the given models, opens each address in
// Debian's Chromium (playwright-core) and writes PNGs to bench/out/. Not a test.
// usage: node bench/screenshot.mjs MODEL.db [MODEL.db…] [--paths "/?word=king,/?model=ja&word=猫"]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { flag, out, root } from './common.mjs';

const models = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--paths');
const paths = flag('paths', '/?word=king').split(',');
const server = spawn(process.execPath, [join(root, 'bin', 'kotovec.js'), 'serve', ...models, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve) => server.stdout.once('data', (d) => resolve(d.toString().trim())));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
try {
  for (const [i, path] of paths.entries()) {
    const page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
    await page.goto(new URL(path, url).href);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForTimeout(300);
    const file = join(out, `explorer-${i + 1}.png`);
    await page.screenshot({ path: file });
    console.log(`${path} → ${file}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill('SIGINT');
}
