// The HTTP API of `kotovec serve` against a real server on an ephemeral port: answers equal to the
// command line's --json answers, and every bad request answered with its status and a JSON error.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/serve/server.js';
import { kotovec } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { HOSTILE, serveTestModels } from './helpers.js';

const dir = tempDir();
let server: RunningServer;
let en: string;
let lee: string;

beforeAll(async () => {
  ({ server, en, lee } = await serveTestModels(dir));
}, 120_000);
afterAll(() => server?.close());

async function get(path: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(new URL(path, server.url), init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}
const cli = (args: string[]) => {
  const result = kotovec(args);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};

describe('serve: answers equal to the command line', () => {
  it('similar, with one word, a phrase and several words', async () => {
    expect((await get('/api/similar?word=alice&k=7')).body).toEqual(cli(['similar', en, 'alice', '-k', '7', '--json']));
    expect((await get('/api/similar?word=' + encodeURIComponent('The Queen!'))).body).toEqual(cli(['similar', en, 'The Queen!', '--json']));
    expect((await get('/api/similar?model=en&word=king&word=queen&k=3')).body).toEqual(cli(['similar', en, 'king', 'queen', '-k', '3', '--json']));
  });

  it('analogy, both methods', async () => {
    expect((await get('/api/analogy?a=he&b=his&c=she')).body).toEqual(cli(['analogy', en, 'he', 'his', 'she', '--json']));
    expect((await get('/api/analogy?a=he&b=his&c=she&k=4&method=cosmul')).body).toEqual(cli(['analogy', en, 'he', 'his', 'she', '-k', '4', '--method', 'cosmul', '--json']));
  });

  it('info, infer and similar-docs', async () => {
    expect((await get('/api/info?model=lee')).body).toEqual(cli(['info', lee, '--json']));
    const text = 'the government announced new economic measures today';
    const inferred = await get('/api/infer', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'lee', text, k: 5 }) });
    expect(inferred.status).toBe(200);
    expect(inferred.body).toEqual(cli(['infer', lee, '--text', text, '--similar', '5', '--json']));
    expect((await get('/api/similar-docs?model=lee&id=12&k=5')).body).toEqual(cli(['similar-docs', lee, '--id', '12', '-k', '5', '--json']));
    expect((await get(`/api/similar-docs?model=lee&k=3&text=${encodeURIComponent(text)}`)).body).toEqual(cli(['similar-docs', lee, '--text', text, '-k', '3', '--json']));
  });

  it('models, vectors, completion and maps', async () => {
    const { body: { models } } = await get('/api/models');
    expect(models.map((m: { name: string }) => m.name)).toEqual(['en', 'lee', 'hostile']);
    expect(models[1]).toMatchObject({ kind: 'pv-dbow+ns', dim: 20, documents: 300, canInfer: true });
    expect(models[0]).toMatchObject({ kind: 'cbow+ns', documents: 0, canInfer: false });

    const vector = (await get('/api/vector?word=alice')).body;
    expect(vector.vector).toHaveLength(100);
    expect(vector.query).toEqual({ text: 'alice', tokens: ['alice'], unknown: [] });

    const words = (await get('/api/words?prefix=al&limit=5')).body.words;
    expect(words).toHaveLength(5);
    for (const { word } of words) expect(word.startsWith('al')).toBe(true);
    const counts = words.map((w: { count: number }) => w.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    for (const method of ['pca', 'tsne']) {
      const map = (await get(`/api/projection?word=alice&k=30&method=${method}`)).body;
      expect(map.points).toHaveLength(31);
      expect(map.points[0]).toMatchObject({ word: 'alice', similarity: 1 });
      for (const p of map.points) expect(Math.abs(p.x) <= 1 && Math.abs(p.y) <= 1).toBe(true);
      // Points spread over the plane (a map that collapsed to a point would fail).
      expect(new Set(map.points.map((p: { x: number }) => p.x.toFixed(2))).size).toBeGreaterThan(10);
    }
    // A big t-SNE runs off the server's thread: a query sent after it is answered first.
    const order: string[] = [];
    const tsneArrived = new Promise<void>((resolve) => {
      const onRequest = (request: { url?: string }) => {
        if (!request.url?.includes('method=tsne')) return;
        server.server.off('request', onRequest);
        resolve();
      };
      server.server.on('request', onRequest);
    });
    const big = get('/api/projection?top=600&method=tsne').then((r) => order.push(`tsne ${r.status} ${r.body.points.length}`));
    await tsneArrived;
    await get('/api/similar?word=alice&k=3').then((r) => order.push(`similar ${r.status}`));
    await big;
    expect(order).toEqual(['similar 200', 'tsne 200 600']);

    const top = (await get('/api/projection?top=200')).body.points;
    expect(top).toHaveLength(200);
    expect(top[0].word).toBe('the');
  });
});

