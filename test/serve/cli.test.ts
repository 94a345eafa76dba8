// `kotovec serve` as a process: the address on stdout, 127.0.0.1 unless told, a word on stderr when it
// listens on more, Ctrl-C stopping it cleanly, and a taken port refused in one line.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeModel } from '../../src/store/writer.js';
import { BIN, kotovec } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { tinyModel } from '../helpers/tinyModel.js';

const dir = tempDir();
const model = join(dir, 'tiny.db');
writeModel(model, tinyModel());

/** Starts `kotovec serve` and resolves with the process and the address it printed. */
function serve(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; url: string; stderr: () => string; said: (pattern: RegExp) => Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args]);
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  // Settles once stderr holds the pattern: the event itself, however long the machine takes to get there.
  const said = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!pattern.test(err)) return;
        child.stderr.off('data', check);
        resolve();
      };
      child.stderr.on('data', check);
      check();
    });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve({ child, url: d.toString().trim(), stderr: () => err, said }));
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

const exit = (child: ChildProcessWithoutNullStreams) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('kotovec serve', () => {
  it('prints its 127.0.0.1 address, answers, and stops cleanly on Ctrl-C', async () => {
    const { child, url, stderr } = await serve([model, '--port', '0']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const answer = await (await fetch(new URL('/api/similar?word=cat&k=2', url))).json();
    expect(answer.results[0].word).toBe('dog');
    expect(stderr()).toContain('serving tiny: 5 words');
    expect(stderr()).not.toContain('other machines');
    const ended = exit(child);
    child.kill('SIGINT');
    expect(await ended).toBe(0);
    expect(stderr()).toMatch(/Ctrl-C: stopping/);
  });

  it('with --workers 2, two processes share the port; a killed one is replaced; Ctrl-C stops all', async () => {
    const { child, url, stderr, said } = await serve([model, '--port', '0', '--workers', '2']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(stderr()).toContain('2 server processes share the port');
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(new URL('/api/similar?word=cat&k=1', url)).then((r) => r.json())));
    for (const answer of answers) expect(answer.results[0].word).toBe('dog');
    const { execFileSync } = await import('node:child_process');
    const workers = execFileSync('pgrep', ['-P', String(child.pid)]).toString().trim().split('\n').map(Number);
    expect(workers).toHaveLength(2);
    process.kill(workers[0]!, 'SIGKILL');
    await said(/the new server process is listening/);
    expect(stderr()).toContain('ended (SIGKILL); starting another');
    const replaced = execFileSync('pgrep', ['-P', String(child.pid)]).toString().trim().split('\n').map(Number);
    expect(replaced).toHaveLength(2);
    expect(replaced).not.toContain(workers[0]);
    expect((await fetch(new URL('/api/similar?word=cat&k=1', url))).status).toBe(200);
    const ended = exit(child);
    child.kill('SIGINT');
    expect(await ended).toBe(0);
  });

  it('says so when it listens beyond this machine', async () => {
    const { child, url, stderr } = await serve([model, '--port', '0', '--host', '0.0.0.0']);
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    expect(stderr()).toContain('other machines');
    const ended = exit(child);
    child.kill('SIGTERM');
    expect(await ended).toBe(0);
  });

  it('refuses a port in use, a missing model and a bad port in one line', async () => {
    const { child, url } = await serve([model, '--port', '0']);
    const port = new URL(url).port;
    const taken = kotovec(['serve', model, '--port', port]);
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim().split('\n')).toHaveLength(1);
    expect(taken.stderr).toMatch(/port is in use.*\(E_LISTEN\)/);
    child.kill('SIGINT');
    const missing = kotovec(['serve', join(dir, 'nope.db'), '--port', '0']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/E_INPUT_NOT_FOUND/);
    const bad = kotovec(['serve', model, '--port', '70000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port must be an integer from 0 to 65535/);
  });
});
