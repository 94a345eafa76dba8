/**
 * fastText's `.bin` model files (fastText 0.9, file format version 12; version 11 files of 2016–2017 have
 * the same layout): a magic number and version, the arguments (`Args::save`), the dictionary
 * (`Dictionary::save`: sizes, then each entry as a NUL-terminated word, an int64 count and an int8 type),
 * a byte saying whether the input matrix is quantized, the input matrix (int64 rows, int64 columns, then
 * float32 values: the words' rows, then one row a hash bucket of character n-grams), a byte for the
 * output matrix's quantization and the output matrix. All little-endian. Quantized (`.ftz`) and
 * supervised (label) models are refused, as are other versions and damaged or truncated files — each in
 * one line, naming the file.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { ErrorCodes, KotovecError } from '../errors.js';

/** fastText's `FASTTEXT_FILEFORMAT_MAGIC_INT32`. */
export const FASTTEXT_MAGIC = 793712314;
/** The version fastText 0.9 writes. */
export const FASTTEXT_VERSION = 12;

/** fastText's `model_name` and `loss_name` values. */
const MODEL_NAMES: Record<number, 'cbow' | 'skipgram' | 'supervised'> = { 1: 'cbow', 2: 'skipgram', 3: 'supervised' };
const LOSS_NAMES: Record<number, 'hs' | 'ns' | 'softmax' | 'ova'> = { 1: 'hs', 2: 'ns', 3: 'softmax', 4: 'ova' };

/** The arguments a `.bin` records (`Args::save`). */
export interface FastTextArgs {
  dim: number;
  /** Context window (`ws`). */
  window: number;
  epoch: number;
  minCount: number;
  /** Negative samples (`neg`). */
  negative: number;
  wordNgrams: number;
  loss: 'hs' | 'ns' | 'softmax' | 'ova';
  model: 'cbow' | 'skipgram' | 'supervised';
  bucket: number;
  minn: number;
  maxn: number;
  lrUpdateRate: number;
  /** Subsampling threshold (`t`). */
  sample: number;
}

/** An unsupervised fastText model as its `.bin` holds it. */
export interface FastTextModel {
  version: number;
  args: FastTextArgs;
  /** Words by id (fastText's order: most frequent first). */
  words: string[];
  counts: Float64Array;
  /** Tokens the model was trained on. */
  tokens: number;
  /** The input matrix: the words' own rows, words × dim, then the n-gram rows, bucket × dim. */
  wordRows: Float32Array;
  ngramRows: Float32Array;
  /** The output matrix (words × dim), or null when a file is written without one (zeros are written). */
  output: Float32Array | null;
}

/**
 * Opens a file to read.
 * @throws KotovecError INPUT_NOT_FOUND
 */
function openForReading(path: string): number {
  try {
    return openSync(path, 'r');
  } catch {
    throw new KotovecError(ErrorCodes.INPUT_NOT_FOUND, `file not found: ${path}`);
  }
}

/**
 * True when the file starts with fastText's magic number (a word2vec binary starts with digits).
 * @throws KotovecError INPUT_NOT_FOUND
 */
export function isFastTextBin(path: string): boolean {
  const fd = openForReading(path);
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.readInt32LE(0) === FASTTEXT_MAGIC;
  } finally {
    closeSync(fd);
  }
}

/** Sequential reads from a file descriptor, buffered, with the offset for messages. */
class FileReader {
  private buffer = Buffer.alloc(1 << 20);
  private start = 0;
  private end = 0;
  /** File offset of buffer[0]. */
  private base = 0;

  constructor(private readonly fd: number, private readonly path: string, readonly size: number) {}

  get offset(): number {
    return this.base + this.start;
  }

  private truncated(what: string): KotovecError {
    return new KotovecError(ErrorCodes.BAD_FORMAT, `${this.path}: not a complete fastText model (truncated in ${what} at byte ${this.offset})`);
  }

