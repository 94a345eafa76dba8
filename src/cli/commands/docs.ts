/** `kotovec infer` and `kotovec similar-docs`: document vectors of doc2vec models. */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { ErrorCodes, KotovecError, OptionError } from '../../errors.js';
import type { InferSubsampling } from '../../query/infer.js';
import { openModel, type Model } from '../../query/model.js';
import { StoredModel } from '../../query/storedModel.js';
import { DEFAULT_MAX_LINE_CHARS, newReadStats, readLineBatches, resolveInputs } from '../../text/lineReader.js';
import { say, writeOut } from '../common.js';
import { addOptions, checkedOptions } from '../options.js';

interface InferFlags {
  text?: string;
  file?: string;
  epochs?: number;
  alpha?: number;
  seed: number;
  subsampling: InferSubsampling;
  similar?: number;
  json?: boolean;
}

interface SimilarDocsFlags {
  id?: string;
  text?: string;
  file?: string;
  top: number;
  seed: number;
  subsampling: InferSubsampling;
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

/** Registers `infer` and `similar-docs`. */
export function registerDocs(program: Command): void {
  addOptions(
    program
      .command('infer')
      .description('infer vectors for new documents with a doc2vec model (one document a line of --file or stdin); --json prints one object a line: {"vector": […], "tokens", "unknown", "similar": [{"id", "similarity"}…]}')
      .argument('<model>', 'a doc2vec model file'),
    'infer',
  )
    .addHelpText('after', '\nExamples:\n  kotovec infer docs.db --text "the president spoke about the economy" --similar 3\n  kotovec infer docs.db --file new-docs.txt --json')
    .action(async (modelPath: string, parsed: InferFlags) => {
      const flags = checkedOptions<InferFlags>('infer', parsed);
      const k = flags.similar ?? 0;
      const model = loadDocModel(modelPath);
      for await (const text of documents(flags, true)) {
        const answer = await model.infer(text, { epochs: flags.epochs, alpha: flags.alpha, seed: flags.seed, subsampling: flags.subsampling }, k);
        const line = flags.json
          ? JSON.stringify(answer)
          : answer.vector.map((v) => v.toPrecision(6)).join(' ') + (answer.similar ? '\t' + answer.similar.map((s) => `${s.id}:${s.similarity.toFixed(4)}`).join(' ') : '');
        if (!(await writeOut(line + '\n'))) return;
      }
    });
  addOptions(
    program
      .command('similar-docs')
      .description('the trained documents nearest to a trained document (--id) or to a new one (--text, --file, inferred first); --json prints an array of {"id", "similarity"} (one a line for --file)')
      .argument('<model>', 'a doc2vec model file'),
    'similar-docs',
  )
    .addHelpText('after', '\nExamples:\n  kotovec similar-docs docs.db --id 12 -k 5\n  kotovec similar-docs docs.db --text "war and peace" --json')
    .action(async (modelPath: string, parsed: SimilarDocsFlags) => {
      const flags = checkedOptions<SimilarDocsFlags>('similar-docs', parsed);
      const k = flags.top;
      const given = [flags.id, flags.text, flags.file].filter((v) => v !== undefined).length;
      if (given !== 1) throw new OptionError('give exactly one of --id, --text or --file');
      const print = (result: { id: string; similarity: number }[]) =>
        writeOut(flags.json ? JSON.stringify(result) + '\n' : result.map((r) => `${r.id}\t${r.similarity.toFixed(4)}`).join('\n') + '\n');
      if (flags.id !== undefined) {
        // One trained document against the others: read from the file where it lies.
        const stored = new StoredModel(modelPath);
        try {
          await print(await stored.similarDocs(flags.id, k));
        } finally {
          stored.close();
        }
        return;
      }
      const model = loadDocModel(modelPath);
      for await (const text of documents(flags, false)) {
        const vector = await model.inferVector(text, { seed: flags.seed, subsampling: flags.subsampling });
        if (!(await print(model.similarDocs({ vector }, k)))) return;
      }
    });
}
