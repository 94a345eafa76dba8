/**
 * A compiled MeCab dictionary, read as `mecab-dict-index` writes it and as Debian installs it (a folder
 * with `sys.dic`, `unk.dic`, `char.bin`, `matrix.bin` and `dicrc`), with no conversion step:
 *
 * - `sys.dic` and `unk.dic` (MeCab's `dictionary.cpp`): a header (magic ^ 0xef718f77 = the file size,
 *   version 102, type, lexicon size, left and right id counts, the byte sizes of the double array, the
 *   tokens and the features), the charset in 32 bytes, a Darts double array over the UTF-8 bytes of the
 *   surfaces (units of base int32 and check uint32; a leaf's value holds the first token's index << 8 and
 *   the number of tokens in its low byte), the tokens (16 bytes each: left id, right id, part-of-speech
 *   id, cost, feature offset, compound), then the features as NUL-terminated strings. `unk.dic` is keyed by
 *   character category names.
 * - `char.bin` (`char_property.cpp`): the number of categories, their names in 32 bytes each, then a
 *   32-bit word per UCS-2 code (0 … 0xfffe): the bit set of its categories (18 bits), its default category
 *   (8), the unknown-word length (4), the group flag and the invoke flag.
 * - `matrix.bin` (`connector.cpp`): the left and right sizes as uint16, then int16 costs, the cost of a
 *   right id r followed by a left id l at `r + leftSize · l`. Rows (one per left id) are read from the file
 *   as the text first needs them, so a 480 MB matrix (UniDic's) is never read whole; such a matrix's first
 *   page of each row comes from its cached head once there is one (`matrixHead.ts`).
 * - `dicrc`: `key = value` lines; `bos-feature` and `unk-feature` are used (`max-grouping-size` is not:
 *   the mecab command's default, 24, takes precedence over a dicrc's, as in MeCab).
 *
 * Only UTF-8 dictionaries are read; anything else is refused in one line naming the file.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ErrorCodes, KotovecError } from '../../errors.js';
import { readInPieces } from '../../pieceRead.js';
import { sha256 } from '../../sha256.js';
import { cacheFolder, matrixHeadPath, openMatrixHead, readHeadPlaces, type MatrixHeadRef } from './matrixHead.js';
import { ClassTallies, parseUserDictionary, partOfSpeechKey, resolveUserEntries, splitFeatures, UserLexicon, type ClassDefaults, type UserEntries } from './userDictionary.js';

/** A lexicon file's magic number, XORed with its size, in its first word. */
export const DICTIONARY_MAGIC_ID = 0xef718f77;
/** The lexicon format read (and written by `builtinMecab.ts`). */
export const DICTIONARY_VERSION = 102;
/** A lexicon file's header: ten 32-bit words, then the charset in 32 bytes. */
export const HEADER_BYTES = 40 + 32;
/** A lexicon token: left id, right id, part-of-speech id, cost (16 bits each), feature offset, compound. */
export const TOKEN_BYTES = 16;
/** char.bin holds a word for each code 0 … 0xfffe. */
export const CHAR_CODES = 0xffff;
const DEFAULT_MAX_GROUPING_SIZE = 24;
/** Rows of a matrix this small or smaller are read at once. */
const WHOLE_MATRIX_BYTES = 64 << 20;

/** One of a dictionary's lexicon files (`sys.dic`, `unk.dic`, a user dictionary). */
export interface MecabLexicon {
  /** 0 system, 1 user, 2 unknown words. */
  readonly type: number;
  readonly size: number;
  readonly leftSize: number;
  readonly rightSize: number;
  readonly charset: string;
  /** The double array: base at 2i, check at 2i + 1. */
  readonly units: Int32Array;
  /** Token j: left id at 8j, right id at 8j + 1, part-of-speech id at 8j + 2 (cost: {@link costs}). */
  readonly tokenWords: Uint16Array;
  /** Token j's cost at 8j + 3. */
  readonly costs: Int16Array;
  /** Token j's feature offset at 4j + 2. */
  readonly featureOffsets: Uint32Array;
  /** The feature strings, NUL-terminated, at their offsets (in memory, or read from the file). */
  readonly features: FeatureStrings;
  /** The file's header, double array and tokens (shareable between threads). */
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
}

/** A lexicon's feature section: the NUL-terminated string at an offset. */
export interface FeatureStrings {
  at(offset: number): string;
  /** Calls `visit` with every string and its offset, in order. */
  scan(visit: (offset: number, feature: string) => void): void;
}

