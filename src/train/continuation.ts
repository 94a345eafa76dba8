/**
 * Continuing a model (`train --from`): more text into an existing model, fine-tuning imported vectors,
 * adding documents. The source is read once and never written. What carries over:
 *
 * - **Settings**: the source's hyperparameters and tokenizer, unless the run gives its own; a different
 *   tokenizer or dimension is refused (the vectors would mean something else). The learning rate starts
 *   afresh, from `--alpha` (default: the source's start rate) down to `--min-alpha`.
 * - **Vocabulary**: the source's words, their counts with the new text's counts added, and the new text's
 *   words that reach min-count; ranked by the merged counts (see `buildVocabulary`). The noise
 *   distribution and subsampling follow the merged counts. An imported model has no counts: its words
 *   count only what the new text holds.
 * - **Weights**: every source word keeps its input vector and (same loss, negative sampling) its output
 *   row; new words start as training starts them. While the new text trains, the source's rows are held
 *   towards their trained values in proportion to their counts (`--anchor`, see anchor.ts), which stands
 *   in for the old text. Hierarchical softmax: merged counts give a new Huffman tree, whose inner nodes
 *   do not correspond to the old ones, so the output layer is rebuilt from zero and learns again from
 *   the kept word vectors, which are held more firmly for it (measured in bench/RESULTS.md). An
 *   imported model has no output layer: it starts at zero, as gensim's `intersect_word2vec_format`
 *   leaves it.
 * - **Documents** (doc2vec): the source's document vectors are kept as they are; the new documents are
 *   appended. A `tsv`/`files` id the model already has is refused; `lines` documents are numbered after
 *   the model's last numeric id.
 * - **Lineage**: each continuation adds a {@link LineageStep} (what, from which file, when).
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { ErrorCodes, KotovecError, OptionError } from '../errors.js';
import { readWord2Vec } from '../formats/word2vecReader.js';
import { isFastTextBin, readFastText } from '../formats/fasttext.js';
import { modelFromFastText } from '../store/fastText.js';
import type { LineageStep, ModelData, SubwordData } from '../model.js';
import { ngramRowOf } from '../kernel/ngramRows.js';
import type { Hyperparameters, TrainOptions } from '../options.js';
import { readModel } from '../store/reader.js';
import { resolveTokenizerConfig, type TokenizerConfig } from '../text/tokenizers.js';
import type { Vocabulary } from '../vocab/vocabulary.js';

/**
 * Reads the model to continue: a kotovec model file (with its output weights and documents), or a
 * word2vec binary/text or fastText .vec file (as imported vectors).
 * @throws KotovecError INPUT_NOT_FOUND, BAD_MODEL, BAD_FORMAT
 */
export async function readSource(path: string): Promise<ModelData> {
  if (isSqlite(path)) return readModel(path, { outputs: true, docs: true, rare: true, subwords: true });
  if (isFastTextBin(path)) return modelFromFastText(readFastText(path));
  const words: string[] = [];
  let vectors = new Float32Array(0);
  let dim = 0;
  await readWord2Vec(
    path,
    (header) => {
      dim = header.dim;
      vectors = new Float32Array(header.count * dim);
    },
    (word, values, row) => {
      words.push(word);
      vectors.set(values, row * dim);
    },
  );
  if (new Set(words).size !== words.length) throw new KotovecError(ErrorCodes.BAD_FORMAT, `${path}: a word occurs twice`);
  return {
    origin: 'imported',
    dim,
    words,
    counts: new Float64Array(words.length),
    wordVectors: vectors,
    outputNs: null,
    outputHs: null,
    docIds: [],
    docVectors: null,
    docDim: 0,
    createdAt: '',
  };
}

/** True when the file starts with SQLite's magic string. */
function isSqlite(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new KotovecError(ErrorCodes.INPUT_NOT_FOUND, `model not found: ${path}`);
  }
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    return n === 16 && head.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

const HYPER_KEYS = ['model', 'loss', 'dim', 'window', 'negative', 'minCount', 'maxVocab', 'sample', 'epochs', 'alpha', 'minAlpha', 'nsExponent', 'cbowMean', 'dbowWords', 'seed', 'order'] as const;

/**
 * The run's options with what it does not say taken from the source.
 * @throws OptionError for a tokenizer or dimension that differs from the source's
 */
