// Training: one sentence (or document piece) at a time, on the weights and tables configure() set
// (config.ts), with this thread's scratch rows, random generator and loss counters.
import {
  dim, dim4, vocabSize, negative, window, cbowMean, useHs, trainOutput, trainWords, trainDocs,
  syn0, syn1neg, syn1, docs, sigmoid, lossPositive, lossNegative, noiseThreshold, noiseAlias, keepThreshold,
  huffmanOffsets, huffmanCodes, huffmanPoints, expectedSubsampling, inputRow, outputRow, isLocked, lockedRows,
  subwordOffsets, subwordRows, subwordShifts, saturatedUpdates,
} from './config';

let hidden: usize = 0; // f32 × dim scratch
let gradient: usize = 0; // f32 × dim scratch
let sentence: usize = 0; // i32 × MAX scratch: the (subsampled) sentence
let groupGradients: usize = 0; // f32 × GROUP × dim scratch: the gradients of a group of context words
let slots: usize = 0; // i32 × SLOTS scratch: skip-gram's group of words, CBOW's row addresses

let rng: u32 = 1;
let lossSum: f64 = 0;
let outputCount: f64 = 0;

const MAX_EXP: f32 = 6;
const SIGMOID_SCALE: f32 = 1000.0 / 12.0;

/** Most context words {@link skipGramTreeAt} takes through the tree together (memory.ts CONTEXT_GROUP). */
const GROUP: i32 = 16;
/** Room for words or row addresses after the group's gradient rows (memory.ts CONTEXT_SLOTS). */
const SLOTS: i32 = 64;

/** {@link GROUP}, for the host to check its scratch against. */
export function contextGroup(): i32 {
  return GROUP;
}

/** {@link SLOTS}, for the host to check its scratch against. */
export function contextSlots(): i32 {
  return SLOTS;
}

/**
 * Sets this thread's scratch and random seed. `group` holds GROUP gradient rows (see
 * {@link skipGramTreeAt}) and then SLOTS words or row addresses.
 */
export function setScratch(hidden_: usize, gradient_: usize, sentence_: usize, group: usize, seed: u32): void {
  hidden = hidden_;
  gradient = gradient_;
  sentence = sentence_;
  groupGradients = group;
  slots = group + (<usize>(GROUP * dim) << 2);
  rng = seed == 0 ? 0x6d2b79f5 : seed;
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
  if (update) {
    updateOne(g, row, h, gradient);
    return;
  }
  const gv = f32x4.splat(g);
  let k: i32 = 0;
  for (; k < dim4; k += 4) {
    const o = <usize>(k << 2);
    v128.store(gradient + o, f32x4.add(v128.load(gradient + o), f32x4.mul(gv, v128.load(row + o))));
  }
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    store<f32>(gradient + o, load<f32>(gradient + o) + g * load<f32>(row + o));
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
 * ⟨h, a⟩ and ⟨h, b⟩ in one pass over h: four independent accumulators instead of two, so the adds of the
 * two sums overlap. Each sum keeps {@link dot}'s order, so each equals dot(h, a) and dot(h, b) bit for bit.
 * Returns ⟨h, a⟩ and leaves ⟨h, b⟩ in {@link pairedDot}.
 */
// @ts-ignore: decorator
@inline function dotPair(h: usize, a: usize, b: usize): f32 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let b0 = f32x4.splat(0);
  let b1 = f32x4.splat(0);
  const dim8 = dim & ~7;
  let k: i32 = 0;
  for (; k < dim8; k += 8) {
    const o = <usize>(k << 2);
    const h0 = v128.load(h + o);
    const h1 = v128.load(h + o + 16);
    a0 = f32x4.add(a0, f32x4.mul(h0, v128.load(a + o)));
    a1 = f32x4.add(a1, f32x4.mul(h1, v128.load(a + o + 16)));
    b0 = f32x4.add(b0, f32x4.mul(h0, v128.load(b + o)));
    b1 = f32x4.add(b1, f32x4.mul(h1, v128.load(b + o + 16)));
  }
  if (k < dim4) {
    const o = <usize>(k << 2);
    const h0 = v128.load(h + o);
    a0 = f32x4.add(a0, f32x4.mul(h0, v128.load(a + o)));
    b0 = f32x4.add(b0, f32x4.mul(h0, v128.load(b + o)));
    k += 4;
  }
  const accA = f32x4.add(a0, a1);
  const accB = f32x4.add(b0, b1);
  let sumA: f32 = f32x4.extract_lane(accA, 0) + f32x4.extract_lane(accA, 1) + f32x4.extract_lane(accA, 2) + f32x4.extract_lane(accA, 3);
  let sumB: f32 = f32x4.extract_lane(accB, 0) + f32x4.extract_lane(accB, 1) + f32x4.extract_lane(accB, 2) + f32x4.extract_lane(accB, 3);
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    const x = load<f32>(h + o);
    sumA += x * load<f32>(a + o);
    sumB += x * load<f32>(b + o);
  }
  pairedDot = sumB;
  return sumA;
}

/** The second result of {@link dotPair}. */
let pairedDot: f32 = 0;

