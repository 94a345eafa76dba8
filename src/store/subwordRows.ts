/**
 * A subword model's input matrix in its file (`subword_blocks`, schema.ts): the n-gram settings from
 * `meta.subwords`, the whole matrix for training and export, or a few rows by id for composing the
 * vector of a word the vocabulary does not hold — a query never reads more than that word's n-grams.
 */
import type Database from 'better-sqlite3';
import { ErrorCodes, KotovecError } from '../errors.js';
import type { SubwordData } from '../model.js';
import type { SubwordSettings } from '../options.js';
import type { ModelMeta } from './reader.js';
import type { Precision } from './precision.js';
import { indexOfSorted, initialNgramRow } from '../kernel/ngramRows.js';
import { checkVectorBlocks, readVectorBlocks, readVectorRows } from './vectorBlocks.js';

/**
 * The n-gram settings a model file records, or undefined for a model without subwords.
 * @throws KotovecError BAD_MODEL when they are not settings
 */
export function subwordSettingsOf(meta: ModelMeta, path: string): SubwordSettings | undefined {
  const settings = meta.json<SubwordSettings>('subwords');
  if (settings === null) return undefined;
  const { minn, maxn, bucket } = settings;
  const ok = [minn, maxn, bucket].every((n) => Number.isInteger(n) && n >= 0) && bucket > 0 && minn > 0;
  if (!ok) throw new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${path} (subword settings: ${JSON.stringify(settings)})`);
  return { minn, maxn, bucket };
}

/**
 * The rows a file keeps of its n-gram matrix: every bucket's (undefined), or the buckets training moved
 * and the seed of the others' initial rows (kernel/ngramRows.ts).
 * @throws KotovecError BAD_MODEL when the list is damaged
 */
function keptBuckets(db: Database.Database, meta: ModelMeta, path: string, settings: SubwordSettings): { trainedBuckets: Int32Array; initSeed: number } | undefined {
  const initSeed = meta.json<{ initSeed?: unknown }>('subwords')?.initSeed;
  if (initSeed === undefined) return undefined;
  const damaged = (what: string) => new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${path} (${what})`);
  if (!Number.isInteger(initSeed)) throw damaged(`subword seed: ${JSON.stringify(initSeed)}`);
  let blob: Buffer | undefined;
  try {
    blob = (db.prepare('SELECT buckets FROM subword_buckets WHERE id = 0').pluck().get() as Buffer | undefined) ?? undefined;
  } catch {
    blob = undefined;
  }
  if (!blob || blob.byteLength % 4 !== 0) throw damaged('the list of trained n-gram buckets is missing');
  const trainedBuckets = new Int32Array(blob.byteLength / 4);
  new Uint8Array(trainedBuckets.buffer).set(blob);
  for (let i = 0; i < trainedBuckets.length; i++) {
    const b = trainedBuckets[i]!;
    if (b < 0 || b >= settings.bucket || (i > 0 && b <= trainedBuckets[i - 1]!)) throw damaged('the list of trained n-gram buckets is out of order');
  }
  return { trainedBuckets, initSeed: initSeed as number };
}

/** The file's whole input matrix: the words' own rows and the n-gram rows it keeps. */
export function readSubwordData(db: Database.Database, meta: ModelMeta, path: string, settings: SubwordSettings, words: number, dim: number, precision: Precision): SubwordData {
  const kept = keptBuckets(db, meta, path, settings);
  const rows = readVectorBlocks(db, 'subword_blocks', words + (kept ? kept.trainedBuckets.length : settings.bucket), dim, precision, path);
  return { ...settings, wordRows: rows.subarray(0, words * dim), ngramRows: rows.subarray(words * dim), ...kept };
}

/** Reads input rows by id (`words + bucket` for an n-gram) from an open model file. */
export type SubwordRowReader = (rowIds: readonly number[]) => Float32Array;

/**
 * A reader of the file's input rows by id, after checking that the blocks hold them all.
 * @throws KotovecError BAD_MODEL when the blocks are incomplete
 */
export function subwordRowReader(db: Database.Database, meta: ModelMeta, path: string, settings: SubwordSettings, words: number, dim: number, precision: Precision): SubwordRowReader {
  const kept = keptBuckets(db, meta, path, settings);
  checkVectorBlocks(db, 'subword_blocks', words + (kept ? kept.trainedBuckets.length : settings.bucket), dim, precision, path);
  if (!kept) return (rowIds) => readVectorRows(db, 'subword_blocks', rowIds, dim, precision, path);
  return (rowIds) => {
    // A bucket training never moved is not in the file: its initial row is computed again.
    const stored: number[] = [];
    const storedAt: number[] = [];
    const out = new Float32Array(rowIds.length * dim);
    rowIds.forEach((row, i) => {
      const index = row < words ? row : indexOfSorted(kept.trainedBuckets, row - words);
      if (row < words || index >= 0) {
        stored.push(row < words ? row : words + index);
        storedAt.push(i);
      } else initialNgramRow(kept.initSeed, row - words, dim, out, i * dim);
    });
    const rows = readVectorRows(db, 'subword_blocks', stored, dim, precision, path);
    storedAt.forEach((i, j) => out.set(rows.subarray(j * dim, (j + 1) * dim), i * dim));
    return out;
  };
}
