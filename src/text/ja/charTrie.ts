/**
 * The dictionary's words as a double-array trie over characters (Aoe 1989, "An efficient
 * implementation of trie structures"), built once when the dictionary image is made. kuromoji's own trie
 * walks UTF-8 bytes, three steps for a kana or kanji; this one takes one step a UTF-16 code unit, each
 * unit first mapped to a dense code (most frequent characters first, so the children of a node sit close
 * together). A node stores base, check and the value of the word that ends there, side by side:
 * child = trie[3 * node] + code, valid when trie[3 * child + 1] === node; trie[3 * node + 2] is the
 * value, or -1.
 */

/** Reads every key and its value out of a byte double array as kuromoji builds it (a key ends in a 0 byte). */
export function keysOfByteTrie(base: Int32Array, check: Int32Array, size: number): { keys: string[]; values: number[] } {
  const keys: string[] = [];
  const values: number[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const bytes: number[] = [];
  const walk = (node: number) => {
    const first = base[node]!;
    for (let byte = 0; byte < 256; byte++) {
      const child = first + byte;
      if (child < 0 || child >= size || check[child] !== node) continue;
      if (byte === 0) {
        keys.push(decoder.decode(Uint8Array.from(bytes)));
        values.push(-base[child]! - 1);
      } else {
        bytes.push(byte);
        walk(child);
        bytes.pop();
      }
    }
  };
  walk(0);
  return { keys, values };
}

/**
 * Builds the character trie of `keys`.
 * @param keys the words (no surrogates: the dictionary has none)
 * @param values the value of each key
 * @param unitWeight how often each UTF-16 code unit occurs in real text (more frequent: smaller code)
 * @returns the trie (3 ints a node, root at 0) and the code of each code unit (0: in no key)
 */
export function buildCharTrie(keys: readonly string[], values: readonly number[], unitWeight: Float64Array): { trie: Int32Array; charCode: Uint16Array } {
  // Codes: units of the keys, by weight in real text, then by how many keys use them.
  const inKeys = new Float64Array(65536);
  for (const key of keys) for (let i = 0; i < key.length; i++) inKeys[key.charCodeAt(i)]!++;
  const units: number[] = [];
  for (let u = 0; u < 65536; u++) if (inKeys[u]! > 0) units.push(u);
  units.sort((a, b) => unitWeight[b]! - unitWeight[a]! || inKeys[b]! - inKeys[a]! || a - b);
  if (units.length >= 65535) throw new Error('too many distinct characters for 16-bit codes');
  const charCode = new Uint16Array(65536);
  units.forEach((u, i) => (charCode[u] = i + 1));

  const coded = keys.map((key, i) => ({ codes: Array.from(key, (c) => charCode[c.charCodeAt(0)]!), value: values[i]! }));
  coded.sort((a, b) => {
    const n = Math.min(a.codes.length, b.codes.length);
    for (let i = 0; i < n; i++) if (a.codes[i] !== b.codes[i]) return a.codes[i]! - b.codes[i]!;
    return a.codes.length - b.codes.length;
  });

  // Unused positions form a doubly linked list (next/prev), so a node's place is looked for among free
  // cells only; the list runs on past the arrays' end, which grow when it gets there.
  let capacity = 1 << 20;
  let base = new Int32Array(capacity);
  let check = new Int32Array(capacity).fill(-1);
  let value = new Int32Array(capacity).fill(-1);
  let next = new Int32Array(capacity);
  let prev = new Int32Array(capacity);
  for (let i = 0; i < capacity; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  const grow = (needed: number) => {
    let size = capacity;
    while (size < needed) size *= 2;
    const widen = (old: Int32Array, fill: number) => {
      const wider = new Int32Array(size).fill(fill);
      wider.set(old);
      return wider;
    };
    base = widen(base, 0);
    check = widen(check, -1);
    value = widen(value, -1);
    next = widen(next, 0);
    prev = widen(prev, 0);
    for (let i = capacity; i < size; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
    }
    capacity = size;
  };
  let head = 1; // the first free cell (cell 0 is the root)
  const take = (cell: number) => {
    if (cell === head) head = next[cell]!;
    else {
      next[prev[cell]!] = next[cell]!;
      if (next[cell]! < capacity) prev[next[cell]!] = prev[cell]!;
    }
  };
  check[0] = 0;
  let size = 1;

  // Nodes are placed breadth-first from a queue of (node, depth, key range).
  const queue: [number, number, number, number][] = [[0, 0, 0, coded.length]];
  const codes: number[] = [];
  for (let at = 0; at < queue.length; at++) {
    const [node, depth, from, to] = queue[at]!;
    let start = from;
    if (coded[start]!.codes.length === depth) value[node] = coded[start++]!.value;
    if (start === to) continue;
    const ranges: number[] = [];
    codes.length = 0;
    for (let i = start; i < to; ) {
      const code = coded[i]!.codes[depth]!;
      let j = i + 1;
      while (j < to && coded[j]!.codes[depth] === code) j++;
      codes.push(code);
      ranges.push(i, j);
      i = j;
    }
    const first = codes[0]!;
    const last = codes[codes.length - 1]!;
    let b = 0;
    for (let cell = head; ; cell = next[cell]!) {
      b = cell - first;
      if (b < 1) continue;
      if (b + last >= capacity) grow(b + last + 1);
      let free = true;
      for (let k = 1; k < codes.length; k++) {
        if (check[b + codes[k]!] !== -1) {
          free = false;
          break;
        }
      }
      if (free) break;
    }
    base[node] = b;
    for (let k = 0; k < codes.length; k++) {
      const cell = b + codes[k]!;
      check[cell] = node;
      take(cell);
      size = Math.max(size, cell + 1);
      queue.push([cell, depth + 1, ranges[2 * k]!, ranges[2 * k + 1]!]);
    }
  }
  const trie = new Int32Array(3 * size);
  for (let i = 0; i < size; i++) {
    trie[3 * i] = base[i]!;
    trie[3 * i + 1] = check[i]!;
    trie[3 * i + 2] = value[i]!;
  }
  return { trie, charCode };
}