/**
 * What one binary decision with score f asks for: returns the loss and leaves in {@link step} the
 * coefficient g of its update, and in {@link stepped} whether there is one. Outside [−6, 6] nothing is updated
 * (gensim's rule) unless saturatedUpdates is set (subword models, as fastText's binaryLogistic): then a
 * decision on the wrong side updates with σ taken as 0 or 1. The loss there is approximated by |f|.
 */
// @ts-ignore: decorator
@inline function judge(f: f32, label: f32, alpha: f32): f64 {
  if (f <= -MAX_EXP || f >= MAX_EXP) {
    const wrong = label == 1 ? f < 0 : f > 0;
    stepped = saturatedUpdates && wrong;
    step = (label - (f > 0 ? <f32>1 : <f32>0)) * alpha;
    return wrong ? <f64>Mathf.abs(f) : 0;
  }
  const index = <usize>(<i32>((f + MAX_EXP) * SIGMOID_SCALE)) << 2;
  stepped = true;
  step = (label - load<f32>(sigmoid + index)) * alpha;
  return <f64>load<f32>((label == 1 ? lossPositive : lossNegative) + index);
}

/** The update coefficient {@link judge} leaves, and whether the row is updated at all. */
let step: f32 = 0;
let stepped: bool = false;

/**
 * One binary decision of an output row: σ(⟨h, row⟩) should be `label`. Adds the gradient for h into
 * `gradient`, updates the row (unless frozen) and returns the loss (see {@link judge}).
 */
// @ts-ignore: decorator
@inline function decide(h: usize, row: usize, label: f32, alpha: f32): f64 {
  const loss = judge(dot(h, row), label, alpha);
  if (stepped) backpropagate(step, h, row, trainOutput);
  return loss;
}

/**
 * Two decisions on two different rows, as {@link decide} on `a` then on `b` computes them, bit for bit:
 * neither row's score depends on the other's update (h is not changed by a decision), and the gradient
 * takes a's term before b's in each element. Their scores are summed in one pass, their updates in
 * another, which halves the passes over h and over the gradient. Returns `loss` with both losses added,
 * a's first.
 */
// @ts-ignore: decorator
@inline function decidePair(loss: f64, h: usize, a: usize, labelA: f32, b: usize, labelB: f32, alpha: f32): f64 {
  const fa = dotPair(h, a, b);
  const fb = pairedDot;
  loss += judge(fa, labelA, alpha);
  const ga = step;
  const updateA = stepped;
  loss += judge(fb, labelB, alpha);
  if (updateA && stepped) backpropagatePair(ga, a, step, b, h);
  else if (updateA) backpropagate(ga, h, a, trainOutput);
  else if (stepped) backpropagate(step, h, b, trainOutput);
  return loss;
}

