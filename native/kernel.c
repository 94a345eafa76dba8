/*
 * The native training kernel (`--kernel native`): word2vec's CBOW and skip-gram and doc2vec's PV-DM and
 * PV-DBOW, with negative sampling or hierarchical softmax, on the rows of the shared WebAssembly memory that every worker thread already
 * holds (src/kernel/memory.ts lays them out; a worker passes the offsets in). The same algorithm as the
 * TypeScript kernel (src/train/losses.ts, src/train/architectures.ts) and the WebAssembly one, with the
 * same random generator and draws; its row loops are compiled for the machine that builds it (AVX2 or
 * AVX-512 with fused multiply-add where the CPU has them), where WebAssembly is held to four floats at a
 * time. Sums are not kept in the WebAssembly kernel's order, so its vectors differ from the other
 * kernels' in the last bits; one thread and one seed still give the same model run after run.
 *
 * Built by scripts/build-native.mjs into dist/kernel-native.node; without a C compiler or Node's headers
 * there is no native kernel, and `--kernel native` says so.
 */
#include <node_api.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EXP 6.0f
enum { MODEL_CBOW = 0, MODEL_SKIPGRAM = 1, MODEL_PV_DM = 2, MODEL_PV_DBOW = 3 };
#define SIGMOID_SCALE (1000.0f / 12.0f)

typedef struct {
  uint8_t *base;
  int dim, vocab, negative, window, cbow_mean, use_hs;
  int model; /* MODEL_* */
  int dbow_words;
  float *syn0, *syn1neg, *syn1, *docs;
  const float *sigmoid, *loss_positive, *loss_negative;
  const uint32_t *noise_threshold;
  const int32_t *noise_alias;
  const uint32_t *keep;
  const int32_t *huffman_offsets;
  const uint8_t *huffman_codes;
  const int32_t *huffman_points;
  const uint8_t *locked;
  float *hidden, *gradient;
  int32_t *sentence;
  uint32_t state;
  double loss, outputs;
  /* Private copies of the hot rows (several threads; see setHot in assembly/config.ts). */
  float *hot_matrix, *hot_local, *hot_base;
  int hot_start, hot_count;
  float *hot_input_local, *hot_input_base;
  int hot_input_count;
  const float *hot_output_weights, *hot_input_weights;
} Kernel;

/* ---- random draws: xorshift32 with a multiplied output, as src/kernel/random.ts ---- */

static inline uint32_t next_random(Kernel *k) {
  uint32_t s = k->state;
  s ^= s << 13;
  s ^= s >> 17;
  s ^= s << 5;
  k->state = s;
  return s * 0x9e3779bbu;
}

static inline int random_below(Kernel *k, int n) {
  return (int)(((uint64_t)next_random(k) * (uint64_t)n) >> 32);
}

/* ---- rows ---- */

static inline float *input_row(Kernel *k, int id) {
  if ((unsigned)id < (unsigned)k->hot_input_count) return k->hot_input_local + (size_t)id * k->dim;
  return k->syn0 + (size_t)id * k->dim;
}

static inline float *output_row(Kernel *k, float *matrix, int id) {
  if (matrix == k->hot_matrix && (unsigned)(id - k->hot_start) < (unsigned)k->hot_count)
    return k->hot_local + (size_t)(id - k->hot_start) * k->dim;
  return matrix + (size_t)id * k->dim;
}

static inline int is_locked(const Kernel *k, int id) { return k->locked != NULL && k->locked[id] != 0; }

static inline float dot(const float *restrict a, const float *restrict b, int dim) {
  float sum = 0;
  for (int j = 0; j < dim; j++) sum += a[j] * b[j];
  return sum;
}

/* ---- losses: predict `word` from h, the gradient for h added into k->gradient ---- */

/*
 * The update coefficient of a decision whose score is f, its loss added to *loss; 0 outside [-6, 6]
 * (gensim's rule: no update there).
 */
