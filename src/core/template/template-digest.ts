import { jsonDigest } from '../digest/json-digest.js';
import type { Template } from './template-types.js';

/**
 * A template's identity: `sha256:` + the hex SHA-256 of the canonical JSON of the
 * *validated* template (defaults filled, implied column roles written out). Two files that
 * differ only in formatting, key order or spelt-out defaults have the same digest; column
 * order does not count either, as ingest matches columns by name. Any other change gives a
 * new digest, which is how a collaboration proves which contract its members attested to.
 *
 * @example
 * ```ts
 * const result = validateTemplate(json);
 * if (result.ok) templateDigest(result.template); // 'sha256:3f1c…'
 * ```
 */
export function templateDigest(template: Template): string {
  return jsonDigest(template);
}
