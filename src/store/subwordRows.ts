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

/** The file's whole input matrix: the words' own rows and every n-gram row. */
export function readSubwordData(db: Database.Database, path: string, settings: SubwordSettings, words: number, dim: number, precision: Precision): SubwordData {
  const rows = readVectorBlocks(db, 'subword_blocks', words + settings.bucket, dim, precision, path);
  return { ...settings, wordRows: rows.subarray(0, words * dim), ngramRows: rows.subarray(words * dim) };
}

/** Reads input rows by id (`words + bucket` for an n-gram) from an open model file. */
export type SubwordRowReader = (rowIds: readonly number[]) => Float32Array;

/**
 * A reader of the file's input rows by id, after checking that the blocks hold them all.
 * @throws KotovecError BAD_MODEL when the blocks are incomplete
 */
export function subwordRowReader(db: Database.Database, path: string, settings: SubwordSettings, words: number, dim: number, precision: Precision): SubwordRowReader {
  checkVectorBlocks(db, 'subword_blocks', words + settings.bucket, dim, precision, path);
  return (rowIds) => readVectorRows(db, 'subword_blocks', rowIds, dim, precision, path);
}