static inline __attribute__((always_inline)) float logistic(Kernel *k, float f, int label, float alpha, double *loss) {
  if (f <= -MAX_EXP || f >= MAX_EXP) {
    const int wrong = label == 1 ? f < 0 : f > 0;
    *loss += wrong ? fabsf(f) : 0;
    return 0;
  }
  const int index = (int)((f + MAX_EXP) * SIGMOID_SCALE);
  *loss += label == 1 ? k->loss_positive[index] : k->loss_negative[index];
  return ((float)label - k->sigmoid[index]) * alpha;
}

/* One logistic decision on `row`; returns its loss. */
static inline double decide(Kernel *k, const float *restrict h, float *restrict row, int label, float alpha) {
  const int dim = k->dim;
  float *restrict gradient = k->gradient;
  double loss = 0;
  const float g = logistic(k, dot(h, row, dim), label, alpha, &loss);
  if (g == 0) return loss;
  for (int j = 0; j < dim; j++) gradient[j] += g * row[j];
  for (int j = 0; j < dim; j++) row[j] += g * h[j];
  return loss;
}

/*
 * Output d of a prediction of `word` under negative sampling: the word itself (d = 0, label 1), else a
 * word drawn from the noise distribution (alias method; label 0), or -1 when the draw is the word itself.
 */
static inline int ns_target(Kernel *k, int word, int d) {
  if (d == 0) return word;
  const int slot = random_below(k, k->vocab);
  const int target = next_random(k) < k->noise_threshold[slot] ? slot : k->noise_alias[slot];
  return target == word ? -1 : target;
}

static void negative_sampling_rows(Kernel *k, const float *h, int word, float alpha) {
  double loss = 0;
  for (int d = 0; d <= k->negative; d++) {
    const int target = ns_target(k, word, d);
    if (target < 0) continue;
    loss += decide(k, h, output_row(k, k->syn1neg, target), d == 0, alpha);
  }
  k->loss += loss;
  k->outputs += k->negative + 1;
}

static void hierarchical_softmax_rows(Kernel *k, const float *h, int word, float alpha) {
  double loss = 0;
  const int first = k->huffman_offsets[word], end = k->huffman_offsets[word + 1];
  for (int b = first; b < end; b++) {
    float *row = output_row(k, k->syn1, k->huffman_points[b]);
    loss += decide(k, h, row, k->huffman_codes[b] == 0 ? 1 : 0, alpha);
  }
  k->loss += loss;
  k->outputs += end - first;
}

#ifdef __AVX512F__
#include <immintrin.h>

/*
 * The same decisions with the hidden vector and the gradient held in registers (a vector of up to 128
 * floats as up to eight 16-float registers, the last one masked), two rows decided side by side: their
 * dot products overlap instead of waiting on each other. Two rows are decided together only when they
 * differ (a noise word drawn twice sees its first update, as in the one-at-a-time loop).
 */
typedef struct {
  float *row;
  int label;
} Decision;


