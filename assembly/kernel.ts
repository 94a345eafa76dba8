// The training kernel in WebAssembly (AssemblyScript, f32x4 SIMD), working in place on weights held in
// one shared WebAssembly.Memory so that every worker thread updates the same rows (Hogwild).
//
// It implements exactly what src/train/losses.ts and src/train/architectures.ts implement in
// TypeScript (gensim's word2vec_inner.pyx and doc2vec_inner.pyx semantics): negative sampling and
// hierarchical softmax as losses; CBOW, skip-gram, PV-DM and PV-DBOW as architectures. Each exported
// entry point trains one sentence (or document piece) held at `sentence`, so JavaScript calls into
// WebAssembly once per sentence, not once per word.
//
// Nothing here allocates: all pointers are handed in by `configure` and `setScratch`.

// ---- configuration (per instance: each worker instantiates the module once) ----
let dim: i32 = 0;
let dim4: i32 = 0;
let vocabSize: i32 = 0;
let negative: i32 = 0;
let window: i32 = 0;
let cbowMean: i32 = 1;
let useHs: i32 = 0;
let trainOutput: i32 = 1;
let trainWords: i32 = 1;
let trainDocs: i32 = 1;

let syn0: usize = 0; // input word vectors, vocab × dim
let syn1neg: usize = 0; // NS output weights, vocab × dim
let syn1: usize = 0; // HS inner-node weights, (vocab − 1) × dim
let docs: usize = 0; // document vectors, docs × dim

let sigmoid: usize = 0; // f32 × 1000
let lossPositive: usize = 0; // f32 × 1000: −log σ(x)
let lossNegative: usize = 0; // f32 × 1000: −log(1 − σ(x))
let noiseThreshold: usize = 0; // u32 × vocab (alias method acceptance)
let noiseAlias: usize = 0; // i32 × vocab
let keepThreshold: usize = 0; // u32 × vocab (subsampling: keep when random ≤ threshold)
let huffmanOffsets: usize = 0; // i32 × (vocab + 1)
let huffmanCodes: usize = 0; // u8
let huffmanPoints: usize = 0; // i32

let hidden: usize = 0; // f32 × dim scratch
let gradient: usize = 0; // f32 × dim scratch
let sentence: usize = 0; // i32 × MAX scratch: the (subsampled) sentence

// Hot output rows (multi-threaded runs only): this thread works on private copies of the output rows
// `hotStart … hotStart + hotCount − 1` of `hotMatrix` — the rows every thread writes all the time
// (frequent noise words for NS, the nodes next to the root for HS) — and adds its changes to the shared
// rows at each `syncHot`, taking the other threads' changes back. Between two syncs a thread does not
// see the others' updates of those rows: Hogwild's races, batched, instead of a cache line bouncing
// between cores at every step. Off (hotCount 0) with one thread, which stays exactly gensim's loop.
let hotMatrix: usize = 0;
let hotStart: i32 = 0;
let hotCount: i32 = 0;
let hotLocal: usize = 0; // f32 × hotCount × dim: this thread's working copy
let hotBase: usize = 0; // f32 × hotCount × dim: the copy as of the last sync
// The same for the input vectors of the most frequent words, rows 0 … hotInputCount − 1 of syn0.
let hotInputCount: i32 = 0;
let hotInputLocal: usize = 0;
let hotInputBase: usize = 0;

let rng: u32 = 1;
let lossSum: f64 = 0;
let outputCount: f64 = 0;

const MAX_EXP: f32 = 6;
const SIGMOID_SCALE: f32 = 1000.0 / 12.0;

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

/** Sets this thread's scratch rows and random seed. */
export function setScratch(hidden_: usize, gradient_: usize, sentence_: usize, seed: u32): void {
  hidden = hidden_;
  gradient = gradient_;
  sentence = sentence_;
  rng = seed == 0 ? 0x6d2b79f5 : seed;
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
  mergeRows(hotMatrix + (<usize>hotStart * <usize>dim << 2), hotLocal, hotBase, hotCount * dim);
  mergeRows(syn0, hotInputLocal, hotInputBase, hotInputCount * dim);
}

/** shared += local − base; local = base = shared (n floats). */
function mergeRows(shared: usize, local: usize, base: usize, n: i32): void {
  let k: i32 = 0;
  for (; k + 4 <= n; k += 4) {
    const o = <usize>(k << 2);
    const merged = f32x4.add(v128.load(shared + o), f32x4.sub(v128.load(local + o), v128.load(base + o)));
    v128.store(shared + o, merged);
    v128.store(local + o, merged);
    v128.store(base + o, merged);
  }
  for (; k < n; k++) {
    const o = <usize>(k << 2);
    const merged = load<f32>(shared + o) + (load<f32>(local + o) - load<f32>(base + o));
    store<f32>(shared + o, merged);
    store<f32>(local + o, merged);
    store<f32>(base + o, merged);
  }
}

