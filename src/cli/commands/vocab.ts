/** `kotovec vocab`: word and count per line, most frequent first. */
import type { Command } from 'commander';
import { scanCorpus } from '../../corpus/scan.js';
import { checkMaxVocab } from '../../options.js';
import { resolveInputs } from '../../text/lineReader.js';
import { createBatchTokenizer, tokenizerThreads } from '../../text/tokenizePool.js';
import { resolveTokenizerConfig } from '../../text/tokenizers.js';
import { availableParallelism } from 'node:os';
import { buildVocabulary } from '../../vocab/vocabulary.js';
import { say, tokenizerFromFlags, writeOut, type TokenizerFlags } from '../common.js';
import { addOptions, checkedOptions } from '../options.js';
import { createProgressReporter, type ProgressMode } from '../progress.js';

interface VocabFlags extends TokenizerFlags {
  minCount: number;
  maxVocab: number;
  json?: boolean;
  progress?: string;
}

/** Registers the command. */
export function registerVocab(program: Command): void {
  addOptions(
    program
      .command('vocab')
      .description('count the words of a corpus: "word count" per line, most frequent first (--json: an array of {"word", "count"})')
      .argument('[inputs...]', 'files, folders, .gz files or - for stdin', ['-']),
    'vocab',
  )
    .addHelpText('after', '\nExample:\n  kotovec vocab --min-count 5 corpora/en/ | head')
    .action(async (inputs: string[], parsed: VocabFlags) => {
      const flags = checkedOptions<VocabFlags>('vocab', parsed);
      checkMaxVocab(flags.maxVocab);
      const reporter = createProgressReporter(flags.progress as ProgressMode);
      const files = await resolveInputs(inputs);
      const tokenizer = await createBatchTokenizer(resolveTokenizerConfig(tokenizerFromFlags(flags)), tokenizerThreads(files, availableParallelism()));
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
