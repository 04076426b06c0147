import { fileURLToPath } from 'node:url';

/** The ready templates shipped with the package (`templates/` at its root). */
export function templatesDir(): string {
  // dist/src/cli/templates-dir.js and src/cli/templates-dir.ts are both three levels down.
  const here = fileURLToPath(import.meta.url);
  return here.replace(/[\\/](dist[\\/])?src[\\/]cli[\\/]templates-dir\.(js|ts)$/, '/templates');
}
