/**
 * Pieces every command shares: tokenizer options, number parsing, output helpers.
 * Values are parsed here only as far as the shell needs (text → number); the library validates them
 * and names the option in its message.
 */
import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import type { NormalizationForm } from '../text/normalize.js';
import { CONTENT_WORDS, JA_DEFAULTS, type TokenizerConfig, type TokenizerKind } from '../text/tokenizers.js';
import type { ProgressMode } from './progress.js';

/** Parses a number option; the library checks its range. */
export function parseNumber(value: string): number {
  const trimmed = value.trim();
  if (trimmed === '') return Number.NaN;
  return Number(trimmed);
}

/** Tokenizer options as commander delivers them. */
export interface TokenizerFlags {
  tokenizer?: string;
  normalize?: string | boolean;
  lowercase?: boolean;
  baseForm?: boolean;
  pos?: string;
}

/** Adds the tokenizer options to a command. */
export function addTokenizerOptions(command: Command): Command {
  return command
    .option('--tokenizer <kind>', 'simple (letters/digits, lowercased), whitespace (pre-tokenized text) or ja (kuromoji)', 'simple')
    .option('--normalize <form>', 'Unicode normalisation: NFKC, NFC or none', 'NFKC')
    .option('--no-normalize', 'turn Unicode normalisation off')
    .option('--lowercase', 'lowercase the text (default for simple)')
    .option('--no-lowercase', 'keep case (default for whitespace and ja)')
    .option('--base-form', `ja: dictionary forms (走る for 走った)${JA_DEFAULTS.baseForm ? ' (default)' : ''}`)
    .option('--no-base-form', `ja: surface forms, as written${JA_DEFAULTS.baseForm ? '' : ' (default)'}`)
    .option('--pos <list>', `ja: parts of speech to keep, comma-separated (e.g. 名詞,動詞,名詞-固有名詞), or content (${CONTENT_WORDS.join(',')}), words (all but symbols) or all (default: ${JA_DEFAULTS.pos})`);
}

/** Converts tokenizer flags to a tokenizer configuration (validated later). */
export function tokenizerFromFlags(flags: TokenizerFlags): Partial<TokenizerConfig> {
  const normalize: NormalizationForm = flags.normalize === false ? 'none' : ((flags.normalize ?? 'NFKC') as NormalizationForm);
  return {
    kind: (flags.tokenizer ?? 'simple') as TokenizerKind,
    normalize,
    lowercase: flags.lowercase,
    baseForm: flags.baseForm,
    pos: flags.pos === undefined ? undefined : flags.pos.split(','),
  };
}

/** Adds `--progress`. */
export function addProgressOption(command: Command): Command {
  return command.option('--progress <mode>', 'auto (a bar when stderr is a terminal), json (JSON lines on stderr) or none', 'auto');
}

/** Validates `--progress`. */
export function progressMode(value: string | undefined): ProgressMode {
  const mode = value ?? 'auto';
  if (mode !== 'auto' && mode !== 'json' && mode !== 'none') throw new OptionError(`--progress must be one of auto, json, none (got "${mode}")`);
  return mode;
}

/** Validates `-k`. */
export function topK(value: number | undefined, fallback = 10): number {
  const k = value ?? fallback;
  if (!Number.isInteger(k) || k < 1 || k > 1_000_000) throw new OptionError(`-k must be an integer from 1 to 1000000 (got ${k})`);
  return k;
}

/**
 * Writes text to stdout, waiting when the pipe is full. Resolves false when the reader went away (EPIPE).
 */
export function writeOut(text: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (process.stdout.destroyed) return resolve(false);
    const ok = process.stdout.write(text, (error) => {
      if (error) resolve(false);
    });
    if (ok) resolve(true);
    else process.stdout.once('drain', () => resolve(true));
  });
}

/** Prints a message on stderr (chatter, never data). */
export function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

let commandHandlesInterruption = false;

/**
 * A command that stops its own work on SIGINT/SIGTERM (training) says so for as long as it does; the
 * generic handler of main.ts then leaves the signal to it.
 */
export function handleInterruptionInCommand(active: boolean): void {
  commandHandlesInterruption = active;
}

/** True while a command handles SIGINT/SIGTERM itself. */
export function interruptionHandledByCommand(): boolean {
  return commandHandlesInterruption;
}