  /** Makes `n` bytes available (n ≤ the buffer's size). */
  private need(n: number, what: string): void {
    if (this.end - this.start >= n) return;
    this.buffer.copy(this.buffer, 0, this.start, this.end);
    this.end -= this.start;
    this.base += this.start;
    this.start = 0;
    while (this.end < n) {
      const read = readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, this.base + this.end);
      if (read === 0) throw this.truncated(what);
      this.end += read;
    }
  }

  /** Reads a value of `bytes` bytes at the current offset. */
  private take(bytes: number, what: string, read: (buffer: Buffer, at: number) => number): number {
    this.need(bytes, what);
    const value = read(this.buffer, this.start);
    this.start += bytes;
    return value;
  }

  int32(what: string): number {
    return this.take(4, what, (b, at) => b.readInt32LE(at));
  }

  int64(what: string): number {
    return this.take(8, what, (b, at) => Number(b.readBigInt64LE(at)));
  }

  float64(what: string): number {
    return this.take(8, what, (b, at) => b.readDoubleLE(at));
  }

  int8(what: string): number {
    return this.take(1, what, (b, at) => b.readInt8(at));
  }

  /** A NUL-terminated string (at most 64 KiB). */
  word(what: string): string {
    for (let scanned = 0; ; ) {
      const nul = this.buffer.indexOf(0, this.start + scanned);
      if (nul >= 0 && nul < this.end) {
        const text = this.buffer.toString('utf8', this.start, nul);
        this.start = nul + 1;
        return text;
      }
      scanned = this.end - this.start;
      if (scanned >= 1 << 16) throw new KotovecError(ErrorCodes.BAD_FORMAT, `${this.path}: a word of the dictionary is longer than 64 KiB at byte ${this.offset} (damaged file?)`);
      this.need(scanned + 1, what);
    }
  }

  /** Moves to byte `offset` (ahead of what was read). */
  skipTo(offset: number): void {
    this.base = offset;
    this.start = this.end = 0;
  }
}

/** Largest dimension and n-gram bucket count taken as plausible (beyond: a damaged file). */
const MAX_DIM = 100_000;
const MAX_ROWS = 2 ** 31 - 1;

/** Everything of a `.bin` but its matrices, and where they lie in the file. */
export interface FastTextHeader {
  version: number;
  args: FastTextArgs;
  words: string[];
  counts: Float64Array;
  tokens: number;
  /** File offsets of the input matrix's first value (words' rows, then the n-gram rows) and the output matrix's. */
  inputOffset: number;
  outputOffset: number;
}

/**
 * An open `.bin` whose header has been read and checked: its matrices are read a range of rows at a
 * time, so a 2 GB model can be streamed through one buffer instead of held whole.
 */
export class FastTextFile {
  private constructor(private readonly fd: number, readonly path: string, readonly header: FastTextHeader) {}

