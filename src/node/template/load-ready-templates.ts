import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CleanRoomError } from '../../core/errors.js';
import { createTemplateRegistry } from '../../core/template/template-registry.js';
import type { TemplateDocument, TemplateRegistry } from '../../core/template/template-registry.js';

/**
 * Reads every `*.json` file of a directory (the project's `templates/`) and builds the
 * registry of ready templates. Throws a CleanRoomError `invalid_input` naming the file,
 * path and reason of every problem (`details.problems`), so a server refuses to start on a
 * broken ready template instead of serving it.
 *
 * @example
 * ```ts
 * const registry = await loadReadyTemplates('templates');
 * registry.get('offline-sales-attribution')?.digest; // 'sha256:…'
 * ```
 */
export async function loadReadyTemplates(dir: string): Promise<TemplateRegistry> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json')).sort();
  const documents: TemplateDocument[] = [];
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8');
    try {
      documents.push({ source: file, json: JSON.parse(text) as unknown });
    } catch (error) {
      throw new CleanRoomError('invalid_input', `Cannot read ${join(dir, file)} as JSON: ${(error as Error).message}`, {
        details: { file },
        cause: error,
      });
    }
  }
  const built = createTemplateRegistry(documents);
  if (built.ok) return built.registry;
  const [first] = built.problems;
  throw new CleanRoomError(
    'invalid_input',
    `Cannot load the ready templates of ${dir}: ${built.problems.length} problem(s), first ${first?.source} ${first?.path}: ${first?.message}`,
    { details: { problems: built.problems } },
  );
}
