/** `kotovec serve`: the JSON API and the explorer page over one or more models. */
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { openModel } from '../../query/model.js';
import type { ServedModel } from '../../serve/api.js';
import { startServer } from '../../serve/server.js';
import { handleInterruptionInCommand, say } from '../common.js';
import { addOptions, checkedOptions } from '../options.js';

interface ServeFlags {
  host: string;
  port: number;
}

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
      const names = modelNames(paths);
      const models: ServedModel[] = paths.map((path, i) => ({ name: names[i]!, path, model: openModel(path, { outputs: true, docs: true }) }));
      const running = await startServer({ models, host: flags.host, port: flags.port });
      handleInterruptionInCommand(true);
      for (const { name, model } of models) say(`kotovec: serving ${name}: ${model.words.size.toLocaleString('en')} words${model.docs ? `, ${model.docs.size.toLocaleString('en')} documents` : ''}`);
      if (!LOOPBACK.has(flags.host)) say(`kotovec: listening on ${flags.host}, not only this machine: other machines that reach it can query these models`);
      // The address is the command's one line of data.
      process.stdout.write(`${running.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          say(`kotovec: ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping`);
          void running.close().then(resolve);
          // Connections that do not close within a second are not waited for.
          setTimeout(() => {
            running.server.closeAllConnections();
            resolve();
          }, 1000).unref();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      handleInterruptionInCommand(false);
    });
}