/** gradient += ga · a + gb · b (a's term first) and, when outputs train, a += ga · h, b += gb · h. */
// @ts-ignore: decorator
@inline function backpropagatePair(ga: f32, a: usize, gb: f32, b: usize, h: usize): void {
  if (trainOutput) {
    updatePair(ga, a, gb, b, h, gradient);
    return;
  }
  const gav = f32x4.splat(ga);
  const gbv = f32x4.splat(gb);
  let k: i32 = 0;
  for (; k < dim4; k += 4) {
    const o = <usize>(k << 2);
    v128.store(gradient + o, f32x4.add(f32x4.add(v128.load(gradient + o), f32x4.mul(gav, v128.load(a + o))), f32x4.mul(gbv, v128.load(b + o))));
  }
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    store<f32>(gradient + o, load<f32>(gradient + o) + ga * load<f32>(a + o) + gb * load<f32>(b + o));
  }
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
  // Then the decisions two at a time (decidePair), in the order the draws give: the target first, then
  // each noise word that is not the target. Two draws of one word in a pair are decided one after the
  // other, so the second sees the first's update, as it would alone.
  let loss: f64 = 0;
  let pending = word;
  let pendingLabel: f32 = 1;
  for (let d: i32 = 1; d <= negative; d++) {
    const target = drawNoise();
    if (target == word) continue;
    if (pending < 0) {
      pending = target;
      pendingLabel = 0;
    } else if (pending == target) {
      const row = outputRow(syn1neg, target);
      loss += decide(h, row, pendingLabel, alpha);
      loss += decide(h, row, 0, alpha);
      pending = -1;
    } else {
      loss = decidePair(loss, h, outputRow(syn1neg, pending), pendingLabel, outputRow(syn1neg, target), 0, alpha);
      pending = -1;
    }
  }
  if (pending >= 0) loss += decide(h, outputRow(syn1neg, pending), pendingLabel, alpha);
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
  // Two nodes at a time (decidePair: a path never holds a node twice). Code 0 means label 1 (gensim:
  // g = (1 − code − σ) · α). When the rows learn, the next pair is scored in the pass that updates this
  // one (updatePairThenDotPair): its rows are others, so their scores are those decidePair would take.
  let b = start;
  if (trainOutput && end - start >= 4) {
    let rowA = outputRow(syn1, load<i32>(huffmanPoints + (<usize>b << 2)));
    let rowB = outputRow(syn1, load<i32>(huffmanPoints + (<usize>(b + 1) << 2)));
    let labelA: f32 = load<u8>(huffmanCodes + <usize>b) == 0 ? 1 : 0;
    let labelB: f32 = load<u8>(huffmanCodes + <usize>(b + 1)) == 0 ? 1 : 0;
    let fa = dotPair(h, rowA, rowB);
    let fb = pairedDot;
    for (b += 2; b + 1 < end; b += 2) {
      loss += judge(fa, labelA, alpha);
      const ga: f32 = stepped ? step : 0;
      loss += judge(fb, labelB, alpha);
      const gb: f32 = stepped ? step : 0;
      const rowC = outputRow(syn1, load<i32>(huffmanPoints + (<usize>b << 2)));
      const rowD = outputRow(syn1, load<i32>(huffmanPoints + (<usize>(b + 1) << 2)));
      fa = updatePairThenDotPair(ga, rowA, gb, rowB, h, rowC, rowD);
      fb = pairedDot;
      rowA = rowC;
      rowB = rowD;
      labelA = load<u8>(huffmanCodes + <usize>b) == 0 ? 1 : 0;
      labelB = load<u8>(huffmanCodes + <usize>(b + 1)) == 0 ? 1 : 0;
    }
    loss += judge(fa, labelA, alpha);
    const ga: f32 = stepped ? step : 0;
    loss += judge(fb, labelB, alpha);
    const gb: f32 = stepped ? step : 0;
    if (ga != 0 || gb != 0) updatePair(ga, rowA, gb, rowB, h, gradient);
  }
  for (; b + 1 < end; b += 2) {
    const rowA = outputRow(syn1, load<i32>(huffmanPoints + (<usize>b << 2)));
    const rowB = outputRow(syn1, load<i32>(huffmanPoints + (<usize>(b + 1) << 2)));
    const labelA: f32 = load<u8>(huffmanCodes + <usize>b) == 0 ? 1 : 0;
    const labelB: f32 = load<u8>(huffmanCodes + <usize>(b + 1)) == 0 ? 1 : 0;
    loss = decidePair(loss, h, rowA, labelA, rowB, labelB, alpha);
  }
  if (b < end) {
    const row = outputRow(syn1, load<i32>(huffmanPoints + (<usize>b << 2)));
    loss += decide(h, row, load<u8>(huffmanCodes + <usize>b) == 0 ? 1 : 0, alpha);
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
 * CBOW's prediction from the bag summed in `hidden` (`count` vectors): their mean (or sum) predicts
 * `word`; the gradient for each input is left in `gradient`.
 */
// @ts-ignore: decorator
@inline function predictFromBag(count: i32, word: i32, alpha: f32): void {
  const inverse: f32 = 1.0 / <f32>count;
  if (cbowMean) scale(inverse, hidden);
  zero(gradient);
  predict(hidden, word, alpha);
  if (!cbowMean) scale(inverse, gradient);
}

/**
 * CBOW over the sentence scratch; with `doc` ≥ 0, PV-DM: the document vector joins every context.
 * The bag's rows are listed in `slots` and summed in one pass (each block of the sum kept in registers
 * while every row is added), and the gradient goes to them in one pass, in the order and with the
 * operations of summing row after row into `hidden` and adding `gradient` to one row after another, so the
 * bits are the same. A bag wider than the slots (a window over 31) takes several lists.
 */
export function cbow(length: i32, alpha: f32, doc: i32): void {
  const rowBytes = <usize>dim << 2;
  const docRow = doc >= 0 ? docs + <usize>doc * rowBytes : 0;
  for (let i: i32 = 0; i < length; i++) {
    drawWindow(i, length);
    const start = windowStart;
    const end = windowEnd;
    let count: i32 = 0;
    let listed: i32 = 0;
    for (let m = start; m < end; m++) {
      if (m == i) continue;
      listed = listBagRow(listed, count == listed, inputRow(wordAt(m)));
      count++;
    }
    if (doc >= 0) {
      listed = listBagRow(listed, count == listed, docRow);
      count++;
    }
    if (count == 0) continue;
    const inverse: f32 = 1.0 / <f32>count;
    sumRows(listed, count == listed, cbowMean ? inverse : 1);
    predict(hidden, wordAt(i), alpha);
    if (!cbowMean) scale(inverse, gradient);
    let taking: i32 = 0;
    if (trainWords) {
      for (let m = start; m < end; m++) {
        if (m == i) continue;
        const context = wordAt(m);
        if (lockedRows != 0 && isLocked(context)) continue;
        taking = listTakingRow(taking, inputRow(context));
      }
    }
    if (doc >= 0 && trainDocs) taking = listTakingRow(taking, docRow);
    if (taking > 0) addToRows(taking);
  }
}

/**
 * Lists a row of CBOW's bag after `listed` others, summing a full list into `hidden` first (from zero when
 * it is the bag's first); returns how many are listed.
 */
// @ts-ignore: decorator
@inline function listBagRow(listed: i32, first: bool, row: usize): i32 {
  if (listed == SLOTS) {
    sumRows(listed, first, 1);
    listed = 0;
  }
  store<usize>(slots + (<usize>listed << 2), row);
  return listed + 1;
}

/** Lists a row that takes CBOW's gradient, adding it to a full list's rows first; returns how many are listed. */
// @ts-ignore: decorator
@inline function listTakingRow(taking: i32, row: usize): i32 {
  if (taking == SLOTS) {
    addToRows(taking);
    taking = 0;
  }
  store<usize>(slots + (<usize>taking << 2), row);
  return taking + 1;
}

// @ts-ignore: decorator
@inline function slotRow(m: i32): usize {
  return load<usize>(slots + (<usize>m << 2));
}

/**
 * hidden = the sum of the n rows whose addresses are in `slots`, added in their order to 0 (`fromZero`) or
 * to hidden, times `factor` unless it is 1; gradient = 0.
 */
// @ts-ignore: decorator
@inline function sumRows(n: i32, fromZero: bool, factor: f32): void {
  const fv = f32x4.splat(factor);
  const zeros = f32x4.splat(0);
  const scaled = factor != 1;
  const dim16 = dim & ~15;
  let k: i32 = 0;
  for (; k < dim16; k += 16) {
    const o = <usize>(k << 2);
    let s0 = fromZero ? zeros : v128.load(hidden + o);
    let s1 = fromZero ? zeros : v128.load(hidden + o, 16);
    let s2 = fromZero ? zeros : v128.load(hidden + o, 32);
    let s3 = fromZero ? zeros : v128.load(hidden + o, 48);
    for (let m: i32 = 0; m < n; m++) {
      const row = slotRow(m) + o;
      s0 = f32x4.add(s0, v128.load(row));
      s1 = f32x4.add(s1, v128.load(row, 16));
      s2 = f32x4.add(s2, v128.load(row, 32));
      s3 = f32x4.add(s3, v128.load(row, 48));
    }
    if (scaled) {
      s0 = f32x4.mul(fv, s0);
      s1 = f32x4.mul(fv, s1);
      s2 = f32x4.mul(fv, s2);
      s3 = f32x4.mul(fv, s3);
    }
    v128.store(hidden + o, s0);
    v128.store(hidden + o, s1, 16);
    v128.store(hidden + o, s2, 32);
    v128.store(hidden + o, s3, 48);
    v128.store(gradient + o, zeros);
    v128.store(gradient + o, zeros, 16);
    v128.store(gradient + o, zeros, 32);
    v128.store(gradient + o, zeros, 48);
  }
  for (; k < dim4; k += 4) {
    const o = <usize>(k << 2);
    let s0 = fromZero ? zeros : v128.load(hidden + o);
    for (let m: i32 = 0; m < n; m++) s0 = f32x4.add(s0, v128.load(slotRow(m) + o));
    v128.store(hidden + o, scaled ? f32x4.mul(fv, s0) : s0);
    v128.store(gradient + o, zeros);
  }
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    let s: f32 = fromZero ? 0 : load<f32>(hidden + o);
    for (let m: i32 = 0; m < n; m++) s += load<f32>(slotRow(m) + o);
    store<f32>(hidden + o, scaled ? factor * s : s);
    store<f32>(gradient + o, 0);
  }
}

