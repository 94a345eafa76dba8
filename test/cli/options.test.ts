/**
 * The option table is the only declaration of options: every command offers exactly the table's
 * options, shows the table's defaults in its help, and refuses every out-of-range value naming the
 * option — checked here by parsing, without running anything.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { checkedOptions } from '../../src/cli/options.js';
import { OPTIONS, optionDefault, type CommandName } from '../../src/optionTable.js';
import { DEFAULTS, resolveTrainOptions } from '../../src/options.js';

const COMMANDS: CommandName[] = ['tokenize', 'vocab', 'train', 'similar', 'analogy', 'export', 'import', 'evaluate', 'info', 'infer', 'similar-docs'];

const program = await buildProgram();

describe('option table', () => {

  it('every command offers exactly the options the table gives it', () => {
    for (const name of COMMANDS) {
      const command = program.commands.find((c) => c.name() === name)!;
      const offered = command.options.map((o) => o.long!.replace(/^--(no-)?/, '')).sort();
      const declared = OPTIONS.filter((o) => o.commands.includes(name)).flatMap((o) => (o.negatedHelp && !o.onlyNegated ? [o.flag, o.flag] : [o.flag])).sort();
      expect(offered, name).toEqual(declared);
    }
  });

  it('help shows each default the table gives', () => {
    for (const name of COMMANDS) {
      const help = program.commands.find((c) => c.name() === name)!.helpInformation().replace(/\s+/g, ' ');
      for (const spec of OPTIONS.filter((o) => o.commands.includes(name))) {
        const value = optionDefault(spec, name);
        if (value !== undefined && spec.type.kind !== 'switch') expect(help, `${name} --${spec.flag}`).toContain(`(default: ${value})`);
      }
    }
    expect(program.commands.find((c) => c.name() === 'vocab')!.helpInformation()).toContain('(default: 1)');
  });

  it('refuses a value outside each numeric option\'s range, naming the option, for every command that takes it', () => {
    for (const spec of OPTIONS) {
      if (spec.type.kind !== 'integer' && spec.type.kind !== 'number') continue;
      for (const name of spec.commands) {
        const key = spec.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
        const name_ = spec.short && spec.flag === 'top' ? `-${spec.short}` : `--${spec.flag}`;
        const open = spec.type.kind === 'number' && spec.type.openMin;
        for (const bad of [spec.type.min - 1, spec.type.max * 2 + 1, Number.NaN, ...(open ? [spec.type.min] : [])]) {
          expect(() => checkedOptions(name, { [key]: bad }), `${name} ${name_} ${bad}`).toThrow(new RegExp(`^${name_} must be`));
        }
        const smallest = open ? spec.type.max : spec.type.min;
        expect(() => checkedOptions(name, { [key]: smallest }), `${name} ${name_} ${smallest}`).not.toThrow();
      }
    }
  });

  it('refuses a choice outside the list, and the library uses the same table', () => {
    expect(() => checkedOptions('train', { model: 'glove' })).toThrow(/^--model must be one of cbow, skipgram/);
    expect(() => checkedOptions('export', { format: 'projector' })).not.toThrow();
    expect(() => checkedOptions('import', { format: 'projector' })).toThrow(/^--format must be one of word2vec-bin, word2vec-text/);
    expect(() => resolveTrainOptions({ inputs: ['x'], dim: 0 })).toThrow(/^--dim must be an integer from 1 to 10000 \(got 0\)$/);
    expect(DEFAULTS).toMatchObject({ dim: 100, window: 5, minCount: 5, epochs: 5, sample: 1e-3 });
    expect(resolveTrainOptions({ inputs: ['x'] }).hyper.alpha).toBe(0.05);
    expect(resolveTrainOptions({ inputs: ['x'], model: 'skipgram' }).hyper.alpha).toBe(0.025);
  });

  it('subword models take fastText\'s defaults, and Japanese ones skip-gram over one- and two-character n-grams', () => {
    const hyper = (options: Partial<Parameters<typeof resolveTrainOptions>[0]>) => resolveTrainOptions({ inputs: ['x'], ...options }).hyper;
    expect(hyper({ subwords: true })).toMatchObject({ model: 'cbow', alpha: 0.05, subwords: { minn: 3, maxn: 6, bucket: 2_000_000 } });
    expect(hyper({ subwords: true, model: 'skipgram' })).toMatchObject({ model: 'skipgram', alpha: 0.05 });
    expect(hyper({ subwords: true, tokenizer: { kind: 'ja' } })).toMatchObject({ model: 'skipgram', alpha: 0.05, subwords: { minn: 1, maxn: 2, bucket: 2_000_000 } });
    // What is given is kept; without subwords nothing changes.
    expect(hyper({ subwords: { maxn: 3 }, tokenizer: { kind: 'ja' }, model: 'cbow', alpha: 0.02 })).toMatchObject({ model: 'cbow', alpha: 0.02, subwords: { minn: 1, maxn: 3 } });
    expect(hyper({ tokenizer: { kind: 'ja' } })).toMatchObject({ model: 'cbow', alpha: 0.05 });
    expect(hyper({ tokenizer: { kind: 'ja' } }).subwords).toBeUndefined();
  });

  it('shuffles the text unless it is Japanese or file order is asked for', () => {
    const hyper = (options: Partial<Parameters<typeof resolveTrainOptions>[0]>) => resolveTrainOptions({ inputs: ['x'], ...options }).hyper;
    expect(hyper({}).order).toBe('shuffled');
    expect(hyper({ subwords: true }).order).toBe('shuffled');
    expect(hyper({ tokenizer: { kind: 'ja' } }).order).toBe('file');
    expect(hyper({ order: 'file' }).order).toBe('file');
    expect(hyper({ tokenizer: { kind: 'ja' }, order: 'shuffled' }).order).toBe('shuffled');
    expect(() => hyper({ order: 'random' as never })).toThrow(/^--order must be one of shuffled, file/);
  });
});