export function optionsFromSource(options: TrainOptions, source: ModelData, sourcePath: string): TrainOptions {
  const merged: TrainOptions = { ...options };
  const hyper = source.hyper;
  if (options.dim !== undefined && options.dim !== source.dim) {
    throw new OptionError(`--dim ${options.dim} differs from the model's ${source.dim}: continuing keeps its vectors, so the dimension stays (${sourcePath})`);
  }
  merged.dim = source.dim;
  if (hyper) {
    const target = merged as unknown as Record<string, unknown>;
    for (const key of HYPER_KEYS) if (target[key] === undefined) target[key] = hyper[key];
  }
  if (source.subwords) {
    // The n-grams stay the model's: other settings would hash them into other buckets.
    const { minn, maxn, bucket } = source.subwords;
    const asked = { minn, maxn, bucket, ...(typeof options.subwords === 'object' ? options.subwords : {}) };
    const flag = (['minn', 'maxn', 'bucket'] as const).find((k) => asked[k] !== undefined && asked[k] !== source.subwords![k]);
    if (flag) throw new OptionError(`--${flag} ${asked[flag]} differs from the model's ${source.subwords[flag]}: continuing keeps its n-grams (${sourcePath})`);
    merged.subwords = { minn, maxn, bucket };
  }
  if (source.tokenizer) {
    const given = Object.fromEntries(Object.entries(options.tokenizer ?? {}).filter(([, v]) => v !== undefined)) as Partial<TokenizerConfig>;
    const asked = resolveTokenizerConfig({ ...source.tokenizer, ...given });
    const key = (Object.keys(asked) as (keyof TokenizerConfig)[]).find((k) => JSON.stringify(asked[k]) !== JSON.stringify(source.tokenizer![k]));
    if (key !== undefined) {
      const name = { kind: 'tokenizer', normalize: 'normalize', lowercase: 'lowercase', baseForm: 'base-form', pos: 'pos', dictionary: 'dict', userDictionary: 'user-dict', phrases: 'phrases' }[key];
      // A dictionary is told by its name (a user dictionary's whole CSV is in the model).
      const told = (value: unknown) => JSON.stringify(value && typeof value === 'object' && 'name' in value ? value.name : value);
      throw new OptionError(
        `the model was tokenized with --${name} ${told(source.tokenizer[key])}, not ${told(asked[key])}: ` +
          `continuing reads the new text with the model's own tokenizer, or its words would not match (${sourcePath})`,
      );
    }
    merged.tokenizer = { ...source.tokenizer };
  }
  return merged;
}

/**
 * Document ids of the new documents, checked against the source's.
 * @param mode how the new documents were read
 * @throws KotovecError DUPLICATE_ID for an id the model has
 */
export function newDocumentIds(source: ModelData, ids: readonly string[], mode: string): string[] {
  if (mode === 'lines') {
    // Lines are numbered from 0 in the new text; they come after the model's last numbered document.
    let next = 0;
    for (const id of source.docIds) if (/^\d+$/.test(id)) next = Math.max(next, Number(id) + 1);
    return ids.map((id) => String(Number(id) + next));
  }
  const known = new Set(source.docIds);
  const clash = ids.find((id) => known.has(id));
  if (clash !== undefined) {
    throw new KotovecError(ErrorCodes.DUPLICATE_ID, `document id ${JSON.stringify(clash)} is in the model already: new documents need new ids`);
  }
  return [...ids];
}

/** Which of the source's matrices seed a training pass. */
export interface PassSeed {
  /** The source's word vectors, rows by its vocabulary. */
  wordVectors: Float32Array;
  /** Its negative-sampling output rows for this pass (null: start at zero). */
  outputNs: Float32Array | null;
  /** A subword source's input rows (null: none, the n-grams start as training starts them). */
  subwords: SubwordData | null;
}

/**
 * The source's weights for pass `index` of a run with settings `hyper`: word vectors always; output
 * rows only for negative sampling kept from a negative-sampling source (the second pass of pv-dm+dbow
 * takes the PV-DBOW half's).
 */
export function passSeed(source: ModelData, hyper: Hyperparameters, index: number): PassSeed {
  const sameLoss = source.hyper?.loss === 'ns' && hyper.loss === 'ns';
  const outputNs = !sameLoss ? null : index === 1 ? source.dbowOutputNs ?? null : source.outputNs;
  // A subword model's words keep their own input rows (its word vectors are composed from them).
  return { wordVectors: source.subwords?.wordRows ?? source.wordVectors, outputNs, subwords: source.subwords?.ngramRows ? source.subwords : null };
}

/**
 * Copies the source's rows into a pass's freshly initialised weights, word by word.
 * @returns the ids (in the new vocabulary) of the source's words
 */
export function seedRows(
  source: ModelData,
  seed: PassSeed,
  vocabulary: Vocabulary,
  dim: number,
  wordVectors: Float32Array,
  outputNs: Float32Array | null,
  ngramVectors: Float32Array | null = null,
  ngramBuckets: Int32Array | null = null,
): Int32Array {
  if (ngramVectors && ngramBuckets && seed.subwords) {
    // Each used bucket's row goes where training lays it out (see compactBuckets).
    for (let row = 0; row < ngramBuckets.length; row++) ngramRowOf(seed.subwords, dim, ngramBuckets[row]!, ngramVectors, row * dim);
  }
  const ids = new Int32Array(source.words.length);
  for (let row = 0; row < source.words.length; row++) {
    const id = vocabulary.id(source.words[row]!);
    ids[row] = id;
    if (id < 0) continue;
    wordVectors.set(seed.wordVectors.subarray(row * dim, (row + 1) * dim), id * dim);
    if (outputNs && seed.outputNs) outputNs.set(seed.outputNs.subarray(row * dim, (row + 1) * dim), id * dim);
  }
  return ids;
}

/** True when the source knows how often it saw its words (a trained model; imported vectors do not). */
export function hasCounts(source: ModelData): boolean {
  return source.counts.some((c) => c > 0);
}

/** The lineage of the continued model: the source's, and this step. */
export function lineageOf(source: ModelData, sourcePath: string, inputs: string[], wordsAfter: number, documentsAdded: number, frozenWords: boolean, anchor: number): LineageStep[] {
  return [
    ...(source.lineage ?? []),
    {
      from: sourcePath,
      fromCreatedAt: source.createdAt,
      fromOrigin: source.origin,
      inputs,
      at: new Date().toISOString(),
      wordsBefore: source.words.length,
      wordsAfter,
      documentsAdded,
      frozenWords,
      // Imported vectors come without counts: nothing holds them.
      anchor: hasCounts(source) ? anchor : 0,
    },
  ];
}
