/**
 * The explorer page's files, read once from the package's `web/` folder into memory. The server answers
 * exactly these paths and no other: no part of a request's path is ever joined to a folder, so no request
 * reaches the file system.
 */
import { readFileSync } from 'node:fs';
import { ErrorCodes, KotovecError } from '../errors.js';

/** A file of the page. */
export interface PageFile {
  body: Buffer;
  type: string;
}

/** URL path → file in `web/`. */
const FILES: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/map.js': ['map.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
  '/favicon.svg': ['favicon.svg', 'image/svg+xml'],
};

/**
 * Reads the page's files.
 * @throws KotovecError INPUT_NOT_FOUND when the package's web/ folder is missing
 */
export function loadPage(): Map<string, PageFile> {
  const page = new Map<string, PageFile>();
  for (const [path, [name, type]] of Object.entries(FILES)) {
    const url = new URL(`../../web/${name}`, import.meta.url);
    try {
      page.set(path, { body: readFileSync(url), type });
    } catch {
      throw new KotovecError(ErrorCodes.INPUT_NOT_FOUND, `the explorer page is missing from the package: ${url.pathname}`);
    }
  }
  return page;
}
