/** `kotovec vectors`: the vector of each word given, `word v1 … vd` a line, as fastText's `print-word-vectors`. */
import type { Command } from 'commander';
import { formatFloat } from '../../formats/word2vec.js';
import { StoredModel } from '../../query/storedModel.js';
import { newReadStats, readLineBatches, resolveInputs } from '../../text/lineReader.js';
import { say, writeOut } from '../common.js';
import { addOptions, checkedOptions } from '../options.js';

/** Words answered at a time (stdin is read in batches of lines). */
const BATCH = 512;

/** Registers the command. */
export function registerVectors(program: Command): void {
  addOptions(
    program
      .command('vectors')
      .description(
        'print the vector of each word given (or of each line of stdin), "word v1 … vd" a line, as fastText\'s print-word-vectors: ' +
          'a subword model composes a word it does not hold from its n-grams; a word with no vector prints as zeros. ' +
          '--json prints {"word", "vector", "composed"} a line',
      )
      .argument('<model>', 'a model file')
      .argument('[words...]', 'words (none: one a line on stdin)'),
    'vectors',
  )
    .addHelpText('after', '\nExamples:\n  kotovec vectors ft.db martians martianz\n  kotovec vectors ft.db < words.txt')
    .action(async (modelPath: string, words: string[], parsed: { json?: boolean }) => {
      const flags = checkedOptions<{ json?: boolean }>('vectors', parsed);
      const model = new StoredModel(modelPath);
      let missing = 0;
      const print = async (batch: string[]): Promise<boolean> => {
        const answers = model.vectors(batch);
        const zeros = new Float32Array(model.dim);
        const lines = batch.map((word, i) => {
          const { vector, composed } = answers[i]!;
          if (!vector) missing++;
          if (flags.json) return JSON.stringify({ word, vector: vector ? Array.from(vector, (v) => Number(formatFloat(v))) : null, composed });
          return `${word} ${Array.from(vector ?? zeros, formatFloat).join(' ')}`;
        });
        return writeOut(lines.join('\n') + (lines.length ? '\n' : ''));
      };
      try {
        if (words.length > 0) {
          const given = words.filter((word) => word.trim() !== '');
          for (let at = 0; at < given.length; at += BATCH) if (!(await print(given.slice(at, at + BATCH)))) return;
        } else {
          for await (const lines of readLineBatches(await resolveInputs(['-']), {}, newReadStats())) {
            const batch = lines.map((line) => line.trim()).filter((line) => line !== '');
            if (!(await print(batch))) return;
          }
        }
      } finally {
        model.close();
      }
      if (missing > 0) say(`kotovec: note: ${missing} word${missing === 1 ? ' has' : 's have'} no vector in this model (not in its vocabulary${model.hasSubwords ? ' and no n-grams' : ''}): printed as zeros`);
    });
}