  /**
   * Opens a `.bin` and reads its header; the file's size must be exactly what the header describes.
   * @throws KotovecError INPUT_NOT_FOUND; BAD_FORMAT for another file, another version, a quantized or
   *   supervised model, or a damaged or truncated one (one line naming what and where)
   */
  static open(path: string): FastTextFile {
    const fd = openForReading(path);
    try {
      return new FastTextFile(fd, path, readHeader(fd, path));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Rows of the input matrix: the words' rows, then one a bucket. */
  get inputRows(): number {
    return this.header.words.length + this.header.args.bucket;
  }

  /** Reads input rows `start` … `start + out.length / dim − 1` into `out`. */
  readInputRows(start: number, out: Float32Array): void {
    this.readFloats(this.header.inputOffset + start * this.header.args.dim * 4, out, 'the input matrix');
  }

  /** Reads output rows `start` … `start + out.length / dim − 1` into `out`. */
  readOutputRows(start: number, out: Float32Array): void {
    this.readFloats(this.header.outputOffset + start * this.header.args.dim * 4, out, 'the output matrix');
  }

  private readFloats(offset: number, out: Float32Array, what: string): void {
    const target = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    for (let done = 0; done < target.length; ) {
      const read = readSync(this.fd, target, done, Math.min(target.length - done, 1 << 30), offset + done);
      if (read === 0) throw new KotovecError(ErrorCodes.BAD_FORMAT, `${this.path}: not a complete fastText model (truncated in ${what} at byte ${offset + done})`);
      done += read;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Reads and checks everything before the input matrix, and the output matrix's header. */
function readHeader(fd: number, path: string): FastTextHeader {
  const reader = new FileReader(fd, path, fstatSync(fd).size);
  const bad = (detail: string) => new KotovecError(ErrorCodes.BAD_FORMAT, `${path}: ${detail}`);
  if (reader.int32('the header') !== FASTTEXT_MAGIC) throw bad('not a fastText model (no fastText magic number)');
  const version = reader.int32('the header');
  if (version !== 11 && version !== FASTTEXT_VERSION) throw bad(`fastText file format version ${version}; kotovec reads versions 11 and 12 (fastText 0.9)`);
  const a = (what: string) => reader.int32(`the arguments (${what})`);
  const dim = a('dim');
  const window = a('ws');
  const epoch = a('epoch');
  const minCount = a('minCount');
  const negative = a('neg');
  const wordNgrams = a('wordNgrams');
  const lossCode = a('loss');
  const modelCode = a('model');
  const bucket = a('bucket');
  const minn = a('minn');
  const maxn = a('maxn');
  const lrUpdateRate = a('lrUpdateRate');
  const sample = reader.float64('the arguments (t)');
  const model = MODEL_NAMES[modelCode];
  const loss = LOSS_NAMES[lossCode];
  if (!model || !loss) throw bad(`damaged arguments (model ${modelCode}, loss ${lossCode})`);
  if (model === 'supervised') throw bad('a supervised (label) fastText model: kotovec reads unsupervised ones (cbow, skipgram)');
  if (!(dim > 0 && dim <= MAX_DIM) || bucket < 0 || minn < 0 || maxn < 0) throw bad(`damaged arguments (dim ${dim}, bucket ${bucket}, minn ${minn}, maxn ${maxn})`);
  const args: FastTextArgs = { dim, window, epoch, minCount, negative, wordNgrams, loss, model, bucket, minn, maxn, lrUpdateRate, sample };

  const size = reader.int32('the dictionary');
  const nwords = reader.int32('the dictionary');
  const nlabels = reader.int32('the dictionary');
  const tokens = reader.int64('the dictionary');
  const pruned = reader.int64('the dictionary');
  if (nlabels > 0) throw bad(`a supervised fastText model (${nlabels} labels): kotovec reads unsupervised ones`);
  if (size < 0 || nwords !== size) throw bad(`damaged dictionary (${size} entries, ${nwords} words)`);
  const words: string[] = new Array(nwords);
  const counts = new Float64Array(nwords);
  for (let i = 0; i < nwords; i++) {
    words[i] = reader.word('the dictionary');
    counts[i] = reader.int64('the dictionary');
    const type = reader.int8('the dictionary');
    if (type !== 0) throw bad(`entry ${i} of the dictionary is a label: kotovec reads unsupervised models`);
  }
  for (let i = 0; i < pruned; i++) reader.int64('the pruned dictionary');
  if (reader.int8('the input matrix') !== 0 || pruned >= 0) throw bad('a quantized fastText model (.ftz): kotovec reads full-precision .bin models');
  const rows = reader.int64('the input matrix');
  const columns = reader.int64('the input matrix');
  if (rows !== nwords + bucket || columns !== dim || rows > MAX_ROWS) throw bad(`damaged input matrix (${rows} × ${columns}, expected ${nwords + bucket} × ${dim})`);
  const inputOffset = reader.offset;
  const expected = inputOffset + rows * dim * 4 + 1 + 16 + nwords * dim * 4;
  if (reader.size < expected) throw bad(`not a complete fastText model (${reader.size} bytes, ${expected} expected: truncated)`);
  reader.skipTo(inputOffset + rows * dim * 4);
  if (reader.int8('the output matrix') !== 0) throw bad('a quantized output matrix: kotovec reads full-precision .bin models');
  const outRows = reader.int64('the output matrix');
  const outColumns = reader.int64('the output matrix');
  if (outRows !== nwords || outColumns !== dim) throw bad(`damaged output matrix (${outRows} × ${outColumns}, expected ${nwords} × ${dim})`);
  const outputOffset = reader.offset;
  if (outputOffset + nwords * dim * 4 !== reader.size) throw bad(`${reader.size - outputOffset - nwords * dim * 4} bytes after the output matrix (damaged file?)`);
  return { version, args, words, counts, tokens, inputOffset, outputOffset };
}

/**
 * Reads an unsupervised fastText `.bin` model whole.
 * @throws KotovecError INPUT_NOT_FOUND; BAD_FORMAT for another file, another version, a quantized or
 *   supervised model, or a damaged or truncated one (one line naming what and where)
 */
export function readFastText(path: string): FastTextModel {
  const file = FastTextFile.open(path);
  try {
    const { version, args, words, counts, tokens } = file.header;
    const nwords = words.length;
    const input = new Float32Array(file.inputRows * args.dim);
    file.readInputRows(0, input);
    const output = new Float32Array(nwords * args.dim);
    file.readOutputRows(0, output);
    return { version, args, words, counts, tokens, wordRows: input.subarray(0, nwords * args.dim), ngramRows: input.subarray(nwords * args.dim), output };
  } finally {
    file.close();
  }
}

/**
 * Writes a `.bin` that fastText 0.9 and gensim's `load_facebook_model` read. The file is written in
 * place: callers write to a temporary path and rename it.
 */
export function writeFastText(path: string, model: FastTextModel): void {
  const { args, words, counts } = model;
  const dim = args.dim;
  if (model.wordRows.length !== words.length * dim || model.ngramRows.length !== args.bucket * dim) throw new Error('writeFastText: matrix sizes do not match the dictionary');
  const fd = openSync(path, 'w');
  try {
    const chunks: Buffer[] = [];
    let pending = 0;
    const flush = () => {
      if (pending === 0) return;
      writeSync(fd, Buffer.concat(chunks, pending));
      chunks.length = 0;
      pending = 0;
    };
    const put = (chunk: Buffer) => {
      chunks.push(chunk);
      pending += chunk.length;
      if (pending >= 1 << 20) flush();
    };
    const int32 = (value: number) => {
      const b = Buffer.alloc(4);
      b.writeInt32LE(value);
      put(b);
    };
    const int64 = (value: number) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(value));
      put(b);
    };
    const floats = (values: Float32Array) => {
      flush();
      for (let at = 0; at < values.byteLength; at += 1 << 28) {
        writeSync(fd, new Uint8Array(values.buffer, values.byteOffset + at, Math.min(1 << 28, values.byteLength - at)));
      }
    };
    int32(FASTTEXT_MAGIC);
    int32(FASTTEXT_VERSION);
    const modelCode = Number(Object.entries(MODEL_NAMES).find(([, name]) => name === args.model)![0]);
    const lossCode = Number(Object.entries(LOSS_NAMES).find(([, name]) => name === args.loss)![0]);
    for (const value of [dim, args.window, args.epoch, args.minCount, args.negative, args.wordNgrams, lossCode, modelCode, args.bucket, args.minn, args.maxn, args.lrUpdateRate]) int32(value);
    const t = Buffer.alloc(8);
    t.writeDoubleLE(args.sample);
    put(t);
    int32(words.length);
    int32(words.length);
    int32(0);
    int64(model.tokens);
    int64(-1);
    for (let i = 0; i < words.length; i++) {
      put(Buffer.from(words[i]!, 'utf8'));
      const tail = Buffer.alloc(10);
      tail.writeBigInt64LE(BigInt(Math.round(counts[i]!)), 1);
      put(tail); // NUL, count, type 0 (a word)
    }
    put(Buffer.from([0]));
    int64(words.length + args.bucket);
    int64(dim);
    floats(model.wordRows);
    floats(model.ngramRows);
    put(Buffer.from([0]));
    int64(words.length);
    int64(dim);
    floats(model.output ?? new Float32Array(words.length * dim));
    flush();
  } finally {
    closeSync(fd);
  }
}