static inline __attribute__((always_inline)) double decide_wide(Kernel *k, const float *h, const Decision *list, int count, float alpha, const int nv, const __mmask16 tail) {
  __m512 H[8], G[8];
  for (int c = 0; c < nv; c++) {
    H[c] = c == nv - 1 ? _mm512_maskz_loadu_ps(tail, h + 16 * c) : _mm512_loadu_ps(h + 16 * c);
    G[c] = _mm512_setzero_ps();
  }
  double loss = 0;
  int i = 0;
  while (i < count) {
    float *a = list[i].row;
    if (i + 1 < count && list[i + 1].row != a) {
      float *b = list[i + 1].row;
      __m512 A[8], B[8];
      __m512 sa = _mm512_setzero_ps(), sb = _mm512_setzero_ps();
      for (int c = 0; c < nv; c++) {
        A[c] = c == nv - 1 ? _mm512_maskz_loadu_ps(tail, a + 16 * c) : _mm512_loadu_ps(a + 16 * c);
        B[c] = c == nv - 1 ? _mm512_maskz_loadu_ps(tail, b + 16 * c) : _mm512_loadu_ps(b + 16 * c);
        sa = _mm512_fmadd_ps(H[c], A[c], sa);
        sb = _mm512_fmadd_ps(H[c], B[c], sb);
      }
      const float ga = logistic(k, _mm512_reduce_add_ps(sa), list[i].label, alpha, &loss);
      const float gb = logistic(k, _mm512_reduce_add_ps(sb), list[i + 1].label, alpha, &loss);
      const __m512 va = _mm512_set1_ps(ga), vb = _mm512_set1_ps(gb);
      for (int c = 0; c < nv; c++) {
        G[c] = _mm512_fmadd_ps(vb, B[c], _mm512_fmadd_ps(va, A[c], G[c]));
        const __m512 na = _mm512_fmadd_ps(va, H[c], A[c]);
        const __m512 nb = _mm512_fmadd_ps(vb, H[c], B[c]);
        if (c == nv - 1) {
          _mm512_mask_storeu_ps(a + 16 * c, tail, na);
          _mm512_mask_storeu_ps(b + 16 * c, tail, nb);
        } else {
          _mm512_storeu_ps(a + 16 * c, na);
          _mm512_storeu_ps(b + 16 * c, nb);
        }
      }
      i += 2;
    } else {
      __m512 A[8];
      __m512 sa = _mm512_setzero_ps();
      for (int c = 0; c < nv; c++) {
        A[c] = c == nv - 1 ? _mm512_maskz_loadu_ps(tail, a + 16 * c) : _mm512_loadu_ps(a + 16 * c);
        sa = _mm512_fmadd_ps(H[c], A[c], sa);
      }
      const float ga = logistic(k, _mm512_reduce_add_ps(sa), list[i].label, alpha, &loss);
      const __m512 va = _mm512_set1_ps(ga);
      for (int c = 0; c < nv; c++) {
        G[c] = _mm512_fmadd_ps(va, A[c], G[c]);
        const __m512 na = _mm512_fmadd_ps(va, H[c], A[c]);
        if (c == nv - 1) _mm512_mask_storeu_ps(a + 16 * c, tail, na);
        else _mm512_storeu_ps(a + 16 * c, na);
      }
      i += 1;
    }
  }
  float *gradient = k->gradient;
  for (int c = 0; c < nv; c++) {
    const __m512 sum = _mm512_add_ps(G[c], c == nv - 1 ? _mm512_maskz_loadu_ps(tail, gradient + 16 * c) : _mm512_loadu_ps(gradient + 16 * c));
    if (c == nv - 1) _mm512_mask_storeu_ps(gradient + 16 * c, tail, sum);
    else _mm512_storeu_ps(gradient + 16 * c, sum);
  }
  return loss;
}

/* Room for a path or a target and its noise words (longer ones take the one-at-a-time loop). */
#define MAX_DECISIONS 64

static double decide_list(Kernel *k, const float *h, const Decision *list, int count, float alpha) {
  const int nv = (k->dim + 15) / 16;
  const __mmask16 tail = (__mmask16)(k->dim % 16 == 0 ? 0xffff : (1u << (k->dim % 16)) - 1);
  switch (nv) {
    case 1: return decide_wide(k, h, list, count, alpha, 1, tail);
    case 2: return decide_wide(k, h, list, count, alpha, 2, tail);
    case 3: return decide_wide(k, h, list, count, alpha, 3, tail);
    case 4: return decide_wide(k, h, list, count, alpha, 4, tail);
    case 5: return decide_wide(k, h, list, count, alpha, 5, tail);
    case 6: return decide_wide(k, h, list, count, alpha, 6, tail);
    case 7: return decide_wide(k, h, list, count, alpha, 7, tail);
    default: return decide_wide(k, h, list, count, alpha, 8, tail);
  }
}

