/**
 * Linear learning-rate decay, as gensim and word2vec C do: from `alpha` at the start of the first epoch to
 * `minAlpha` at the end of the last, by the progress of the whole run — or, for CBOW on several threads, by
 * each thread's own progress, as gensim's `corpus_file` workers measure it ({@link scheduleKind}).
 */

/**
 * The learning rate at a point of training.
 * @param alpha start rate
 * @param minAlpha end rate
 * @param progress fraction of all epochs' words done, in [0, 1]
 */
export function learningRate(alpha: number, minAlpha: number, progress: number): number {
  const p = progress < 0 ? 0 : progress > 1 ? 1 : progress;
  return alpha - (alpha - minAlpha) * p;
}

/**
 * How the learning rate moves when several threads train: by each thread's own progress (see
 * {@link threadProgress}) — what gensim's `corpus_file` training does with several workers — or by the
 * progress of all threads together. One thread: the two are the same.
 */
export type ScheduleKind = 'thread' | 'global';

/**
 * The schedule of a run: `thread` for CBOW, `global` for every other model. Measured on two threads
 * (bench/RESULTS.md), by each thread's progress against by all threads':
 * - CBOW with negative sampling, English corpus, ten runs: analogy 0.311, WordSim-353 0.367, SimLex-999
 *   0.262 (means) against 0.306 / 0.356 / 0.256; on Japanese (TMU, phrases composed, seeds 1–3), nouns
 *   0.067 against 0.057 and verbs 0.124 against 0.110;
 * - CBOW with hierarchical softmax, seeds 1–3: analogy 0.252 against 0.249, WordSim-353 0.377 against
 *   0.361, SimLex-999 0.261 against 0.266;
 * - skip-gram, seeds 1–3 of negative sampling and of hierarchical softmax: no gain beyond the runs' spread.
 * Subword models decay by all threads' progress, as fastText does; doc2vec was not measured.
 * `KOTOVEC_SCHEDULE` sets it (for measurements).
 */
export function scheduleKind(hyper: { model: string; subwords?: unknown }): ScheduleKind {
  const fromEnv = process.env.KOTOVEC_SCHEDULE;
  if (fromEnv === 'thread' || fromEnv === 'global') return fromEnv;
  return hyper.model === 'cbow' && hyper.subwords === undefined ? 'thread' : 'global';
}

/**
 * A thread's progress by its own words, as each of gensim's `corpus_file` workers measures it: the epoch
 * it is in, plus the words it trained in that epoch over the words of a whole epoch. With T threads sharing
 * the epoch's text, a thread's rate thus falls by about 1/T of an epoch's step during each epoch and starts
 * the next epoch at the next epoch's rate: the rate stays higher, and ends `(alpha − minAlpha) · (1 − 1/T) /
 * epochs` above `minAlpha`, not at it.
 * @param epoch the epoch the thread is in (0-based)
 * @param epochWords words the thread trained in that epoch
 * @param wordsPerEpoch words of one epoch over all threads
 * @param epochs epochs in all
 */
export function threadProgress(epoch: number, epochWords: number, wordsPerEpoch: number, epochs: number): number {
  return (epoch + epochWords / wordsPerEpoch) / epochs;
}
