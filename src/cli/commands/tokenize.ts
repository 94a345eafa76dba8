/** `kotovec tokenize`: one line of space-separated tokens per input line, on stdout. */
import type { Command } from 'commander';
import { DEFAULT_MAX_LINE_CHARS, newReadStats, readLineBatches, resolveInputs } from '../../text/lineReader.js';
import { availableParallelism } from 'node:os';
import { createBatchTokenizer, tokenizerThreads } from '../../text/tokenizePool.js';
import { resolveTokenizerConfig, type TokenizerConfig } from '../../text/tokenizers.js';
import { createNormalizer } from '../../text/normalize.js';
import { createJapaneseAnalysis } from '../../text/japanese.js';
import { OptionError } from '../../errors.js';
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
    .action(async (inputs: string[], parsed: TokenizerFlags & { threads?: number; features?: boolean }) => {
      const flags = checkedOptions<TokenizerFlags & { threads?: number; features?: boolean }>('tokenize', parsed);
      const config = resolveTokenizerConfig(tokenizerFromFlags(flags));
      if (flags.features && config.kind !== 'ja') throw new OptionError('--features is for --tokenizer ja');
      const files = await resolveInputs(inputs);
      const threads = flags.threads ?? tokenizerThreads(files, availableParallelism());
      const tokenizer = flags.features ? await describingTokenizer(config) : await createBatchTokenizer(config, threads);
      const stats = newReadStats();
      const queue: Promise<string | Uint8Array>[] = [];
      const separator = flags.features ? '\n' : ' ';
      const lineEnd = flags.features ? '\nEOS\n' : '\n';
      const asText = async (batch: string[]) =>
        (await tokenizer.tokenize(batch)).map((tokens) => (tokens.length === 0 && flags.features ? 'EOS\n' : tokens.join(separator) + lineEnd)).join('');
      // Tokens go straight into output bytes where the tokenizer can (Japanese analysis).
      const output = !flags.features && 'tokenizeToLines' in tokenizer && tokenizer.tokenizeToLines ? tokenizer.tokenizeToLines.bind(tokenizer) : asText;
      const drain = async () => writeOut(await queue.shift()!);
      try {
        for await (const batch of readLineBatches(files, {}, stats)) {
          queue.push(output(batch));
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

/** Tokens with their features (`--features`), on this thread: a line's tokens as `form<TAB>features` rows. */
async function describingTokenizer(config: TokenizerConfig) {
  const analysis = await createJapaneseAnalysis(config);
  const normalize = createNormalizer({ form: config.normalize, lowercase: config.lowercase });
  return {
    depth: 1,
    tokenize: async (texts: string[]) => texts.map((text) => analysis.describe(normalize(text))),
    close: async () => {},
  };
}
