// Models and a running server for the serve tests: an English word2vec model and a Lee doc2vec model
// trained by the built CLI, and a model whose vocabulary holds markup, as an untrusted .vec could.
import { join } from 'node:path';
import { openModel } from '../../src/query/model.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { writeModel } from '../../src/store/writer.js';
import { kotovec } from '../helpers/cli.js';
import { tinyModel } from '../helpers/tinyModel.js';

export const HOSTILE = '<img/src="x"/onerror="document.title=\'pwned\'">';

/** Trains the models into `dir` and starts a server on a free port of 127.0.0.1. */
export async function serveTestModels(dir: string): Promise<{ server: RunningServer; en: string; lee: string; hostile: string }> {
  const en = join(dir, 'en.db');
  const lee = join(dir, 'lee.db');
  const hostile = join(dir, 'hostile.db');
  const root = join(__dirname, '..', '..', 'corpora');
  for (const args of [
    ['train', join(root, 'en'), '-o', en, '--epochs', '2', '--threads', '1'],
    ['train', join(root, 'docs', 'lee_background.cor'), '-o', lee, '--model', 'pv-dbow', '--dim', '20', '--epochs', '10', '--min-count', '2', '--threads', '1'],
  ]) {
    const result = kotovec([...args, '--progress', 'none']);
    if (result.code !== 0) throw new Error(result.stderr);
  }
  const tiny = tinyModel();
  writeModel(hostile, { ...tiny, words: ['the', HOSTILE, 'dog', 'sat', 'café'] });
  const models = [
    { name: 'en', path: en, model: openModel(en, { outputs: true, docs: true }) },
    { name: 'lee', path: lee, model: openModel(lee, { outputs: true, docs: true }) },
    { name: 'hostile', path: hostile, model: openModel(hostile, { outputs: true, docs: true }) },
  ];
  return { server: await startServer({ models, port: 0 }), en, lee, hostile };
}