/** Address of the input vector of word `id`: the private copy when the word is hot. */
// @ts-ignore: decorator
@inline function inputRow(id: i32): usize {
  return <u32>id < <u32>hotInputCount ? hotInputLocal + (<usize>id * <usize>dim << 2) : syn0 + (<usize>id * <usize>dim << 2);
}

/** Address of output row `id` of `matrix`: the private copy when the row is hot. */
// @ts-ignore: decorator
@inline function outputRow(matrix: usize, id: i32): usize {
  const hot = <u32>(id - hotStart) < <u32>hotCount && matrix == hotMatrix;
  return hot ? hotLocal + (<usize>(id - hotStart) * <usize>dim << 2) : matrix + (<usize>id * <usize>dim << 2);
}

let expectedSubsampling: i32 = 0;

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

export function getLoss(): f64 {
  return lossSum;
}

export function getOutputs(): f64 {
  return outputCount;
}

export function getRandomState(): u32 {
  return rng;
}

// ---- helpers ----

// @ts-ignore: decorator
@inline function nextRandom(): u32 {
  let s = rng;
  s ^= s << 13;
  s ^= s >> 17;
  s ^= s << 5;
  rng = s;
  return s * 0x9e3779bb;
}

// @ts-ignore: decorator
@inline function randomBelow(n: i32): i32 {
  return <i32>((<u64>nextRandom() * <u64>n) >> 32);
}

/**
 * ⟨a, b⟩ over dim floats: two vector accumulators (blocks of 8 floats) so consecutive adds do not wait on
 * each other, a leftover block of 4 into the first, lanes summed in order, then the scalar tail.
 * The TypeScript kernel (src/train/losses.ts) mirrors this order exactly.
 */
// @ts-ignore: decorator
@inline function dot(a: usize, b: usize): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  const dim8 = dim & ~7;
  let k: i32 = 0;
  for (; k < dim8; k += 8) {
    const o = <usize>(k << 2);
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + o + 16), v128.load(b + o + 16)));
  }
  if (k < dim4) {
    const o = <usize>(k << 2);
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    k += 4;
  }
  const acc = f32x4.add(acc0, acc1);
  let sum: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    sum += load<f32>(a + o) * load<f32>(b + o);
  }
  return sum;
}

/** gradient += g · row and, when `update`, row += g · h — one pass over the row. */
// @ts-ignore: decorator
@inline function backpropagate(g: f32, h: usize, row: usize, update: i32): void {
  const gv = f32x4.splat(g);
  let k: i32 = 0;
  if (update) {
    for (; k < dim4; k += 4) {
      const o = <usize>(k << 2);
      const r = v128.load(row + o);
      v128.store(gradient + o, f32x4.add(v128.load(gradient + o), f32x4.mul(gv, r)));
      v128.store(row + o, f32x4.add(r, f32x4.mul(gv, v128.load(h + o))));
    }
    for (; k < dim; k++) {
      const o = <usize>(k << 2);
      const r = load<f32>(row + o);
      store<f32>(gradient + o, load<f32>(gradient + o) + g * r);
      store<f32>(row + o, r + g * load<f32>(h + o));
    }
  } else {
    for (; k < dim4; k += 4) {
      const o = <usize>(k << 2);
      v128.store(gradient + o, f32x4.add(v128.load(gradient + o), f32x4.mul(gv, v128.load(row + o))));
    }
    for (; k < dim; k++) {
      const o = <usize>(k << 2);
      store<f32>(gradient + o, load<f32>(gradient + o) + g * load<f32>(row + o));
    }
  }
}

/** y += x */
// @ts-ignore: decorator
@inline function add(x: usize, y: usize): void {
  let k: i32 = 0;
  for (; k < dim4; k += 4) {
    const o = <usize>(k << 2);
    v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o)));
  }
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    store<f32>(y + o, load<f32>(y + o) + load<f32>(x + o));
  }
}

// @ts-ignore: decorator
@inline function scale(g: f32, y: usize): void {
  const gv = f32x4.splat(g);
  let k: i32 = 0;
  for (; k < dim4; k += 4) {
    const o = <usize>(k << 2);
    v128.store(y + o, f32x4.mul(gv, v128.load(y + o)));
  }
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    store<f32>(y + o, g * load<f32>(y + o));
  }
}