/** Calls `visit` for each NUL-terminated string of `bytes` (offsets from `base`); returns where the last complete one ended. */
function scanStrings(bytes: Uint8Array, base: number, visit: (offset: number, feature: string) => void): number {
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(0, start);
    if (end < 0) return start;
    visit(base + start, Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8'));
    start = end + 1;
  }
}

/** Feature strings held in memory (a small lexicon such as `unk.dic`). */
class FeaturesInMemory implements FeatureStrings {
  constructor(private readonly bytes: Uint8Array) {}

  at(offset: number): string {
    const bytes = this.bytes;
    let end = offset;
    while (end < bytes.length && bytes[end] !== 0) end++;
    return Buffer.from(bytes.buffer, bytes.byteOffset + offset, end - offset).toString('utf8');
  }

  scan(visit: (offset: number, feature: string) => void): void {
    scanStrings(this.bytes, 0, visit);
  }
}

/**
 * Feature strings read from the file as they are asked for: most of a big `sys.dic` is its features
 * (209 of UniDic's 243 MB), and text uses few of them. The file is opened on first use, by each thread
 * for itself.
 */
class FeaturesInFile implements FeatureStrings {
  private fd = -1;
  private chunk = Buffer.alloc(512);

  constructor(
    private readonly path: string,
    private readonly start: number,
    private readonly size: number,
  ) {}

  at(offset: number): string {
    if (this.fd < 0) {
      try {
        this.fd = openSync(this.path, 'r');
      } catch (error) {
        throw broken(this.path, (error as Error).message);
      }
    }
    for (let want = this.chunk.length; ; want *= 2) {
      if (this.chunk.length < want) this.chunk = Buffer.alloc(want);
      const length = Math.min(want, this.size - offset);
      const read = length > 0 ? readSync(this.fd, this.chunk, 0, length, this.start + offset) : 0;
      const end = this.chunk.subarray(0, read).indexOf(0);
      if (end >= 0) return this.chunk.toString('utf8', 0, end);
      if (read < want) return this.chunk.toString('utf8', 0, read);
    }
  }

  scan(visit: (offset: number, feature: string) => void): void {
    const fd = openSync(this.path, 'r');
    try {
      const chunk = Buffer.alloc(16 << 20);
      let offset = 0; // of chunk[0] in the section
      let held = 0; // bytes of an unfinished string at the chunk's start
      while (offset + held < this.size) {
        const read = readSync(fd, chunk, held, Math.min(chunk.length - held, this.size - offset - held), this.start + offset + held);
        if (read === 0) throw broken(this.path, 'the file ended early');
        const used = scanStrings(chunk.subarray(0, held + read), offset, visit);
        if (used === 0 && held + read === chunk.length) throw broken(this.path, 'a feature string longer than 16 MB');
        chunk.copy(chunk, 0, used, held + read);
        held = held + read - used;
        offset += used;
      }
    } finally {
      closeSync(fd);
    }
  }
}

/** The parts of a compiled MeCab dictionary folder. */
export interface MecabDictionary {
  /** The folder, absolute. */
  readonly dir: string;
  /** The folder's name (ipadic-utf8, unidic, …). */
  readonly name: string;
  /** A fingerprint of its files: sizes and the first and last 64 KB of each, hashed. */
  readonly fingerprint: string;
  readonly system: MecabLexicon;
  readonly unknown: MecabLexicon;
  /** Per UCS-2 code: the category bits, default category, length, group and invoke flags (see above). */
  readonly charInfo: Uint32Array;
  readonly categoryNames: readonly string[];
  /** For each category: the first unknown-word token and how many (pairs). */
  readonly unknownTokens: Int32Array;
  readonly matrix: ConnectionMatrix;
  readonly maxGroupingSize: number;
  readonly bosFeature: string;
  /** dicrc's `unk-feature`, given to every unknown word when set. */
  readonly unknownFeature: string | null;
  /** The dicrc's settings. */
  readonly settings: ReadonlyMap<string, string>;
  /** The user dictionary (`--user-dict`), if any. */
  readonly user: UserLexicon | null;
  /** What another thread needs to open the dictionary without reading the files again. */
  readonly transfer: MecabDictionaryTransfer;
}

function broken(path: string, why: string): KotovecError {
  return new KotovecError(ErrorCodes.TOKENIZER, `cannot read the MeCab dictionary file ${path}: ${why}`);
}

/** A lexicon file's bytes as read: all of them, or all but the features ({@link FeaturesInFile}). */
interface LexiconBytes {
  buffer: SharedArrayBuffer;
  /** Where in {@link buffer} they start, and how many. */
  offset: number;
  length: number;
  fileSize: number;
}

