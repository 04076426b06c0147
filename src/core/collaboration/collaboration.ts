import type { MatchReport } from '../match/resolve-identity.js';
import type { Cell } from '../engine-port.js';
import type { AnalysisParams, Template } from '../template/index.js';
import type { RunResult } from '../analyses/analysis-outcome.js';
import type { RunPrivacy } from '../privacy/budget/run-privacy.js';

/** Who acts: the party, and which of its API keys (for the audit log). */
export interface Actor {
  party: string;
  keyId: string;
}

/** A party's acceptance of the data-use terms of one exact template. */
export interface Attestation {
  party: string;
  role: string;
  termsVersion: string;
  templateDigest: string;
  at: string;
}

/** The current version of an uploaded dataset. */
export interface DatasetState {
  version: number;
  rows: number;
  uploadedBy: string;
  at: string;
}

/**
 * One running instance of a template: its members, their attestations, its datasets.
 * The template is frozen at creation; a change is a new collaboration.
 */
export interface Collaboration {
  id: string;
  name: string;
  template: Template;
  templateDigest: string;
  /** role -> party id. */
  members: Record<string, string>;
  createdBy: string;
  createdAt: string;
  attestations: Attestation[];
  datasets: Record<string, DatasetState>;
  /** Per matched pair of datasets, the dataset versions the match tables were built from. */
  matches: Record<string, string>;
  /** Per matched pair, the match report of the tables built (members see only what identity-view.ts allows). */
  matchReports?: Record<string, MatchReport>;
  /** Whether its room and every stored file of it are sealed at rest (AES-256-GCM); set at creation. */
  encryptedAtRest?: boolean;
}

/** Where a run ended. */
export type RunStatus = 'released' | 'suppressed' | 'pending' | 'rejected';

/** One run of an allowed analysis. */
export interface Run {
  id: string;
  collaborationId: string;
  analysis: string;
  kind: Template['analyses'][string]['kind'];
  params: AnalysisParams;
  by: string;
  at: string;
  status: RunStatus;
  /** Why a run is suppressed, pending or rejected; never data. */
  reason: string | null;
  /** Parties that may read the result. */
  receivers: string[];
  /** Filled once released (and kept, unreleased, while pending review). */
  result: RunResult | null;
  /** For activation: the one party that may download the audience. */
  audienceOwner: string | null;
  /** Identical runs (same analysis, parameters and dataset versions) share one release: this run's key. */
  releaseKey?: string;
  /** When this run returned an earlier identical run's release (at no privacy cost): that run's id. */
  cachedFrom?: string;
  /** For review: who decided, and when. */
  review?: { by: string; decision: 'approved' | 'rejected'; at: string };
}

/** A run as a list shows it: what ran, by whom, when and how it ended; never its result. */
export type RunSummary = Pick<Run, 'id' | 'analysis' | 'kind' | 'params' | 'by' | 'at' | 'status' | 'reason' | 'cachedFrom'>;

/** A row of a released table, as the guard left it. */
export type ReleasedRow = Record<string, Cell>;