// @ts-ignore: decorator
@inline function zero(y: usize): void {
  memory.fill(y, 0, <usize>(dim << 2));
}

// @ts-ignore: decorator
@inline function wordAt(i: i32): i32 {
  return load<i32>(sentence + (<usize>i << 2));
}

// ---- losses: predict `word` from the vector at h, add the gradient for h into `gradient` ----

/**
 * One binary decision of an output row: σ(⟨h, row⟩) should be `label`. Adds the gradient for h into
 * `gradient`, updates the row (unless frozen) and returns the loss. Outside [−6, 6] nothing is updated
 * (gensim's rule); the loss there is approximated by |f| on the wrong side.
 */
// @ts-ignore: decorator
@inline function decide(h: usize, row: usize, label: f32, alpha: f32): f64 {
  const f = dot(h, row);
  if (f <= -MAX_EXP || f >= MAX_EXP) return (label == 1 ? f < 0 : f > 0) ? <f64>Mathf.abs(f) : 0;
  const index = <usize>(<i32>((f + MAX_EXP) * SIGMOID_SCALE)) << 2;
  const g = (label - load<f32>(sigmoid + index)) * alpha;
  backpropagate(g, h, row, trainOutput);
  return <f64>load<f32>((label == 1 ? lossPositive : lossNegative) + index);
}

/** One draw from the noise distribution (alias method). */
// @ts-ignore: decorator
@inline function drawNoise(): i32 {
  const slot = randomBelow(vocabSize);
  const slotOffset = <usize>slot << 2;
  return nextRandom() < load<u32>(noiseThreshold + slotOffset) ? slot : load<i32>(noiseAlias + slotOffset);
}

/** Folds one word of every cache line of a row into a value (see {@link touchSink}). */
// @ts-ignore: decorator
@inline function touchRow(row: usize): i32 {
  const last = (<usize>dim << 2) - 4;
  let x = load<i32>(row + last);
  for (let k: usize = 0; k < last; k += 64) x ^= load<i32>(row + k);
  return x;
}

/**
 * Where the loads of {@link touchRows} end up, so that they are not dead code. Those loads are how the
 * kernel asks for several rows at once: WebAssembly has no prefetch instruction, and a row that misses
 * the caches would otherwise be fetched only when the previous row's work is done.
 */
let touchSink: i32 = 0;

function negativeSampling(h: usize, word: i32, alpha: f32): void {
  // First the rows of this prediction: the target's and the noise words', drawn here and drawn again
  // below from the same generator state (same words, same order), so that their cache misses overlap
  // instead of coming one after the other. The result is bit for bit what the loop alone computes.
  const replay = rng;
  let touched = touchRow(outputRow(syn1neg, word));
  for (let d: i32 = 1; d <= negative; d++) touched ^= touchRow(outputRow(syn1neg, drawNoise()));
  touchSink ^= touched;
  rng = replay;
  let loss: f64 = 0;
  for (let d: i32 = 0; d <= negative; d++) {
    let target = word;
    let label: f32 = 1;
    if (d > 0) {
      target = drawNoise();
      if (target == word) continue;
      label = 0;
    }
    loss += decide(h, outputRow(syn1neg, target), label, alpha);
  }
  lossSum += loss;
  outputCount += <f64>(negative + 1);
}

function hierarchicalSoftmax(h: usize, word: i32, alpha: f32): void {
  let loss: f64 = 0;
  const start = load<i32>(huffmanOffsets + (<usize>word << 2));
  const end = load<i32>(huffmanOffsets + (<usize>(word + 1) << 2));
  // The rows of the whole path first, so that their cache misses overlap (see touchSink).
  let touched: i32 = 0;
  for (let b = start; b < end; b++) touched ^= touchRow(outputRow(syn1, load<i32>(huffmanPoints + (<usize>b << 2))));
  touchSink ^= touched;
  for (let b = start; b < end; b++) {
    const row = outputRow(syn1, load<i32>(huffmanPoints + (<usize>b << 2)));
    // Code 0 means label 1 (gensim: g = (1 − code − σ) · α).
    const label: f32 = load<u8>(huffmanCodes + <usize>b) == 0 ? 1 : 0;
    loss += decide(h, row, label, alpha);
  }
  lossSum += loss;
  outputCount += <f64>(end - start);
}

// @ts-ignore: decorator
@inline function predict(h: usize, word: i32, alpha: f32): void {
  if (expectedSubsampling) {
    const threshold = load<u32>(keepThreshold + (<usize>word << 2));
    if (threshold != 0xffffffff) alpha *= <f32>(<f64>threshold * 2.3283064365386963e-10);
  }
  if (useHs) hierarchicalSoftmax(h, word, alpha);
  else negativeSampling(h, word, alpha);
}

