/**
 * Building a Darts double array as MeCab's `sys.dic` and `unk.dic` hold it (see `mecabDictionary.ts`): units
 * of base (int32) and check (uint32), side by side. A key's bytes step from base b to unit `b + byte + 1`,
 * whose check must be b; the key ends at unit b itself (code 0), whose check is b and whose base is
 * `-value - 1`. Every node's base is used once, so a check names its parent.
 *
 * Siblings are placed at the first base where every one of their units is free, searched from the first
 * region not yet nearly full (Darts' own rule), so that the array stays dense.
 */

/** Units scanned with at least this share filled are skipped by later searches. */
const DENSE_SHARE = 0.95;

/**
 * Builds the double array of `keys` (UTF-8 bytes, sorted bytewise, no duplicates) with a non-negative
 * value each.
 * @returns base and check of unit i at 2i and 2i + 1
 */
export function buildDoubleArray(keys: readonly Uint8Array[], values: readonly number[]): Int32Array {
  for (let k = 1; k < keys.length; k++) {
    if (compareBytes(keys[k - 1]!, keys[k]!) >= 0) throw new Error('double array keys must be sorted and distinct');
  }
  let base = new Int32Array(1 << 16);
  let check = new Int32Array(1 << 16);
  let used = new Uint8Array(1 << 16);
  let size = 1;
  let nextCheck = 1;
  const grow = (needed: number) => {
    if (needed <= base.length) return;
    let length = base.length;
    while (length < needed) length *= 2;
    const b = new Int32Array(length);
    b.set(base);
    base = b;
    const c = new Int32Array(length);
    c.set(check);
    check = c;
    const u = new Uint8Array(length);
    u.set(used);
    used = u;
  };

  /** The codes of the children of the keys [from, to) at `depth` (0: the key ends), each with its keys. */
  const siblings = (from: number, to: number, depth: number): { code: number; from: number; to: number }[] => {
    const found: { code: number; from: number; to: number }[] = [];
    for (let k = from; k < to; k++) {
      const key = keys[k]!;
      const code = depth < key.length ? key[depth]! + 1 : 0;
      const last = found[found.length - 1];
      if (last && last.code === code) last.to = k + 1;
      else found.push({ code, from: k, to: k + 1 });
    }
    return found;
  };

  /** Places `children` (of the keys they hold, at `depth`) and everything below them; returns their base. */
  const place = (children: { code: number; from: number; to: number }[], depth: number): number => {
    const first = children[0]!.code;
    let position = Math.max(first + 1, nextCheck) - 1;
    let filled = 0;
    let begin = 0;
    let seenFree = false;
    search: for (;;) {
      position++;
      grow(position + 1);
      if (check[position] !== 0) {
        filled++;
        continue;
      }
      if (!seenFree) {
        // The first free unit: later searches start here.
        nextCheck = position;
        seenFree = true;
      }
      begin = position - first;
      grow(begin + children[children.length - 1]!.code + 1);
      if (used[begin]) continue;
      for (let i = 1; i < children.length; i++) if (check[begin + children[i]!.code] !== 0) continue search;
      break;
    }
    if (filled / (position - nextCheck + 1) >= DENSE_SHARE) nextCheck = position;
    used[begin] = 1;
    size = Math.max(size, begin + children[children.length - 1]!.code + 1);
    for (const child of children) check[begin + child.code] = begin;
    for (const child of children) {
      if (child.code === 0) {
        base[begin] = -values[child.from]! - 1;
      } else {
        // Placed first: placing may grow (replace) the arrays.
        const childBase = place(siblings(child.from, child.to, depth + 1), depth + 1);
        base[begin + child.code] = childBase;
      }
    }
    return begin;
  };

  const rootBase = keys.length > 0 ? place(siblings(0, keys.length, 0), 0) : 1;
  base[0] = rootBase;
  // Room after the last unit, so that a step from any base stays inside the array.
  const units = new Int32Array(2 * (size + 256));
  for (let i = 0; i < size; i++) {
    units[2 * i] = base[i]!;
    units[2 * i + 1] = check[i]!;
  }
  return units;
}

/** Bytewise order of two byte strings. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
