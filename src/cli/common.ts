/**
 * Pieces every command shares: tokenizer settings from flags, output helpers, interruption.
 * Options themselves are declared and checked in one table (`optionTable.ts`, `cli/options.ts`).
 */
import type { NormalizationForm } from '../text/normalize.js';
import type { TokenizerConfig, TokenizerKind } from '../text/tokenizers.js';
import { dictionaryRef } from '../text/ja/mecabDictionary.js';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ErrorCodes, KotovecError, OptionError } from '../errors.js';

/** Tokenizer options as commander delivers them. */
export interface TokenizerFlags {
  tokenizer?: string;
  normalize?: string | boolean;
  lowercase?: boolean;
  baseForm?: boolean;
  pos?: string;
  dict?: string;
  userDict?: string;
}

/** Converts tokenizer flags to a tokenizer configuration (validated later). */
export function tokenizerFromFlags(flags: TokenizerFlags): Partial<TokenizerConfig> {
  // Unset stays unset: the library's defaults apply, or a continued model's own settings.
  const normalize = flags.normalize === false ? 'none' : (flags.normalize as NormalizationForm | undefined);
  return {
    kind: flags.tokenizer as TokenizerKind | undefined,
    normalize,
    lowercase: flags.lowercase,
    baseForm: flags.baseForm,
    pos: flags.pos === undefined ? undefined : flags.pos.split(','),
    dictionary: flags.dict === undefined ? undefined : dictionaryRef(flags.dict),
    userDictionary: userDictionaryFromFlags(flags),
  };
}

/** The `--user-dict` CSV, read here: the model keeps its entries. */
function userDictionaryFromFlags(flags: TokenizerFlags): TokenizerConfig['userDictionary'] {
  if (flags.userDict === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(flags.userDict, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KotovecError(ErrorCodes.INPUT_UNREADABLE, `cannot read the user dictionary ${flags.userDict}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`);
  }
  return { name: basename(flags.userDict), text };
}

/**
 * Writes text to stdout, waiting when the pipe is full. Resolves false when the reader went away (EPIPE).
 */
export function writeOut(text: string | Uint8Array): Promise<boolean> {
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
