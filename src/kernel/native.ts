/**
 * Loading the native training kernel (`native/kernel.c`, built at install by scripts/build-native.mjs to
 * `dist/kernel-native.node` with the machine's C compiler): word2vec's CBOW and skip-gram and doc2vec's
 * PV-DM and PV-DBOW on the rows of the shared WebAssembly memory, with the machine's widest SIMD.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, KotovecError } from '../errors.js';

/** An opaque kernel made by {@link NativeKernelModule.create}: one a worker. */
export type NativeKernel = object & { readonly __nativeKernel: unique symbol };

/** The native module's functions (see native/kernel.c). */
export interface NativeKernelModule {
  /**
   * A kernel over the memory `memory` views whole. `config`: dim, vocab, negative, window, cbowMean,
   * useHs, model (0 CBOW, 1 skip-gram, 2 PV-DM, 3 PV-DBOW), then the byte offsets of syn0, syn1neg, syn1,
   * sigmoid, lossPositive, lossNegative, noiseThreshold, noiseAlias, keepThreshold, huffmanOffsets,
   * huffmanCodes, huffmanPoints, lockedRows, this thread's hidden, gradient and sentence scratch and the
   * document vectors (0: a region the model does not have), then 1 when PV-DBOW trains word vectors too.
   */
  create(memory: Uint8Array, config: Uint32Array, seed: number): NativeKernel;
  /** Subsamples the `length` word ids at byte `at` and trains on the words kept (of document `document`, or −1). */
  train(kernel: NativeKernel, at: number, length: number, alpha: number, document: number): void;
  setHot(kernel: NativeKernel, matrix: number, start: number, count: number, local: number, base: number): void;
  setHotInputs(kernel: NativeKernel, count: number, local: number, base: number): void;
  setHotWeights(kernel: NativeKernel, output: number, input: number): void;
  syncHot(kernel: NativeKernel): void;
  /** The summed loss of the decisions made so far, and how many. */
  stats(kernel: NativeKernel): [number, number];
  /**
   * Whether it was built with AVX-512, its decisions' vectors held in registers; without, its plain loops
   * are no faster than the WebAssembly kernel's.
   */
  readonly wide: boolean;
}

/** Where the built module lies: dist/, beside the compiled modules (or dist/ when running from sources). */
function modulePath(): string {
  const beside = fileURLToPath(new URL('../kernel-native.node', import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL('../../dist/kernel-native.node', import.meta.url));
}

let loaded: NativeKernelModule | null = null;

/** Whether the native kernel was built, loads here, and was built with AVX-512 (see {@link NativeKernelModule.wide}). */
export function nativeKernelWide(): boolean {
  try {
    return loadNativeKernel().wide;
  } catch {
    return false;
  }
}

/**
 * The native kernel's module.
 * @throws KotovecError UNSUPPORTED when it was not built (no C compiler or no Node headers at install) or
 *   cannot be loaded here
 */
export function loadNativeKernel(): NativeKernelModule {
  if (loaded) return loaded;
  const path = modulePath();
  if (!existsSync(path)) {
    throw new KotovecError(ErrorCodes.UNSUPPORTED, '--kernel native: the native kernel was not built (it needs a C compiler and Node\'s headers at install; `npm run build` builds it); use --kernel wasm');
  }
  try {
    loaded = createRequire(import.meta.url)(path) as NativeKernelModule;
  } catch (error) {
    throw new KotovecError(ErrorCodes.UNSUPPORTED, `--kernel native: the native kernel cannot be loaded (${(error as Error).message.split('\n')[0]}); use --kernel wasm`);
  }
  return loaded;
}
