import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One import between two files of the repository (paths relative to its root, `/`-separated). */
export interface ImportEdge {
  from: string;
  to: string;
  /** The specifier as written. */
  specifier: string;
}

/**
 * Every relative import of the TypeScript files under `folders` (tests left out: they may
 * reach anywhere), read with the compiler's own pre-processor, so comments and strings that
 * merely look like imports are not counted. `import type` counts too: a type is a
 * dependency of the design even when it vanishes at run time.
 *
 * @example
 * ```ts
 * const edges = readImportGraph(repoRoot, ['src', 'web/src']);
 * ```
 */
export function readImportGraph(root: string, folders: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const folder of folders) {
    for (const file of sourceFiles(join(root, folder))) {
      const text = readFileSync(file, 'utf8');
      const { importedFiles } = ts.preProcessFile(text, true, true);
      for (const { fileName } of importedFiles) {
        if (!fileName.startsWith('.')) continue;
        const target = resolve(dirname(file), fileName).replace(/\.js$/, '.ts');
        edges.push({ from: posix(relative(root, file)), to: posix(relative(root, target)), specifier: fileName });
      }
    }
  }
  return edges;
}

/**
 * The import cycles of a graph: each strongly connected component of more than one file
 * (or a file importing itself), by Tarjan's algorithm; files sorted within each.
 *
 * @example
 * ```ts
 * findCycles([{ from: 'a.ts', to: 'b.ts', specifier: './b.js' }, { from: 'b.ts', to: 'a.ts', specifier: './a.js' }]); // [['a.ts', 'b.ts']]
 * ```
 */
export function findCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (next.get(node) ?? []).includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...sourceFiles(path));
    } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out;
}

function posix(path: string): string {
  return path.split(sep).join('/');
}
