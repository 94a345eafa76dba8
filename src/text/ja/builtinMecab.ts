/**
 * The built-in IPADIC as a compiled MeCab dictionary (`sys.dic`, `unk.dic`, `char.bin`, `matrix.bin`,
 * `dicrc`, as `mecab-dict-index` writes them; see `mecabDictionary.ts`), made from kuromoji's files. With a
 * user dictionary the built-in IPADIC is read with MeCab's rules over these files (`mecabEngine.ts`), so
 * that its tokens equal `mecab -u` with the same CSV compiled against IPADIC. The build writes them beside
 * the compiled module (`ipadic-mecab/`); {@link builtinMecabDictionaryDir} makes them there when missing.
 *
 * kuromoji's files hold all of IPADIC 2.7.0: every word with its ids, cost and features, the connection
 * matrix, the unknown-word entries and the character table. Two things are put back as MeCab has them:
 *
 * - kuromoji prefixes each unknown-word entry's features with its category name; MeCab's do not have it.
 * - kuromoji's character table gives every code point of the DEFAULT category the id of SPACE (its loader
 *   sets `1 << DEFAULT` where DEFAULT's id belongs); IPADIC's char.def gives SPACE only tab, line feed,
 *   vertical tab and space ({@link SPACE_CODES}), so every other code point of that id is DEFAULT here.
 *
 * One word is added, as Debian's mecab-ipadic adds it (its patch "new Japanese era reiwa entry", 2019): the
 * era name 令和 ({@link ADDED_WORDS}); the built-in engine without a user dictionary keeps kuromoji's words.
 *
 * The words of one surface are in MeCab's order, which decides ties of equal cost: `mecab-dict-index` reads
 * IPADIC's CSV files in the order the build machine lists them, each from its first line. A file holds one
 * part of speech ({@link FILE_ORDER}), and kuromoji keeps each file's lines in order, so the words of a
 * surface are sorted by their file's place in that order, then by kuromoji's id. With Debian's
 * mecab-ipadic-utf8 this gives the same words in the same order for every surface.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { temporaryPathBeside } from '../../atomicFile.js';
import { ErrorCodes, KotovecError } from '../../errors.js';
import { loadKuromojiDictionaries, type KuromojiInfoDictionary } from './buildDictionary.js';
import { keysOfByteTrie } from './charTrie.js';
import { dictionaryImagePath } from './dictionary.js';
import { buildDoubleArray } from './doubleArray.js';
import { CHAR_CODES, DICTIONARY_MAGIC_ID, DICTIONARY_VERSION, HEADER_BYTES, TOKEN_BYTES } from './mecabDictionary.js';

/** The code points IPADIC's char.def gives the SPACE category. */
const SPACE_CODES = [0x09, 0x0a, 0x0b, 0x20];
/** Bumped whenever these files would come out differently; a folder of another version is made again. */
const BUILTIN_MECAB_VERSION = 1;
const VERSION_FILE = 'kotovec-version';

/**
 * The parts of speech of IPADIC's CSV files in the order Debian's mecab-ipadic-utf8 build read them
 * (`partOfSpeechFile` names a word's file).
 */
const FILE_ORDER = [
  '名詞,一般', '記号', '動詞', '名詞,引用文字列', '名詞,動詞非自立的', '名詞,接続詞的', '助動詞', '名詞,ナイ形容詞語幹',
  '名詞,特殊', '名詞,代名詞', '名詞,固有名詞,地域', '接続詞', '名詞,非自立', 'その他', '名詞,固有名詞,一般', '接頭詞',
  '名詞,固有名詞,人名', '副詞', '名詞,サ変接続', '連体詞', 'フィラー', '名詞,形容動詞語幹', '名詞,副詞可能',
  '名詞,固有名詞,組織', '助詞', '感動詞', '形容詞', '助詞,連語', '名詞,接尾', '名詞,数',
];
const FILE_RANK = new Map(FILE_ORDER.map((name, rank) => [name, rank]));

/** The part of speech that names a word's CSV file in IPADIC, from its features. */
function partOfSpeechFile(feature: string): string {
  const f = feature.split(',');
  if (f[0] === '名詞') return f[1] === '固有名詞' ? `名詞,固有名詞,${f[2]}` : `名詞,${f[1]}`;
  if (f[0] === '助詞') return f.slice(1, 4).includes('連語') ? '助詞,連語' : '助詞';
  return f[0]!;
}

/** Words IPADIC 2.7.0 lacks that Debian's mecab-ipadic has: surface, then the word. */
const ADDED_WORDS: [string, LexiconWord][] = [['令和', { left: 1288, right: 1288, cost: 5904, feature: '名詞,固有名詞,一般,*,*,*,令和,レイワ,レイワ' }]];

/** IPADIC's dicrc settings that analysis reads. */
const DICRC = `; IPADIC 2.7.0 as kotovec builds it from kuromoji's files (MeCab's own format)
cost-factor = 800
bos-feature = BOS/EOS,*,*,*,*,*,*,*,*
eval-size = 8
unk-eval-size = 4
config-charset = UTF-8
`;

