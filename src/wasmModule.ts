/**
 * The WebAssembly modules beside the kernel (`dist/lattice.wasm`, `dist/mecab.wasm`, `dist/count.wasm`),
 * compiled once per process; found beside the built JavaScript or, from the sources, in `dist/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new Map<string, WebAssembly.Module | null>();

/**
 * The compiled module `name` (e.g. `lattice.wasm`), or null when it is not built.
 */
export function builtWasmModule(name: string): WebAssembly.Module | null {
  let module = compiled.get(name);
  if (module !== undefined) return module;
  module = null;
  for (const relative of [`./${name}`, `../dist/${name}`]) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) {
      module = new WebAssembly.Module(readFileSync(path));
      break;
    }
  }
  compiled.set(name, module);
  return module;
}
