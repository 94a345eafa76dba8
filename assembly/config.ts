// Configuration of the training kernel: sizes, weight and table pointers, what to train, and the hot-row
// copies. Set from JavaScript through the setters here (each worker instantiates the module once); read by
// train.ts.

// ---- configuration (per instance: each worker instantiates the module once) ----
export let dim: i32 = 0;
export let dim4: i32 = 0;
export let vocabSize: i32 = 0;
export let negative: i32 = 0;
export let window: i32 = 0;
export let cbowMean: i32 = 1;
export let useHs: i32 = 0;
export let trainOutput: i32 = 1;
export let trainWords: i32 = 1;
export let trainDocs: i32 = 1;

export let syn0: usize = 0; // input word vectors, vocab × dim
export let syn1neg: usize = 0; // NS output weights, vocab × dim
export let syn1: usize = 0; // HS inner-node weights, (vocab − 1) × dim
export let docs: usize = 0; // document vectors, docs × dim

export let sigmoid: usize = 0; // f32 × 1000
export let lossPositive: usize = 0; // f32 × 1000: −log σ(x)
export let lossNegative: usize = 0; // f32 × 1000: −log(1 − σ(x))
export let noiseThreshold: usize = 0; // u32 × vocab (alias method acceptance)
export let noiseAlias: usize = 0; // i32 × vocab
export let keepThreshold: usize = 0; // u32 × vocab (subsampling: keep when random ≤ threshold)
export let huffmanOffsets: usize = 0; // i32 × (vocab + 1)
export let huffmanCodes: usize = 0; // u8
export let huffmanPoints: usize = 0; // i32
// Hot output rows (multi-threaded runs only): this thread works on private copies of the output rows
// `hotStart … hotStart + hotCount − 1` of `hotMatrix` — the rows every thread writes all the time
// (frequent noise words for NS, the nodes next to the root for HS) — and adds its changes to the shared
// rows at each `syncHot`, each row's weighted (`setHotWeights`), taking the other threads' changes back. Between two syncs a thread does not
// see the others' updates of those rows: Hogwild's races, batched, instead of a cache line bouncing
// between cores at every step. Off (hotCount 0) with one thread, which stays exactly gensim's loop.
export let hotMatrix: usize = 0;
export let hotStart: i32 = 0;
export let hotCount: i32 = 0;
export let hotLocal: usize = 0; // f32 × hotCount × dim: this thread's working copy
export let hotBase: usize = 0; // f32 × hotCount × dim: the copy as of the last sync
// The same for the input vectors of the most frequent words, rows 0 … hotInputCount − 1 of syn0.
export let hotInputCount: i32 = 0;
export let hotInputLocal: usize = 0;
export let hotInputBase: usize = 0;
// Per-row weights of the summed changes at a merge (f32 × hotCount, f32 × hotInputCount; 0: weight 1),
// set from the rows' expected updates (src/train/hotWeights.ts).
export let hotOutputWeights: usize = 0;
export let hotInputWeights: usize = 0;

/** Sets the merge weights of the hot rows (0: every change counts in full). */
export function setHotWeights(output: usize, input: usize): void {
  hotOutputWeights = output;
  hotInputWeights = input;
}

// Subword models (fastText): word w's input rows are subwordRows[subwordOffsets[w] … subwordOffsets[w + 1]),
// its own row first, then its n-grams' bucket rows (vocab + bucket); syn0 holds vocab + buckets rows.
// 0 for word2vec models, whose input is the word's row alone.
export let subwordOffsets: usize = 0; // i32 × (vocab + 1)
export let subwordRows: usize = 0; // i32 × the offsets' last value
// f32 × vocab: how far a word's mean moves when each of its updated rows gets a gradient g, in units of g
// (1 unless a row repeats in its list or its own row is locked; src/vocab/subwords.ts `meanShifts`).
export let subwordShifts: usize = 0;

// 1: a decision outside [−6, 6] still updates, with σ taken as 0 or 1 (word2vec C's negative sampling and
// fastText's binaryLogistic); 0: it is skipped (gensim's rule).
export let saturatedUpdates: i32 = 0;

/** Sets whether decisions outside [−6, 6] update (1) or are skipped (0). */
export function setSaturatedUpdates(on: i32): void {
  saturatedUpdates = on;
}

/** Sets the subword table (see src/vocab/subwords.ts). */
export function setSubwords(offsets: usize, rows: usize, shifts: usize): void {
  subwordOffsets = offsets;
  subwordRows = rows;
  subwordShifts = shifts;
}

// u8 × vocab: a word whose byte is 1 keeps its input vector (continued training, --freeze-words); 0: none.
export let lockedRows: usize = 0;

/** Sets the lock bytes of the word vectors (0: every word learns). */
export function setLockedRows(locks: usize): void {
  lockedRows = locks;
}

/** True when word `id`'s input vector stays fixed. */
// @ts-ignore: decorator
@inline export function isLocked(id: i32): bool {
  return lockedRows != 0 && load<u8>(lockedRows + <usize>id) != 0;
}

