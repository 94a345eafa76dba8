// The layer table of ARCHITECTURE.md, made executable: every import of every module under src/ is read
// and checked against the table as the page states it, and no module may reach itself again through
// imports that run (an import circle at run time). Edit the table, and this test follows it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const SRC = join(ROOT, 'src');

/** Every .ts file under src/, as paths relative to it (`text/ja/lattice.ts`). */
function sources(folder = SRC): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

interface Import {
  target: string;
  /** `import type` / `export type`: gone at run time. */
  typeOnly: boolean;
}

/** The modules a file imports from src/ (static, re-exports and dynamic `import()`), resolved to files. */
function importsOf(file: string): Import[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const found: Import[] = [];
  const patterns = [/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gms, /import\(\s*'([^']+)'\s*\)/g];
  for (const match of text.matchAll(patterns[0]!)) found.push({ target: match[3]!, typeOnly: match[2] !== undefined });
  for (const match of text.matchAll(patterns[1]!)) found.push({ target: match[1]!, typeOnly: false });
  return found
    .filter((i) => i.target.startsWith('.'))
    .map((i) => {
      const resolved = relative(SRC, join(dirname(join(SRC, file)), i.target)).replace(/\.js$/, '.ts');
      return { ...i, target: resolved };
    })
    .filter((i) => existsSync(join(SRC, i.target)));
}

/** One row of the table: the modules it names, and what they may import. */
interface Layer {
  modules: string[];
  rule: 'above' | 'above-but' | 'everything' | 'only';
  named: string[];
  except: string[];
}

/** Reads the layer table of ARCHITECTURE.md (rows from the bottom up). */
function layerTable(): Layer[] {
  const page = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
  const section = page.slice(page.indexOf('## Layers'), page.indexOf('\n## ', page.indexOf('## Layers') + 1));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  const names = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  return rows.map((row) => {
    const [, what, may] = row.split('|').map((c) => c.trim());
    const rule = /everything above but/.test(may!) ? 'above-but' : /^everything$/.test(may!) ? 'everything' : /above/.test(may!) ? 'above' : 'only';
    const listed = names(may!);
    return { modules: names(what!), rule, named: rule === 'above-but' ? [] : listed, except: rule === 'above-but' ? listed : [] };
  });
}

/** Whether a module name of the table (`text/`, `vocab/counter`, `errors.ts`) covers a file. */
function covers(name: string, file: string): boolean {
  if (name.endsWith('/')) return file.startsWith(name);
  return file === name || file === `${name}.ts`;
}

/** The row a file belongs to: the one naming it most precisely. */
function layerOf(table: Layer[], file: string): number {
  let best = -1;
  let bestLength = -1;
  table.forEach((layer, index) => {
    for (const name of layer.modules) if (covers(name, file) && name.length > bestLength) [best, bestLength] = [index, name.length];
  });
  return best;
}

describe('the layer table', () => {
  const table = layerTable();
  const files = sources();

  it('is read from ARCHITECTURE.md and places every module', () => {
    expect(table.length).toBeGreaterThanOrEqual(10);
    expect(files.filter((file) => layerOf(table, file) < 0)).toEqual([]);
  });

  it('no module imports against it', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const own = layerOf(table, file);
      const layer = table[own]!;
      for (const { target } of importsOf(file)) {
        const theirs = layerOf(table, target);
        if (theirs === own) continue;
        const named = layer.named.some((name) => covers(name, target));
        const allowed =
          layer.rule === 'everything' ||
          named ||
          (layer.rule === 'above' && theirs < own) ||
          (layer.rule === 'above-but' && theirs < own && !layer.except.some((name) => covers(name, target)));
        if (!allowed) wrong.push(`${file} → ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no import circle at run time', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file).filter((i) => !i.typeOnly).map((i) => i.target)]));
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      path.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') circles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      path.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(circles).toEqual([]);
  });
});