/** One word of a lexicon file. */
interface LexiconWord {
  left: number;
  right: number;
  cost: number;
  feature: string;
}

/**
 * A lexicon file (`sys.dic` type 0, `unk.dic` type 2) of `groups`: each key's words, in the order given.
 * @param keys UTF-8 keys, sorted bytewise
 */
function lexiconFile(type: number, keys: Uint8Array[], groups: LexiconWord[][], leftSize: number, rightSize: number): Buffer {
  const values: number[] = [];
  let tokens = 0;
  for (const group of groups) {
    if (group.length === 0 || group.length > 255) throw new KotovecError(ErrorCodes.TOKENIZER, `a dictionary key with ${group.length} words`);
    values.push((tokens << 8) | group.length);
    tokens += group.length;
  }
  const units = buildDoubleArray(keys, values);
  const featureOffset = new Map<string, number>();
  const featureParts: Buffer[] = [];
  let featureBytes = 0;
  const tokenBytes = Buffer.alloc(tokens * TOKEN_BYTES);
  let t = 0;
  for (const group of groups) {
    for (const word of group) {
      let offset = featureOffset.get(word.feature);
      if (offset === undefined) {
        offset = featureBytes;
        featureOffset.set(word.feature, offset);
        const bytes = Buffer.from(`${word.feature}\0`, 'utf8');
        featureParts.push(bytes);
        featureBytes += bytes.length;
      }
      const at = t++ * TOKEN_BYTES;
      tokenBytes.writeUInt16LE(word.left, at);
      tokenBytes.writeUInt16LE(word.right, at + 2);
      tokenBytes.writeUInt16LE(0, at + 4);
      tokenBytes.writeInt16LE(word.cost, at + 6);
      tokenBytes.writeUInt32LE(offset, at + 8);
      tokenBytes.writeUInt32LE(0, at + 12);
    }
  }
  const dsize = units.byteLength;
  const size = HEADER_BYTES + dsize + tokenBytes.length + featureBytes;
  const header = Buffer.alloc(HEADER_BYTES);
  [(DICTIONARY_MAGIC_ID ^ size) >>> 0, DICTIONARY_VERSION, type, tokens, leftSize, rightSize, dsize, tokenBytes.length, featureBytes, 0].forEach((value, i) =>
    header.writeUInt32LE(value, 4 * i),
  );
  header.write('UTF-8', 40, 'latin1');
  return Buffer.concat([header, Buffer.from(units.buffer, units.byteOffset, dsize), tokenBytes, ...featureParts], size);
}