/** Adds `gradient` to each of the n rows whose addresses are in `slots`, in their order. */
// @ts-ignore: decorator
@inline function addToRows(n: i32): void {
  const dim16 = dim & ~15;
  let k: i32 = 0;
  for (; k < dim16; k += 16) {
    const o = <usize>(k << 2);
    const g0 = v128.load(gradient + o);
    const g1 = v128.load(gradient + o, 16);
    const g2 = v128.load(gradient + o, 32);
    const g3 = v128.load(gradient + o, 48);
    for (let m: i32 = 0; m < n; m++) {
      const row = slotRow(m) + o;
      v128.store(row, f32x4.add(v128.load(row), g0));
      v128.store(row, f32x4.add(v128.load(row, 16), g1), 16);
      v128.store(row, f32x4.add(v128.load(row, 32), g2), 32);
      v128.store(row, f32x4.add(v128.load(row, 48), g3), 48);
    }
  }
  for (; k < dim4; k += 4) {
    const o = <usize>(k << 2);
    const g0 = v128.load(gradient + o);
    for (let m: i32 = 0; m < n; m++) {
      const row = slotRow(m) + o;
      v128.store(row, f32x4.add(v128.load(row), g0));
    }
  }
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    const g = load<f32>(gradient + o);
    for (let m: i32 = 0; m < n; m++) {
      const row = slotRow(m) + o;
      store<f32>(row, load<f32>(row) + g);
    }
  }
}

/** Skip-gram for the centre word at position i: each context word's vector predicts it. */
// @ts-ignore: decorator
@inline function skipGramAt(i: i32, length: i32, alpha: f32): void {
  if (useHs && trainOutput) {
    skipGramTreeAt(i, length, alpha);
    return;
  }
  drawWindow(i, length);
  const start = windowStart;
  const end = windowEnd;
  const word = wordAt(i);
  for (let j = start; j < end; j++) {
    if (j == i) continue;
    const context = wordAt(j);
    const row = inputRow(context);
    zero(gradient);
    predict(row, word, alpha);
    if (trainWords && !isLocked(context)) add(gradient, row);
  }
}

// ---- skip-gram with hierarchical softmax: the centre word's path walked once for several context words ----

/**
 * Skip-gram + HS for the centre word at position i: what the loop of {@link skipGramAt} computes, bit for
 * bit (only the loss is summed in another order). Every context word predicts the centre word through the
 * same path of tree nodes, so instead of walking the path once per context word, the path is walked once
 * and each node is decided for every context word in turn, in the order of that loop: a node's decision for
 * context c sees its updates for the context words before c, as there. A context word's own vector takes
 * its gradient only after its whole path, so several context words can be in flight together; a word met
 * twice ends the group (its second occurrence must see the first's update), as do GROUP words.
 * The gain: a node is decided for context c + 1 in the same pass over it that updates it for context c,
 * and the path's rows are fetched once per group instead of once per context word.
 */
