/**
 * kotovec — word and document embeddings for Node.js.
 *
 * @example
 * ```ts
 * import { trainModel, writeModel, openModel } from 'kotovec';
 * const model = await trainModel({ inputs: ['corpus.txt'], model: 'skipgram' });
 * writeModel('model.db', model);
 * openModel('model.db').similar(['king'], 10);
 * ```
 */
export { ErrorCodes, KotovecError, OptionError, type ErrorCode } from './errors.js';
export { OPTIONS, type OptionSpec, type CommandName } from './optionTable.js';
export { evaluateAnalogies, evaluatePairs, type AnalogyResult, type PairsResult } from './query/evaluate.js';
export type { ModelData, TrainingStats, LineageStep } from './model.js';
export { DEFAULTS, defaultAlpha, resolveTrainOptions, type Hyperparameters, type TrainOptions, type ModelKind, type LossKind } from './options.js';
export { trainModel, type TrainHooks, type TrainProgress } from './train/trainer.js';
export { writeModel, writeModelInterruptibly, type WriteOptions, type InterruptibleWriteOptions } from './store/writer.js';
export { readModel, type ReadParts } from './store/reader.js';
export { openModel, Model, type WordSimilarity, type AnalogyMethod, type QueryTerm, type QueryAnswer, type InferAnswer, type DocumentSimilarity } from './query/model.js';
export { startServer, type ServeOptions, type RunningServer } from './serve/server.js';
export type { ServedModel } from './serve/api.js';
export { KeyedVectors, type Neighbour } from './query/keyedVectors.js';
export { type InferOptions, type InferSubsampling } from './query/infer.js';
export { createTokenizer, type Tokenizer, type TokenizerConfig, type TokenizerKind } from './text/tokenizers.js';
export { writeWord2Vec } from './formats/word2vec.js';
