/**
 * How a model keys its documents. Each document's id is a row of `documents` (id, tag), unless every id
 * is the document's own number — 0, 1, 2, … as `--docs lines` gives them (gensim's TaggedLineDocument):
 * then `documents` holds no row, `meta.document_ids` says `numbers` and `meta.documents` holds the count
 * (schema 4). Ten million lines would otherwise store ten million ids and an index over them.
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import type { ModelMeta } from './reader.js';

/** `meta.document_ids` of a model whose ids are the documents' numbers. */
export const NUMBERED_IDS = 'numbers';

/** True when every id is its own index as a decimal number (and there is at least one). */
export function areNumbered(ids: readonly string[]): boolean {
  if (ids.length === 0) return false;
  for (let i = 0; i < ids.length; i++) if (ids[i] !== String(i)) return false;
  return true;
}

/** The `meta` rows that say a model's documents are numbered. */
export function numberedMeta(count: number): [string, string][] {
  return [['document_ids', NUMBERED_IDS], ['documents', String(count)]];
}

/**
 * The number of documents of a model whose ids are numbers, or null when its ids are rows of `documents`.
 * @throws KotovecError BAD_MODEL for a `meta.document_ids` or `meta.documents` it cannot read
 */
export function numberedDocuments(meta: ModelMeta, path: string): number | null {
  const kind = meta.get('document_ids');
  if (kind === undefined) return null;
  const count = Number(meta.get('documents'));
  if (kind !== NUMBERED_IDS || !Number.isSafeInteger(count) || count < 0) {
    throw new KotovecError(ErrorCodes.BAD_MODEL, `model is damaged: ${path} (document ids: ${kind} of ${meta.get('documents')})`);
  }
  return count;
}

/** The row of document id `id` among `count` numbered documents, or undefined (`05`, `-1`, `1e3` are no ids). */
export function numberedRow(id: string, count: number): number | undefined {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(id)) return undefined;
  const row = Number(id);
  return row < count ? row : undefined;
}
