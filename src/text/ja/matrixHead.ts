/**
 * The head of a big connection matrix, cached: its columns in an order of use, and each row's first
 * {@link HEAD_PLACES} costs in that order, in a file of their own under the user's cache folder.
 *
 * The analysis keeps a big matrix's rows (UniDic's `matrix.bin` is 480 MB) with their columns in an order of
 * its own (`assembly/mecab.ts`), so that the costs a text reads most lie together. Without a head, a row is
 * filled from the file's row: a 31 KB read for UniDic, and the row is read again and again as the text meets
 * new columns. With a head, every column has its place before the text starts, and a row's first places
 * are read straight into the row, a 4 KB page at a time.
 *
 * The file: `KVMH`, the format version, the left size, the right size, the places kept (u32 each), 4 bytes
 * of padding and the matrix file's modification time (f64, ms); the column of each place (u16, leftSize of
 * them, padded to 4 bytes); then each row's first `places` costs (i16) in place order. It is named by the
 * dictionary's folder name and fingerprint, and a matrix modified since is another matrix, so a changed
 * dictionary gets a new head. A missing, short or foreign file is no head (the analysis reads rows as
 * without one); a head is only ever a faster way to the same costs.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { temporaryPathBeside } from '../../atomicFile.js';

/** How many places of each row a head keeps: two 4 KB pages of i16 costs (FILL_PLACES in assembly/mecab.ts is one). */
export const HEAD_PLACES = 4096;
const MAGIC = 0x484d564b; // "KVMH"
const VERSION = 2;
const HEADER_BYTES = 32;

/** Where a head lies and what it holds. */
export interface MatrixHeadRef {
  path: string;
  /** The places kept of each row. */
  places: number;
}

/** A head, opened: where it lies, its places a row, and the column of each place. */
export interface MatrixHead extends MatrixHeadRef {
  /** The column of each place: every column once. */
  order: Uint16Array;
}

/**
 * The folder kotovec caches what it derives from a dictionary in: `KOTOVEC_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/kotovec`, else `~/.cache/kotovec`.
 */
export function cacheFolder(): string {
  const own = process.env.KOTOVEC_CACHE_DIR;
  if (own) return own;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg ? xdg : join(homedir(), '.cache'), 'kotovec');
}

/** Where the head of a dictionary's matrix is cached. */
export function matrixHeadPath(dictionaryName: string, fingerprint: string, folder = cacheFolder()): string {
  return join(folder, 'mecab', `${dictionaryName.replace(/[^\w.-]/g, '_')}-${fingerprint}.head`);
}

function orderBytes(leftSize: number): number {
  return (2 * leftSize + 3) & ~3;
}

/** The byte offset of place `place` of row `row` in a head file. */
function placeOffset(leftSize: number, places: number, row: number, place: number): number {
  return HEADER_BYTES + orderBytes(leftSize) + 2 * (row * places + place);
}

/**
 * Opens the head at `path` for a matrix of `leftSize` × `rightSize` costs last modified at `modified`
 * (`mtimeMs`): null when there is none, or the file is not a whole head of that matrix.
 */
export function openMatrixHead(path: string, leftSize: number, rightSize: number, modified: number): MatrixHead | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const header = new Uint32Array(HEADER_BYTES / 4);
    if (readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return null;
    const [magic, version, left, right, places] = header as unknown as number[];
    if (magic !== MAGIC || version !== VERSION || left !== leftSize || right !== rightSize) return null;
    if (new Float64Array(header.buffer, 24, 1)[0] !== modified) return null;
    if (places! < 1 || places! > leftSize) return null;
    if (fstatSync(fd).size !== placeOffset(leftSize, places!, rightSize, 0)) return null;
    const order = new Uint16Array(leftSize);
    if (readSync(fd, order, 0, 2 * leftSize, HEADER_BYTES) !== 2 * leftSize) return null;
    const seen = new Uint8Array(leftSize);
    for (const column of order) {
      if (column >= leftSize || seen[column]) return null;
      seen[column] = 1;
    }
    return { path, places: places!, order };
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the places of row `row` from place `from` on, as many as `target` holds (2 bytes each), from an
 * open head file.
 * @returns false when the file ended early
 */
export function readHeadPlaces(fd: number, leftSize: number, places: number, row: number, from: number, target: Uint8Array): boolean {
  let done = 0;
  const at = placeOffset(leftSize, places, row, from);
  while (done < target.length) {
    const n = readSync(fd, target, done, target.length - done, at + done);
    if (n === 0) return false;
    done += n;
  }
  return true;
}

/**
 * Writes the head of the matrix in `matrixPath` with its columns in `order` (every column once) to `path`,
 * whole or not at all (a temporary file renamed). Rows are read in chunks of a few MB.
 * @returns the places it keeps of each row (`places`, or every column of a narrower matrix)
 * @throws the file system's error when the folder or the file cannot be written
 */
export function writeMatrixHead(path: string, matrixPath: string, leftSize: number, rightSize: number, order: Uint16Array, places = HEAD_PLACES): number {
  const kept = Math.min(places, leftSize);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = temporaryPathBeside(path);
  const input = openSync(matrixPath, 'r');
  let output = -1;
  try {
    output = openSync(temporary, 'w');
    const header = new Uint32Array([MAGIC, VERSION, leftSize, rightSize, kept, 0, 0, 0]);
    new Float64Array(header.buffer, 24, 1)[0] = fstatSync(input).mtimeMs;
    writeSync(output, new Uint8Array(header.buffer));
    const ordered = new Uint16Array(orderBytes(leftSize) / 2);
    ordered.set(order);
    writeSync(output, new Uint8Array(ordered.buffer));
    const chunkRows = Math.max(1, Math.floor((8 << 20) / (2 * leftSize)));
    const rows = new Int16Array(chunkRows * leftSize);
    const rowBytes = new Uint8Array(rows.buffer);
    const out = new Int16Array(chunkRows * kept);
    const outBytes = new Uint8Array(out.buffer);
    for (let first = 0; first < rightSize; first += chunkRows) {
      const count = Math.min(chunkRows, rightSize - first);
      const want = 2 * count * leftSize;
      let done = 0;
      while (done < want) {
        const n = readSync(input, rowBytes, done, want - done, 4 + 2 * first * leftSize + done);
        if (n === 0) throw new Error(`${matrixPath} ended early`);
        done += n;
      }
      for (let r = 0; r < count; r++) {
        const from = r * leftSize;
        const to = r * kept;
        for (let p = 0; p < kept; p++) out[to + p] = rows[from + order[p]!]!;
      }
      let written = 0;
      while (written < 2 * count * kept) written += writeSync(output, outBytes, written, 2 * count * kept - written);
    }
    closeSync(output);
    output = -1;
    renameSync(temporary, path);
    return kept;
  } catch (error) {
    if (output >= 0) closeSync(output);
    rmSync(temporary, { force: true });
    throw error;
  } finally {
    closeSync(input);
  }
}
