/** `kotovec infer` and `kotovec similar-docs`: document vectors of doc2vec models. */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { ErrorCodes, KotovecError, OptionError } from '../../errors.js';
import type { InferSubsampling } from '../../query/infer.js';
import { openModel, type Model } from '../../query/model.js';
import { DEFAULT_MAX_LINE_CHARS, newReadStats, readLineBatches, resolveInputs } from '../../text/lineReader.js';
import { parseNumber, say, topK, writeOut } from '../common.js';

interface InferFlags {
  text?: string;
  file?: string;
  epochs?: number;
  alpha?: number;
  seed: number;
  subsampling: string;
  similar?: number;
  json?: boolean;
}

/** The documents of `--text`, `--file` (a line each) or stdin (a line each), as an async list. */
async function* documents(flags: { text?: string; file?: string }, stdinDefault: boolean): AsyncGenerator<string> {
  if (flags.text !== undefined && flags.file !== undefined) throw new OptionError('give either --text or --file, not both');
  if (flags.text !== undefined) {
    if (flags.text.trim() === '') throw new OptionError('empty query: --text is empty');
    yield flags.text;
    return;
  }
  const source = flags.file ?? (stdinDefault ? '-' : undefined);
  if (source === undefined) throw new OptionError('say which document: --id, --text or --file');
  if (source !== '-' && existsSync(source) && statSync(source).isDirectory()) {
    throw new KotovecError(ErrorCodes.INPUT_UNREADABLE, `--file must be a file of documents (one a line), not a folder: ${source}`);
  }
  // A line is one document: an overlong one is cut (one answer a line), with a word on stderr.
  const stats = newReadStats();
  for await (const batch of readLineBatches(await resolveInputs([source]), { overlong: 'truncate' }, stats)) {
    for (const line of batch) if (line.trim() !== '') yield line;
  }
  if (stats.splitLines > 0) {
    say(`kotovec: ${stats.splitLines} document line${stats.splitLines === 1 ? ' was' : 's were'} longer than ${DEFAULT_MAX_LINE_CHARS.toLocaleString('en')} characters; only the start of each was used`);
  }
}

function loadDocModel(path: string): Model {
  const model = openModel(path, { outputs: true, docs: true });
  if (!model.docs) throw new KotovecError(ErrorCodes.UNSUPPORTED, `model has no document vectors: ${path} (train it with --model pv-dm, pv-dbow or pv-dm+dbow)`);
  return model;
}

function formatVector(vector: Float32Array): string {
  return Array.from(vector, (v) => v.toPrecision(6)).join(' ');
}

/** Registers `infer` and `similar-docs`. */
export function registerDocs(program: Command): void {
  program
    .command('infer')
    .description('infer vectors for new documents with a doc2vec model (one document a line of --file or stdin)')
    .argument('<model>', 'a doc2vec model file')
    .option('--text <text>', 'one document given inline')
    .option('--file <file>', 'a file of documents, one a line (default: stdin)')
    .option('--epochs <n>', 'training epochs for the new vector (default: the model\'s)', parseNumber)
    .option('--alpha <a>', 'start learning rate (default: the model\'s)', parseNumber)
    .option('--seed <n>', 'random seed; the same seed gives the same vector', parseNumber, 1)
    .option('--subsampling <how>', 'frequent words: expected (keep all, weight by keep probability; steadier) or random (drop at random, as gensim)', 'expected')
    .option('--similar <k>', 'also list the k most similar trained documents', parseNumber)
    .option('--json', 'print one JSON object a line: {"vector": […], "similar": [{"id", "similarity"}…]}')
    .addHelpText('after', '\nExamples:\n  kotovec infer docs.db --text "the president spoke about the economy" --similar 3\n  kotovec infer docs.db --file new-docs.txt --json')
    .action(async (modelPath: string, flags: InferFlags) => {
      const k = flags.similar === undefined ? 0 : topK(flags.similar);
      if (!Number.isInteger(flags.seed) || flags.seed < 0) throw new OptionError(`--seed must be a non-negative integer (got ${flags.seed})`);
      const model = loadDocModel(modelPath);
      for await (const text of documents(flags, true)) {
        const vector = await model.inferVector(text, { epochs: flags.epochs, alpha: flags.alpha, seed: flags.seed, subsampling: flags.subsampling as InferSubsampling });
        const similar = k > 0 ? model.similarDocs({ vector }, k) : undefined;
        let line: string;
        if (flags.json) line = JSON.stringify({ vector: Array.from(vector), ...(similar ? { similar } : {}) });
        else line = formatVector(vector) + (similar ? '\t' + similar.map((s) => `${s.id}:${s.similarity.toFixed(4)}`).join(' ') : '');
        if (!(await writeOut(line + '\n'))) return;
      }
    });
  program
    .command('similar-docs')
    .description('the trained documents nearest to a trained document (--id) or to a new one (--text, --file)')
    .argument('<model>', 'a doc2vec model file')
    .option('--id <id>', 'a trained document id')
    .option('--text <text>', 'a new document, inferred first')
    .option('--file <file>', 'new documents, one a line, inferred first')
    .option('-k, --top <k>', 'how many documents', parseNumber, 10)
    .option('--seed <n>', 'random seed of the inference', parseNumber, 1)
    .option('--subsampling <how>', 'frequent words at inference: expected or random (see infer --help)', 'expected')
    .option('--json', 'print a JSON array of {"id", "similarity"} (one array a line for --file)')
    .addHelpText('after', '\nExamples:\n  kotovec similar-docs docs.db --id 12 -k 5\n  kotovec similar-docs docs.db --text "war and peace" --json')
    .action(async (modelPath: string, flags: { id?: string; text?: string; file?: string; top?: number; seed: number; subsampling: string; json?: boolean }) => {
      const k = topK(flags.top);
      const given = [flags.id, flags.text, flags.file].filter((v) => v !== undefined).length;
      if (given !== 1) throw new OptionError('give exactly one of --id, --text or --file');
      const model = loadDocModel(modelPath);
      const print = (result: { id: string; similarity: number }[]) =>
        writeOut(flags.json ? JSON.stringify(result) + '\n' : result.map((r) => `${r.id}\t${r.similarity.toFixed(4)}`).join('\n') + '\n');
      if (flags.id !== undefined) {
        await print(model.similarDocs({ id: flags.id }, k));
        return;
      }
      for await (const text of documents(flags, false)) {
        const vector = await model.inferVector(text, { seed: flags.seed, subsampling: flags.subsampling as InferSubsampling });
        if (!(await print(model.similarDocs({ vector }, k)))) return;
      }
    });
}
