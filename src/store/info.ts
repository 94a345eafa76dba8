/** A description of a model file read from its metadata, without loading its vectors. */
import { statSync } from 'node:fs';
import { openModelDatabase, readMeta } from './reader.js';
import { numberedDocuments } from './documentIds.js';

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
  /** Schema version of the file, how its vectors are stored, and whether it has a scan index (one-off queries read only what they need). */
  schema: number;
  precision: string;
  scanIndex: boolean;
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
    // max(id) + 1 reads one page; count(*) would read every row of a million-word vocabulary.
    const count = (table: string) => ((db.prepare(`SELECT max(id) AS n FROM ${table}`).get() as { n: number | null }).n ?? -1) + 1;
    const hyper = json('hyperparameters') as { model?: string; loss?: string } | null;
    const origin = meta.get('origin') ?? 'trained';
    return {
      path,
      bytes: statSync(path).size,
      origin,
      kind: hyper?.model ? `${hyper.model}+${hyper.loss}` : 'word vectors (imported)',
      dim: Number(meta.get('dim')),
      vocabulary: count('vocab'),
      documents: numberedDocuments(meta, path) ?? count('documents'),
      documentDim: Number(meta.get('doc_dim') ?? 0),
      createdAt: meta.get('created_at') ?? '',
      hyperparameters: hyper,
      tokenizer: summarizeTokenizer(json('tokenizer')),
      training: json('stats'),
      lineage: json('lineage') ?? [],
      canInfer: origin === 'trained' && Boolean(hyper?.model?.startsWith('pv-')),
      schema: db.pragma('user_version', { simple: true }) as number,
      precision: meta.get('precision') ?? 'f32',
      scanIndex: Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'scan_blocks'").get()),
    };
  } finally {
    db.close();
  }
}

/**
 * A tokenizer configuration as `info` and the server tell it: its phrase table (if any) as settings and
 * counts, its user dictionary as a name and a number of entries — neither listed.
 */
export function summarizeTokenizer(tokenizer: unknown): unknown {
  const config = tokenizer as { phrases?: { settings: object; passes: { phrases: string[] }[] }; userDictionary?: { name: string; text: string } } | null;
  if (typeof config?.userDictionary?.text === 'string') {
    // The user dictionary's entries are kept whole in the model; info tells its name and size.
    const { name, text } = config.userDictionary;
    const entries = text.split('\n').filter((line) => line.trim() !== '').length;
    return summarizeTokenizer({ ...config, userDictionary: { name, entries } });
  }
  if (!config?.phrases) return tokenizer;
  const { settings, passes } = config.phrases;
  return { ...config, phrases: { ...settings, phrases: passes.map((pass) => pass.phrases.length) } };
}
