// The shapes the API sends, as core defines them; the UI imports only their types.
export type { Collaboration, Run, RunStatus, Attestation, DatasetState } from '../../../src/core/collaboration/collaboration.js';
export type { RunResult } from '../../../src/core/analyses/analysis-outcome.js';
export type { RunPrivacy } from '../../../src/core/privacy/budget/run-privacy.js';
export type { GuardedTable, NoiseNote, GroupSelection } from '../../../src/core/privacy/guard-result.js';
export type { AuditEvent, ChainVerification } from '../../../src/core/audit/index.js';
export type { Template, DatasetSpec, AnalysisSpec, ColumnSpec, SqlAnalysis, SqlColumnRule } from '../../../src/core/template/index.js';
export type { PrepareReport } from '../../../src/core/prepare/prepare-report.js';
import type { LoadResult } from '../../../src/core/engine-port.js';

/** Who holds the key: a party (with its id when the server tells it) or the operator. */
export type Identity = { kind: 'operator' } | { kind: 'party'; id: string | null; name: string | null };

/** A party as the API lists it; the operator also sees its keys (never the keys' secrets). */
export interface PartySummary {
  id: string;
  name: string;
  createdAt?: string;
  keys?: { id: string; createdAt: string; revokedAt: string | null }[];
}

/** What an upload answers: the new version and the room's load report. */
export interface UploadAnswer {
  dataset?: string;
  /** Double-blind: the upload waits for the other party's blinding (then no version yet). */
  status?: 'awaiting_blinding';
  batches?: number;
  version: number;
  report: Partial<Omit<LoadResult, 'table'>>;
}

/** `GET …/budget` and `POST …/runs/preview`: the shapes the room answers with. */
export type { PrivacyAmounts, PrivacyBudgetView as BudgetView, RunPreview } from '../../../src/core/privacy/budget/budget-view.js';
