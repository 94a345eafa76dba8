/** `kotovec phrases`: the text with collocations joined into one token, one output line per input line. */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { runPhraseJob } from '../../corpus/phraseJob.js';
import { ErrorCodes, KotovecError } from '../../errors.js';
import { checkOutputPath, trackTemporary, writeOutputFile, writeOutputFileAsync } from '../../store/writer.js';
import { resolveInputs } from '../../text/lineReader.js';
import { phraseTableToJson, phraseTableToText, readPhraseTable } from '../../text/phraseTable.js';
import { checkPhraseSettings, ENGLISH_CONNECTOR_WORDS, type PhraseScoring, type PhraseSettings } from '../../text/phrases.js';
import { resolveTokenizerConfig } from '../../text/tokenizers.js';
import { say, tokenizerFromFlags, writeOut, type TokenizerFlags } from '../common.js';
import { addOptions, checkedOptions } from '../options.js';
import { createProgressReporter, type ProgressMode } from '../progress.js';

interface PhraseFlags extends TokenizerFlags {
  output?: string;
  force?: boolean;
  minCount: number;
  threshold: number;
  scoring: PhraseScoring;
  connectors?: string;
  passes: number;
  delimiter: string;
  maxVocab: number;
  saveTable?: string;
  table?: string;
  json?: boolean;
  threads?: number;
  progress: ProgressMode;
}

/** The connector words a flag names: english, none, or a file of words (one a line). */
function connectorWords(flag: string | undefined, tokenizer: string): readonly string[] {
  const name = flag ?? (tokenizer === 'ja' ? 'none' : 'english');
  if (name === 'english') return ENGLISH_CONNECTOR_WORDS;
  if (name === 'none') return [];
  let text: string;
  try {
    text = readFileSync(name, 'utf8');
  } catch (error) {
    throw new KotovecError(ErrorCodes.INPUT_NOT_FOUND, `cannot read the connector words ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}

/** Registers the command. */
export function registerPhrases(program: Command): void {
  addOptions(
    program
      .command('phrases')
      .description("join collocations into one token (new york → new_york), as gensim's Phrases and word2vec's word2phrase: the text, one output line per input line")
      .argument('[inputs...]', 'files, folders, .gz files or - for stdin', ['-']),
    'phrases',
  )
    .addHelpText(
      'after',
      '\nExamples:\n  kotovec phrases corpora/en -o joined.txt --save-table phrases.tsv\n  kotovec phrases corpora/en --json | head\n  kotovec phrases more.txt --table phrases.tsv',
    )
    .action(async (inputs: string[], parsed: PhraseFlags) => {
      const flags = checkedOptions<PhraseFlags>('phrases', parsed);
      const tokenizerConfig = resolveTokenizerConfig(tokenizerFromFlags(flags));
      const saved = flags.table !== undefined ? readPhraseTable(flags.table) : undefined;
      const settings: PhraseSettings = saved?.settings ?? checkPhraseSettings({
        minCount: flags.minCount,
        threshold: flags.threshold,
        scoring: flags.scoring,
        connectors: connectorWords(flags.connectors, tokenizerConfig.kind),
        delimiter: flags.delimiter,
        passes: flags.passes,
        maxVocab: flags.maxVocab,
      });
      for (const path of [flags.output, flags.saveTable]) if (path !== undefined) checkOutputPath(path, flags.force);
      const files = await resolveInputs(inputs);
      const started = performance.now();
      const reporter = createProgressReporter(flags.progress);
      let linesRead = 0;
      const job = await runPhraseJob(files, tokenizerConfig, settings, {
        threads: flags.threads ?? availableParallelism(),
        table: saved,
        joinAhead: !flags.json,
        onTemporary: trackTemporary,
        onProgress: (p) => {
          if (p.phase === 'read') {
            linesRead = p.lines;
            reporter.scan({ bytesRead: p.bytesRead ?? 0, totalBytes: p.totalBytes ?? 0, lines: p.lines, tokens: p.tokens ?? 0 });
          } else reporter.rows(`learning pass ${p.pass}`, p.lines, linesRead);
        },
      }).catch((error: unknown) => {
        reporter.stop();
        throw error;
      });
      const totalLines = job.stats.lines;
      try {
        const table = job.table;
        const phrases = table.passes.reduce((n, pass) => n + pass.phrases.length, 0);
        if (flags.saveTable !== undefined) {
          const text = flags.saveTable.endsWith('.json') ? JSON.stringify(phraseTableToJson(table), null, 1) + '\n' : phraseTableToText(table);
          writeOutputFile(flags.saveTable, (temporary) => writeFileSync(temporary, text));
        }
        if (flags.json) {
          await writeOut(JSON.stringify(phraseTableToJson(table)) + '\n');
        } else if (flags.output !== undefined) {
          await writeOutputFileAsync(flags.output, async (temporary) => {
            const fd = openSync(temporary, 'w');
            try {
              let done = 0;
              for await (const chunk of job.joinedText()) {
                writeSync(fd, chunk.text);
                done += chunk.lines;
                reporter.rows('joining', done, totalLines);
                // A signal is handled between two chunks: a stopped run leaves no output.
                await new Promise(setImmediate);
              }
            } finally {
              closeSync(fd);
            }
          });
        } else {
          for await (const chunk of job.joinedText()) if (!(await writeOut(chunk.text))) return;
        }
        reporter.stop();
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        const learnt = saved ? `joined the ${phrases} phrases of ${flags.table}` : `learnt ${phrases} phrases (${settings.passes} pass${settings.passes === 1 ? '' : 'es'}) from ${job.stats.words} words`;
        say(`kotovec: ${learnt} in ${job.stats.lines} lines, ${seconds} s${flags.output ? ` → ${flags.output}` : ''}`);
        if (job.readStats.invalidUtf8 > 0) say(`kotovec: note: ${job.readStats.invalidUtf8} invalid UTF-8 sequences were replaced by U+FFFD`);
      } finally {
        job.close();
      }
    });
}
