/** `kotovec similar` and `kotovec analogy`: nearest words by cosine. */
import type { Command } from 'commander';
import { OptionError } from '../../errors.js';
import { openModel, type WordSimilarity } from '../../query/model.js';
import { parseNumber, topK, writeOut } from '../common.js';

interface QueryFlags {
  k?: number;
  json?: boolean;
  method?: string;
}

async function printNeighbours(result: WordSimilarity[], json: boolean | undefined): Promise<void> {
  if (json) await writeOut(JSON.stringify(result) + '\n');
  else await writeOut(result.map((r) => `${r.word}\t${r.similarity.toFixed(4)}`).join('\n') + (result.length ? '\n' : ''));
}

/** Registers `similar` and `analogy`. */
export function registerQueries(program: Command): void {
  program
    .command('similar')
    .description('the words nearest to a word (or to the mean of several), by cosine similarity')
    .argument('<model>', 'a model file')
    .argument('<words...>', 'one or more words')
    .option('-k, --top <k>', 'how many neighbours', parseNumber, 10)
    .option('--json', 'print a JSON array of {"word", "similarity"}, best first')
    .addHelpText('after', '\nExamples:\n  kotovec similar demo.db alice\n  kotovec similar demo.db king queen -k 5 --json')
    .action(async (modelPath: string, words: string[], flags: QueryFlags & { top?: number }) => {
      const k = topK(flags.top);
      const query = words.filter((w) => w.trim() !== '');
      if (query.length === 0) throw new OptionError('empty query: give at least one word');
      const model = openModel(modelPath);
      await printNeighbours(model.similar(query, k), flags.json);
    });
  program
    .command('analogy')
    .description('A is to B as C is to ?: the words nearest to B − A + C (3CosAdd), or 3CosMul')
    .argument('<model>', 'a model file')
    .argument('<a>')
    .argument('<b>')
    .argument('<c>')
    .option('-k, --top <k>', 'how many answers', parseNumber, 10)
    .option('--method <m>', 'cosadd (3CosAdd) or cosmul (3CosMul)', 'cosadd')
    .option('--json', 'print a JSON array of {"word", "similarity"}, best first')
    .addHelpText('after', '\nExample:\n  kotovec analogy demo.db man king woman')
    .action(async (modelPath: string, a: string, b: string, c: string, flags: QueryFlags & { top?: number }) => {
      const k = topK(flags.top);
      if (flags.method !== 'cosadd' && flags.method !== 'cosmul') throw new OptionError(`--method must be cosadd or cosmul (got "${flags.method}")`);
      if ([a, b, c].some((w) => w.trim() === '')) throw new OptionError('empty query: give three words');
      const model = openModel(modelPath);
      await printNeighbours(model.analogy(a, b, c, k, flags.method), flags.json);
    });
}