// @ts-ignore: decorator
@inline function skipGramTreeAt(i: i32, length: i32, alpha: f32): void {
  drawWindow(i, length);
  const end = windowEnd;
  const word = wordAt(i);
  let n: i32 = 0;
  for (let j = windowStart; j < end; j++) {
    if (j == i) continue;
    const context = wordAt(j);
    if (n == GROUP || groupHolds(n, context)) {
      treeGroup(word, n, alpha);
      n = 0;
    }
    store<i32>(slots + (<usize>n << 2), context);
    n++;
  }
  if (n > 0) treeGroup(word, n, alpha);
}

/** Whether the first n words of the group include `word`. */
// @ts-ignore: decorator
@inline function groupHolds(n: i32, word: i32): bool {
  for (let c: i32 = 0; c < n; c++) if (load<i32>(slots + (<usize>c << 2)) == word) return true;
  return false;
}

// @ts-ignore: decorator
@inline function groupWord(c: i32): i32 {
  return load<i32>(slots + (<usize>c << 2));
}

// @ts-ignore: decorator
@inline function groupGradient(c: i32): usize {
  return groupGradients + (<usize>(c * dim) << 2);
}

/** The path of `word` for the n context words of the group, then each context word's update. */
function treeGroup(word: i32, n: i32, alpha: f32): void {
  if (expectedSubsampling) {
    const threshold = load<u32>(keepThreshold + (<usize>word << 2));
    if (threshold != 0xffffffff) alpha *= <f32>(<f64>threshold * 2.3283064365386963e-10);
  }
  const start = load<i32>(huffmanOffsets + (<usize>word << 2));
  const end = load<i32>(huffmanOffsets + (<usize>(word + 1) << 2));
  let touched: i32 = 0;
  for (let c: i32 = 0; c < n; c++) touched ^= touchRow(inputRow(groupWord(c)));
  for (let b = start; b < end; b++) touched ^= touchRow(outputRow(syn1, load<i32>(huffmanPoints + (<usize>b << 2))));
  touchSink ^= touched;
  memory.fill(groupGradients, 0, <usize>(n * dim) << 2);
  let loss: f64 = 0;
  let b = start;
  for (; b + 1 < end; b += 2) {
    const rowA = outputRow(syn1, load<i32>(huffmanPoints + (<usize>b << 2)));
    const rowB = outputRow(syn1, load<i32>(huffmanPoints + (<usize>(b + 1) << 2)));
    const labelA: f32 = load<u8>(huffmanCodes + <usize>b) == 0 ? 1 : 0;
    const labelB: f32 = load<u8>(huffmanCodes + <usize>(b + 1)) == 0 ? 1 : 0;
    loss = nodePairForGroup(loss, n, rowA, labelA, rowB, labelB, alpha);
  }
  if (b < end) {
    const row = outputRow(syn1, load<i32>(huffmanPoints + (<usize>b << 2)));
    loss = nodeForGroup(loss, n, row, load<u8>(huffmanCodes + <usize>b) == 0 ? 1 : 0, alpha);
  }
  lossSum += loss;
  outputCount += <f64>(n * (end - start));
  if (!trainWords) return;
  for (let c: i32 = 0; c < n; c++) {
    const context = groupWord(c);
    if (!isLocked(context)) add(groupGradient(c), inputRow(context));
  }
}

/**
 * Nodes a and b decided for each context word of the group in turn. A decision that asks for no update
 * (see {@link judge}) updates by 0, which leaves every value as it is: the rows and gradients are never −0.
 */
function nodePairForGroup(loss: f64, n: i32, a: usize, labelA: f32, b: usize, labelB: f32, alpha: f32): f64 {
  let fa = dotPair(inputRow(groupWord(0)), a, b);
  let fb = pairedDot;
  for (let c: i32 = 1; c <= n; c++) {
    loss += judge(fa, labelA, alpha);
    const ga: f32 = stepped ? step : 0;
    loss += judge(fb, labelB, alpha);
    const gb: f32 = stepped ? step : 0;
    const h = inputRow(groupWord(c - 1));
    if (c == n) {
      if (ga != 0 || gb != 0) updatePair(ga, a, gb, b, h, groupGradient(c - 1));
      break;
    }
    fa = updatePairThenDot(ga, a, gb, b, h, groupGradient(c - 1), inputRow(groupWord(c)));
    fb = pairedDot;
  }
  return loss;
}

/** {@link nodePairForGroup} for a single node (a path of odd length ends with one). */
function nodeForGroup(loss: f64, n: i32, a: usize, label: f32, alpha: f32): f64 {
  let f = dot(inputRow(groupWord(0)), a);
  for (let c: i32 = 1; c <= n; c++) {
    loss += judge(f, label, alpha);
    const g: f32 = stepped ? step : 0;
    const h = inputRow(groupWord(c - 1));
    if (c == n) {
      if (g != 0) updateOne(g, a, h, groupGradient(c - 1));
      break;
    }
    f = updateOneThenDot(g, a, h, groupGradient(c - 1), inputRow(groupWord(c)));
  }
  return loss;
}

