/** The character trie finds exactly the keys that are prefixes of a text, with their values. */
import { describe, expect, it } from 'vitest';
import { buildCharTrie } from '../../src/text/ja/charTrie.js';

function prefixes(trie: Int32Array, charCode: Uint16Array, text: string): [number, number][] {
  const found: [number, number][] = [];
  let node = 0;
  for (let i = 0; i < text.length; i++) {
    const code = charCode[text.charCodeAt(i)]!;
    if (code === 0) break;
    const child = trie[3 * node]! + code;
    if (3 * child >= trie.length || trie[3 * child + 1] !== node) break;
    node = child;
    if (trie[3 * child + 2]! >= 0) found.push([i + 1, trie[3 * child + 2]!]);
  }
  return found;
}

describe('character trie', () => {
  it('gives every prefix of a text that is a key, and no other, on random keys', () => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const alphabet = [...'あいうかきくアイウ日本語東京ab12ー'];
    const keys = new Map<string, number>();
    while (keys.size < 3000) {
      let key = '';
      const length = 1 + Math.floor(random() * 6);
      for (let i = 0; i < length; i++) key += alphabet[Math.floor(random() * alphabet.length)];
      if (!keys.has(key)) keys.set(key, keys.size);
    }
    const weight = new Float64Array(65536);
    weight['あ'.charCodeAt(0)] = 100;
    const { trie, charCode } = buildCharTrie([...keys.keys()], [...keys.values()], weight);
    expect(charCode['あ'.charCodeAt(0)]).toBe(1);
    expect(charCode['x'.charCodeAt(0)]).toBe(0);
    for (const [key, value] of keys) expect(prefixes(trie, charCode, key).at(-1)).toEqual([key.length, value]);
    for (let k = 0; k < 2000; k++) {
      let text = '';
      for (let i = 0; i < 8; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const expected: [number, number][] = [];
      for (let end = 1; end <= text.length; end++) if (keys.has(text.slice(0, end))) expected.push([end, keys.get(text.slice(0, end))!]);
      expect(prefixes(trie, charCode, text)).toEqual(expected);
    }
  });
});