// ---- subsampling ----

/**
 * Copies the words of `raw[0 … length)` that survive subsampling into the sentence scratch.
 * @returns how many were kept
 */
export function subsample(raw: usize, length: i32): i32 {
  let n: i32 = 0;
  for (let i: i32 = 0; i < length; i++) {
    const word = load<i32>(raw + (<usize>i << 2));
    const threshold = load<u32>(keepThreshold + (<usize>word << 2));
    if (threshold != 0xffffffff && nextRandom() > threshold) continue;
    store<i32>(sentence + (<usize>n << 2), word);
    n++;
  }
  return n;
}

// ---- architectures ----

let windowStart: i32 = 0;
let windowEnd: i32 = 0;

/** Draws the reduced window b ∈ [0, window) for position i and sets [windowStart, windowEnd). */
// @ts-ignore: decorator
@inline function drawWindow(i: i32, length: i32): void {
  const reduced = randomBelow(window);
  const start = i - window + reduced;
  windowStart = start < 0 ? 0 : start;
  const end = i + window + 1 - reduced;
  windowEnd = end > length ? length : end;
}

/**
 * CBOW over the sentence scratch; with `doc` ≥ 0, PV-DM: the document vector joins every context.
 */
export function cbow(length: i32, alpha: f32, doc: i32): void {
  const rowBytes = <usize>dim << 2;
  const docRow = doc >= 0 ? docs + <usize>doc * rowBytes : 0;
  for (let i: i32 = 0; i < length; i++) {
    drawWindow(i, length);
    const start = windowStart;
    const end = windowEnd;
    zero(hidden);
    let count: i32 = 0;
    for (let m = start; m < end; m++) {
      if (m == i) continue;
      add(inputRow(wordAt(m)), hidden);
      count++;
    }
    if (doc >= 0) {
      add(docRow, hidden);
      count++;
    }
    if (count == 0) continue;
    const inverse: f32 = 1.0 / <f32>count;
    if (cbowMean) scale(inverse, hidden);
    zero(gradient);
    predict(hidden, wordAt(i), alpha);
    if (!cbowMean) scale(inverse, gradient);
    if (trainWords) {
      for (let m = start; m < end; m++) {
        if (m == i) continue;
        add(gradient, inputRow(wordAt(m)));
      }
    }
    if (doc >= 0 && trainDocs) add(gradient, docRow);
  }
}

/** Skip-gram for the centre word at position i: each context word's vector predicts it. */
// @ts-ignore: decorator
@inline function skipGramAt(i: i32, length: i32, alpha: f32): void {
  const rowBytes = <usize>dim << 2;
  drawWindow(i, length);
  const start = windowStart;
  const end = windowEnd;
  const word = wordAt(i);
  for (let j = start; j < end; j++) {
    if (j == i) continue;
    const row = inputRow(wordAt(j));
    zero(gradient);
    predict(row, word, alpha);
    if (trainWords) add(gradient, row);
  }
}

/** Skip-gram over the sentence scratch: each context word's vector predicts the centre word. */
export function skipgram(length: i32, alpha: f32): void {
  for (let i: i32 = 0; i < length; i++) skipGramAt(i, length, alpha);
}

/**
 * PV-DBOW over the sentence scratch: the document vector predicts each word; with `withWords`,
 * skip-gram word training interleaved (gensim's dbow_words).
 */
export function dbow(length: i32, alpha: f32, doc: i32, withWords: i32): void {
  const rowBytes = <usize>dim << 2;
  const docRow = docs + <usize>doc * rowBytes;
  for (let i: i32 = 0; i < length; i++) {
    const word = wordAt(i);
    if (withWords) skipGramAt(i, length, alpha);
    zero(gradient);
    predict(docRow, word, alpha);
    if (trainDocs) add(gradient, docRow);
  }
}

// ---- similarity scoring for queries (independent of the training configuration) ----

/**
 * Dot products of up to four queries with every row of a matrix: out_q[r] = ⟨query_q, row r⟩.
 * Each row is loaded once for all the queries. `dims` must be a multiple of 4 (rows are padded).
 */
