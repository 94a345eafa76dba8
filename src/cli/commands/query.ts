/** `kotovec similar` and `kotovec analogy`: nearest words by cosine. */
import type { Command } from 'commander';
import { OptionError } from '../../errors.js';
import type { AnalogyMethod, QueryAnswer } from '../../query/model.js';
import { StoredModel } from '../../query/storedModel.js';
import { say, writeOut } from '../common.js';
import { addOptions, checkedOptions } from '../options.js';

const JSON_ANSWER = '--json prints {"query": [{"text", "tokens", "unknown", "composed"}…], "results": [{"word", "similarity"}…]}, best first ("composed": the words a subword model made from their n-grams).';

interface QueryFlags {
  top: number;
  json?: boolean;
  method?: AnalogyMethod;
}

async function printNeighbours({ query, results }: QueryAnswer, json: boolean | undefined): Promise<void> {
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
    if (term.composed) say(`kotovec: not in the vocabulary, composed from n-grams: ${term.composed.join(' ')}`);
  }
  await writeOut(results.map((r) => `${r.word}\t${r.similarity.toFixed(4)}`).join('\n') + (results.length ? '\n' : ''));
}

/** Vocabulary size from which a model without a scan index gets a hint to upgrade it. */
const UPGRADE_HINT_WORDS = 100_000;

/** Answers one query from the model file, read where it lies (query/storedModel.ts). */
async function ask<T>(path: string, query: (model: StoredModel) => Promise<T>): Promise<T> {
  const model = new StoredModel(path);
  if (!model.indexed && model.vocabularySize >= UPGRADE_HINT_WORDS) {
    say(`kotovec: ${path} has no scan index (an earlier layout), so the whole model is loaded for this query; \`kotovec upgrade ${path}\` makes queries read only what they need`);
  }
  try {
    return await query(model);
  } finally {
    model.close();
  }
}

/** Registers `similar` and `analogy`. */
export function registerQueries(program: Command): void {
  addOptions(
    program
      .command('similar')
      .description(`the words nearest to a word (or to the mean of several), by cosine similarity; text the model does not hold as one word is read with the model's tokenizer. ${JSON_ANSWER}`)
      .argument('<model>', 'a model file')
      .argument('<words...>', 'one or more words or phrases'),
    'similar',
  )
    .addHelpText('after', '\nExamples:\n  kotovec similar demo.db alice\n  kotovec similar demo.db king queen -k 5 --json')
    .action(async (modelPath: string, words: string[], parsed: QueryFlags) => {
      const flags = checkedOptions<QueryFlags>('similar', parsed);
      const k = flags.top;
      const query = words.filter((w) => w.trim() !== '');
      if (query.length === 0) throw new OptionError('empty query: give at least one word');
      await printNeighbours(await ask(modelPath, (model) => model.similarTo(query, k)), flags.json);
    });
  addOptions(
    program
      .command('analogy')
      .description(`A is to B as C is to ?: the words nearest to B − A + C (3CosAdd), or 3CosMul. ${JSON_ANSWER}`)
      .argument('<model>', 'a model file')
      .argument('<a>')
      .argument('<b>')
      .argument('<c>'),
    'analogy',
  )
    .addHelpText('after', '\nExample:\n  kotovec analogy demo.db man king woman')
    .action(async (modelPath: string, a: string, b: string, c: string, parsed: QueryFlags) => {
      const flags = checkedOptions<QueryFlags>('analogy', parsed);
      const k = flags.top;
      if ([a, b, c].some((w) => w.trim() === '')) throw new OptionError('empty query: give three words');
      await printNeighbours(await ask(modelPath, (model) => model.analogyOf(a, b, c, k, flags.method)), flags.json);
    });
}