static void negative_sampling(Kernel *k, const float *h, int word, float alpha) {
  if (k->dim > 128 || k->negative + 1 > MAX_DECISIONS) {
    negative_sampling_rows(k, h, word, alpha);
    return;
  }
  Decision list[MAX_DECISIONS];
  int count = 0;
  for (int d = 0; d <= k->negative; d++) {
    const int target = ns_target(k, word, d);
    if (target < 0) continue;
    list[count].row = output_row(k, k->syn1neg, target);
    list[count].label = d == 0;
    __builtin_prefetch(list[count].row, 1);
    count++;
  }
  k->loss += decide_list(k, h, list, count, alpha);
  k->outputs += k->negative + 1;
}

static void hierarchical_softmax(Kernel *k, const float *h, int word, float alpha) {
  const int first = k->huffman_offsets[word], end = k->huffman_offsets[word + 1];
  if (k->dim > 128 || end - first > MAX_DECISIONS) {
    hierarchical_softmax_rows(k, h, word, alpha);
    return;
  }
  Decision list[MAX_DECISIONS];
  int count = 0;
  for (int b = first; b < end; b++) {
    list[count].row = output_row(k, k->syn1, k->huffman_points[b]);
    list[count].label = k->huffman_codes[b] == 0 ? 1 : 0;
    count++;
  }
  k->loss += decide_list(k, h, list, count, alpha);
  k->outputs += end - first;
}
#else
static void negative_sampling(Kernel *k, const float *h, int word, float alpha) { negative_sampling_rows(k, h, word, alpha); }
static void hierarchical_softmax(Kernel *k, const float *h, int word, float alpha) { hierarchical_softmax_rows(k, h, word, alpha); }
#endif

static inline void predict(Kernel *k, const float *h, int word, float alpha) {
  if (k->use_hs) hierarchical_softmax(k, h, word, alpha);
  else negative_sampling(k, h, word, alpha);
}

/* ---- architectures ---- */

static inline void draw_window(Kernel *k, int i, int length, int *start, int *end) {
  const int reduced = random_below(k, k->window);
  const int s = i - k->window + reduced;
  const int e = i + k->window + 1 - reduced;
  *start = s > 0 ? s : 0;
  *end = e < length ? e : length;
}

/* CBOW over the sentence scratch; with a document row (PV-DM), it joins every context. */
static void cbow(Kernel *k, int length, float alpha, float *doc) {
  const int dim = k->dim;
  float *restrict hidden = k->hidden;
  float *restrict gradient = k->gradient;
  const int32_t *sentence = k->sentence;
  for (int i = 0; i < length; i++) {
    int start, end;
    draw_window(k, i, length, &start, &end);
    memset(hidden, 0, sizeof(float) * dim);
    int count = 0;
    for (int m = start; m < end; m++) {
      if (m == i) continue;
      const float *restrict row = input_row(k, sentence[m]);
      for (int j = 0; j < dim; j++) hidden[j] += row[j];
      count++;
    }
    if (doc != NULL) {
      for (int j = 0; j < dim; j++) hidden[j] += doc[j];
      count++;
    }
    if (count == 0) continue;
    const float inverse = 1.0f / (float)count;
    if (k->cbow_mean) for (int j = 0; j < dim; j++) hidden[j] *= inverse;
    memset(gradient, 0, sizeof(float) * dim);
    predict(k, hidden, sentence[i], alpha);
    if (!k->cbow_mean) for (int j = 0; j < dim; j++) gradient[j] *= inverse;
    for (int m = start; m < end; m++) {
      if (m == i || is_locked(k, sentence[m])) continue;
      float *restrict row = input_row(k, sentence[m]);
      for (int j = 0; j < dim; j++) row[j] += gradient[j];
    }
    if (doc != NULL) for (int j = 0; j < dim; j++) doc[j] += gradient[j];
  }
}

