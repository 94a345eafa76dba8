// Pass 1 counted straight from the input's bytes must equal pass 1 over decoded lines in everything it
// reports: the words, their counts and slots, the token cache, the read statistics (lines, invalid UTF-8,
// split lines), sentences, documents. The inputs below are made to reach every way a line can go: ASCII
// and accented words counted in WebAssembly, lines that go the ordinary way (compatibility forms,
// combining marks, surrogate pairs, U+FFFD), invalid and truncated UTF-8, CRLF, a byte-order mark, lines
// cut across the reader's chunks, overlong lines, empty lines and files without a last newline.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanCorpus, type ScanResult } from '../../src/corpus/scan.js';
import { splitPlan } from '../../src/corpus/splitScan.js';
import { resolveInputs } from '../../src/text/lineReader.js';
import { createBatchTokenizer } from '../../src/text/tokenizePool.js';
import { createTokenizer, type TokenizerConfig } from '../../src/text/tokenizers.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

function generator(seed: number) {
  let s = seed >>> 0;
  return (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % n;
}

const WORDS = ['the', 'The', 'THE', 'and', 'café', 'Café', 'naïve', 'Straße', 'über', 'Ärger', 'x', 'a_b', '42', 'don’t', '日本語', 'Ωmega'];
const SEPARATORS = [' ', ' ', ' ', '  ', '\t', ', ', '. ', '“', '”', '—', '…', '\u00a0', '\u3000', ' - '];
/** Pieces that send their line the ordinary way, or are not valid UTF-8 (as bytes). */
const ODD: (string | number[])[] = ['ﬁne', 'Ｆｕｌｌ', 'cafe\u0301', '😀', 'ΟΔΟΣ', '\ufffd', '½', [0xff], [0xc3], [0xe6, 0x97], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf0, 0x9f]];

/** A file of `lines` random lines as bytes; `odd` of 100 lines get a piece from {@link ODD}. */
function corpus(seed: number, lines: number, odd: number): Buffer {
  const next = generator(seed);
  const parts: Buffer[] = [];
  for (let i = 0; i < lines; i++) {
    const words = next(12);
    let text = '';
    for (let w = 0; w < words; w++) text += (w > 0 ? SEPARATORS[next(SEPARATORS.length)] : '') + WORDS[next(WORDS.length)];
    const bytes = [Buffer.from(text)];
    if (next(100) < odd) {
      const piece = ODD[next(ODD.length)]!;
      bytes.push(typeof piece === 'string' ? Buffer.from(` ${piece} `) : Buffer.from([0x20, ...piece, 0x20]), Buffer.from(WORDS[next(WORDS.length)]!));
    }
    bytes.push(Buffer.from(next(10) === 0 ? '\r\n' : '\n'));
    parts.push(...bytes);
  }
  return Buffer.concat(parts);
}

async function pass1(paths: string[], config: Partial<TokenizerConfig>, how: 'bytes' | 'lines', options: { docs?: 'lines' | 'tsv'; maxLineChars?: number } = {}): Promise<ScanResult & { cache: Buffer }> {
  const tokenizer = await createBatchTokenizer((await createTokenizer(config)).config, 1);
  // Not vacuous: the bytes variant must count with a byte counter, the other without one.
  const make = tokenizer.byteCounter!;
  let made = 0;
  tokenizer.byteCounter = how === 'lines' ? undefined : () => (made++, make());
  const cachePath = join(dir, `cache-${how}`);
  try {
    const scan = await scanCorpus(await resolveInputs(paths), { tokenizer, cachePath, ...options });
    expect(made).toBe(how === 'bytes' ? 1 : 0);
    return { ...scan, cache: readFileSync(cachePath) };
  } finally {
    await tokenizer.close();
  }
}

function expectSame(a: ScanResult & { cache: Buffer }, b: ScanResult & { cache: Buffer }): void {
  expect([...a.counter.entries()]).toEqual([...b.counter.entries()]);
  expect(a.counter.totalTokens).toBe(b.counter.totalTokens);
  expect(a.cache.equals(b.cache)).toBe(true);
  expect({ ...a.read, bytesRead: 0 }).toEqual({ ...b.read, bytesRead: 0 });
  expect([a.sentences, a.emptyDocs, a.cacheInts]).toEqual([b.sentences, b.emptyDocs, b.cacheInts]);
  expect(a.docIds).toEqual(b.docIds);
}

