#!/usr/bin/env node
// Load on `kotovec serve`, on 127.0.0.1 only: autocannon with --connections connections for --duration
// seconds on /api/similar, cycling through --words different vocabulary words (spread over the
// vocabulary's frequency ranks, so no single answer is repeated back to back). Prints requests/s,
// p50/p99 latency, failed requests, and the server's RSS before and after; then checks the server still
// answers. Not a test.
// usage: node bench/serve-load.mjs MODEL.db [--words 3000] [--connections 32] [--duration 10] [--k 10]
//                                  [--serve-args "--workers 2"]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { flag, root } from './common.mjs';

const model = process.argv[2];
if (!model || model.startsWith('--')) throw new Error('usage: node bench/serve-load.mjs MODEL.db [--words 3000] [--connections 32] [--duration 10]');
const wordCount = Number(flag('words', '3000'));
const connections = Number(flag('connections', '32'));
const duration = Number(flag('duration', '10'));
const k = flag('k', '10');
const serveArgs = flag('serve-args', '').split(' ').filter(Boolean);

// Words spread over the ranks of the vocabulary.
const db = new Database(model, { readonly: true });
const size = db.prepare('SELECT count(*) AS n FROM vocab').get().n;
const step = Math.max(1, Math.floor(size / wordCount));
const words = db.prepare('SELECT word FROM vocab WHERE id % ? = 0 ORDER BY id LIMIT ?').all(step, wordCount).map((r) => r.word);
db.close();

/** Resident memory of a process and its children (the server's workers), in MB. */
function rssMB(pid) {
  const pids = [pid];
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) pids.push(Number(child));
  } catch {}
  let kb = 0;
  for (const p of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))[1]);
    } catch {}
  }
  return Math.round(kb / 1024);
}

const started = performance.now();
const server = spawn(process.execPath, [join(root, 'bin', 'kotovec.js'), 'serve', model, '--port', '0', ...serveArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  server.stdout.once('data', (d) => resolve(d.toString().trim()));
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
if (!new URL(url).hostname.startsWith('127.')) throw new Error(`not on loopback: ${url}`);
// Wait until every worker answers (with several workers each loads the model).
for (let i = 0; i < 8; i++) await fetch(`${url}api/similar?word=${encodeURIComponent(words[i])}&k=${k}`);
const ready = (performance.now() - started) / 1000;
const rssBefore = rssMB(server.pid);

let next = 0;
const result = await autocannon({
  url,
  connections,
  duration,
  requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/api/similar?word=${encodeURIComponent(words[next++ % words.length])}&k=${k}` }) }],
});
const rssAfter = rssMB(server.pid);
const check = await fetch(`${url}api/similar?word=${encodeURIComponent(words[0])}&k=3`);
const stillAnswers = check.status === 200 && (await check.json()).results.length === 3;
server.kill('SIGINT');

const report = {
  model,
  vocabulary: size,
  words: words.length,
  connections,
  duration,
  serveArgs: serveArgs.join(' '),
  readySeconds: +ready.toFixed(2),
  requests: result.requests.total,
  requestsPerSecond: Math.round(result.requests.average),
  latencyP50ms: result.latency.p50,
  latencyP99ms: result.latency.p99,
  latencyMaxMs: result.latency.max,
  failed: result.errors + result.timeouts + result.non2xx,
  rssBeforeMB: rssBefore,
  rssAfterMB: rssAfter,
  stillAnswers,
};
console.log(JSON.stringify(report));
