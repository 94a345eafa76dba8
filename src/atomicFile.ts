/**
 * Replacing a file all at once: the new content goes to a temporary file beside the target (same file
 * system) and is renamed over it only when complete, so a failure or an interruption leaves either the
 * old file or the new one, never half of one. The model writer, the export, the token cache and the
 * Japanese dictionary image all write this way.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A temporary path beside `path`, on the same file system so that rename is atomic. */
export function temporaryPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now().toString(36)}`);
}

/**
 * Writes `data` to `path` atomically (see the module comment).
 * @throws the file system's error; the temporary file is removed first
 */
export function writeFileAtomically(path: string, data: string | Uint8Array): void {
  const temporary = temporaryPathBeside(path);
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}