/** gradient += ga · a + gb · b (a's term first); a += ga · h; b += gb · h. */
// @ts-ignore: decorator
@inline function updatePair(ga: f32, a: usize, gb: f32, b: usize, h: usize, gradient: usize): void {
  const gav = f32x4.splat(ga);
  const gbv = f32x4.splat(gb);
  let k: i32 = 0;
  for (; k < dim4; k += 4) {
    const o = <usize>(k << 2);
    const ra = v128.load(a + o);
    const rb = v128.load(b + o);
    const x = v128.load(h + o);
    v128.store(gradient + o, f32x4.add(f32x4.add(v128.load(gradient + o), f32x4.mul(gav, ra)), f32x4.mul(gbv, rb)));
    v128.store(a + o, f32x4.add(ra, f32x4.mul(gav, x)));
    v128.store(b + o, f32x4.add(rb, f32x4.mul(gbv, x)));
  }
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    const ra = load<f32>(a + o);
    const rb = load<f32>(b + o);
    const x = load<f32>(h + o);
    store<f32>(gradient + o, load<f32>(gradient + o) + ga * ra + gb * rb);
    store<f32>(a + o, ra + ga * x);
    store<f32>(b + o, rb + gb * x);
  }
}

/**
 * {@link updatePair}, and in the same pass ⟨next, a⟩ and ⟨next, b⟩ of the updated rows, summed as
 * {@link dotPair} sums them (so equal to it bit for bit). Returns ⟨next, a⟩, leaves ⟨next, b⟩ in
 * {@link pairedDot}.
 */
// @ts-ignore: decorator
@inline function updatePairThenDot(ga: f32, a: usize, gb: f32, b: usize, h: usize, gradient: usize, next: usize): f32 {
  const gav = f32x4.splat(ga);
  const gbv = f32x4.splat(gb);
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let b0 = f32x4.splat(0);
  let b1 = f32x4.splat(0);
  const dim8 = dim & ~7;
  let k: i32 = 0;
  for (; k < dim8; k += 8) {
    const o = <usize>(k << 2);
    const ra0 = v128.load(a + o);
    const rb0 = v128.load(b + o);
    const x0 = v128.load(h + o);
    v128.store(gradient + o, f32x4.add(f32x4.add(v128.load(gradient + o), f32x4.mul(gav, ra0)), f32x4.mul(gbv, rb0)));
    const na0 = f32x4.add(ra0, f32x4.mul(gav, x0));
    const nb0 = f32x4.add(rb0, f32x4.mul(gbv, x0));
    v128.store(a + o, na0);
    v128.store(b + o, nb0);
    const y0 = v128.load(next + o);
    a0 = f32x4.add(a0, f32x4.mul(y0, na0));
    b0 = f32x4.add(b0, f32x4.mul(y0, nb0));
    const ra1 = v128.load(a + o + 16);
    const rb1 = v128.load(b + o + 16);
    const x1 = v128.load(h + o + 16);
    v128.store(gradient + o + 16, f32x4.add(f32x4.add(v128.load(gradient + o + 16), f32x4.mul(gav, ra1)), f32x4.mul(gbv, rb1)));
    const na1 = f32x4.add(ra1, f32x4.mul(gav, x1));
    const nb1 = f32x4.add(rb1, f32x4.mul(gbv, x1));
    v128.store(a + o + 16, na1);
    v128.store(b + o + 16, nb1);
    const y1 = v128.load(next + o + 16);
    a1 = f32x4.add(a1, f32x4.mul(y1, na1));
    b1 = f32x4.add(b1, f32x4.mul(y1, nb1));
  }
  if (k < dim4) {
    const o = <usize>(k << 2);
    const ra0 = v128.load(a + o);
    const rb0 = v128.load(b + o);
    const x0 = v128.load(h + o);
    v128.store(gradient + o, f32x4.add(f32x4.add(v128.load(gradient + o), f32x4.mul(gav, ra0)), f32x4.mul(gbv, rb0)));
    const na0 = f32x4.add(ra0, f32x4.mul(gav, x0));
    const nb0 = f32x4.add(rb0, f32x4.mul(gbv, x0));
    v128.store(a + o, na0);
    v128.store(b + o, nb0);
    const y0 = v128.load(next + o);
    a0 = f32x4.add(a0, f32x4.mul(y0, na0));
    b0 = f32x4.add(b0, f32x4.mul(y0, nb0));
    k += 4;
  }
  const accA = f32x4.add(a0, a1);
  const accB = f32x4.add(b0, b1);
  let sumA: f32 = f32x4.extract_lane(accA, 0) + f32x4.extract_lane(accA, 1) + f32x4.extract_lane(accA, 2) + f32x4.extract_lane(accA, 3);
  let sumB: f32 = f32x4.extract_lane(accB, 0) + f32x4.extract_lane(accB, 1) + f32x4.extract_lane(accB, 2) + f32x4.extract_lane(accB, 3);
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    const ra = load<f32>(a + o);
    const rb = load<f32>(b + o);
    const x = load<f32>(h + o);
    store<f32>(gradient + o, load<f32>(gradient + o) + ga * ra + gb * rb);
    const na = ra + ga * x;
    const nb = rb + gb * x;
    store<f32>(a + o, na);
    store<f32>(b + o, nb);
    const y = load<f32>(next + o);
    sumA += y * na;
    sumB += y * nb;
  }
  pairedDot = sumB;
  return sumA;
}

