/** `kotovec similar` and `kotovec analogy`: nearest words by cosine. */
import type { Command } from 'commander';
import { OptionError } from '../../errors.js';
import { openModel, type QueryAnswer, type QueryTerm, type WordSimilarity } from '../../query/model.js';
import { parseNumber, say, topK, writeOut } from '../common.js';

interface QueryFlags {
  k?: number;
  json?: boolean;
  method?: string;
}

async function printNeighbours(query: QueryTerm[], results: WordSimilarity[], json: boolean | undefined): Promise<void> {
  if (json) {
    await writeOut(JSON.stringify({ query, results } satisfies QueryAnswer) + '\n');
    return;
  }
  // How a text was read goes to stderr, so stdout stays the answer.
  for (const term of query) {
    if (term.tokens.length !== 1 || term.tokens[0] !== term.text) {
      const unknown = term.unknown.length > 0 ? ` (not in the model: ${term.unknown.join(' ')})` : '';
      say(`kotovec: ${JSON.stringify(term.text)} read as ${term.tokens.join(' ')}${unknown}`);
    }
  }
  await writeOut(results.map((r) => `${r.word}\t${r.similarity.toFixed(4)}`).join('\n') + (results.length ? '\n' : ''));
}

/** Registers `similar` and `analogy`. */
export function registerQueries(program: Command): void {
  program
    .command('similar')
    .description('the words nearest to a word (or to the mean of several), by cosine similarity; text the model does not hold as one word is read with the model\'s tokenizer')
    .argument('<model>', 'a model file')
    .argument('<words...>', 'one or more words or phrases')
    .option('-k, --top <k>', 'how many neighbours', parseNumber, 10)
    .option('--json', 'print {"query": [{"text", "tokens", "unknown"}…], "results": [{"word", "similarity"}…]}, best first')
    .addHelpText('after', '\nExamples:\n  kotovec similar demo.db alice\n  kotovec similar demo.db king queen -k 5 --json')
    .action(async (modelPath: string, words: string[], flags: QueryFlags & { top?: number }) => {
      const k = topK(flags.top);
      const query = words.filter((w) => w.trim() !== '');
      if (query.length === 0) throw new OptionError('empty query: give at least one word');
      const model = openModel(modelPath);
      const terms = await model.resolve(query);
      await printNeighbours(terms, model.similar(terms, k), flags.json);
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
    .option('--json', 'print {"query": [{"text", "tokens", "unknown"}…], "results": [{"word", "similarity"}…]}, best first')
    .addHelpText('after', '\nExample:\n  kotovec analogy demo.db man king woman')
    .action(async (modelPath: string, a: string, b: string, c: string, flags: QueryFlags & { top?: number }) => {
      const k = topK(flags.top);
      if (flags.method !== 'cosadd' && flags.method !== 'cosmul') throw new OptionError(`--method must be cosadd or cosmul (got "${flags.method}")`);
      if ([a, b, c].some((w) => w.trim() === '')) throw new OptionError('empty query: give three words');
      const model = openModel(modelPath);
      const terms = await model.resolve([a, b, c]);
      await printNeighbours(terms, model.analogy(terms[0]!, terms[1]!, terms[2]!, k, flags.method), flags.json);
    });
}
