/** `kotovec serve`: the JSON API and the explorer page over one or more models. */
import cluster from 'node:cluster';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { ErrorCodes, KotovecError } from '../../errors.js';
import { openModel } from '../../query/model.js';
import type { ServedModel } from '../../serve/api.js';
import { handleInterruptionInCommand, say } from '../common.js';
import { addOptions, checkedOptions } from '../options.js';

interface ServeFlags {
  host: string;
  port: number;
  workers: number;
}

/** What a server process tells the primary (with --workers): its address, or why it could not start. */
type WorkerNews = { url: string } | { error: string; code: string };

/** Names models by their file names (without extension), numbered where two would clash. */
export function modelNames(paths: readonly string[]): string[] {
  const names: string[] = [];
  for (const path of paths) {
    const stem = basename(path, extname(path)) || 'model';
    let name = stem;
    for (let n = 2; names.includes(name); n++) name = `${stem}-${n}`;
    names.push(name);
  }
  return names;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Registers `serve`. */
export function registerServe(program: Command): void {
  addOptions(
    program
      .command('serve')
      .description('answer queries over HTTP (a JSON API under /api/) and serve the explorer page; models are opened read-only; Ctrl-C stops it')
      .argument('<models...>', 'one or more model files'),
    'serve',
  )
    .addHelpText('after', [
      '',
      'API (GET unless said; model=NAME picks a model, the first by default; errors are {"error", "code"}):',
      '  /api/models  /api/info  /api/similar?word=&k=  /api/analogy?a=&b=&c=&k=&method=',
      '  /api/vector?word=  /api/words?prefix=&limit=  /api/similar-docs?id=|text=&k=',
      '  /api/projection?word=&k=&method=pca|tsne  or  ?top=N   POST /api/infer {"text", "k"}',
      '',
      'Examples:',
      '  kotovec serve demo.db',
      '  curl "http://127.0.0.1:8080/api/similar?word=alice&k=5"',
    ].join('\n'))
    .action(async (paths: string[], parsed: ServeFlags) => {
      const flags = checkedOptions<ServeFlags>('serve', parsed);
      if (flags.workers > 1 && cluster.isPrimary) return runPrimary(paths, flags);
      const names = modelNames(paths);
      let running;
      try {
        const models: ServedModel[] = paths.map((path, i) => ({ name: names[i]!, path, model: openModel(path, { outputs: true, docs: true }) }));
        // What similarity queries scan is built now, not by the first request (seconds on a big model).
        for (const { model } of models) {
          model.words.prepareScans();
          model.docs?.prepareScans();
        }
        running = await (await import('../../serve/server.js')).startServer({ models, host: flags.host, port: flags.port });
        if (cluster.isWorker) {
          process.send!({ url: running.url } satisfies WorkerNews);
        } else {
          for (const { name, model } of models) say(`kotovec: serving ${name}: ${model.words.size.toLocaleString('en')} words${model.docs ? `, ${model.docs.size.toLocaleString('en')} documents` : ''}`);
          announce(running.url, flags.host, 1);
        }
      } catch (error) {
        if (!cluster.isWorker) throw error;
        const err = error as KotovecError;
        // Said once, by the primary: this process only reports and ends.
        process.send!({ error: err.message, code: err.code ?? ErrorCodes.LISTEN } satisfies WorkerNews, () => process.exit(1));
        return;
      }
      await untilStopped(() => running.close(), () => running.server.closeAllConnections(), !cluster.isWorker);
    });
}

/** Prints the address (the command's one line of data) and, on stderr, where it listens. */
function announce(url: string, host: string, workers: number): void {
  if (workers > 1) say(`kotovec: ${workers} server processes share the port`);
  if (!LOOPBACK.has(host)) say(`kotovec: listening on ${host}, not only this machine: other machines that reach it can query these models`);
  process.stdout.write(`${url}\n`);
}

/** Waits for Ctrl-C or SIGTERM, then stops: gracefully, and after a second by force. */
async function untilStopped(close: () => Promise<void>, force: () => void, talk: boolean): Promise<void> {
  handleInterruptionInCommand(true);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      if (talk) say(`kotovec: ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping`);
      void close().then(resolve);
      // Connections that do not close within a second are not waited for.
      setTimeout(() => {
        force();
        resolve();
      }, 1000).unref();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  handleInterruptionInCommand(false);
}

/**
 * With --workers n: n server processes (node:cluster) share the port, each with its own copy of the
 * models. The primary prints the address once all listen, starts a worker again if one dies, and stops
 * them all on Ctrl-C.
 * @throws KotovecError when a worker cannot start (a missing model, a taken port)
 */
async function runPrimary(paths: string[], flags: ServeFlags): Promise<void> {
  let stopping = false;
  const fork = () => cluster.fork();
  const first = await Promise.all(
    Array.from({ length: flags.workers }, () =>
      new Promise<WorkerNews>((resolve) => {
        const worker = fork();
        worker.once('message', resolve);
        worker.once('exit', (code) => resolve({ error: `server process exited with code ${code}`, code: ErrorCodes.WORKER }));
      }),
    ),
  );
  const failed = first.find((news): news is Extract<WorkerNews, { error: string }> => 'error' in news);
  if (failed) {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) if (worker && !worker.isDead()) worker.process.kill('SIGINT');
    throw new KotovecError(failed.code as never, failed.error);
  }
  say(`kotovec: serving ${modelNames(paths).join(', ')}`);
  announce((first[0] as { url: string }).url, flags.host, flags.workers);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    say(`kotovec: a server process ended (${signal ?? `code ${code}`}); starting another`);
    fork().once('message', (news: WorkerNews) => {
      say('error' in news ? `kotovec: the new server process failed: ${news.error}` : 'kotovec: the new server process is listening');
    });
  });
  await untilStopped(
    async () => {
      stopping = true;
      await Promise.all(Object.values(cluster.workers ?? {}).map((w) => new Promise<void>((resolve) => {
        if (!w || w.isDead()) return resolve();
        w.once('exit', () => resolve());
        w.process.kill('SIGTERM');
      })));
    },
    () => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
    },
    true,
  );
}
