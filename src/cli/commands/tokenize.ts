/** `kotovec tokenize`: one line of space-separated tokens per input line, on stdout. */
import type { Command } from 'commander';
import { DEFAULT_MAX_LINE_CHARS, newReadStats, readLineBatches, resolveInputs } from '../../text/lineReader.js';
import { availableParallelism } from 'node:os';
import { createBatchTokenizer } from '../../text/tokenizePool.js';
import { resolveTokenizerConfig } from '../../text/tokenizers.js';
import { say, tokenizerFromFlags, writeOut, type TokenizerFlags } from '../common.js';
import { addOptions, checkedOptions } from '../options.js';

/** Registers the command. */
export function registerTokenize(program: Command): void {
  addOptions(
    program
      .command('tokenize')
      .description('print the tokens of each input line, space-separated, one output line per input line')
      .argument('[inputs...]', 'files, folders, .gz files or - for stdin', ['-']),
    'tokenize',
  )
    .addHelpText('after', '\nExamples:\n  kotovec tokenize corpora/en/alice.txt | head\n  kotovec tokenize --tokenizer ja --pos 名詞,動詞 corpora/ja/')
    .action(async (inputs: string[], parsed: TokenizerFlags & { threads?: number }) => {
      const flags = checkedOptions<TokenizerFlags & { threads?: number }>('tokenize', parsed);
      const threads = flags.threads ?? availableParallelism();
      const files = await resolveInputs(inputs);
      const tokenizer = await createBatchTokenizer(resolveTokenizerConfig(tokenizerFromFlags(flags)), threads);
      const stats = newReadStats();
      const queue: Promise<string[][]>[] = [];
      const drain = async () => {
        const lists = await queue.shift()!;
        return writeOut(lists.map((tokens) => tokens.join(' ')).join('\n') + (lists.length ? '\n' : ''));
      };
      try {
        for await (const batch of readLineBatches(files, {}, stats)) {
          queue.push(tokenizer.tokenize(batch));
          queue.at(-1)!.catch(() => {});
          while (queue.length >= tokenizer.depth) if (!(await drain())) return;
        }
        while (queue.length > 0) if (!(await drain())) return;
      } finally {
        await tokenizer.close();
      }
      if (stats.invalidUtf8 > 0) say(`kotovec: note: ${stats.invalidUtf8} invalid UTF-8 sequences were replaced by U+FFFD`);
      if (stats.splitLines > 0) say(`kotovec: note: ${stats.splitLines} line${stats.splitLines === 1 ? " was" : "s were"} longer than ${DEFAULT_MAX_LINE_CHARS.toLocaleString("en")} characters and split into pieces`);
    });
}
