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

// The module is split by what each part does: config.ts (configuration and hot rows), train.ts (the
// training loops), scans.ts (similarity scans for queries), setup.ts (vector set-up and checks),
// anchor.ts (continued training's hold on the source's rows).

export {
  configure, setHot, setHotInputs, setHotWeights, syncHot, setLockedRows, setExpectedSubsampling, setLearning, setDocs, setSubwords, setSaturatedUpdates,
} from './config';
export { setScratch, contextGroup, contextSlots, getLoss, getOutputs, getRandomState, subsample, cbow, skipgram, dbow, cbowSubwords, skipgramSubwords } from './train';
export { scoreRows, normalizeRows, scoreCodes, quantizeRows } from './scans';
export { initVectors, initNgramRows, countNonFinite, addChunkRows, divideSums } from './setup';
export { pullRows } from './anchor';