/* Skip-gram for the centre word at position i: each context word's vector predicts it. */
static void skipgram_at(Kernel *k, int i, int length, float alpha) {
  const int dim = k->dim;
  float *restrict gradient = k->gradient;
  const int32_t *sentence = k->sentence;
  int start, end;
  draw_window(k, i, length, &start, &end);
  const int word = sentence[i];
  for (int c = start; c < end; c++) {
    if (c == i) continue;
    float *restrict row = input_row(k, sentence[c]);
    memset(gradient, 0, sizeof(float) * dim);
    predict(k, row, word, alpha);
    if (is_locked(k, sentence[c])) continue;
    for (int j = 0; j < dim; j++) row[j] += gradient[j];
  }
}

static void skipgram(Kernel *k, int length, float alpha) {
  for (int i = 0; i < length; i++) skipgram_at(k, i, length, alpha);
}

/* PV-DBOW: the document's vector predicts each of its words (and, with dbow_words, skip-gram alongside). */
static void dbow(Kernel *k, int length, float alpha, float *doc) {
  const int dim = k->dim;
  float *restrict gradient = k->gradient;
  for (int i = 0; i < length; i++) {
    if (k->dbow_words) skipgram_at(k, i, length, alpha);
    memset(gradient, 0, sizeof(float) * dim);
    predict(k, doc, k->sentence[i], alpha);
    for (int j = 0; j < dim; j++) doc[j] += gradient[j];
  }
}

/* Keeps the words of raw[0 … length) that survive subsampling in the sentence scratch; returns how many. */
static int subsample(Kernel *k, const int32_t *raw, int length) {
  int n = 0;
  for (int i = 0; i < length; i++) {
    const int word = raw[i];
    const uint32_t threshold = k->keep[word];
    if (threshold != 0xffffffffu && next_random(k) > threshold) continue;
    k->sentence[n++] = word;
  }
  return n;
}

/* shared += w·(local − base); local = base = shared, row by row (w from `weights`, or 1 without them). */
static void merge_rows(Kernel *k, float *shared, float *local, float *base, int rows, const float *weights) {
  const int dim = k->dim;
  for (int r = 0; r < rows; r++) {
    const float w = weights ? weights[r] : 1.0f;
    float *s = shared + (size_t)r * dim, *l = local + (size_t)r * dim, *b = base + (size_t)r * dim;
    for (int j = 0; j < dim; j++) {
      const float merged = s[j] + w * (l[j] - b[j]);
      s[j] = merged;
      l[j] = merged;
      b[j] = merged;
    }
  }
}

/* ---- Node-API ---- */

static void release(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static int read_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, Kernel **kernel) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    napi_throw_type_error(env, NULL, "native kernel: missing arguments");
    return 0;
  }
  if (kernel != NULL && napi_get_value_external(env, argv[0], (void **)kernel) != napi_ok) {
    napi_throw_type_error(env, NULL, "native kernel: not a kernel");
    return 0;
  }
  return 1;
}

static uint32_t u32(napi_env env, napi_value value) {
  uint32_t out = 0;
  napi_get_value_uint32(env, value, &out);
  return out;
}

#define AT(type, offset) ((offset) == 0 ? NULL : (type *)(k->base + (offset)))

/*
 * create(memory: Uint8Array over the whole shared memory, config: Uint32Array, seed) → kernel.
 * config: dim, vocab, negative, window, cbowMean, useHs, model (0 CBOW, 1 skip-gram, 2 PV-DM, 3 PV-DBOW),
 * then the byte offsets of syn0, syn1neg, syn1, sigmoid, lossPositive, lossNegative, noiseThreshold,
 * noiseAlias, keepThreshold, huffmanOffsets, huffmanCodes, huffmanPoints, lockedRows (0: none), hidden,
 * gradient, sentence, docs (0: none), and whether PV-DBOW trains word vectors alongside.
 */