/**
 * Reads a lexicon file: its header, double array and tokens, and its features too when `withFeatures`;
 * into fresh pages of `memory` when given (so that WebAssembly reads them where they lie).
 */
async function readLexicon(path: string, withFeatures: boolean, memory?: WebAssembly.Memory): Promise<LexiconBytes> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw broken(path, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message);
  }
  try {
    const fileSize = (await file.stat()).size;
    let size = fileSize;
    if (!withFeatures && fileSize >= HEADER_BYTES) {
      const header = new Uint32Array(10);
      await file.read(header, 0, 40, 0);
      const withoutFeatures = HEADER_BYTES + header[6]! + header[7]!;
      if (withoutFeatures < fileSize) size = withoutFeatures;
    }
    let buffer: SharedArrayBuffer;
    let offset = 0;
    if (memory) {
      try {
        offset = memory.grow(Math.ceil(size / 65536)) * 65536;
      } catch {
        throw broken(path, `out of memory reading its ${Math.round(size / 1048576)} MB`);
      }
      buffer = memory.buffer as unknown as SharedArrayBuffer;
    } else {
      buffer = new SharedArrayBuffer(size);
    }
    if ((await readInPieces(file, new Uint8Array(buffer, offset, size))) !== size) throw broken(path, 'the file shrank while it was read');
    return { buffer, offset, length: size, fileSize };
  } finally {
    await file.close();
  }
}

/**
 * Opens a lexicon file over its bytes.
 * @throws KotovecError TOKENIZER when the file is not a MeCab dictionary of version 102, or not UTF-8
 */
export function openLexicon(buffer: SharedArrayBuffer | ArrayBuffer, path: string, fileSize = buffer.byteLength, offset = 0, length = buffer.byteLength - offset): MecabLexicon {
  if (fileSize < 100) throw broken(path, 'too short to be a MeCab dictionary');
  if (length < HEADER_BYTES) throw broken(path, 'too short to be a MeCab dictionary');
  const header = new Uint32Array(buffer, offset, 10);
  if ((header[0]! ^ DICTIONARY_MAGIC_ID) >>> 0 !== fileSize) throw broken(path, 'not a compiled MeCab dictionary (its magic number and size disagree)');
  if (header[1] !== DICTIONARY_VERSION) throw broken(path, `dictionary version ${header[1]}, not ${DICTIONARY_VERSION}`);
  const [, , type, size, leftSize, rightSize, dsize, tsize, fsize] = header as unknown as number[];
  if (HEADER_BYTES + dsize! + tsize! + fsize! !== fileSize || dsize! % 8 !== 0 || tsize! % TOKEN_BYTES !== 0) throw broken(path, 'the section sizes do not add up to the file size');
  if (HEADER_BYTES + dsize! + tsize! > length) throw broken(path, 'the file ended early');
  const charsetBytes = new Uint8Array(buffer, offset + 40, 32);
  const charsetEnd = charsetBytes.indexOf(0);
  const charset = Buffer.from(charsetBytes.subarray(0, charsetEnd < 0 ? 32 : charsetEnd)).toString('latin1');
  if (!/^utf-?8$/i.test(charset)) throw broken(path, `the dictionary is in ${charset || 'an unnamed charset'}; only UTF-8 dictionaries are read (Debian: mecab-ipadic-utf8)`);
  const tokenStart = HEADER_BYTES + dsize!;
  return {
    type: type!,
    size: size!,
    leftSize: leftSize!,
    rightSize: rightSize!,
    charset,
    units: new Int32Array(buffer, offset + HEADER_BYTES, dsize! / 4),
    tokenWords: new Uint16Array(buffer, offset + tokenStart, tsize! / 2),
    costs: new Int16Array(buffer, offset + tokenStart, tsize! / 2),
    featureOffsets: new Uint32Array(buffer, offset + tokenStart, tsize! / 4),
    features:
      length >= fileSize
        ? new FeaturesInMemory(new Uint8Array(buffer, offset + tokenStart + tsize!, fsize!))
        : new FeaturesInFile(path, tokenStart + tsize!, fsize!),
    buffer,
  };
}

/** The value of `key` in the lexicon's double array (exact match), or -1. */
export function exactMatch(lexicon: MecabLexicon, key: Uint8Array): number {
  const units = lexicon.units;
  let b = units[0]!;
  for (let i = 0; i < key.length; i++) {
    const p = b + key[i]! + 1;
    if (2 * p + 1 >= units.length || units[2 * p + 1] !== b) return -1;
    b = units[2 * p]!;
  }
  const n = units[2 * b]!;
  return units[2 * b + 1] === b && n < 0 ? -n - 1 : -1;
}

