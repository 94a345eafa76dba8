/** Recognising gzip input: by its magic bytes (1f 8b), whatever the file is called. */
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * True when the file starts with gzip's magic bytes.
 * @throws the file system's error when the file cannot be opened
 */
export function isGzipFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}
