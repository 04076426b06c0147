import type { MatchReport } from '../match/resolve-identity.js';
import type { GuardedTable } from '../privacy/guard-result.js';
import type { RunPrivacy } from '../privacy/budget/run-privacy.js';

/** What running an analysis produced, before review and release. */
export interface AnalysisOutcome {
  status: 'released' | 'suppressed';
  reason: string | null;
  result: RunResult;
}

/** The released result of a run: guarded tables, and for lift the statistics per group. */
export interface RunResult {
  tables: Record<string, GuardedTable>;
  /** Analysis-specific figures derived from released rows only (lift statistics). */
  summary?: Record<string, unknown>;
  /** For activation: how many of the owner's person keys the audience holds. */
  audience?: { people: number; dataset: string };
  match?: MatchReport;
  /** Under differential privacy: what the release cost and what remained after it. */
  privacy?: RunPrivacy;
}
