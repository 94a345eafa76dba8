/**
 * Linear learning-rate decay by global progress, as gensim and word2vec C do: from `alpha` at the start
 * of the first epoch to `minAlpha` at the end of the last.
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
