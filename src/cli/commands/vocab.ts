/** `kotovec vocab`: word and count per line, most frequent first. */
import type { Command } from 'commander';
import { scanCorpus } from '../../corpus/scan.js';
import { OptionError } from '../../errors.js';
import { resolveInputs } from '../../text/lineReader.js';
import { createBatchTokenizer } from '../../text/tokenizePool.js';
import { resolveTokenizerConfig } from '../../text/tokenizers.js';
import { availableParallelism } from 'node:os';
import { buildVocabulary } from '../../vocab/vocabulary.js';
import { addProgressOption, addTokenizerOptions, parseNumber, progressMode, say, tokenizerFromFlags, writeOut, type TokenizerFlags } from '../common.js';
import { createProgressReporter } from '../progress.js';

interface VocabFlags extends TokenizerFlags {
  minCount: number;
  maxVocab: number;
  json?: boolean;
  progress?: string;
}

/** Registers the command. */
export function registerVocab(program: Command): void {
  addProgressOption(
    addTokenizerOptions(
      program
        .command('vocab')
        .description('count the words of a corpus: "word count" per line, most frequent first')
        .argument('[inputs...]', 'files, folders, .gz files or - for stdin', ['-'])
        .option('--min-count <n>', 'keep words seen at least n times', parseNumber, 1)
        .option('--max-vocab <n>', 'prune the rarest words while counting beyond n distinct words (0: no limit)', parseNumber, 0)
        .option('--json', 'print a JSON array of {"word", "count"}'),
    ),
  )
    .addHelpText('after', '\nExample:\n  kotovec vocab --min-count 5 corpora/en/ | head')
    .action(async (inputs: string[], flags: VocabFlags) => {
      if (!Number.isInteger(flags.minCount) || flags.minCount < 1) throw new OptionError(`--min-count must be a positive integer (got ${flags.minCount})`);
      if (!Number.isInteger(flags.maxVocab) || flags.maxVocab < 0 || flags.maxVocab === 1) throw new OptionError(`--max-vocab must be 0 or an integer of at least 2 (got ${flags.maxVocab})`);
      const reporter = createProgressReporter(progressMode(flags.progress));
      const files = await resolveInputs(inputs);
      const tokenizer = await createBatchTokenizer(resolveTokenizerConfig(tokenizerFromFlags(flags)), availableParallelism());
      const scan = await scanCorpus(files, { tokenizer, maxVocab: flags.maxVocab, onProgress: (p) => reporter.scan(p) }).finally(() => tokenizer.close());
      reporter.stop();
      const { vocabulary } = buildVocabulary(scan.counter, flags.minCount);
      if (flags.json) {
        await writeOut(JSON.stringify(vocabulary.words.map((word, i) => ({ word, count: vocabulary.counts[i] }))) + '\n');
      } else {
        const lines: string[] = [];
        for (let i = 0; i < vocabulary.size; i++) {
          lines.push(`${vocabulary.words[i]} ${vocabulary.counts[i]}`);
          if (lines.length === 4096 || i === vocabulary.size - 1) {
            if (!(await writeOut(lines.join('\n') + '\n'))) return;
            lines.length = 0;
          }
        }
      }
      say(`kotovec: ${scan.counter.totalTokens} tokens, ${vocabulary.size} words (min-count ${flags.minCount})`);
    });
}