static napi_value create(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!read_args(env, info, 3, argv, NULL)) return NULL;
  napi_typedarray_type type;
  size_t length, offset;
  void *data;
  napi_value buffer;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &offset) != napi_ok || data == NULL) {
    napi_throw_type_error(env, NULL, "native kernel: the memory is not a typed array");
    return NULL;
  }
  uint32_t *config;
  size_t count;
  if (napi_get_typedarray_info(env, argv[1], &type, &count, (void **)&config, &buffer, &offset) != napi_ok || type != napi_uint32_array || count < 25) {
    napi_throw_type_error(env, NULL, "native kernel: bad configuration");
    return NULL;
  }
  Kernel *k = calloc(1, sizeof(Kernel));
  if (k == NULL) {
    napi_throw_error(env, NULL, "native kernel: out of memory");
    return NULL;
  }
  k->base = (uint8_t *)data;
  k->dim = (int)config[0];
  k->vocab = (int)config[1];
  k->negative = (int)config[2];
  k->window = (int)config[3];
  k->cbow_mean = (int)config[4];
  k->use_hs = (int)config[5];
  k->model = (int)config[6];
  k->syn0 = AT(float, config[7]);
  k->syn1neg = AT(float, config[8]);
  k->syn1 = AT(float, config[9]);
  k->sigmoid = AT(const float, config[10]);
  k->loss_positive = AT(const float, config[11]);
  k->loss_negative = AT(const float, config[12]);
  k->noise_threshold = AT(const uint32_t, config[13]);
  k->noise_alias = AT(const int32_t, config[14]);
  k->keep = AT(const uint32_t, config[15]);
  k->huffman_offsets = AT(const int32_t, config[16]);
  k->huffman_codes = AT(const uint8_t, config[17]);
  k->huffman_points = AT(const int32_t, config[18]);
  k->locked = AT(const uint8_t, config[19]);
  k->hidden = AT(float, config[20]);
  k->gradient = AT(float, config[21]);
  k->sentence = AT(int32_t, config[22]);
  k->docs = AT(float, config[23]);
  k->dbow_words = (int)config[24];
  const uint32_t seed = u32(env, argv[2]);
  k->state = seed == 0 ? 0x6d2b79f5u : seed;
  napi_value out;
  if (napi_create_external(env, k, release, NULL, &out) != napi_ok) {
    free(k);
    return NULL;
  }
  return out;
}

/*
 * train(kernel, rawOffset, length, alpha, document): subsamples the words at rawOffset and trains on them
 * (document: the row of the document they belong to, for PV-DM and PV-DBOW).
 */
static napi_value train(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  Kernel *k;
  if (!read_args(env, info, 5, argv, &k)) return NULL;
  const uint32_t raw = u32(env, argv[1]);
  const uint32_t length = u32(env, argv[2]);
  double alpha = 0;
  napi_get_value_double(env, argv[3], &alpha);
  int32_t document = -1;
  napi_get_value_int32(env, argv[4], &document);
  const int n = subsample(k, (const int32_t *)(k->base + raw), (int)length);
  float *doc = document >= 0 && k->docs != NULL ? k->docs + (size_t)document * k->dim : NULL;
  switch (k->model) {
    case MODEL_SKIPGRAM:
      if (n > 1) skipgram(k, n, (float)alpha);
      break;
    case MODEL_PV_DM:
      if (n > 0 && doc != NULL) cbow(k, n, (float)alpha, doc);
      break;
    case MODEL_PV_DBOW:
      if (n > 0 && doc != NULL) dbow(k, n, (float)alpha, doc);
      break;
    default:
      if (n > 1) cbow(k, n, (float)alpha, NULL);
  }
  return NULL;
}

/* Private copies of `rows` shared rows: the working one and the one as of the last merge. */
static void take_copies(Kernel *k, float *local, float *base, const float *shared, int rows) {
  const size_t bytes = (size_t)rows * k->dim * sizeof(float);
  memcpy(local, shared, bytes);
  memcpy(base, local, bytes);
}

