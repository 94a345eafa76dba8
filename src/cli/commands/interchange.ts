/** `kotovec import`, `kotovec evaluate` and `kotovec info`. */
import type { Command } from 'commander';
import { OptionError } from '../../errors.js';
import type { Word2VecFormat } from '../../formats/word2vecReader.js';
import { evaluateAnalogies, evaluatePairs } from '../../query/evaluate.js';
import { openModel } from '../../query/model.js';
import { importWord2Vec } from '../../store/importer.js';
import { describeModel } from '../../store/info.js';
import { parseNumber, say, writeOut } from '../common.js';

/** Registers the commands. */
export function registerInterchange(program: Command): void {
  program
    .command('import')
    .description('import word vectors in the word2vec binary or text format (gensim, word2vec C, fastText .vec; .gz too) as a model')
    .argument('<file>', 'the vectors file')
    .requiredOption('-o, --output <model.db>', 'the model file to write')
    .option('--format <format>', 'word2vec-bin or word2vec-text (default: detected)')
    .option('-f, --force', 'replace the output file if it exists')
    .addHelpText('after', '\nExample:\n  kotovec import GoogleNews-vectors-negative300.bin.gz -o news.db')
    .action(async (file: string, flags: { output: string; format?: string; force?: boolean }) => {
      if (flags.format !== undefined && flags.format !== 'word2vec-bin' && flags.format !== 'word2vec-text') {
        throw new OptionError(`--format must be word2vec-bin or word2vec-text (got "${flags.format}")`);
      }
      const result = await importWord2Vec(file, flags.output, { format: flags.format as Word2VecFormat | undefined, force: flags.force });
      say(`kotovec: imported ${result.count} vectors of dimension ${result.dim} (${result.format}) in ${result.seconds.toFixed(1)} s → ${flags.output}`);
    });
  program
    .command('evaluate')
    .description('score word vectors on analogies (questions-words.txt format) and/or word-pair similarities, as gensim does')
    .argument('<model>', 'a model file')
    .option('--analogies <file>', 'analogy questions (": section" lines, then "a b c d")')
    .option('--pairs <file>', 'word pairs: word1<TAB>word2<TAB>score (# comments), or a CSV with word1, word2 and mean columns')
    .option('--restrict-vocab <n>', 'only the n most frequent words take part', parseNumber, 300000)
    .option('--no-tokenize', 'pairs: skip a word the model does not hold, instead of reading it with the model\'s tokenizer as a phrase (the mean of its tokens)')
    .option('--json', 'print {"analogy": {…}, "pairs": {…}}')
    .addHelpText('after', '\nExample:\n  kotovec evaluate en.db --analogies questions-words.txt --pairs wordsim353.tsv')
    .action(async (modelPath: string, flags: { analogies?: string; pairs?: string; restrictVocab: number; tokenize: boolean; json?: boolean }) => {
      if (!flags.analogies && !flags.pairs) throw new OptionError('give --analogies FILE and/or --pairs FILE');
      if (!Number.isInteger(flags.restrictVocab) || flags.restrictVocab < 1) throw new OptionError(`--restrict-vocab must be a positive integer (got ${flags.restrictVocab})`);
      const model = openModel(modelPath);
      const analogy = flags.analogies ? evaluateAnalogies(model.words, flags.analogies, flags.restrictVocab) : undefined;
      const tokenizer = flags.pairs && flags.tokenize ? await model.tokenizer() : undefined;
      const pairs = flags.pairs ? evaluatePairs(model.words, flags.pairs, flags.restrictVocab, tokenizer && ((text) => tokenizer.tokenize(text))) : undefined;
      if (flags.json) {
        await writeOut(JSON.stringify({ ...(analogy ? { analogy } : {}), ...(pairs ? { pairs } : {}) }) + '\n');
        return;
      }
      const lines: string[] = [];
      if (analogy) {
        for (const s of analogy.sections) lines.push(`${s.section}\t${s.correct}/${s.total}\t${s.accuracy.toFixed(4)}`);
        lines.push(`analogy accuracy\t${analogy.correct}/${analogy.total}\t${analogy.accuracy.toFixed(4)}\t(${analogy.skipped} questions skipped: words outside the vocabulary)`);
      }
      if (pairs) {
        const composed = pairs.composed > 0 ? `, ${pairs.composed} with a phrase read as the mean of its tokens` : '';
        lines.push(`pairs spearman\t${pairs.spearman.toFixed(4)}\tpearson\t${pairs.pearson.toFixed(4)}\t(${pairs.pairs} pairs, coverage ${(100 * pairs.coverage).toFixed(1)}%${composed}; ${pairs.oov} skipped: unknown words)`);
      }
      await writeOut(lines.join('\n') + '\n');
    });
  program
    .command('info')
    .description('what a model is: kind, settings, vocabulary, dimension, documents, corpus, training time, tokenizer')
    .argument('<model>', 'a model file')
    .option('--json', 'print the description as JSON')
    .addHelpText('after', '\nExample:\n  kotovec info demo.db')
    .action(async (modelPath: string, flags: { json?: boolean }) => {
      const info = describeModel(modelPath);
      if (flags.json) {
        await writeOut(JSON.stringify(info) + '\n');
        return;
      }
      const lines = Object.entries(info).map(([key, value]) => `${key}\t${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`);
      await writeOut(lines.join('\n') + '\n');
    });
}
