/** `kotovec train`: learn word (and document) vectors from text into one SQLite model file. */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ErrorCodes, KotovecError, OptionError } from '../../errors.js';
import type { TextOrder, TrainOptions } from '../../options.js';
import { checkOutputPath, writeModelInterruptibly } from '../../store/writer.js';
import type { Precision } from '../../store/precision.js';
import { handleInterruptionInCommand, say, tokenizerFromFlags, type TokenizerFlags } from '../common.js';
import { addOptions, checkedOptions } from '../options.js';
import { createProgressReporter, type ProgressMode } from '../progress.js';

interface TrainFlags extends TokenizerFlags {
  output?: string;
  force?: boolean;
  model?: string;
  loss?: string;
  dim?: number;
  window?: number;
  negative?: number;
  minCount?: number;
  maxVocab?: number;
  sample?: number;
  epochs?: number;
  alpha?: number;
  minAlpha?: number;
  nsExponent?: number;
  cbowMean?: boolean;
  order?: TextOrder;
  threads?: number;
  seed?: number;
  docs?: string;
  dbowWords?: boolean;
  cache?: string;
  kernel?: string;
  progress?: string;
  from?: string;
  freezeWords?: boolean;
  anchor?: number;
  precision?: Precision;
  subwords?: boolean;
  phrases?: boolean | string;
  minn?: number;
  maxn?: number;
  bucket?: number;
}

/** Subwords as the flags ask for them: `--subwords`, or any of `--minn`, `--maxn`, `--bucket`. */
function subwordsFromFlags(flags: TrainFlags): TrainOptions['subwords'] {
  const settings = { minn: flags.minn, maxn: flags.maxn, bucket: flags.bucket };
  const given = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  return Object.keys(given).length > 0 ? given : flags.subwords ? true : undefined;
}

/** Maps the command's flags to library options (exported for tests of the parsing). */
export function trainOptionsFromFlags(inputs: string[], flags: TrainFlags): TrainOptions {
  return {
    inputs,
    model: flags.model as TrainOptions['model'],
    loss: flags.loss as TrainOptions['loss'],
    dim: flags.dim,
    window: flags.window,
    negative: flags.negative,
    minCount: flags.minCount,
    maxVocab: flags.maxVocab,
    sample: flags.sample,
    epochs: flags.epochs,
    alpha: flags.alpha,
    minAlpha: flags.minAlpha,
    nsExponent: flags.nsExponent,
    cbowMean: flags.cbowMean,
    order: flags.order,
    threads: flags.threads,
    seed: flags.seed,
    docs: flags.docs as TrainOptions['docs'],
    dbowWords: flags.dbowWords,
    cache: flags.cache,
    kernel: flags.kernel as TrainOptions['kernel'],
    subwords: subwordsFromFlags(flags),
    phrases: flags.phrases,
    tokenizer: tokenizerFromFlags(flags),
    from: flags.from,
    freezeWords: flags.freezeWords,
    // Filled in with its default for every run: a library option only when a model is continued.
    anchor: flags.from !== undefined ? flags.anchor : undefined,
  };
}

/**
 * With --from, only the flags given on the command line: the others come from the model continued, not
 * from the defaults.
 */
function givenFlags(command: Command, flags: TrainFlags): TrainFlags {
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flags)) if (command.getOptionValueSource(key) === 'cli') given[key] = value;
  return { ...given, threads: flags.threads, progress: flags.progress, output: flags.output, force: flags.force, from: flags.from } as TrainFlags;
}

/** True when two paths name the same file (the second may not exist yet). */
function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
}

/** Registers the command. */
export function registerTrain(program: Command): void {
  const command = program
    .command('train')
    .description('train word2vec (cbow, skipgram) or doc2vec (pv-dm, pv-dbow, pv-dm+dbow) vectors into a model file')
    .argument('<inputs...>', 'files, folders, .gz files or - for stdin');
  addOptions(command, 'train')
    .addHelpText('after', '\nExamples:\n  kotovec train corpora/en -o en.db\n  kotovec train --subwords --model skipgram corpora/en -o ft.db\n  kotovec train --model skipgram --epochs 10 --threads 2 corpus.txt.gz -o sg.db\n  kotovec train --tokenizer ja corpora/ja -o ja.db')
    .action(async (inputs: string[], parsed: TrainFlags, command: Command) => {
      const flags = checkedOptions<TrainFlags>('train', parsed);
      const output = flags.output!;
      if (output.trim() === '') throw new OptionError('--output must name a file');
      if (flags.from !== undefined && sameFile(flags.from, output) && !flags.force) {
        throw new KotovecError(ErrorCodes.OUTPUT_EXISTS, `-o is the model continued from (${output}): give --force to replace it (it is replaced only once the new model is complete)`);
      }
      if (flags.from === undefined && command.getOptionValueSource('anchor') === 'cli') throw new OptionError('--anchor needs --from: it holds the words of the model continued from');
      checkOutputPath(output, flags.force);
      const reporter = createProgressReporter(flags.progress as ProgressMode);
      const controller = new AbortController();
      let signalName = '';
      const onSignal = (name: NodeJS.Signals) => {
        signalName = name;
        controller.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      handleInterruptionInCommand(true);
      try {
        // Loaded here, not at start-up: every other command starts faster without the trainer.
        const { trainModel } = await import('../../train/trainer.js');
        // The architecture's default depends on the tokenizer and subwords (options.ts): only a given --model is passed on.
        const runFlags = flags.from !== undefined ? givenFlags(command, flags) : { ...flags, model: command.getOptionValueSource('model') === 'cli' ? flags.model : undefined };
        const model = await trainModel(trainOptionsFromFlags(inputs, runFlags), {
          signal: controller.signal,
          onProgress: (p) => (p.phase === 'scan' ? reporter.scan(p) : reporter.train(p)),
        });
        reporter.stop();
        if (controller.signal.aborted) throw new KotovecError(ErrorCodes.INTERRUPTED, `interrupted by ${signalName}`);
        await writeModelInterruptibly(output, model, { force: flags.force, signal: controller.signal, precision: flags.precision });
        const s = model.stats!;
        if (model.stats!.cacheReused) say('kotovec: reused the tokenized corpus from the cache');
        const step = model.lineage?.at(-1);
        if (step) {
          const added = step.wordsAfter - step.wordsBefore;
          say(`kotovec: continued ${step.from}: ${step.wordsBefore} words kept${step.frozenWords ? ' (fixed)' : step.anchor > 0 ? ` (held, --anchor ${step.anchor})` : ''}, ${added} new${step.documentsAdded ? `, ${step.documentsAdded} documents added` : ''}`);
        }
        say(
          `kotovec: trained ${model.hyper!.model}+${model.hyper!.loss} on ${s.trainedWords} words × ${model.hyper!.epochs} epoch${model.hyper!.epochs === 1 ? "" : "s"} in ` +
            `${s.trainSeconds.toFixed(1)} s (${Math.round(s.wordsPerSecond)} words/s, ${s.threads} thread${s.threads === 1 ? '' : 's'}); ` +
            `${model.words.length} words${model.docIds.length ? `, ${model.docIds.length} documents` : ''} → ${output}`,
        );
      } catch (error) {
        reporter.stop();
        if (controller.signal.aborted) throw new KotovecError(ErrorCodes.INTERRUPTED, `interrupted by ${signalName}; nothing was written`);
        throw error;
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        handleInterruptionInCommand(false);
      }
    });
}