/** The feature string of token `token` of a lexicon. */
export function tokenFeature(lexicon: MecabLexicon, token: number): string {
  return lexicon.features.at(lexicon.featureOffsets[4 * token + 2]!);
}

/** A connection matrix's memory, shared by the threads that read one dictionary. */
export interface MatrixShare {
  /**
   * Every cost, row by row (`leftSize` costs a row) from byte 0; only the rows read are ever touched. A
   * WebAssembly memory, so that the analysis (`assembly/mecab.ts`) reads the costs where they lie;
   * each thread takes its own scratch after them.
   */
  memory: WebAssembly.Memory;
  /** Per row, 1 once it is in {@link memory} (an Int32Array: read and set atomically). */
  loaded: SharedArrayBuffer;
  /** Where the dictionary's tables lie in {@link memory}, once copied there ({@link placeTables}). */
  tables?: MecabTables;
  /** The matrix's cached head (`matrixHead.ts`), once every column has its place in its order. */
  head?: MatrixHeadRef;
}

/**
 * The byte addresses, in a matrix's memory, of the tables the WebAssembly analysis (`assembly/mecab.ts`)
 * reads: sys.dic's double array and tokens, unk.dic's tokens, char.bin's words and each character
 * category's unknown-word tokens (first, count).
 */
export interface MecabTables {
  units: number;
  unitCount: number;
  systemTokens: number;
  unknownTokens: number;
  charInfo: number;
  categoryTokens: number;
  /**
   * The rows as the analysis keeps them, and their state (see `assembly/mecab.ts`): at 0, the rows in the
   * file's order when the matrix was read whole (no state: 0); else, a region of their own, each row's costs
   * in the order the text first met their columns, as far as the text has needed them, and the state: a
   * lock and the number of columns met, then per column its place and per place its column (-1: none yet),
   * then per row how many places it holds.
   */
  rows: number;
  columnState: number;
}

/**
 * Copies the tables of a dictionary into its matrix's memory, after the costs, once per process: every
 * thread opened from the same share then reads that one copy. sys.dic's sections are copied only when they
 * were not read into that memory (`systemInMemory`).
 */
function placeTables(matrix: ConnectionMatrix, system: MecabLexicon, unknown: MecabLexicon, charInfo: Uint32Array, categoryTokens: Int32Array, systemInMemory: boolean): MecabTables {
  const share = matrix.share;
  const columns = matrix.leftSize;
  const rows = matrix.rightSize;
  // Read whole, the rows stay where they are, each column in its place: no state.
  const whole = matrix.whole;
  const state = whole ? null : new Int32Array(2 + 2 * columns + rows).fill(-1, 2, 2 + 2 * columns);
  // With a head, every column has its place from the start, in the head's order.
  if (state && matrix.headOrder) placeColumns(state, columns, matrix.headOrder);
  const bytesOf = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  const sections = [
    state && bytesOf(state),
    systemInMemory ? null : bytesOf(system.units),
    systemInMemory ? null : bytesOf(system.tokenWords),
    bytesOf(unknown.tokenWords),
    bytesOf(charInfo),
    bytesOf(categoryTokens),
  ];
  const rowBytes = whole ? 0 : 2 * columns * rows;
  const size = sections.reduce((sum, section) => sum + (section?.length ?? 0) + 16, 0) + rowBytes + 65536;
  const pages = Math.ceil(size / 65536);
  let at: number;
  try {
    at = share.memory.grow(pages) * 65536;
  } catch {
    throw new KotovecError(ErrorCodes.TOKENIZER, `out of memory placing the dictionary's tables (${Math.round(size / 1048576)} MB)`);
  }
  const memory = new Uint8Array(share.memory.buffer);
  const addresses = sections.map((section) => {
    if (!section) return 0;
    const address = at;
    memory.set(section, at);
    at += (section.length + 15) & ~15;
    return address;
  });
  return {
    columnState: addresses[0]!,
    // Read into this memory: where the views over it begin (the memory's buffer starts at address 0).
    units: systemInMemory ? system.units.byteOffset : addresses[1]!,
    unitCount: system.units.length / 2,
    systemTokens: systemInMemory ? system.tokenWords.byteOffset : addresses[2]!,
    unknownTokens: addresses[3]!,
    charInfo: addresses[4]!,
    categoryTokens: addresses[5]!,
    // Untouched until the text needs a row: only the pages written are ever in memory.
    rows: whole ? 0 : (at + 65535) & ~65535,
  };
}

