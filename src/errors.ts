/**
 * Typed errors. Every failure kotovec reports on purpose is a {@link KotovecError} with a stable `code`;
 * the CLI turns it into one line `kotovec: <message> (<code>)` and an exit status. Codes are defined here
 * and nowhere else.
 */

/** Stable error codes, grouped by what went wrong. */
export const ErrorCodes = {
  /** A command-line or library option has an invalid value. */
  BAD_OPTION: 'E_BAD_OPTION',
  /** The command line itself is malformed (unknown option or command, missing argument). */
  USAGE: 'E_USAGE',
  /** An input file or folder does not exist. */
  INPUT_NOT_FOUND: 'E_INPUT_NOT_FOUND',
  /** An input could not be read (permissions, I/O error, corrupt gzip). */
  INPUT_UNREADABLE: 'E_INPUT_UNREADABLE',
  /** An input looks like binary data rather than text. */
  INPUT_BINARY: 'E_INPUT_BINARY',
  /** A folder holds no text files. */
  NO_TEXT_FILES: 'E_NO_TEXT_FILES',
  /** The corpus has no usable tokens (or none survives min-count). */
  EMPTY_CORPUS: 'E_EMPTY_CORPUS',
  /** A word is not in the model's vocabulary. */
  UNKNOWN_WORD: 'E_UNKNOWN_WORD',
  /** A document id is not in the model. */
  UNKNOWN_DOC: 'E_UNKNOWN_DOC',
  /** A query has nothing to work with. */
  EMPTY_QUERY: 'E_EMPTY_QUERY',
  /** A file is not an SQLite database, or not a kotovec model, or is damaged. */
  BAD_MODEL: 'E_BAD_MODEL',
  /** A model was written by a newer kotovec. */
  MODEL_TOO_NEW: 'E_MODEL_TOO_NEW',
  /** The model cannot do what was asked (for example infer with an imported model). */
  UNSUPPORTED: 'E_UNSUPPORTED',
  /** An output path exists already and --force was not given. */
  OUTPUT_EXISTS: 'E_OUTPUT_EXISTS',
  /** An output could not be written. */
  OUTPUT_UNWRITABLE: 'E_OUTPUT_UNWRITABLE',
  /** A file in an interchange format is malformed. */
  BAD_FORMAT: 'E_BAD_FORMAT',
  /** Training produced non-finite weights. */
  DIVERGED: 'E_DIVERGED',
  /** The run was interrupted by a signal. */
  INTERRUPTED: 'E_INTERRUPTED',
  /** A duplicate document id. */
  DUPLICATE_ID: 'E_DUPLICATE_ID',
  /** The Japanese tokenizer failed to load or to run. */
  TOKENIZER: 'E_TOKENIZER',
  /** A worker thread failed. */
  WORKER: 'E_WORKER',
  /** An HTTP request to `serve` is malformed: a missing or bad parameter, a body that is not JSON. */
  BAD_REQUEST: 'E_BAD_REQUEST',
  /** No such route on the server. */
  NOT_FOUND: 'E_NOT_FOUND',
  /** The route exists, but not for this HTTP method. */
  METHOD_NOT_ALLOWED: 'E_METHOD_NOT_ALLOWED',
  /** A request body over the server's limit. */
  TOO_LARGE: 'E_TOO_LARGE',
  /** The server could not listen on the address asked for. */
  LISTEN: 'E_LISTEN',
} as const;

/** One of the values of {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Codes that mean "the command was used wrongly" (exit status 2) rather than "it failed" (exit status 1). */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set([ErrorCodes.BAD_OPTION, ErrorCodes.EMPTY_QUERY]);

/** An error kotovec raises on purpose, with a stable code and a message fit for one line. */
export class KotovecError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KotovecError';
    this.code = code;
  }

  /** Process exit status for this error: 2 for usage errors, 130/143 for signals, 1 otherwise. */
  get exitCode(): number {
    if (USAGE_CODES.has(this.code)) return 2;
    if (this.code === ErrorCodes.INTERRUPTED) return this.message.includes('SIGTERM') ? 143 : 130;
    return 1;
  }
}

/** Raised when an option has an invalid value; the message names the option. */
export class OptionError extends KotovecError {
  constructor(message: string) {
    super(ErrorCodes.BAD_OPTION, message);
    this.name = 'OptionError';
  }
}