describe('pass 1 from bytes', () => {
  // 40,000 lines: about 1.2 MB, so lines and characters are cut across the reader's 256 KB chunks.
  const path = join(dir, 'mixed.txt');
  writeFileSync(path, corpus(7, 40000, 6));

  for (const config of [{ kind: 'simple' }, { kind: 'whitespace' }, { kind: 'simple', lowercase: false, normalize: 'NFC' }, { kind: 'whitespace', lowercase: true, normalize: 'none' }] as Partial<TokenizerConfig>[]) {
    it(`${JSON.stringify(config)}: the same words, slots, counts, token cache and statistics as decoded lines`, async () => {
      const bytes = await pass1([path], config, 'bytes');
      const lines = await pass1([path], config, 'lines');
      expectSame(bytes, lines);
      // Not vacuous: invalid bytes were met and replaced, and accented words were counted.
      expect(bytes.read.invalidUtf8).toBeGreaterThan(50);
      expect([...bytes.counter.entries()].some(([, w]) => /é/.test(w))).toBe(true);
      expect(bytes.read.lines).toBe(40000);
    });
  }

  it('more words than the table, the counts and the word store first hold: the same slots and counts', async () => {
    // 70,000 distinct words of up to 40 characters (over 2 MB of them), met in a shuffled order and again.
    const next = generator(23);
    const words = Array.from({ length: 70000 }, (_, i) => `w${i}${'x'.repeat(next(30))}`);
    const lines: string[] = [];
    for (let i = 0; i < 14000; i++) lines.push(Array.from({ length: 10 }, () => words[next(words.length)]).join(' '));
    const path = join(dir, 'many.txt');
    writeFileSync(path, lines.join('\n') + '\n');
    const bytes = await pass1([path], { kind: 'whitespace' }, 'bytes');
    expectSame(bytes, await pass1([path], { kind: 'whitespace' }, 'lines'));
    expect(bytes.counter.slotCount).toBeGreaterThan(60000);
  });

  it('a document a line: the same tags, ids and empty documents', async () => {
    const docs = join(dir, 'docs.txt');
    writeFileSync(docs, Buffer.concat([corpus(3, 3000, 10), Buffer.from('\n\n  \nlast line without newline')]));
    const bytes = await pass1([docs], { kind: 'simple' }, 'bytes', { docs: 'lines' });
    expectSame(bytes, await pass1([docs], { kind: 'simple' }, 'lines', { docs: 'lines' }));
    expect(bytes.emptyDocs).toBeGreaterThan(2);
    expect(bytes.docIds.length).toBe(3004);
  });

  it('id<TAB>text documents: the same ids, tags, blank lines and empty texts', async () => {
    const tsv = join(dir, 'docs.tsv');
    // The corpus's lines as bytes (invalid UTF-8 kept), each behind an id and a tab.
    const body = corpus(19, 3000, 10).toString('latin1').split('\n');
    const lines = body.map((text, i) => Buffer.concat([Buffer.from(`${i % 7 === 0 ? 'dóc' : 'doc'}${i}\t`), Buffer.from(text, 'latin1')]));
    lines.splice(10, 0, ...['', '   ', '\t', ' \u3000 ', 'empty\t', 'spaced id\t\ttext after two tabs'].map((line) => Buffer.from(line)));
    const bytes = Buffer.concat(lines.flatMap((line) => [line, Buffer.from('\n')]));
    // An id with invalid UTF-8 in it.
    writeFileSync(tsv, Buffer.concat([bytes, Buffer.from([0x69, 0xff, 0x09, 0x61, 0x0a])]));
    for (const kind of ['simple', 'whitespace'] as const) {
      const fromBytes = await pass1([tsv], { kind }, 'bytes', { docs: 'tsv' });
      expectSame(fromBytes, await pass1([tsv], { kind }, 'lines', { docs: 'tsv' }));
      expect(fromBytes.docIds).toContain('empty');
      expect(fromBytes.emptyDocs).toBeGreaterThan(0);
    }
  });

  it('id<TAB>text documents: the same errors for a line without a tab and an id given twice', async () => {
    for (const [name, text] of [['notab.tsv', 'a\tone\nb\ttwo\nno tab here\n'], ['twice.tsv', 'a\tone\nb\ttwo\n\na\tagain\n']]) {
      const path = join(dir, name!);
      writeFileSync(path, text!);
      const errors = [];
      for (const how of ['bytes', 'lines'] as const) errors.push(await pass1([path], { kind: 'simple' }, how, { docs: 'tsv' }).then(() => null, (error: Error) => error.message));
      expect(errors[0]).toMatch(/line (3|4)/);
      expect(errors[0]).toBe(errors[1]);
    }
  });

  it('a byte-order mark, CRLF, a truncated last character, several files and gzip', async () => {
    const withMark = join(dir, 'mark.txt');
    writeFileSync(withMark, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Hello world\r\nsecond\uFEFFline\r\n\ufeffthird')]));
    const truncated = join(dir, 'truncated.txt');
    writeFileSync(truncated, Buffer.concat([Buffer.from('ends in half a character '), Buffer.from([0xe6, 0x97])]));
    const gz = join(dir, 'part.txt.gz');
    writeFileSync(gz, gzipSync(corpus(11, 2000, 20)));
    const onlyMark = join(dir, 'only-mark.txt');
    writeFileSync(onlyMark, Buffer.from([0xef, 0xbb]));
    const files = [withMark, truncated, gz, onlyMark];
    for (const kind of ['simple', 'whitespace'] as const) {
      const bytes = await pass1(files, { kind }, 'bytes');
      expectSame(bytes, await pass1(files, { kind }, 'lines'));
      expect(bytes.counter.entries().next().value?.[1]).toBe(kind === 'simple' ? 'hello' : 'Hello');
    }
  });

  it('overlong lines: cut into the same pieces, from the line that overflows on', async () => {
    const long = join(dir, 'long.txt');
    const next = generator(5);
    const wide = Array.from({ length: 3000 }, () => WORDS[next(WORDS.length)]).join(' ');
    writeFileSync(long, Buffer.concat([corpus(13, 500, 5), Buffer.from(`${wide}\n`), corpus(17, 500, 5), Buffer.from(wide)]));
    const bytes = await pass1([long], { kind: 'simple' }, 'bytes', { maxLineChars: 5000 });
    expectSame(bytes, await pass1([long], { kind: 'simple' }, 'lines', { maxLineChars: 5000 }));
    expect(bytes.read.splitLines).toBe(2);
  });
});

describe('pass 1 from bytes on several threads', () => {
  const tokenizerFor = async (config: Partial<TokenizerConfig>) => (await createTokenizer(config)).config;

  /** Pass 1 with the input cut for `threads` counting threads (parts of at least `minBytes`). */
  async function onThreads(paths: string[], config: Partial<TokenizerConfig>, threads: number, minBytes: number, options: { docs?: 'lines'; maxLineChars?: number } = {}) {
    const resolved = await tokenizerFor(config);
    const tokenizer = await createBatchTokenizer(resolved, 1);
    const cachePath = join(dir, `cache-threads-${threads}`);
    try {
      const scan = await scanCorpus(await resolveInputs(paths), { tokenizer, cachePath, countThreads: { threads, config: resolved, minBytes }, ...options });
      return { ...scan, cache: readFileSync(cachePath) };
    } finally {
      await tokenizer.close();
    }
  }

  /** The parts `threads` threads would count `paths` in. */
  async function partsOf(paths: string[], threads: number, minBytes: number): Promise<number> {
    return splitPlan(await resolveInputs(paths), threads, minBytes)?.parts.length ?? 1;
  }

  const path = join(dir, 'mixed-threads.txt');
  writeFileSync(path, corpus(29, 40000, 6));

  it('two, three and four parts: the same words, slots, counts, token cache and statistics as one thread', async () => {
    for (const config of [{ kind: 'simple' }, { kind: 'whitespace' }] as Partial<TokenizerConfig>[]) {
      const one = await pass1([path], config, 'bytes');
      for (const threads of [2, 3, 4]) {
        expect(await partsOf([path], threads, 100_000)).toBe(threads);
        expectSame(await onThreads([path], config, threads, 100_000), one);
        // The parts' own caches were appended and removed.
        expect(readdirSync(dir).filter((name) => name.includes('.part'))).toEqual([]);
      }
    }
  });

  it('a document a line: each part\'s tags carry on from the lines before it', async () => {
    const docs = join(dir, 'docs-threads.txt');
    writeFileSync(docs, Buffer.concat([corpus(31, 6000, 10), Buffer.from('\n\n  \n'), corpus(37, 6000, 10), Buffer.from('last line without newline')]));
    const one = await pass1([docs], { kind: 'simple' }, 'bytes', { docs: 'lines' });
    expect(await partsOf([docs], 3, 50_000)).toBe(3);
    const three = await onThreads([docs], { kind: 'simple' }, 3, 50_000, { docs: 'lines' });
    expectSame(three, one);
    expect(three.docIds.length).toBe(12004);
  });

  it('several files, a byte-order mark, gzip inside a part, overlong lines: as one thread', async () => {
    const withMark = join(dir, 'mark-threads.txt');
    writeFileSync(withMark, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), corpus(41, 3000, 10)]));
    const gz = join(dir, 'inside.txt.gz');
    writeFileSync(gz, gzipSync(corpus(43, 500, 20)));
    const long = join(dir, 'long-threads.txt');
    const next = generator(47);
    const wide = Array.from({ length: 3000 }, () => WORDS[next(WORDS.length)]).join(' ');
    writeFileSync(long, Buffer.concat([corpus(53, 4000, 5), Buffer.from(`${wide}\n`), corpus(59, 4000, 5), Buffer.from(`${wide}\n`), corpus(61, 4000, 5)]));
    const files = [withMark, gz, long];
    const one = await pass1(files, { kind: 'whitespace' }, 'bytes', { maxLineChars: 5000 });
    expect(await partsOf(files, 4, 60_000)).toBe(4);
    const four = await onThreads(files, { kind: 'whitespace' }, 4, 60_000, { maxLineChars: 5000 });
    expectSame(four, one);
    expect(four.read.splitLines).toBe(2);
  });

  it('cuts at lines\' starts, covering every byte once; one part where a cut would fall in gzip, a pipe or too little', async () => {
    const files = await resolveInputs([path]);
    const plan = splitPlan(files, 3, 100_000)!;
    const text = readFileSync(path);
    let at = 0;
    for (const [i, part] of plan.parts.entries()) {
      expect(part).toHaveLength(1);
      const range = part[0]!;
      expect(range.from ?? 0).toBe(at);
      if (i > 0) expect(text[at - 1]).toBe(10);
      at = range.to ?? text.length;
      expect(range.size).toBe(at - (range.from ?? 0));
    }
    expect(at).toBe(text.length);
    // The calling thread's part is the larger (its workers start later).
    expect(plan.parts[0]![0]!.size).toBeGreaterThan(plan.parts[1]![0]!.size);
    const gz = join(dir, 'all.txt.gz');
    writeFileSync(gz, gzipSync(text));
    expect(splitPlan(await resolveInputs([gz]), 2, 1000)).toBeNull();
    expect(splitPlan(files, 2, text.length)).toBeNull();
    expect(splitPlan(files, 1, 1000)).toBeNull();
    expect(splitPlan([{ ...files[0]!, stream: true }], 2, 1000)).toBeNull();
  });

  it('an interruption ends a pass 1 cut into parts with INTERRUPTED', async () => {
    const resolved = await tokenizerFor({ kind: 'simple' });
    const tokenizer = await createBatchTokenizer(resolved, 1);
    const folder = join(dir, 'interrupted');
    mkdirSync(folder);
    const controller = new AbortController();
    const scan = scanCorpus(await resolveInputs([path]), {
      tokenizer,
      cachePath: join(folder, 'tokens.cache'),
      countThreads: { threads: 3, config: resolved, minBytes: 100_000 },
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(scan).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
    await tokenizer.close();
    expect(readdirSync(folder)).toEqual(['tokens.cache']);
  });

  it('an error in a later part is the error one thread gives', async () => {
    const binary = join(dir, 'binary.bin');
    writeFileSync(binary, Buffer.from([0x61, 0x00, 0x62, 0x0a]));
    const files = [path, binary];
    const one = await pass1(files, { kind: 'simple' }, 'bytes').then(() => null, (error: Error & { code?: string }) => error);
    expect(await partsOf(files, 2, 100_000)).toBe(2);
    const two = await onThreads(files, { kind: 'simple' }, 2, 100_000).then(() => null, (error: Error & { code?: string }) => error);
    expect(one?.code).toBe('E_INPUT_BINARY');
    expect([two?.code, two?.message]).toEqual([one?.code, one?.message]);
  });
});
