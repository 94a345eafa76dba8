import { describe, expect, it } from 'vitest';
import { sanitizeForKuromoji } from '../../src/text/japanese.js';
import { createNormalizer } from '../../src/text/normalize.js';
import { createTokenizer, resolveTokenizerConfig, simpleTokens, whitespaceTokens } from '../../src/text/tokenizers.js';

describe('normaliser', () => {
  it('applies NFKC and lowercases when asked', () => {
    const normalize = createNormalizer({ form: 'NFKC', lowercase: true });
    expect(normalize('ＡＢＣ ﬁne Ⅻ')).toBe('abc fine xii');
    expect(createNormalizer({ form: 'none', lowercase: false })('ＡＢＣ')).toBe('ＡＢＣ');
    expect(createNormalizer({ form: 'NFKC', lowercase: false })('ｶﾀｶﾅ')).toBe('カタカナ');
  });
});

describe('simple tokenizer', () => {
  it('gives the tokens of Python re.findall(r"\\w+", line.lower())', async () => {
    const tokenizer = await createTokenizer({ kind: 'simple' });
    // Expected values as Python 3 prints them for the same input.
    expect(tokenizer.tokenize("It's a dog-eat-dog world, isn't it? 42 café_au_lait naïve")).toEqual([
      'it', 's', 'a', 'dog', 'eat', 'dog', 'world', 'isn', 't', 'it', '42', 'café_au_lait', 'naïve',
    ]);
    expect(tokenizer.tokenize('Ελληνικά και Русский текст')).toEqual(['ελληνικά', 'και', 'русский', 'текст']);
    expect(tokenizer.tokenize('  ,,, ')).toEqual([]);
  });

  it('keeps case with --no-lowercase', async () => {
    const tokenizer = await createTokenizer({ kind: 'simple', lowercase: false });
    expect(tokenizer.tokenize('Alice met Bob')).toEqual(['Alice', 'met', 'Bob']);
  });

  it('matches the ASCII and Unicode paths on ASCII text', () => {
    expect(simpleTokens('abc_1 de-f')).toEqual(['abc_1', 'de', 'f']);
    expect(simpleTokens('abc_1 de-f é')).toEqual(['abc_1', 'de', 'f', 'é']);
  });
});

describe('whitespace tokenizer', () => {
  it('splits on whitespace only and changes nothing else', async () => {
    expect(whitespaceTokens('  Hello,  World!\tfoo ')).toEqual(['Hello,', 'World!', 'foo']);
    const tokenizer = await createTokenizer({ kind: 'whitespace' });
    expect(tokenizer.config.lowercase).toBe(false);
    expect(tokenizer.tokenize('A b')).toEqual(['A', 'b']);
  });
});

describe('tokenizer configuration', () => {
  it('rejects unknown tokenizers and forms, naming the option', () => {
    expect(() => resolveTokenizerConfig({ kind: 'klingon' as never })).toThrow(/--tokenizer/);
    expect(() => resolveTokenizerConfig({ normalize: 'NFX' as never })).toThrow(/--normalize/);
  });
});

describe('Japanese tokenizer (IPADIC)', async () => {
  // Built once for the whole file.
  const surface = await createTokenizer({ kind: 'ja', baseForm: false, pos: ['words'] });
  const all = await createTokenizer({ kind: 'ja', baseForm: false, pos: ['all'], normalize: 'none' });

  it('keeps the surface forms of every word but symbols by default; --base-form --pos content on request', async () => {
    const tokenizer = await createTokenizer({ kind: 'ja' });
    expect(tokenizer.config).toMatchObject({ baseForm: false, pos: [] });
    expect(tokenizer.tokenize('猫が静かに走った。とても美しい花だ！')).toEqual(['猫', 'が', '静か', 'に', '走っ', 'た', 'とても', '美しい', '花', 'だ']);
    const content = await createTokenizer({ kind: 'ja', baseForm: true, pos: ['content'] });
    expect(content.tokenize('猫が静かに走った。とても美しい花だ！')).toEqual(['猫', '静か', '走る', 'とても', '美しい', '花']);
    expect(content.tokenize('消滅した')).toEqual(['消滅', 'する']);
  });

  it('segments ordinary prose as MeCab/IPADIC does', () => {
    expect(all.tokenize('吾輩は猫である。名前はまだ無い。')).toEqual(['吾輩', 'は', '猫', 'で', 'ある', '。', '名前', 'は', 'まだ', '無い', '。']);
  });

  it('drops symbols and whitespace by default, keeps them with --pos all', () => {
    expect(surface.tokenize('猫だ。「犬」 だ！')).toEqual(['猫', 'だ', '犬', 'だ']);
    expect(all.tokenize('猫だ。')).toEqual(['猫', 'だ', '。']);
  });

  it('keeps only the asked parts of speech, and gives base forms with --base-form', async () => {
    const nouns = await createTokenizer({ kind: 'ja', pos: ['名詞'] });
    // IPADIC tags a half-width ! as a noun (名詞-サ変接続): symbol-only tokens go whatever their tag.
    expect(nouns.tokenize('猫が走った!')).toEqual(['猫']);
    const detail = await createTokenizer({ kind: 'ja', pos: ['名詞-固有名詞'] });
    expect(detail.tokenize('東京の猫')).toEqual(['東京']);
    const base = await createTokenizer({ kind: 'ja', baseForm: true, pos: ['words'] });
    expect(base.tokenize('猫が走った。')).toEqual(['猫', 'が', '走る', 'た']);
    expect(() => resolveTokenizerConfig({ kind: 'ja', pos: ['all', '名詞'] })).toThrow(/--pos all/);
  });

  it('survives NUL, control characters and lone surrogates', () => {
    expect(sanitizeForKuromoji('a\u0000b\ud800c')).toBe('a b c');
    expect(sanitizeForKuromoji('猫😀')).toBe('猫😀');
    expect(surface.tokenize('猫\u0000が\ud800いる')).toEqual(['猫', 'が', 'いる']);
  });

  it('takes a long unpunctuated run in linear time, losing no characters', () => {
    const tokens = surface.tokenize('猫'.repeat(200_000));
    expect(tokens.join('')).toBe('猫'.repeat(200_000));
    const katakana = all.tokenize('ア'.repeat(50_000) + 'は');
    expect(katakana.join('')).toBe('ア'.repeat(50_000) + 'は');
  });
});
