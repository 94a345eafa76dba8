/**
 * Japanese morphology with kuromoji 0.1.2 and its bundled IPADIC (the dictionary MeCab's IPADIC uses).
 *
 * kuromoji has traps that this module steps around: a lone surrogate or a control character makes
 * `tokenize` throw, and its time grows with the square of a segment's length, so each line is sanitised
 * and cut into sentences (after 。！？) and then into pieces of at most {@link MAX_SEGMENT_CHARS}
 * characters (at a 、 or a space where one is near) before kuromoji sees it. The dictionary is loaded
 * once per process.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ErrorCodes, KotovecError } from '../errors.js';
import type { TokenizerConfig } from './tokenizers.js';

/** Longest piece handed to kuromoji at once, in characters. */
export const MAX_SEGMENT_CHARS = 500;

interface KuromojiToken {
  surface_form: string;
  pos: string;
  pos_detail_1: string;
  basic_form: string;
}
interface KuromojiTokenizer {
  tokenize(text: string): KuromojiToken[];
}

let loading: Promise<KuromojiTokenizer> | undefined;

/** Folder of kuromoji's bundled IPADIC dictionary. */
export function kuromojiDictionaryPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('kuromoji/package.json')), 'dict');
}

/** Loads kuromoji's dictionary once per process and returns the shared tokenizer. */
export function loadKuromoji(): Promise<KuromojiTokenizer> {
  if (!loading) {
    loading = (async () => {
      const require = createRequire(import.meta.url);
      const kuromoji = require('kuromoji') as {
        builder(options: { dicPath: string }): { build(cb: (err: Error | null, t: KuromojiTokenizer) => void): void };
      };
      return new Promise<KuromojiTokenizer>((resolve, reject) => {
        kuromoji.builder({ dicPath: kuromojiDictionaryPath() }).build((err, tokenizer) => {
          if (err) reject(new KotovecError(ErrorCodes.TOKENIZER, `cannot load the Japanese dictionary: ${err.message}`));
          else resolve(tokenizer);
        });
      });
    })();
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

// Control characters (but tab) and lone surrogates make kuromoji throw.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SENTENCE_END = /[^。！？!?]*[。！？!?]+|[^。！？!?]+$/g;

/** Replaces characters kuromoji cannot take with spaces. */
export function sanitizeForKuromoji(line: string): string {
  return line.replace(UNSAFE, ' ');
}

/**
 * Cuts a line into pieces kuromoji handles in linear time: sentences first, then pieces of at most
 * `maxChars` characters, cut after a 、 or a space in the second half of the window when there is one.
 */
export function segmentForKuromoji(line: string, maxChars: number = MAX_SEGMENT_CHARS): string[] {
  const pieces: string[] = [];
  for (const sentence of line.match(SENTENCE_END) ?? []) {
    let rest = sentence;
    while (rest.length > maxChars) {
      let cut = -1;
      for (let i = maxChars - 1; i >= maxChars >> 1; i--) {
        const c = rest.charCodeAt(i);
        if (c === 0x3001 || c === 0x20 || c === 0x3000 || c === 0xff0c || c === 0x2c) {
          cut = i + 1;
          break;
        }
      }
      if (cut === -1) {
        cut = maxChars;
        const code = rest.charCodeAt(cut - 1);
        if (code >= 0xd800 && code <= 0xdbff) cut--;
      }
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    if (rest.length > 0) pieces.push(rest);
  }
  return pieces;
}

// IPADIC tags half-width punctuation (what NFKC makes of ！？「」) as 名詞-サ変接続, so symbols are also
// recognised by their characters.
const ONLY_SYMBOLS = /^[\p{P}\p{S}\s]+$/u;

function posFilter(pos: readonly string[]): (token: KuromojiToken) => boolean {
  if (pos.length === 1 && pos[0] === 'all') return () => true;
  const isSpace = (t: KuromojiToken) => t.pos_detail_1 === '空白' || t.surface_form.trim() === '';
  if (pos.length === 0) return (t) => t.pos !== '記号' && !isSpace(t) && !ONLY_SYMBOLS.test(t.surface_form);
  const wanted = new Set(pos);
  return (t) => !isSpace(t) && (wanted.has(t.pos) || wanted.has(`${t.pos}-${t.pos_detail_1}`));
}

/**
 * Builds the Japanese tokenizer function for a configuration (surface or base forms, POS filter).
 * @throws KotovecError TOKENIZER when the dictionary cannot be loaded
 */
export async function createJapaneseTokenizer(config: TokenizerConfig): Promise<(line: string) => string[]> {
  const kuromoji = await loadKuromoji();
  const keep = posFilter(config.pos);
  const baseForm = config.baseForm;
  return (line: string) => {
    const tokens: string[] = [];
    for (const piece of segmentForKuromoji(sanitizeForKuromoji(line))) {
      for (const token of kuromoji.tokenize(piece)) {
        if (!keep(token)) continue;
        const form = baseForm && token.basic_form && token.basic_form !== '*' ? token.basic_form : token.surface_form;
        tokens.push(form);
      }
    }
    return tokens;
  };
}
