/** A description of a model file read from its metadata, without loading its vectors. */
import { statSync } from 'node:fs';
import { openModelDatabase, readMeta } from './reader.js';

/** What `kotovec info` prints. */
export interface ModelInfo {
  path: string;
  bytes: number;
  origin: string;
  kind: string;
  dim: number;
  vocabulary: number;
  documents: number;
  documentDim: number;
  createdAt: string;
  hyperparameters: unknown;
  tokenizer: unknown;
  training: unknown;
  canInfer: boolean;
  /** Continuations this model went through, oldest first (empty for a model trained once). */
  lineage: unknown;
}

/**
 * Describes a model file.
 * @throws KotovecError INPUT_NOT_FOUND, BAD_MODEL, MODEL_TOO_NEW
 */
export function describeModel(path: string): ModelInfo {
  const db = openModelDatabase(path);
  try {
    const meta = readMeta(db, path);
    const json = meta.json;
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const hyper = json('hyperparameters') as { model?: string; loss?: string } | null;
    const origin = meta.get('origin') ?? 'trained';
    return {
      path,
      bytes: statSync(path).size,
      origin,
      kind: hyper?.model ? `${hyper.model}+${hyper.loss}` : 'word vectors (imported)',
      dim: Number(meta.get('dim')),
      vocabulary: count('vocab'),
      documents: count('documents'),
      documentDim: Number(meta.get('doc_dim') ?? 0),
      createdAt: meta.get('created_at') ?? '',
      hyperparameters: hyper,
      tokenizer: json('tokenizer'),
      training: json('stats'),
      lineage: json('lineage') ?? [],
      canInfer: origin === 'trained' && Boolean(hyper?.model?.startsWith('pv-')),
    };
  } finally {
    db.close();
  }
}
