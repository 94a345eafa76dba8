/** `kotovec import`, `kotovec evaluate` and `kotovec info`. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { OptionError } from '../../errors.js';
import type { Word2VecFormat } from '../../formats/word2vecReader.js';
import { evaluateAnalogies, evaluatePairs } from '../../query/evaluate.js';
import { openModel } from '../../query/model.js';
import { importWord2Vec } from '../../store/importer.js';
import { importFastText } from '../../store/fastText.js';
import { isFastTextBin } from '../../formats/fasttext.js';
import { describeModel } from '../../store/info.js';
import type { Precision } from '../../store/precision.js';
import { upgradeModel } from '../../store/upgrade.js';
import { createProgressReporter, type ProgressMode } from '../progress.js';
import { say, writeOut } from '../common.js';
import { addOptions, checkedOptions } from '../options.js';

interface ImportFlags {
  output: string;
  format?: string;
  force?: boolean;
  precision: Precision;
  progress: ProgressMode;
}

interface UpgradeFlags {
  output?: string;
  force?: boolean;
  precision?: Precision;
}

interface EvaluateFlags {
  analogies?: string;
  pairs?: string;
  restrictVocab: number;
  tokenize: boolean;
  json?: boolean;
}

/** Registers the commands. */
export function registerInterchange(program: Command): void {
  addOptions(
    program
      .command('import')
      .description("import word vectors in the word2vec binary or text format (gensim, word2vec C, fastText .vec; .gz too), or a fastText .bin model (its n-grams too: every word has a vector), as a model")
      .argument('<file>', 'the vectors file'),
    'import',
  )
    .addHelpText('after', '\nExamples:\n  kotovec import GoogleNews-vectors-negative300.bin.gz -o news.db\n  kotovec import cc.ja.300.bin -o cc-ja.db --precision f16')
    .action(async (file: string, parsed: ImportFlags) => {
      const flags = checkedOptions<ImportFlags>('import', parsed);
      if (flags.format === 'fasttext-bin' || (flags.format === undefined && existsSync(file) && isFastTextBin(file))) {
        const result = await importFastText(file, flags.output, { force: flags.force, precision: flags.precision });
        say(`kotovec: imported a fastText model: ${result.count} words and ${result.buckets} n-gram buckets of dimension ${result.dim}, stored as ${result.precision}, in ${result.seconds.toFixed(1)} s → ${flags.output}`);
        return;
      }
      const progress = createProgressReporter(flags.progress);
      let result;
      try {
        result = await importWord2Vec(file, flags.output, {
          format: flags.format as Word2VecFormat | undefined,
          force: flags.force,
          precision: flags.precision,
          onProgress: (p) => progress.rows('import', p.rows, p.totalRows),
        });
      } finally {
        progress.stop();
      }
      say(`kotovec: imported ${result.count} vectors of dimension ${result.dim} (${result.format}), stored as ${result.precision}, in ${result.seconds.toFixed(1)} s → ${flags.output}`);
    });
  addOptions(
    program
      .command('upgrade')
      .description('rewrite a model written by an earlier kotovec in the current layout (with the scan index that lets one-off queries on big models read only what they need), or at another --precision; the file is replaced only when the new one is complete')
      .argument('<model>', 'a model file'),
    'upgrade',
  )
    .addHelpText('after', '\nExamples:\n  kotovec upgrade news.db\n  kotovec upgrade news.db --precision f16 -o news-f16.db')
    .action(async (modelPath: string, parsed: UpgradeFlags) => {
      const flags = checkedOptions<UpgradeFlags>('upgrade', parsed);
      const result = upgradeModel(modelPath, { output: flags.output, precision: flags.precision, force: flags.force });
      say(`kotovec: ${result.output} written (schema ${result.fromVersion} → ${result.toVersion}, ${result.precision}, ${result.words} words, ${result.docs} documents)`);
    });
  addOptions(
    program
      .command('evaluate')
      .description('score word vectors on analogies (questions-words.txt format) and/or word-pair similarities, as gensim does; --json prints {"analogy": {…}, "pairs": {…}}')
      .argument('<model>', 'a model file'),
    'evaluate',
  )
    .addHelpText('after', '\nExample:\n  kotovec evaluate en.db --analogies questions-words.txt --pairs wordsim353.tsv')
    .action(async (modelPath: string, parsed: EvaluateFlags) => {
      const flags = checkedOptions<EvaluateFlags>('evaluate', parsed);
      if (!flags.analogies && !flags.pairs) throw new OptionError('give --analogies FILE and/or --pairs FILE');
      const model = openModel(modelPath);
      // A word read as the model reads text (case, normalisation) before its n-grams are looked up.
      const reader = model.subwords ? await model.tokenizer() : undefined;
      const compose = reader ? (word: string) => {
        const tokens = reader.tokenize(word);
        return model.subwords!.vector(tokens.length === 1 ? tokens[0]! : word);
      } : undefined;
      const analogy = flags.analogies ? evaluateAnalogies(model.words, flags.analogies, flags.restrictVocab, compose) : undefined;
      const tokenizer = flags.pairs && flags.tokenize ? await model.tokenizer() : undefined;
      const pairs = flags.pairs ? evaluatePairs(model.words, flags.pairs, flags.restrictVocab, tokenizer && ((text) => tokenizer.tokenize(text)), compose) : undefined;
      if (flags.json) {
        await writeOut(JSON.stringify({ ...(analogy ? { analogy } : {}), ...(pairs ? { pairs } : {}) }) + '\n');
        return;
      }
      const lines: string[] = [];
      if (analogy) {
        for (const s of analogy.sections) lines.push(`${s.section}\t${s.correct}/${s.total}\t${s.accuracy.toFixed(4)}`);
        lines.push(`analogy accuracy\t${analogy.correct}/${analogy.total}\t${analogy.accuracy.toFixed(4)}\t(${analogy.skipped} questions skipped: words outside the vocabulary)`);
        const all = analogy.all;
        if (all) lines.push(`analogy, every question\t${all.correct}/${all.total}\t${all.accuracy.toFixed(4)}\t(${all.composed} with a word outside the vocabulary, composed from its n-grams)`);
      }
      if (pairs) {
        const composed = pairs.composed > 0 ? `, ${pairs.composed} with a phrase read as the mean of its tokens` : '';
        const subwords = pairs.subwords ? `, ${pairs.subwords} with a word composed from its n-grams` : '';
        lines.push(`pairs spearman\t${pairs.spearman.toFixed(4)}\tpearson\t${pairs.pearson.toFixed(4)}\t(${pairs.pairs} pairs, coverage ${(100 * pairs.coverage).toFixed(1)}%${composed}${subwords}; ${pairs.oov} skipped: unknown words)`);
        const whole = pairs.inVocabulary;
        if (whole) lines.push(`pairs, in vocabulary\t${whole.spearman.toFixed(4)}\tpearson\t${whole.pearson.toFixed(4)}\t(${whole.pairs} pairs, coverage ${(100 * whole.coverage).toFixed(1)}%, as a whole-word model scores them)`);
      }
      await writeOut(lines.join('\n') + '\n');
    });
  addOptions(
    program
      .command('info')
      .description('what a model is: kind, settings, vocabulary, dimension, documents, corpus, training time, tokenizer')
      .argument('<model>', 'a model file'),
    'info',
  )
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