/**
 * {@link updatePair} of a and b (with this prediction's `gradient`), and in the same pass ⟨h, c⟩ and
 * ⟨h, d⟩ of two other rows, summed as {@link dotPair} sums them. Returns ⟨h, c⟩, leaves ⟨h, d⟩ in
 * {@link pairedDot}. A coefficient of 0 leaves every value as it is (the rows and gradient are never −0).
 */
// @ts-ignore: decorator
@inline function updatePairThenDotPair(ga: f32, a: usize, gb: f32, b: usize, h: usize, c: usize, d: usize): f32 {
  const gav = f32x4.splat(ga);
  const gbv = f32x4.splat(gb);
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let d0 = f32x4.splat(0);
  let d1 = f32x4.splat(0);
  const dim8 = dim & ~7;
  let k: i32 = 0;
  for (; k < dim8; k += 8) {
    const o = <usize>(k << 2);
    const x0 = v128.load(h + o);
    const ra0 = v128.load(a + o);
    const rb0 = v128.load(b + o);
    v128.store(gradient + o, f32x4.add(f32x4.add(v128.load(gradient + o), f32x4.mul(gav, ra0)), f32x4.mul(gbv, rb0)));
    v128.store(a + o, f32x4.add(ra0, f32x4.mul(gav, x0)));
    v128.store(b + o, f32x4.add(rb0, f32x4.mul(gbv, x0)));
    c0 = f32x4.add(c0, f32x4.mul(x0, v128.load(c + o)));
    d0 = f32x4.add(d0, f32x4.mul(x0, v128.load(d + o)));
    const x1 = v128.load(h + o, 16);
    const ra1 = v128.load(a + o, 16);
    const rb1 = v128.load(b + o, 16);
    v128.store(gradient + o, f32x4.add(f32x4.add(v128.load(gradient + o, 16), f32x4.mul(gav, ra1)), f32x4.mul(gbv, rb1)), 16);
    v128.store(a + o, f32x4.add(ra1, f32x4.mul(gav, x1)), 16);
    v128.store(b + o, f32x4.add(rb1, f32x4.mul(gbv, x1)), 16);
    c1 = f32x4.add(c1, f32x4.mul(x1, v128.load(c + o, 16)));
    d1 = f32x4.add(d1, f32x4.mul(x1, v128.load(d + o, 16)));
  }
  if (k < dim4) {
    const o = <usize>(k << 2);
    const x0 = v128.load(h + o);
    const ra0 = v128.load(a + o);
    const rb0 = v128.load(b + o);
    v128.store(gradient + o, f32x4.add(f32x4.add(v128.load(gradient + o), f32x4.mul(gav, ra0)), f32x4.mul(gbv, rb0)));
    v128.store(a + o, f32x4.add(ra0, f32x4.mul(gav, x0)));
    v128.store(b + o, f32x4.add(rb0, f32x4.mul(gbv, x0)));
    c0 = f32x4.add(c0, f32x4.mul(x0, v128.load(c + o)));
    d0 = f32x4.add(d0, f32x4.mul(x0, v128.load(d + o)));
    k += 4;
  }
  const accC = f32x4.add(c0, c1);
  const accD = f32x4.add(d0, d1);
  let sumC: f32 = f32x4.extract_lane(accC, 0) + f32x4.extract_lane(accC, 1) + f32x4.extract_lane(accC, 2) + f32x4.extract_lane(accC, 3);
  let sumD: f32 = f32x4.extract_lane(accD, 0) + f32x4.extract_lane(accD, 1) + f32x4.extract_lane(accD, 2) + f32x4.extract_lane(accD, 3);
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    const x = load<f32>(h + o);
    const ra = load<f32>(a + o);
    const rb = load<f32>(b + o);
    store<f32>(gradient + o, load<f32>(gradient + o) + ga * ra + gb * rb);
    store<f32>(a + o, ra + ga * x);
    store<f32>(b + o, rb + gb * x);
    sumC += x * load<f32>(c + o);
    sumD += x * load<f32>(d + o);
  }
  pairedDot = sumD;
  return sumC;
}

/** gradient += g · a; a += g · h. */
// @ts-ignore: decorator
@inline function updateOne(g: f32, a: usize, h: usize, gradient: usize): void {
  const gv = f32x4.splat(g);
  let k: i32 = 0;
  for (; k < dim4; k += 4) {
    const o = <usize>(k << 2);
    const r = v128.load(a + o);
    v128.store(gradient + o, f32x4.add(v128.load(gradient + o), f32x4.mul(gv, r)));
    v128.store(a + o, f32x4.add(r, f32x4.mul(gv, v128.load(h + o))));
  }
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    const r = load<f32>(a + o);
    store<f32>(gradient + o, load<f32>(gradient + o) + g * r);
    store<f32>(a + o, r + g * load<f32>(h + o));
  }
}