/* setHot(kernel, matrix, start, count, local, base): private copies of output rows start … start+count−1. */
static napi_value set_hot(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  Kernel *k;
  if (!read_args(env, info, 6, argv, &k)) return NULL;
  k->hot_matrix = AT(float, u32(env, argv[1]));
  k->hot_start = (int)u32(env, argv[2]);
  k->hot_count = (int)u32(env, argv[3]);
  k->hot_local = AT(float, u32(env, argv[4]));
  k->hot_base = AT(float, u32(env, argv[5]));
  take_copies(k, k->hot_local, k->hot_base, k->hot_matrix + (size_t)k->hot_start * k->dim, k->hot_count);
  return NULL;
}

/* setHotInputs(kernel, count, local, base): private copies of the input rows of words 0 … count−1. */
static napi_value set_hot_inputs(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  Kernel *k;
  if (!read_args(env, info, 4, argv, &k)) return NULL;
  k->hot_input_count = (int)u32(env, argv[1]);
  k->hot_input_local = AT(float, u32(env, argv[2]));
  k->hot_input_base = AT(float, u32(env, argv[3]));
  take_copies(k, k->hot_input_local, k->hot_input_base, k->syn0, k->hot_input_count);
  return NULL;
}

/* setHotWeights(kernel, output, input): the merge weights of the hot rows (0: every change in full). */
static napi_value set_hot_weights(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  Kernel *k;
  if (!read_args(env, info, 3, argv, &k)) return NULL;
  k->hot_output_weights = AT(const float, u32(env, argv[1]));
  k->hot_input_weights = AT(const float, u32(env, argv[2]));
  return NULL;
}

/* syncHot(kernel): adds this thread's changes to the hot rows into the shared rows and takes them back. */
static napi_value sync_hot(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  Kernel *k;
  if (!read_args(env, info, 1, argv, &k)) return NULL;
  if (k->hot_count > 0) merge_rows(k, k->hot_matrix + (size_t)k->hot_start * k->dim, k->hot_local, k->hot_base, k->hot_count, k->hot_output_weights);
  if (k->hot_input_count > 0) merge_rows(k, k->syn0, k->hot_input_local, k->hot_input_base, k->hot_input_count, k->hot_input_weights);
  return NULL;
}

/* stats(kernel) → [summed loss, decisions]. */
static napi_value stats(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  Kernel *k;
  if (!read_args(env, info, 1, argv, &k)) return NULL;
  napi_value out, loss, outputs;
  napi_create_array_with_length(env, 2, &out);
  napi_create_double(env, k->loss, &loss);
  napi_create_double(env, k->outputs, &outputs);
  napi_set_element(env, out, 0, loss);
  napi_set_element(env, out, 1, outputs);
  return out;
}

NAPI_MODULE_INIT() {
  const napi_property_descriptor functions[] = {
    {"create", NULL, create, NULL, NULL, NULL, napi_enumerable, NULL},
    {"train", NULL, train, NULL, NULL, NULL, napi_enumerable, NULL},
    {"setHot", NULL, set_hot, NULL, NULL, NULL, napi_enumerable, NULL},
    {"setHotInputs", NULL, set_hot_inputs, NULL, NULL, NULL, napi_enumerable, NULL},
    {"setHotWeights", NULL, set_hot_weights, NULL, NULL, NULL, napi_enumerable, NULL},
    {"syncHot", NULL, sync_hot, NULL, NULL, NULL, napi_enumerable, NULL},
    {"stats", NULL, stats, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  /* Whether the decisions hold their vectors in AVX-512 registers (else plain loops, no faster than WebAssembly's). */
  napi_value wide;
#ifdef __AVX512F__
  napi_get_boolean(env, true, &wide);
#else
  napi_get_boolean(env, false, &wide);
#endif
  napi_set_named_property(env, exports, "wide", wide);
  return exports;
}
