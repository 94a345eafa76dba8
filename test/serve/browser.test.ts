// The explorer page in real headless Chromium (Debian's package, driven by playwright-core): opening a
// shared address, typing a word with completion, clicking a point of the map, the doc2vec panel, and a
// vocabulary word made of markup shown as text, never run.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/serve/server.js';
import { tempDir } from '../helpers/tmp.js';
import { HOSTILE, serveTestModels } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const dir = tempDir();
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  ({ server } = await serveTestModels(dir));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(new URL(path, server.url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  return { page, errors };
}

const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

describe('explorer page in Chromium', () => {
  it('opens /?word=alice with its neighbours and map, as the API answers', async () => {
    const { page, errors } = await open('/?word=alice');
    const api = await (await fetch(new URL('/api/similar?word=alice&k=20', server.url))).json();
    const shown = await texts(page, '#neighbours li .link');
    expect(shown).toEqual(api.results.map((r: { word: string }) => r.word));
    await page.waitForSelector('#map .point.centre');
    expect(await page.locator('#map .point.centre text').textContent()).toBe('alice');
    expect(await page.locator('#map .point').count()).toBe(100);
    expect(await page.inputValue('#search')).toBe('alice');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('types a word with completion, then clicks a point of the map', async () => {
    const { page, errors } = await open('/');
    await page.fill('#search', 'quee');
    await page.waitForSelector('#completions li');
    expect((await texts(page, '#completions li'))[0]).toBe('queen');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('word') === 'queen');
    await page.waitForSelector('#map .point.centre');
    expect(await page.locator('#map .point.centre text').textContent()).toBe('queen');
    const neighbours = await texts(page, '#neighbours li .link');
    expect(neighbours.length).toBe(20);

    // Click another point: its neighbours and its map come up, and the address says so.
    const target = page.locator('#map .point:not(.centre)').nth(3);
    const word = await target.getAttribute('data-word');
    await target.click();
    await page.waitForFunction((w) => new URLSearchParams(location.search).get('word') === w, word);
    await page.waitForFunction((w) => document.querySelector('#map .point.centre text')?.textContent === w, word);
    expect(await page.inputValue('#search')).toBe(word);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers an analogy and a document from the address and the forms', async () => {
    const { page, errors } = await open('/?a=he&b=his&c=she');
    await page.waitForSelector('#analogy-results li');
    expect(await texts(page, '#analogy-results li .link')).not.toContain('she');
    expect(await page.isHidden('#docs-panel')).toBe(true);

    await page.selectOption('#model', 'lee');
    await page.waitForSelector('#docs-panel:not([hidden])');
    await page.fill('#docs-text', 'the government announced new economic measures today');
    await page.click('#docs-form button');
    await page.waitForSelector('#docs-results li');
    expect(await page.locator('#docs-results li').count()).toBe(10);
    expect(new URL(page.url()).searchParams.get('model')).toBe('lee');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a hostile vocabulary word as text and runs nothing', async () => {
    const { page, errors } = await open(`/?model=hostile&word=the`);
    await page.waitForSelector('#neighbours li');
    expect(await texts(page, '#neighbours li .link')).toContain(HOSTILE);
    await page.waitForSelector('#map .point');
    expect(await page.locator('#map .point text').allTextContents()).toContain(HOSTILE);
    await page.selectOption('#map-scope', 'top');
    await page.waitForFunction(() => document.querySelector('#map-title')?.textContent?.startsWith('The'));
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.title()).toBe('kotovec explorer');
    expect(errors).toEqual([]);
    await page.close();
  });
});