export function scoreRows(matrix: usize, rows: i32, dims: i32, queries: usize, count: i32, out: usize): void {
  const rowBytes = <usize>dims << 2;
  const q0 = queries;
  const q1 = queries + rowBytes;
  const q2 = queries + 2 * rowBytes;
  const q3 = queries + 3 * rowBytes;
  const outBytes = <usize>rows << 2;
  for (let r: i32 = 0; r < rows; r++) {
    const row = matrix + <usize>r * rowBytes;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    for (let k: i32 = 0; k < dims; k += 4) {
      const o = <usize>(k << 2);
      const v = v128.load(row + o);
      a0 = f32x4.add(a0, f32x4.mul(v, v128.load(q0 + o)));
      if (count > 1) a1 = f32x4.add(a1, f32x4.mul(v, v128.load(q1 + o)));
      if (count > 2) a2 = f32x4.add(a2, f32x4.mul(v, v128.load(q2 + o)));
      if (count > 3) a3 = f32x4.add(a3, f32x4.mul(v, v128.load(q3 + o)));
    }
    const at = <usize>r << 2;
    store<f32>(out + at, f32x4.extract_lane(a0, 0) + f32x4.extract_lane(a0, 1) + f32x4.extract_lane(a0, 2) + f32x4.extract_lane(a0, 3));
    if (count > 1) store<f32>(out + outBytes + at, f32x4.extract_lane(a1, 0) + f32x4.extract_lane(a1, 1) + f32x4.extract_lane(a1, 2) + f32x4.extract_lane(a1, 3));
    if (count > 2) store<f32>(out + 2 * outBytes + at, f32x4.extract_lane(a2, 0) + f32x4.extract_lane(a2, 1) + f32x4.extract_lane(a2, 2) + f32x4.extract_lane(a2, 3));
    if (count > 3) store<f32>(out + 3 * outBytes + at, f32x4.extract_lane(a3, 0) + f32x4.extract_lane(a3, 1) + f32x4.extract_lane(a3, 2) + f32x4.extract_lane(a3, 3));
  }
}

/**
 * Scales every row of a matrix to unit length in place (zero rows stay zero). `dims` must be a
 * multiple of 4 (rows are padded with zeros).
 */
export function normalizeRows(matrix: usize, rows: i32, dims: i32): void {
  const rowBytes = <usize>dims << 2;
  for (let r: i32 = 0; r < rows; r++) {
    const row = matrix + <usize>r * rowBytes;
    let sum = f32x4.splat(0);
    for (let k: i32 = 0; k < dims; k += 4) {
      const v = v128.load(row + (<usize>k << 2));
      sum = f32x4.add(sum, f32x4.mul(v, v));
    }
    const norm = <f64>f32x4.extract_lane(sum, 0) + <f64>f32x4.extract_lane(sum, 1) + <f64>f32x4.extract_lane(sum, 2) + <f64>f32x4.extract_lane(sum, 3);
    const scale = f32x4.splat(norm > 0 ? <f32>(1.0 / Math.sqrt(norm)) : 0);
    for (let k: i32 = 0; k < dims; k += 4) {
      const o = row + (<usize>k << 2);
      v128.store(o, f32x4.mul(v128.load(o), scale));
    }
  }
}

// ---- set-up and checks the trainer runs on its own thread (its own instance over the same memory) ----

/**
 * Fills `count` floats at `vectors` with uniform values in [−1/dim, 1/dim) drawn from the generator state
 * `state` (`Random(seed).state` in src/train/random.ts): the very values `initializeVectors` computes in
 * TypeScript, in the same f64 arithmetic, faster.
 */
export function initVectors(vectors: usize, count: i32, dims: i32, state: u32): void {
  // A generator of its own: the training draws of this thread (rng) are not touched.
  let s: u32 = state == 0 ? 0x6d2b79f5 : state;
  const divisor: f64 = <f64>dims;
  for (let i: i32 = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    const u = <f64>(s * 0x9e3779bb) * 2.3283064365386963e-10;
    store<f32>(vectors + (<usize>i << 2), <f32>((u * 2 - 1) / divisor));
  }
}

/** How many of `count` floats at `values` are NaN or infinite (x − x is NaN exactly for those). */
export function countNonFinite(values: usize, count: i32): i32 {
  let bad = i32x4.splat(0);
  let k: i32 = 0;
  for (; k + 4 <= count; k += 4) {
    const v = v128.load(values + (<usize>k << 2));
    const d = f32x4.sub(v, v);
    bad = i32x4.sub(bad, f32x4.ne(d, d)); // a true lane is −1
  }
  let total = i32x4.extract_lane(bad, 0) + i32x4.extract_lane(bad, 1) + i32x4.extract_lane(bad, 2) + i32x4.extract_lane(bad, 3);
  for (; k < count; k++) {
    const x = load<f32>(values + (<usize>k << 2));
    if (x - x != 0) total++;
  }
  return total;
}
