/**
 * Replacing a file all at once: the new content goes to a temporary file beside the target (same file
 * system) and is renamed over it only when complete, so a failure or an interruption leaves either the
 * old file or the new one, never half of one. The model writer, the export, the token cache and the
 * Japanese dictionary image all write this way.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Temporary files (or folders) this process is writing, removed by {@link removeTemporaries}. */
const temporaries = new Set<string>();

/** Registers a temporary output so an interrupted process can remove it. */
export function trackTemporary(path: string): void {
  temporaries.add(path);
}

/** Forgets a temporary output that has become the real one (renamed into place). */
export function untrackTemporary(path: string): void {
  temporaries.delete(path);
}

/** Removes one temporary output (and SQLite's side files) and forgets it. */
export function removeTemporary(path: string): void {
  for (const file of [path, `${path}-journal`, `${path}-wal`, `${path}-shm`]) rmSync(file, { recursive: true, force: true });
  temporaries.delete(path);
}

/**
 * Removes every temporary output still registered (an interrupted run).
 * @returns how many there were
 */
export function removeTemporaries(): number {
  const count = temporaries.size;
  for (const path of [...temporaries]) removeTemporary(path);
  return count;
}

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