describe('serve: bad requests', () => {
  const cases: [string, string, RequestInit | undefined, number, string][] = [
    ['unknown word', '/api/similar?word=qwertyuiopasdf', undefined, 404, 'E_UNKNOWN_WORD'],
    ['missing word', '/api/similar', undefined, 400, 'E_BAD_REQUEST'],
    ['empty word', '/api/similar?word=%20', undefined, 400, 'E_BAD_REQUEST'],
    ['bad k', '/api/similar?word=alice&k=abc', undefined, 400, 'E_BAD_REQUEST'],
    ['k out of range', '/api/similar?word=alice&k=0', undefined, 400, 'E_BAD_REQUEST'],
    ['huge k', '/api/similar?word=alice&k=99999999', undefined, 400, 'E_BAD_REQUEST'],
    ['bad method', '/api/analogy?a=he&b=his&c=she&method=x', undefined, 400, 'E_BAD_REQUEST'],
    ['missing analogy term', '/api/analogy?a=he&b=his', undefined, 400, 'E_BAD_REQUEST'],
    ['unknown model', '/api/similar?word=alice&model=nope', undefined, 404, 'E_NOT_FOUND'],
    ['unknown document', '/api/similar-docs?model=lee&id=99999', undefined, 404, 'E_UNKNOWN_DOC'],
    ['documents of a word2vec model', '/api/similar-docs?id=1', undefined, 400, 'E_UNSUPPORTED'],
    ['infer with a word2vec model', '/api/infer', { method: 'POST', body: '{"text":"alice"}' }, 400, 'E_UNSUPPORTED'],
    ['infer without text', '/api/infer', { method: 'POST', body: '{"model":"lee"}' }, 400, 'E_BAD_REQUEST'],
    ['a body that is not JSON', '/api/infer', { method: 'POST', body: '{"text": ' }, 400, 'E_BAD_REQUEST'],
    ['a JSON body that is not an object', '/api/infer', { method: 'POST', body: '[1,2]' }, 400, 'E_BAD_REQUEST'],
    ['text of the wrong type', '/api/infer', { method: 'POST', body: '{"model":"lee","text":{"a":1}}' }, 400, 'E_BAD_REQUEST'],
    ['a body over 1 MB', '/api/infer', { method: 'POST', body: JSON.stringify({ model: 'lee', text: 'word '.repeat(250_000) }) }, 413, 'E_TOO_LARGE'],
    ['wrong method', '/api/similar?word=alice', { method: 'POST', body: '{}' }, 405, 'E_METHOD_NOT_ALLOWED'],
    ['GET on a POST route', '/api/infer', undefined, 405, 'E_METHOD_NOT_ALLOWED'],
    ['DELETE on the page', '/', { method: 'DELETE' }, 405, 'E_METHOD_NOT_ALLOWED'],
    ['unknown route', '/api/nothing', undefined, 404, 'E_NOT_FOUND'],
    ['a path out of the page folder', '/../package.json', undefined, 404, 'E_NOT_FOUND'],
    ['an encoded path out of the page folder', '/%2e%2e/%2e%2e/package.json', undefined, 404, 'E_NOT_FOUND'],
    ['a source file', '/src/serve/server.ts', undefined, 404, 'E_NOT_FOUND'],
    ['a page file by another name', '/web/app.js', undefined, 404, 'E_NOT_FOUND'],
    ['a bad projection', '/api/projection?top=1', undefined, 400, 'E_BAD_REQUEST'],
    ['a t-SNE too big', '/api/projection?top=1001&method=tsne', undefined, 400, 'E_BAD_REQUEST'],
  ];
  for (const [what, path, init, status, code] of cases) {
    it(`${what}: ${status} ${code}`, async () => {
      const answer = await get(path, init);
      expect(answer.status).toBe(status);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.body).toEqual({ error: expect.any(String), code });
      if (status === 405) expect(answer.headers.get('allow') ?? 'GET').toMatch(/GET|POST/);
    });
  }

  it('a malformed request line is answered 400 and the server goes on', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
      let data = '';
      socket.on('data', (chunk) => (data += chunk));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.write('GARBAGE \x00\x01 / HTTP/9\r\n\r\n');
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await get('/api/similar?word=alice&k=1')).status).toBe(200);
  });

  it('serves the page and its files with a content security policy; hostile words come back as data', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await get('/app.js')).headers.get('content-type')).toMatch(/javascript/);
    const answer = (await get('/api/similar?model=hostile&word=the&k=4')).body;
    expect(answer.results.map((r: { word: string }) => r.word)).toContain(HOSTILE);
  });
});