/** The most a WebAssembly memory holds: 65,536 pages of 64 KB. */
const MAXIMUM_PAGES = 65536;
/** Room left in that memory for the threads' scratch. */
const SCRATCH_PAGES = 4096;

/**
 * The column state of a compact matrix (see {@link MecabTables}): lock, places given, the place of each
 * column, the column of each place, the places each row holds.
 */
function columnState(share: MatrixShare, leftSize: number, rightSize: number): Int32Array {
  return new Int32Array(share.memory.buffer, share.tables!.columnState, 2 + 2 * leftSize + rightSize);
}

/**
 * The order of a compact matrix's columns that keeps the places the text gave (the columns it met, in the
 * order it met them) and puts the other columns after them, in column order: the order a head keeps.
 */
export function columnOrder(matrix: ConnectionMatrix): Uint16Array {
  const columns = matrix.leftSize;
  const state = columnState(matrix.share, columns, matrix.rightSize);
  const given = Atomics.load(state, 1);
  const order = new Uint16Array(columns);
  order.set(state.subarray(2 + columns, 2 + columns + given));
  let place = given;
  for (let column = 0; column < columns; column++) if (state[2 + column]! < 0) order[place++] = column;
  return order;
}

/**
 * Gives every column of a column state the place it has in `order`, from the places given so far on (those
 * stay: `order` begins with them), and counts them all given.
 */
function placeColumns(state: Int32Array, columns: number, order: Uint16Array): void {
  for (let place = Atomics.load(state, 1); place < columns; place++) {
    state[2 + order[place]!] = place;
    state[2 + columns + place] = order[place]!;
  }
  Atomics.store(state, 1, columns);
}

/**
 * Gives every column of a compact matrix its place in `order` ({@link columnOrder}, taken since: the places
 * given so far stay). Only while no analysis runs (it takes no lock).
 */
export function giveColumnsPlaces(matrix: ConnectionMatrix, order: Uint16Array): void {
  placeColumns(columnState(matrix.share, matrix.leftSize, matrix.rightSize), matrix.leftSize, order);
}

/** How many columns of a compact matrix the text has met (given a place), in this process. */
export function columnsMet(matrix: ConnectionMatrix): number {
  return Atomics.load(columnState(matrix.share, matrix.leftSize, matrix.rightSize), 1);
}

/**
 * The connection costs, a row per left id. A small matrix is read at once; a big one (UniDic's is 480 MB)
 * a row at a time, as the text first asks for a cost of it — so a text never brings more of the matrix into
 * memory than the rows its words lead to (half of UniDic's on 20,000 lines of Aozora). A row is read whole
 * (30 KB for UniDic): one read instead of one per 1 KB page, with about 10% more of the matrix read.
 * The memory is shared: every thread that opened the dictionary from the same {@link share} sees the rows
 * another read (a row read twice at once is the same bytes twice); each thread has its own file handle,
 * open until {@link close}. So reads the JavaScript analysis; the WebAssembly one keeps a big matrix's rows
 * in an order of its own (`assembly/mecab.ts`), read with {@link readRowInto}.
 */
export class ConnectionMatrix {
  readonly leftSize: number;
  readonly rightSize: number;
  /** The memory other threads open this matrix with. */
  readonly share: MatrixShare;
  private readonly rows: (Int16Array | undefined)[];
  /** For each row, 1 once it is in memory (shared: read and set atomically). */
  private readonly loaded: Int32Array;
  private readonly costs: ArrayBufferLike;
  private fd: number;
  private bytes = 0;
  private headFd = -1;
  /** The order of the head found when the matrix was opened, until the tables take it. */
  headOrder: Uint16Array | null = null;

