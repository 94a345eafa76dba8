/** `kotovec export`: word (or document) vectors in the word2vec binary or text format. */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { ErrorCodes, KotovecError } from '../../errors.js';
import { writeProjector } from '../../formats/projector.js';
import { rowsSource, writeWord2Vec, type VectorSource } from '../../formats/word2vec.js';
import { openWordRows, readModel } from '../../store/reader.js';
import { exportFastText } from '../../store/fastText.js';
import { checkOutputPath, removeTemporary, temporaryPathBeside, trackTemporary } from '../../store/writer.js';
import { say } from '../common.js';
import { addOptions, checkedOptions } from '../options.js';

interface ExportFlags {
  output: string;
  format: string;
  docs?: boolean;
  limit: number;
  force?: boolean;
}

/** Registers the command. */
export function registerExport(program: Command): void {
  addOptions(
    program
      .command('export')
      .description("write word vectors (or document vectors) in the word2vec binary or text format, for the TensorFlow Embedding Projector, or a subword model as fastText's .bin")
      .argument('<model>', 'a model file'),
    'export',
  )
    .addHelpText('after', '\nExamples:\n  kotovec export demo.db -o demo.bin --format word2vec-bin\n  kotovec export demo.db -o demo-projector --format projector --limit 5000')
    .action((modelPath: string, parsed: ExportFlags) => {
      const flags = checkedOptions<ExportFlags>('export', parsed);
      if (flags.format === 'fasttext-bin') {
        if (flags.docs || flags.limit > 0) throw new KotovecError(ErrorCodes.UNSUPPORTED, 'a fastText .bin holds the whole model: --docs and --limit do not apply');
        const model = readModel(modelPath, { outputs: true, subwords: true });
        exportFastText(model, flags.output, flags.force);
        say(`kotovec: wrote a fastText model: ${model.words.length} words and ${model.subwords!.bucket} n-gram buckets of dimension ${model.dim} → ${flags.output}`);
        return;
      }
      const projector = flags.format === 'projector';
      if (!projector) checkOutputPath(flags.output, flags.force);
      else checkOutputFolder(flags.output, flags.force);
      // Word vectors to a word2vec file stream from the model a range at a time; the rest loads it.
      const streamed = !projector && !flags.docs ? openWordRows(modelPath) : null;
      let rows: VectorSource;
      let written: number | undefined;
      let skipped: string[] = [];
      if (streamed) {
        rows = streamed;
      } else {
        const model = readModel(modelPath, { docs: flags.docs });
        if (flags.docs && !model.docVectors) throw new KotovecError(ErrorCodes.UNSUPPORTED, `model has no document vectors: ${modelPath}`);
        rows = rowsSource(flags.docs ? { keys: model.docIds, vectors: model.docVectors!, dim: model.docDim } : { keys: model.words, vectors: model.wordVectors, dim: model.dim });
      }
      const temporary = temporaryPathBeside(flags.output);
      trackTemporary(temporary);
      try {
        if (projector) {
          mkdirSync(temporary);
          writeProjector(temporary, { keys: rows.keys(0, rows.count), vectors: rows.vectors(0, rows.count), dim: rows.dim }, flags.limit);
          rmSync(flags.output, { recursive: true, force: true });
        } else {
          ({ written, skipped } = writeWord2Vec(temporary, rows, flags.format === 'word2vec-bin', flags.limit));
        }
        renameSync(temporary, flags.output);
      } finally {
        streamed?.close();
        removeTemporary(temporary);
      }
      const count = written ?? (flags.limit > 0 ? Math.min(flags.limit, rows.count) : rows.count);
      if (skipped.length > 0) {
        const named = skipped.slice(0, 10).map((key) => JSON.stringify(key)).join(', ') + (skipped.length > 10 ? ', …' : '');
        say(`kotovec: left out ${skipped.length} key${skipped.length === 1 ? '' : 's'} the word2vec formats cannot hold (empty or with whitespace): ${named}`);
      }
      say(`kotovec: wrote ${count} vectors of dimension ${rows.dim} → ${flags.output}`);
    });
}

/** The projector writes a folder: refuse an existing one without --force, and a missing parent. */
function checkOutputFolder(path: string, force: boolean | undefined): void {
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new KotovecError(ErrorCodes.OUTPUT_EXISTS, `output exists and is not a folder: ${path}`);
    if (!force) throw new KotovecError(ErrorCodes.OUTPUT_EXISTS, `output exists: ${path} (use --force to replace it)`);
  }
  if (!existsSync(dirname(path))) throw new KotovecError(ErrorCodes.OUTPUT_UNWRITABLE, `output folder does not exist: ${dirname(path)}`);
}