/** Sets sizes and the shared weight and table pointers. */
export function configure(
  dim_: i32, vocabSize_: i32, negative_: i32, window_: i32, cbowMean_: i32, useHs_: i32,
  syn0_: usize, syn1neg_: usize, syn1_: usize, docs_: usize,
  sigmoid_: usize, lossPositive_: usize, lossNegative_: usize,
  noiseThreshold_: usize, noiseAlias_: usize, keepThreshold_: usize,
  huffmanOffsets_: usize, huffmanCodes_: usize, huffmanPoints_: usize,
): void {
  dim = dim_;
  dim4 = dim_ & ~3;
  vocabSize = vocabSize_;
  negative = negative_;
  window = window_;
  cbowMean = cbowMean_;
  useHs = useHs_;
  syn0 = syn0_;
  syn1neg = syn1neg_;
  syn1 = syn1_;
  docs = docs_;
  sigmoid = sigmoid_;
  lossPositive = lossPositive_;
  lossNegative = lossNegative_;
  noiseThreshold = noiseThreshold_;
  noiseAlias = noiseAlias_;
  keepThreshold = keepThreshold_;
  huffmanOffsets = huffmanOffsets_;
  huffmanCodes = huffmanCodes_;
  huffmanPoints = huffmanPoints_;
}

/**
 * Turns the hot-row copies on: rows `start … start + count − 1` of `matrix` (syn1neg or syn1) are read
 * and written through `local`; `base` remembers them as of the last sync. Both hold count × dim f32.
 */
export function setHot(matrix: usize, start: i32, count: i32, local: usize, base: usize): void {
  hotMatrix = matrix;
  hotStart = start;
  hotCount = count;
  hotLocal = local;
  hotBase = base;
  const bytes = <usize>count * <usize>dim << 2;
  memory.copy(local, matrix + (<usize>start * <usize>dim << 2), bytes);
  memory.copy(base, local, bytes);
}

/** Turns the private copies of the input vectors of words 0 … count − 1 (the most frequent) on. */
export function setHotInputs(count: i32, local: usize, base: usize): void {
  hotInputCount = count;
  hotInputLocal = local;
  hotInputBase = base;
  const bytes = <usize>count * <usize>dim << 2;
  memory.copy(local, syn0, bytes);
  memory.copy(base, local, bytes);
}

/** Adds this thread's changes to the hot rows into the shared rows and takes the shared rows back. */
export function syncHot(): void {
  mergeRows(hotMatrix + (<usize>hotStart * <usize>dim << 2), hotLocal, hotBase, hotCount, hotOutputWeights);
  mergeRows(syn0, hotInputLocal, hotInputBase, hotInputCount, hotInputWeights);
}

/** shared += w·(local − base); local = base = shared, row by row (w from `weights`, or 1 when it is 0). */
function mergeRows(shared: usize, local: usize, base: usize, rows: i32, weights: usize): void {
  const rowBytes = <usize>dim << 2;
  for (let r: i32 = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    const weight: f32 = weights ? load<f32>(weights + (<usize>r << 2)) : 1;
    const w = f32x4.splat(weight);
    let k: i32 = 0;
    for (; k < dim4; k += 4) {
      const at = o + (<usize>k << 2);
      const merged = f32x4.add(v128.load(shared + at), f32x4.mul(w, f32x4.sub(v128.load(local + at), v128.load(base + at))));
      v128.store(shared + at, merged);
      v128.store(local + at, merged);
      v128.store(base + at, merged);
    }
    for (; k < dim; k++) {
      const at = o + (<usize>k << 2);
      const merged = load<f32>(shared + at) + weight * (load<f32>(local + at) - load<f32>(base + at));
      store<f32>(shared + at, merged);
      store<f32>(local + at, merged);
      store<f32>(base + at, merged);
    }
  }
}

/** Address of the input vector of word `id`: the private copy when the word is hot. */
// @ts-ignore: decorator
@inline export function inputRow(id: i32): usize {
  return <u32>id < <u32>hotInputCount ? hotInputLocal + (<usize>id * <usize>dim << 2) : syn0 + (<usize>id * <usize>dim << 2);
}

/** Address of output row `id` of `matrix`: the private copy when the row is hot. */
// @ts-ignore: decorator
@inline export function outputRow(matrix: usize, id: i32): usize {
  const hot = <u32>(id - hotStart) < <u32>hotCount && matrix == hotMatrix;
  return hot ? hotLocal + (<usize>(id - hotStart) * <usize>dim << 2) : matrix + (<usize>id * <usize>dim << 2);
}

export let expectedSubsampling: i32 = 0;

/**
 * Subsampling in expectation instead of by draws (inference): each prediction's learning rate is scaled
 * by the probability that subsampling would have kept its target word. The caller keeps every word (it
 * fills the sentence scratch itself instead of calling `subsample`).
 */
export function setExpectedSubsampling(on: i32): void {
  expectedSubsampling = on;
}

/** What to train: output weights, word vectors, document vectors (inference freezes all but docs). */
export function setLearning(outputs: i32, words: i32, documents: i32): void {
  trainOutput = outputs;
  trainWords = words;
  trainDocs = documents;
}

/** Moves the document-vector matrix (inference uses a scratch row of its own). */
export function setDocs(docs_: usize): void {
  docs = docs_;
}