  /**
   * @param path `matrix.bin`
   * @param wholeBytes a matrix of at most this many bytes is read at once
   * @param share the memory of this matrix opened on another thread
   */
  constructor(
    readonly path: string,
    wholeBytes = WHOLE_MATRIX_BYTES,
    share?: MatrixShare,
  ) {
    try {
      this.fd = openSync(path, 'r');
    } catch (error) {
      throw broken(path, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message);
    }
    const size = fstatSync(this.fd).size;
    const head = new Uint16Array(2);
    if (size < 4 || readSync(this.fd, head, 0, 4, 0) !== 4) throw broken(path, 'too short to be a connection matrix');
    this.leftSize = head[0]!;
    this.rightSize = head[1]!;
    if (4 + 2 * this.leftSize * this.rightSize !== size) throw broken(path, 'its size is not that of the matrix its header gives');
    const pages = Math.max(1, Math.ceil((size - 4) / 65536));
    if (pages > MAXIMUM_PAGES - SCRATCH_PAGES) throw broken(path, `a connection matrix of ${this.leftSize} × ${this.rightSize} costs is larger than kotovec can hold (3.75 GB)`);
    this.rows = new Array(this.rightSize);
    if (share && share.memory.buffer.byteLength >= size - 4 && share.loaded.byteLength === 4 * this.rightSize) {
      this.share = share;
      this.loaded = new Int32Array(share.loaded);
      this.costs = share.memory.buffer;
      // Read whole by the thread that shared it: no row is ever read here.
      if (this.loaded.every((flag) => flag === 1)) this.close();
      return;
    }
    this.share = {
      memory: new WebAssembly.Memory({ initial: pages, maximum: MAXIMUM_PAGES, shared: true }),
      loaded: new SharedArrayBuffer(4 * this.rightSize),
    };
    this.loaded = new Int32Array(this.share.loaded);
    this.costs = this.share.memory.buffer;
    if (size <= wholeBytes) {
      const bytes = new Uint8Array(this.costs, 0, size - 4);
      let done = 0;
      while (done < bytes.length) done += readSync(this.fd, bytes, done, bytes.length - done, 4 + done);
      this.bytes = bytes.length;
      this.loaded.fill(1);
      closeSync(this.fd);
      this.fd = -1;
    }
  }

  /** The costs of every right id before left id `left` (`row[right]`), once {@link hasRow}. */
  row(left: number): Int16Array {
    return this.rows[left] ?? (this.rows[left] = new Int16Array(this.costs, 2 * left * this.leftSize, this.leftSize));
  }

  /** Whether row `left` is in memory. */
  hasRow(left: number): boolean {
    return Atomics.load(this.loaded, left) === 1;
  }

  /** Whether every row is in memory (the matrix was read at once). */
  get whole(): boolean {
    return this.fd < 0 && this.loaded.every((flag) => flag === 1);
  }

  /**
   * Reads row `left` as the file holds it into `target` (2 · leftSize bytes), without keeping it: for the
   * WebAssembly analysis, which keeps rows in an order of its own.
   */
  readRowInto(left: number, target: Uint8Array): void {
    let done = 0;
    while (done < target.length) {
      const n = readSync(this.fd, target, done, target.length - done, 4 + 2 * left * this.leftSize + done);
      if (n === 0) throw broken(this.path, 'the file ended early');
      done += n;
    }
    this.bytes += target.length;
  }

  /**
   * Reads places `from` … of row `left` from the matrix's head into `target` (2 bytes a place): from the
   * head file, or, should it fail (removed, cut short), from the matrix's own row through the head's order.
   */
  readHeadInto(left: number, from: number, target: Uint8Array): void {
    const head = this.share.head!;
    if (this.headFd === -1) {
      try {
        this.headFd = openSync(head.path, 'r');
      } catch {
        this.headFd = -2;
      }
    }
    if (this.headFd >= 0 && readHeadPlaces(this.headFd, this.leftSize, head.places, left, from, target)) {
      this.bytes += target.length;
      return;
    }
    const columns = columnState(this.share, this.leftSize, this.rightSize).subarray(2 + this.leftSize, 2 + 2 * this.leftSize);
    const row = new Int16Array(this.leftSize);
    this.readRowInto(left, new Uint8Array(row.buffer));
    const costs = new Int16Array(target.buffer, target.byteOffset, target.length / 2);
    for (let p = 0; p < costs.length; p++) costs[p] = row[columns[from + p]!]!;
  }

  /** Reads row `left` into memory. */
  loadRow(left: number): void {
    const row = this.row(left);
    this.readRowInto(left, new Uint8Array(row.buffer, row.byteOffset, row.byteLength));
    Atomics.store(this.loaded, left, 1);
  }

  /** The cost of right id `right` followed by left id `left`. */
  cost(left: number, right: number): number {
    if (!this.hasRow(left)) this.loadRow(left);
    return this.row(left)[right]!;
  }

  /** How many bytes of the matrix this thread read into memory. */
  get bytesRead(): number {
    return this.bytes;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (this.headFd >= 0) closeSync(this.headFd);
    this.headFd = -1;
  }
}

