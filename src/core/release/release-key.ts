import type { AnalysisParams } from '../template/index.js';
import { canonicalJson, sha256Hex } from '../template/index.js';
import type { Collaboration } from '../collaboration/collaboration.js';

/**
 * The key of one release: runs with the same key are the same question over the same data,
 * so they share one release (and, under differential privacy, one charge). It digests the
 * template (by digest), the analysis, its validated parameters in canonical JSON (defaults
 * filled, keys sorted) and the version (and upload time) of every dataset the analysis reads. For `sql`
 * analyses the runner's roles are in it too: whether a query may run at all depends on who
 * runs it (`mustJoinOwnData`), so one party's release is never handed to another whose own
 * run of that SQL would be refused.
 *
 * A rewritten but equivalent question (other parameters, other SQL text) is another key.
 * Written `rk_` and the SHA-256 in base64url, so that it never looks like a hashed
 * identifier (64 hex digits) in a result.
 *
 * @example
 * ```ts
 * releaseKey(collaboration, 'spend_by_segment', { group_by: ['readers.segment'] }); // 'rk_…' (43 characters after rk_)
 * ```
 */
export function releaseKey(collaboration: Collaboration, analysisName: string, params: AnalysisParams, options: { runnerRoles?: readonly string[] } = {}): string {
  const { runnerRoles } = options;
  const analysis = collaboration.template.analyses[analysisName]!;
  // The upload time too: once retention deleted every version of a dataset, numbering starts again at 1.
  // The identity graph bridges the match of every analysis: its version is part of each release.
  const graph = collaboration.template.identity.graph?.dataset;
  const read = graph === undefined ? analysis.datasets : [...analysis.datasets, graph];
  const versions = Object.fromEntries([...read].sort().map((d) => [d, { version: collaboration.datasets[d]?.version ?? null, at: collaboration.datasets[d]?.at ?? null }]));
  const digest = sha256Hex(
    canonicalJson({
      template: collaboration.templateDigest,
      analysis: analysisName,
      params,
      versions,
      ...(analysis.kind === 'sql' ? { runnerRoles: [...(runnerRoles ?? [])].sort() } : {}),
    }),
  );
  return `rk_${Buffer.from(digest, 'hex').toString('base64url')}`;
}
