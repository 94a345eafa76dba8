// The one worker host under the tokenizer pool, corpus preparation and the training pool: a thread that
// throws, exits unasked or is killed reaches its owner as one typed error, and a thread closed on
// purpose does not.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KotovecError } from '../../src/errors.js';
import { failureOf, WorkerHost, errorFromWorker } from '../../src/workerThreads.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const script = (name: string, body: string) => {
  const path = join(dir, name);
  writeFileSync(path, `import { parentPort, workerData } from 'node:worker_threads';\n${body}\n`);
  return pathToFileURL(path);
};
const echo = script('echo.mjs', `parentPort.on('message', (m) => { if (m === 'bye') parentPort.close(); else parentPort.postMessage({ echo: m, data: workerData }); });`);
const exits = script('exits.mjs', `parentPort.on('message', () => process.exit(3));`);
const throws = script('throws.mjs', `parentPort.on('message', () => { throw new Error('boom'); });`);

/** Starts a host and collects what it reports; `nextMessage` settles when the worker next posts. */
function host(url: URL, workerData?: unknown) {
  const messages: unknown[] = [];
  const failures: KotovecError[] = [];
  const waiting: (() => void)[] = [];
  const onMessage = (m: unknown) => {
    messages.push(m);
    for (const wake of waiting.splice(0)) wake();
  };
  const worker = new WorkerHost<unknown, unknown>(url, 'test worker', { onMessage, onFailure: (e) => failures.push(e) }, { workerData });
  const nextMessage = () => new Promise<void>((resolve) => waiting.push(resolve));
  return { worker, messages, failures, nextMessage };
}

describe('WorkerHost', () => {
  it('passes messages both ways and closes without a failure, by request or by termination', async () => {
    for (const goodbye of ['bye', undefined]) {
      const { worker, messages, failures, nextMessage } = host(echo, { n: 1 });
      const answered = nextMessage();
      worker.post('hello');
      await answered;
      await worker.close(goodbye);
      expect(messages).toEqual([{ echo: 'hello', data: { n: 1 } }]);
      expect(failures).toEqual([]);
      expect(worker.failure).toBeUndefined();
    }
  });

  it('a thread that exits unasked is one E_WORKER failure that names it', async () => {
    const { worker, failures } = host(exits);
    worker.post('go');
    await worker.exited;
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ code: 'E_WORKER', message: 'test worker exited with code 3' });
    expect(worker.failure).toBe(failures[0]);
    await worker.close(); // closing a lost thread is harmless
    expect(failures).toHaveLength(1);
  });

  it('an uncaught error in the thread is one E_WORKER failure with its message', async () => {
    const { worker, failures } = host(throws);
    worker.post('go');
    await worker.exited;
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ code: 'E_WORKER', message: 'test worker failed: boom' });
  });

  it('a caught error crosses the boundary with its code; an unknown code becomes E_WORKER', () => {
    const known = errorFromWorker(failureOf(new KotovecError('E_UNKNOWN_WORD', 'no such word')), 'w');
    expect(known).toMatchObject({ code: 'E_UNKNOWN_WORD', message: 'no such word' });
    const plain = errorFromWorker(failureOf(new Error('disk on fire')), 'corpus worker');
    expect(plain).toMatchObject({ code: 'E_WORKER', message: 'corpus worker failed: disk on fire' });
  });
});