/** Words of one surface (in kuromoji's order) in MeCab's (see above). */
function inFileOrder(words: LexiconWord[]): LexiconWord[] {
  if (words.length < 2) return words;
  const rank = (word: LexiconWord) => FILE_RANK.get(partOfSpeechFile(word.feature)) ?? FILE_ORDER.length;
  return words
    .map((word, i) => ({ word, i, rank: rank(word) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((entry) => entry.word);
}

/** The word of kuromoji's record `record`. */
function wordOf(source: KuromojiInfoDictionary, record: number): LexiconWord {
  const features = source.getFeatures(record) ?? '';
  return {
    left: source.dictionary.getShort(record),
    right: source.dictionary.getShort(record + 2),
    cost: source.dictionary.getShort(record + 4),
    // kuromoji keeps the surface (or, for unknown words, the category) before the features.
    feature: features.slice(features.indexOf(',') + 1),
  };
}

/**
 * The files of the built-in IPADIC in MeCab's format, by name.
 * @throws KotovecError TOKENIZER when kuromoji's dictionary cannot be read
 */
export async function buildBuiltinMecabFiles(): Promise<Map<string, Buffer>> {
  const dic = await loadKuromojiDictionaries();
  const known = dic.token_info_dictionary;
  const unknown = dic.unknown_dictionary;
  const costs = dic.connection_costs;
  const rightSize = costs.forward_dimension;
  const leftSize = costs.backward_dimension;

  // sys.dic: kuromoji's keys (its trie's), bytewise sorted, each with its words.
  const trie = dic.trie.bc;
  const { keys, values } = keysOfByteTrie(trie.getBaseBuffer(), trie.getCheckBuffer(), trie.getCheckBuffer().length);
  const wordsOf = new Map<string, LexiconWord[]>();
  keys.forEach((key, i) => {
    if (key !== '') wordsOf.set(key, (known.target_map[values[i]!] ?? []).map((id) => wordOf(known, Number(id))));
  });
  for (const [surface, word] of ADDED_WORDS) wordsOf.set(surface, [...(wordsOf.get(surface) ?? []), word]);
  const entries = [...wordsOf]
    .map(([key, words]) => ({ key: Buffer.from(key, 'utf8'), words: inFileOrder(words) }))
    .sort((a, b) => Buffer.compare(a.key, b.key));
  const system = lexiconFile(
    0,
    entries.map((entry) => entry.key),
    entries.map((entry) => entry.words),
    leftSize,
    rightSize,
  );

  // unk.dic: a key per character category.
  const definition = unknown.character_definition;
  const classes = definition.invoke_definition_map.map.filter((c) => c.class_name !== '');
  const categories = classes
    .map((c, id) => ({ key: Buffer.from(c.class_name, 'latin1'), id }))
    .filter((c) => (unknown.target_map[c.id] ?? []).length > 0)
    .sort((a, b) => Buffer.compare(a.key, b.key));
  const unknownFile = lexiconFile(
    2,
    categories.map((c) => c.key),
    categories.map((c) => (unknown.target_map[c.id] ?? []).map((id) => wordOf(unknown, Number(id)))),
    leftSize,
    rightSize,
  );

  // char.bin: the categories' names, then a word per code: categories (bit set), default category,
  // length, group and invoke flags of the default category.
  const charBin = Buffer.alloc(4 + 32 * classes.length + 4 * CHAR_CODES);
  charBin.writeUInt32LE(classes.length, 0);
  classes.forEach((c, i) => charBin.write(c.class_name, 4 + 32 * i, 31, 'latin1'));
  const defaultId = definition.invoke_definition_map.lookup('DEFAULT') ?? 0;
  const spaceId = definition.invoke_definition_map.lookup('SPACE');
  const spaces = new Set(SPACE_CODES);
  const words = 4 + 32 * classes.length;
  for (let code = 0; code < CHAR_CODES; code++) {
    let id = definition.character_category_map[code]!;
    if (id === spaceId && !spaces.has(code)) id = defaultId;
    const c = classes[id]!;
    const categories = ((1 << id) | definition.compatible_category_map[code]!) & 0x3ffff;
    const word = categories | (id << 18) | ((c.max_length & 0xf) << 26) | ((c.is_grouping ? 1 : 0) << 30) | ((c.is_always_invoke ? 1 : 0) << 31);
    charBin.writeUInt32LE(word >>> 0, words + 4 * code);
  }

  // matrix.bin: the cost of right id r followed by left id l at r + leftSize · l.
  const matrix = Buffer.alloc(4 + 2 * leftSize * rightSize);
  matrix.writeUInt16LE(leftSize, 0);
  matrix.writeUInt16LE(rightSize, 2);
  const byRight = costs.buffer;
  for (let l = 0; l < leftSize; l++) {
    for (let r = 0; r < rightSize; r++) matrix.writeInt16LE(byRight[2 + r * leftSize + l]!, 4 + 2 * (r + leftSize * l));
  }

  return new Map([
    ['sys.dic', system],
    ['unk.dic', unknownFile],
    ['char.bin', charBin],
    ['matrix.bin', matrix],
    ['dicrc', Buffer.from(DICRC, 'utf8')],
    [VERSION_FILE, Buffer.from(`${BUILTIN_MECAB_VERSION}\n`)],
  ]);
}

/**
 * Writes the built-in IPADIC's MeCab files into the folder `dir`, all at once: they are written to a
 * folder beside it, which then takes its place (or, when another process put its own there meanwhile, is
 * dropped for it).
 * @throws KotovecError TOKENIZER when kuromoji's dictionary cannot be read or the folder cannot be written
 */
export async function writeBuiltinMecabDictionary(dir: string): Promise<void> {
  const files = await buildBuiltinMecabFiles();
  const temporary = temporaryPathBeside(dir);
  try {
    rmSync(temporary, { recursive: true, force: true });
    mkdirSync(temporary, { recursive: true });
    for (const [name, bytes] of files) writeFileSync(join(temporary, name), bytes);
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(temporary, dir);
    } catch (error) {
      // Another process renamed its own folder into place in between: the same files.
      if (!isCurrent(dir)) throw error;
      rmSync(temporary, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw new KotovecError(ErrorCodes.TOKENIZER, `cannot write the built-in dictionary's MeCab files to ${dir}: ${(error as Error).message}`);
  }
}

/** Whether `dir` holds this version's files. */
function isCurrent(dir: string): boolean {
  try {
    return existsSync(join(dir, 'sys.dic')) && Number(readFileSync(join(dir, VERSION_FILE), 'utf8')) === BUILTIN_MECAB_VERSION;
  } catch {
    return false;
  }
}

/**
 * The folder of the built-in IPADIC's MeCab files, beside the compiled module (made now, a few seconds,
 * when the build did not).
 * @throws KotovecError TOKENIZER when it cannot be made
 */
export async function builtinMecabDictionaryDir(): Promise<string> {
  // Beside the built image (running from sources, as the tests do: the build's).
  const dir = join(dirname(dictionaryImagePath()), 'ipadic-mecab');
  if (!isCurrent(dir)) await writeBuiltinMecabDictionary(dir);
  return dir;
}
