/**
 * Rewriting a model in the current layout: files written before the scan index and precisions
 * (schema 1) are read as they are, but one-off queries on them load the whole model; `kotovec upgrade`
 * writes them anew (or at another precision). The file is replaced only when the new one is complete.
 */
import type { Precision } from './precision.js';
import { openModelDatabase, readModel } from './reader.js';
import { writeModel } from './writer.js';

/** What {@link upgradeModel} did. */
export interface UpgradeResult {
  output: string;
  fromVersion: number;
  toVersion: number;
  precision: Precision;
  words: number;
  docs: number;
}

/**
 * Rewrites a model in the current layout.
 * @param path the model
 * @param options `output` to write elsewhere (default: replace `path`), `force` to replace an existing
 *   `output`, `precision` to change how vectors are stored (default: as they are)
 * @throws KotovecError INPUT_NOT_FOUND, BAD_MODEL, MODEL_TOO_NEW, OUTPUT_EXISTS, OUTPUT_UNWRITABLE
 */
export function upgradeModel(path: string, options: { output?: string; precision?: Precision; force?: boolean } = {}): UpgradeResult {
  const db = openModelDatabase(path);
  const fromVersion = db.pragma('user_version', { simple: true }) as number;
  db.close();
  const model = readModel(path, { outputs: true, docs: true, rare: true });
  const output = options.output ?? path;
  const precision = options.precision ?? model.precision ?? 'f32';
  writeModel(output, model, { force: output === path ? true : options.force, precision });
  const written = openModelDatabase(output);
  const toVersion = written.pragma('user_version', { simple: true }) as number;
  written.close();
  return { output, fromVersion, toVersion, precision, words: model.words.length, docs: model.docIds.length };
}
