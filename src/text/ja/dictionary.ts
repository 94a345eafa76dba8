/**
 * The IPADIC dictionary as flat typed arrays over one buffer, so that every thread can use a single
 * shared copy and no object is made per word.
 *
 * The source is the dictionary kuromoji 0.1.2 ships (`node_modules/kuromoji/dict/*.dat.gz`, MeCab's
 * IPADIC compiled by kuromoji): a double-array trie over UTF-8 bytes whose leaves hold a value (here made
 * again over characters), a map from
 * values to word entries (left and right context ids, word cost, features), a connection-cost matrix, and
 * the unknown-word tables (a character class for each UTF-16 code unit; for each class whether it is
 * always tried, whether it groups, and its entries). `buildDictionary.ts` reads them through kuromoji's
 * own loader once and lays them out in one image; the build writes that image beside the compiled module
 * (`ipadic.bin`), and {@link loadDictionary} reads it into a `SharedArrayBuffer`.
 *
 * Entries are numbered from 0: kuromoji's known entries first (its byte offset / 10), then the unknown
 * entries. Only what tokens need is kept: context ids, cost, part of speech (two levels) and base form.
 */
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { readInPieces } from '../../pieceRead.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DICTIONARY_FORMAT, DICTIONARY_MAGIC, openDictionaryImage, type JapaneseDictionary } from './dictionaryImage.js';

export {
  CLASS_GROUP,
  CLASS_INVOKE,
  DICTIONARY_FORMAT,
  DICTIONARY_MAGIC,
  dictionaryString,
  kuromojiDictionaryPath,
  openDictionaryImage,
  type JapaneseDictionary,
} from './dictionaryImage.js';

/** The image file written by the build, beside the compiled module. */
export function dictionaryImagePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, 'ipadic.bin');
  if (existsSync(built)) return built;
  // Running from sources (tests): the build's copy.
  return join(here, '..', '..', '..', 'dist', 'text', 'ja', 'ipadic.bin');
}

/** The image as `loadDictionary` gives it: always in a shared WebAssembly memory. */
export type LoadedDictionary = JapaneseDictionary & { readonly memory: WebAssembly.Memory };

let cached: LoadedDictionary | undefined;

/** Largest shared memory of a dictionary image, in 64 KiB pages: the image and every thread's lattice scratch. */
const MAXIMUM_PAGES = 65536;

/** A shared WebAssembly memory holding `bytes` from byte 0 (more pages are taken by the lattice's scratch). */
function imageMemory(bytes: number): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536), maximum: MAXIMUM_PAGES, shared: true });
}

/**
 * The dictionary of this process: the built image read into a shared WebAssembly memory once (a few
 * milliseconds), or, when no current image is built, made from kuromoji's files in memory (about a second).
 * @throws KotovecError TOKENIZER when neither can be read
 */
export async function loadDictionary(): Promise<LoadedDictionary> {
  if (cached) return cached;
  const path = dictionaryImagePath();
  if (existsSync(path)) {
    const image = await readImage(path);
    if (image) return (cached = image);
  }
  const { buildDictionaryImage } = await import('./buildDictionary.js');
  cached = openDictionaryImage(shareImage(await buildDictionaryImage())) as LoadedDictionary;
  return cached;
}

async function readImage(path: string): Promise<LoadedDictionary | undefined> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const memory = imageMemory(size);
    const done = await readInPieces(file, new Uint8Array(memory.buffer, 0, size));
    const header = new Int32Array(memory.buffer, 0, 2);
    if (done !== size || header[0] !== DICTIONARY_MAGIC || header[1] !== DICTIONARY_FORMAT) return undefined;
    return openDictionaryImage(memory) as LoadedDictionary;
  } finally {
    await file.close();
  }
}

function shareImage(image: Uint8Array): WebAssembly.Memory {
  const memory = imageMemory(image.byteLength);
  new Uint8Array(memory.buffer).set(image);
  return memory;
}