/** {@link updateOne}, and in the same pass ⟨next, a⟩ of the updated row, summed as {@link dot} sums it. */
// @ts-ignore: decorator
@inline function updateOneThenDot(g: f32, a: usize, h: usize, gradient: usize, next: usize): f32 {
  const gv = f32x4.splat(g);
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  const dim8 = dim & ~7;
  let k: i32 = 0;
  for (; k < dim8; k += 8) {
    const o = <usize>(k << 2);
    const r0 = v128.load(a + o);
    v128.store(gradient + o, f32x4.add(v128.load(gradient + o), f32x4.mul(gv, r0)));
    const n0 = f32x4.add(r0, f32x4.mul(gv, v128.load(h + o)));
    v128.store(a + o, n0);
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(next + o), n0));
    const r1 = v128.load(a + o + 16);
    v128.store(gradient + o + 16, f32x4.add(v128.load(gradient + o + 16), f32x4.mul(gv, r1)));
    const n1 = f32x4.add(r1, f32x4.mul(gv, v128.load(h + o + 16)));
    v128.store(a + o + 16, n1);
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(next + o + 16), n1));
  }
  if (k < dim4) {
    const o = <usize>(k << 2);
    const r0 = v128.load(a + o);
    v128.store(gradient + o, f32x4.add(v128.load(gradient + o), f32x4.mul(gv, r0)));
    const n0 = f32x4.add(r0, f32x4.mul(gv, v128.load(h + o)));
    v128.store(a + o, n0);
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(next + o), n0));
    k += 4;
  }
  const acc = f32x4.add(acc0, acc1);
  let sum: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    const r = load<f32>(a + o);
    store<f32>(gradient + o, load<f32>(gradient + o) + g * r);
    const updated = r + g * load<f32>(h + o);
    store<f32>(a + o, updated);
    sum += load<f32>(next + o) * updated;
  }
  return sum;
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


// ---- subword architectures (fastText: a word's input is the mean of its own row and its n-grams') ----

// @ts-ignore: decorator
@inline function subwordStart(word: i32): i32 {
  return load<i32>(subwordOffsets + (<usize>word << 2));
}

// @ts-ignore: decorator
@inline function subwordEnd(word: i32): i32 {
  return load<i32>(subwordOffsets + (<usize>(word + 1) << 2));
}

/** Adds every input row of `word` into `y`; returns how many. */
// @ts-ignore: decorator
@inline function addSubwordRows(word: i32, y: usize): i32 {
  const from = subwordStart(word);
  const to = subwordEnd(word);
  for (let r = from; r < to; r++) add(inputRow(load<i32>(subwordRows + (<usize>r << 2))), y);
  return to - from;
}

/** Adds the gradient to every input row of `word` (its own row stays when it is locked; n-grams learn). */
// @ts-ignore: decorator
@inline function updateSubwordRows(word: i32): void {
  let from = subwordStart(word);
  const to = subwordEnd(word);
  if (isLocked(word)) from++;
  for (let r = from; r < to; r++) add(gradient, inputRow(load<i32>(subwordRows + (<usize>r << 2))));
}

/**
 * CBOW over subwords (fastText's `cbow`, gensim's FastText): the mean of every input row of every context
 * word — one flat bag — predicts the centre word; the gradient goes, undivided, to each of those rows.
 */
export function cbowSubwords(length: i32, alpha: f32): void {
  for (let i: i32 = 0; i < length; i++) {
    drawWindow(i, length);
    const start = windowStart;
    const end = windowEnd;
    zero(hidden);
    let count: i32 = 0;
    for (let m = start; m < end; m++) {
      if (m == i) continue;
      count += addSubwordRows(wordAt(m), hidden);
    }
    if (count == 0) continue;
    predictFromBag(count, wordAt(i), alpha);
    if (trainWords) {
      for (let m = start; m < end; m++) {
        if (m == i) continue;
        updateSubwordRows(wordAt(m));
      }
    }
  }
}

/**
 * Skip-gram over subwords (fastText's `skipgram`): for each context word, the mean of the centre word's
 * input rows predicts it, and the gradient goes to each of those rows. The mean is summed once per centre
 * word and then moved as the rows move (by the word's shift times the gradient) instead of summed again
 * for every context word: the same vector up to rounding, at a sixteenth of the reads.
 */
export function skipgramSubwords(length: i32, alpha: f32): void {
  for (let i: i32 = 0; i < length; i++) {
    drawWindow(i, length);
    const start = windowStart;
    const end = windowEnd;
    const word = wordAt(i);
    const shift = load<f32>(subwordShifts + (<usize>word << 2));
    let summed = false;
    for (let j = start; j < end; j++) {
      if (j == i) continue;
      if (!summed) {
        zero(hidden);
        const count = addSubwordRows(word, hidden);
        scale(1.0 / <f32>count, hidden);
        summed = true;
      }
      zero(gradient);
      predict(hidden, wordAt(j), alpha);
      if (trainWords) {
        updateSubwordRows(word);
        addScaled(shift, gradient, hidden);
      }
    }
  }
}

/** y += a · x */
// @ts-ignore: decorator
@inline function addScaled(a: f32, x: usize, y: usize): void {
  const av = f32x4.splat(a);
  let k: i32 = 0;
  for (; k < dim4; k += 4) {
    const o = <usize>(k << 2);
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(av, v128.load(x + o))));
  }
  for (; k < dim; k++) {
    const o = <usize>(k << 2);
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}
