// The shapes the API sends, as core defines them; the UI imports only their types.
export type { Collaboration, Run, RunResult, RunStatus, RunPrivacy, Attestation, DatasetState } from '../../../src/core/room/collaboration.js';
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
  version: number;
  report: Partial<Omit<LoadResult, 'table'>>;
}

/** ε, δ and ρ, as the budget answers carry them. */
export interface PrivacyAmounts {
  epsilon: number;
  delta: number;
  rho: number;
}

/** What remains of the collaboration's budget and of the caller's party's. */
export interface BudgetRemaining {
  collaboration: PrivacyAmounts;
  party: PrivacyAmounts;
}

/** `GET /v1/collaborations/:id/budget`: the differential-privacy budget as the caller sees it. */
export interface BudgetView {
  enabled: boolean;
  mechanism: 'laplace' | 'gaussian' | null;
  budget: { epsilon: number; delta: number } | null;
  perParty: { epsilon: number; delta: number } | null;
  refreshDays: number | null;
  remaining: BudgetRemaining | null;
  /** Epoch ms when the budgets start afresh; null when they never do. */
  periodEndsAt: number | null;
  /** Per analysis: its cost in words and as numbers. */
  analyses: Record<string, { cost: string; charged: PrivacyAmounts }>;
}

/** `POST /v1/collaborations/:id/runs/preview`: what a run would cost, without running it. */
export interface RunPreview {
  analysis: string;
  dp: boolean;
  /** An identical earlier run's release would be returned, at no cost. */
  cached: boolean;
  cachedFrom: string | null;
  cost: string | null;
  charged: PrivacyAmounts;
  allowed: boolean;
  reason: string | null;
  /** What would remain after the run. */
  remaining: BudgetRemaining | null;
  periodEndsAt: number | null;
}
