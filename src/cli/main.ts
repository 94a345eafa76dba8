/**
 * The command-line shell: a commander program over the library. It is the only place that turns errors
 * into exit statuses and one-line messages (`kotovec: <what> (<code>)`); `--debug` adds the stack.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ErrorCodes, KotovecError } from '../errors.js';
import { removeTemporaries } from '../atomicFile.js';
import { interruptionHandledByCommand } from './common.js';

type Register = (program: Command) => void;

/**
 * The commands, in the order `--help` lists them, each with the module that defines it. A run loads only
 * the module of the command it was given (the others cost ~100 ms of start-up); `--help`, no command or an
 * unknown one load them all.
 */
const COMMAND_MODULES: { names: string[]; load: () => Promise<Register> }[] = [
  { names: ['tokenize'], load: async () => (await import('./commands/tokenize.js')).registerTokenize },
  { names: ['phrases'], load: async () => (await import('./commands/phrases.js')).registerPhrases },
  { names: ['vocab'], load: async () => (await import('./commands/vocab.js')).registerVocab },
  { names: ['train'], load: async () => (await import('./commands/train.js')).registerTrain },
  { names: ['similar', 'analogy'], load: async () => (await import('./commands/query.js')).registerQueries },
  { names: ['vectors'], load: async () => (await import('./commands/vectors.js')).registerVectors },
  { names: ['infer', 'similar-docs'], load: async () => (await import('./commands/docs.js')).registerDocs },
  { names: ['export'], load: async () => (await import('./commands/export.js')).registerExport },
  { names: ['import', 'upgrade', 'evaluate', 'info'], load: async () => (await import('./commands/interchange.js')).registerInterchange },
  { names: ['serve'], load: async () => (await import('./commands/serve.js')).registerServe },
];

/** The command a command line names (its first word that is not an option), if any. */
function commandNamed(argv: string[]): string | undefined {
  return argv.slice(2).find((word) => !word.startsWith('-'));
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Commander's own errors (unknown option, missing argument) as one line in kotovec's form. */
function writeUsageError(text: string, write: (text: string) => void): void {
  const message = text.replace(/^error: /, '').trim().split('\n')[0];
  write(`kotovec: ${message}; see --help (${ErrorCodes.USAGE})\n`);
}

/**
 * Ctrl-C (SIGINT) or SIGTERM in any command: remove the unfinished outputs this process registered
 * (temporary model, export file), say so in one line and exit 130 / 143. `train` stops its workers
 * itself first (see `interruptionHandledByCommand`), so this handler then stands back.
 */
function installInterruptHandler(): void {
  const onSignal = (name: NodeJS.Signals) => {
    if (interruptionHandledByCommand()) return;
    const removed = removeTemporaries();
    process.stderr.write(`kotovec: interrupted by ${name}${removed ? '; the unfinished output was removed' : ''} (${ErrorCodes.INTERRUPTED})\n`);
    process.exit(name === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * Builds the program (exported so tests can parse without running).
 * @param command when given and known, only the module defining it is loaded
 */
export async function buildProgram(command?: string): Promise<Command> {
  const program = new Command();
  program
    .name('kotovec')
    .description('word and document embeddings (word2vec, doc2vec) for English and Japanese, stored in SQLite')
    .version(packageVersion(), '-V, --version')
    .option('--debug', 'print stack traces of errors')
    .exitOverride()
    .configureOutput({ outputError: writeUsageError });
  const named = COMMAND_MODULES.filter((module) => command !== undefined && module.names.includes(command));
  for (const register of await Promise.all((named.length > 0 ? named : COMMAND_MODULES).map((module) => module.load()))) register(program);
  for (const each of program.commands) each.exitOverride().configureOutput({ outputError: writeUsageError });
  return program;
}

/**
 * Runs the CLI and sets `process.exitCode`: 0 on success, 2 for usage errors, 1 for failures, 130/143
 * when interrupted.
 */
export async function main(argv: string[] = process.argv): Promise<void> {
  const debug = argv.includes('--debug');
  installInterruptHandler();
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  try {
    await (await buildProgram(commandNamed(argv))).parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are successes; commander has printed its message already.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof KotovecError) {
      process.stderr.write(`kotovec: ${error.message} (${error.code})\n`);
      if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    const err = error as Error;
    process.stderr.write(`kotovec: unexpected error: ${err?.message ?? String(error)} (E_INTERNAL)\n`);
    if (debug && err?.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  }
}
