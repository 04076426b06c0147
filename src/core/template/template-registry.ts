import type { TemplateProblem } from './template-problem.js';
import { templateDigest } from './template-digest.js';
import type { Template } from './template-types.js';
import { validateTemplate } from './validate-template.js';

/** One template document as read by an adapter: where it came from and its parsed JSON. */
export interface TemplateDocument {
  /** The file name (`audience-overlap.json`) or another label for messages. */
  source: string;
  json: unknown;
}

/** A validated ready template with its identity. */
export interface ReadyTemplate {
  name: string;
  version: string;
  digest: string;
  template: Template;
}

/** The ready templates, by name. */
export interface TemplateRegistry {
  /** Every template, sorted by name. */
  list(): readonly ReadyTemplate[];
  get(name: string): ReadyTemplate | undefined;
}

/** A problem of one document, named by its source. */
export interface RegistryProblem extends TemplateProblem {
  source: string;
}

/**
 * Builds the registry of ready templates from parsed documents, with no I/O (an adapter
 * reads the files). Every document must validate, a document whose source ends in
 * `.json` must be named after its template (`audience-overlap.json` holds
 * `"name": "audience-overlap"`), and no two may share a name. All problems of all
 * documents are returned together.
 *
 * @example
 * ```ts
 * const built = createTemplateRegistry([{ source: 'audience-overlap.json', json }]);
 * if (built.ok) built.registry.get('audience-overlap')?.digest; // 'sha256:…'
 * ```
 */
export function createTemplateRegistry(
  documents: readonly TemplateDocument[],
): { ok: true; registry: TemplateRegistry } | { ok: false; problems: RegistryProblem[] } {
  const problems: RegistryProblem[] = [];
  const byName = new Map<string, ReadyTemplate>();
  for (const { source, json } of documents) {
    const result = validateTemplate(json);
    if (!result.ok) {
      problems.push(...result.problems.map((problem) => ({ ...problem, source })));
      continue;
    }
    const { template } = result;
    const fileName = source.split(/[\\/]/).pop() ?? source;
    if (fileName.endsWith('.json') && fileName !== `${template.name}.json`) {
      problems.push({
        source,
        code: 'invalid_name',
        path: 'name',
        message: `Cannot register ${source} as template '${template.name}': a ready template's file is named after it (${template.name}.json)`,
      });
      continue;
    }
    if (byName.has(template.name)) {
      problems.push({
        source,
        code: 'duplicate_value',
        path: 'name',
        message: `Cannot register ${source} as template '${template.name}': another document already has that name`,
      });
      continue;
    }
    byName.set(template.name, Object.freeze({ name: template.name, version: template.version, digest: templateDigest(template), template }));
  }
  if (problems.length > 0) return { ok: false, problems };
  const list = Object.freeze([...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1)));
  return { ok: true, registry: Object.freeze({ list: () => list, get: (name: string) => byName.get(name) }) };
}