/** Reads `dicrc` (`key = value` lines, `;` comments). */
export function readDicrc(path: string): Map<string, string> {
  const settings = new Map<string, string>();
  if (!existsSync(path)) return settings;
  for (const raw of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    settings.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return settings;
}

function fingerprintOf(paths: string[]): string {
  const hash = sha256();
  const edge = Buffer.alloc(1 << 16);
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      hash.update(`${basename(path)}:${size}:`);
      hash.update(edge.subarray(0, readSync(fd, edge, 0, edge.length, 0)));
      if (size > edge.length) hash.update(edge.subarray(0, readSync(fd, edge, 0, edge.length, Math.max(edge.length, size - edge.length))));
    } finally {
      closeSync(fd);
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Names a dictionary folder for a tokenizer configuration: its absolute path, name and fingerprint.
 * @throws KotovecError TOKENIZER when the folder or its sys.dic is missing
 */
export function dictionaryRef(dir: string): { path: string; name: string; fingerprint: string } {
  const folder = resolve(dir);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new KotovecError(ErrorCodes.TOKENIZER, `no MeCab dictionary folder at ${dir}`);
  if (!existsSync(join(folder, 'sys.dic'))) throw new KotovecError(ErrorCodes.TOKENIZER, `${dir} is not a compiled MeCab dictionary: it has no sys.dic`);
  return { path: folder, name: basename(folder), fingerprint: fingerprintOf(dictionaryFiles(folder)) };
}

function dictionaryFiles(folder: string): string[] {
  return ['sys.dic', 'unk.dic', 'char.bin', 'matrix.bin', 'dicrc'].map((f) => join(folder, f));
}

/** The shareable parts of a dictionary, to open it again on another thread without reading the files. */
export interface MecabDictionaryTransfer {
  dir: string;
  /**
   * sys.dic without its features (the bytes from {@link systemOffset}, {@link systemLength} of them: in the
   * matrix's memory when {@link matrix} is set), and the file's size.
   */
  system: SharedArrayBuffer | ArrayBuffer;
  systemOffset: number;
  systemLength: number;
  systemSize: number;
  unknown: SharedArrayBuffer | ArrayBuffer;
  charBin: SharedArrayBuffer | ArrayBuffer;
  fingerprint: string;
  /** The user dictionary's entries, resolved. */
  user?: UserEntries;
  /** The connection matrix's shared memory, once a thread opened it. */
  matrix?: MatrixShare;
}

/**
 * Opens the compiled MeCab dictionary in `dir`, with its matrix's head when one is cached (`matrixHead.ts`;
 * `matrixHeadOrder.ts` makes it).
 * @param wholeMatrixBytes a matrix of at most this many bytes is read at once
 * @param headFolder the cache folder a head is looked for in
 * @throws KotovecError TOKENIZER when a file is missing, damaged, of another version or not UTF-8
 */
export async function openMecabDictionary(dir: string, wholeMatrixBytes = WHOLE_MATRIX_BYTES, headFolder = cacheFolder()): Promise<MecabDictionary> {
  const { path: folder, fingerprint } = dictionaryRef(dir);
  const files = dictionaryFiles(folder);
  // The matrix's memory first: sys.dic's double array and tokens are read into it, where the WebAssembly
  // analysis reads them, and JavaScript reads them there too.
  const matrix = new ConnectionMatrix(files[3]!, wholeMatrixBytes);
  if (!matrix.whole) {
    const path = matrixHeadPath(basename(folder), fingerprint, headFolder);
    const head = openMatrixHead(path, matrix.leftSize, matrix.rightSize, statSync(files[3]!).mtimeMs);
    if (head) {
      matrix.headOrder = head.order;
      matrix.share.head = { path, places: head.places };
    }
  }
  try {
    // Read side by side; a failure is reported in the files' order, whichever came first.
    const reads = await Promise.allSettled([
      readLexicon(files[0]!, false, matrix.share.memory),
      readLexicon(files[1]!, true),
      readLexicon(files[2]!, true),
    ]);
    const [system, unknown, charBin] = reads.map((read) => {
      if (read.status === 'rejected') throw read.reason;
      return read.value;
    }) as [LexiconBytes, LexiconBytes, LexiconBytes];
    const transfer: MecabDictionaryTransfer = {
      dir: folder,
      system: system.buffer,
      systemOffset: system.offset,
      systemLength: system.length,
      systemSize: system.fileSize,
      unknown: unknown.buffer,
      charBin: charBin.buffer,
      fingerprint,
      matrix: matrix.share,
    };
    return openMecabDictionaryFrom(transfer, wholeMatrixBytes, matrix);
  } catch (error) {
    matrix.close();
    throw error;
  }
}

/** Opens a dictionary from the buffers another thread read ({@link MecabDictionary} `transfer`). */
export function openMecabDictionaryFrom(transfer: MecabDictionaryTransfer, wholeMatrixBytes = WHOLE_MATRIX_BYTES, opened?: ConnectionMatrix): MecabDictionary {
  const { dir } = transfer;
  const system = openLexicon(transfer.system, join(dir, 'sys.dic'), transfer.systemSize, transfer.systemOffset, transfer.systemLength);
  if (system.type !== 0) throw broken(join(dir, 'sys.dic'), 'not a system dictionary');
  const unknown = openLexicon(transfer.unknown, join(dir, 'unk.dic'));
  const charPath = join(dir, 'char.bin');
  const charBytes = transfer.charBin.byteLength;
  if (charBytes < 4) throw broken(charPath, 'too short');
  const categoryCount = new Uint32Array(transfer.charBin, 0, 1)[0]!;
  if (4 + 32 * categoryCount + 4 * CHAR_CODES !== charBytes) throw broken(charPath, 'its size is not that of a character table');
  const categoryNames: string[] = [];
  const raw = new Uint8Array(transfer.charBin);
  for (let i = 0; i < categoryCount; i++) {
    const at = 4 + 32 * i;
    let end = at;
    while (end < at + 32 && raw[end] !== 0) end++;
    categoryNames.push(Buffer.from(raw.subarray(at, end)).toString('latin1'));
  }
  const charInfo = new Uint32Array(transfer.charBin, 4 + 32 * categoryCount, CHAR_CODES);
  const unknownTokens = new Int32Array(2 * categoryCount);
  categoryNames.forEach((name, i) => {
    const value = exactMatch(unknown, Buffer.from(name, 'latin1'));
    if (value < 0) throw broken(join(dir, 'unk.dic'), `no unknown-word entry for the character category ${name}`);
    unknownTokens[2 * i] = value >> 8;
    unknownTokens[2 * i + 1] = value & 0xff;
  });
  const matrix = opened ?? new ConnectionMatrix(join(dir, 'matrix.bin'), wholeMatrixBytes, transfer.matrix);
  if (matrix.leftSize !== system.leftSize || matrix.rightSize !== system.rightSize) {
    matrix.close();
    throw broken(join(dir, 'matrix.bin'), 'the connection matrix and sys.dic are not of one dictionary');
  }
  matrix.share.tables ??= placeTables(matrix, system, unknown, charInfo, unknownTokens, matrix.share === transfer.matrix);
  matrix.headOrder = null;
  // Threads opened from this transfer share the matrix's rows.
  transfer.matrix ??= matrix.share;
  const settings = readDicrc(join(dir, 'dicrc'));
  return {
    dir,
    name: basename(dir),
    fingerprint: transfer.fingerprint,
    system,
    unknown,
    charInfo,
    categoryNames,
    unknownTokens,
    matrix,
    // The mecab command's own default: a dicrc cannot change a setting the command line has a default for.
    maxGroupingSize: DEFAULT_MAX_GROUPING_SIZE,
    bosFeature: settings.get('bos-feature') ?? 'BOS/EOS',
    unknownFeature: settings.get('unk-feature') || null,
    settings,
    user: transfer.user ? new UserLexicon(transfer.user) : null,
    transfer,
  };
}

/**
 * The system dictionary's defaults for user words of the parts of speech `keys` (first four feature
 * fields): the left and right ids most of its words of that part of speech have (the first pair met among
 * equals) and their lowest cost. Reads every feature string once.
 */
export function systemClassDefaults(system: MecabLexicon, keys: Set<string>): Map<string, ClassDefaults> {
  const keyAt = new Map<number, string>();
  system.features.scan((offset, feature) => {
    const key = partOfSpeechKey(feature, splitFeatures);
    if (keys.has(key)) keyAt.set(offset, key);
  });
  const tallies = new ClassTallies();
  const count = system.tokenWords.length / 8;
  for (let t = 0; t < count; t++) {
    const key = keyAt.get(system.featureOffsets[4 * t + 2]!);
    if (key !== undefined) tallies.add(key, system.tokenWords[8 * t]!, system.tokenWords[8 * t + 1]!, system.costs[8 * t + 3]!);
  }
  return tallies.defaults();
}

/**
 * The dictionary with a user dictionary added (MeCab's CSV, see `userDictionary.ts`).
 * @param text the CSV
 * @param name the file's name, for messages
 * @throws KotovecError TOKENIZER naming a malformed line
 */
export function withUserDictionary(dictionary: MecabDictionary, text: string, name: string): MecabDictionary {
  const entries = parseUserDictionary(text, name, dictionary.matrix);
  const resolved = resolveUserEntries(entries, name, (keys) => systemClassDefaults(dictionary.system, keys), splitFeatures);
  return { ...dictionary, user: new UserLexicon(resolved), transfer: { ...dictionary.transfer, user: resolved } };
}
