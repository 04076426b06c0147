import type { PrepareScheme } from '../identity/hash-identifier.js';
import type { IdentifierKind } from '../identity/identifier-kind.js';
import type { HashEncoding, ProfileName } from '../identity/identity-profile.js';
import type { ColumnPlan } from './column-plan.js';
import type { PrepareStats } from './prepare-stats.js';

/** One identifier column in the report. */
export interface IdentifierReport {
  /** Column name in the prepared file. */
  column: string;
  /** Header in the input file. */
  header: string;
  kind: IdentifierKind;
  filled: number;
  valid: number;
  invalid: number;
  prehashed: number;
  /** filled / rows read. */
  fillRate: number;
  /** valid / filled (0 when nothing is filled). */
  validRate: number;
  /** Why values were invalid, most frequent first. */
  invalidReasons: { reason: string; count: number }[];
}

/** What `prepare` tells a party: enough to predict what will and won't match. */
export interface PrepareReport {
  input: string;
  output: string;
  rejects?: string;
  profile: ProfileName;
  defaultCountry: string;
  hash: { scheme: PrepareScheme; encoding: HashEncoding };
  rows: { read: number; written: number; rejected: number; duplicatesRemoved: number; blankLines: number };
  identifiers: IdentifierReport[];
  /** Written rows with a valid value per kind, and that share of all written rows. */
  matchable: { kind: IdentifierKind; rows: number; share: number }[];
  rejectReasons: { reason: string; count: number }[];
  passThrough: string[];
  durationMs: number;
  rowsPerSecond: number;
}

export interface BuildReportInput {
  input: string;
  output: string;
  rejects?: string;
  profile: ProfileName;
  country: string;
  scheme: PrepareScheme;
  encoding: HashEncoding;
  plan: ColumnPlan;
  stats: PrepareStats;
  rowsWithKind: Record<string, number>;
  durationMs: number;
}

/**
 * Turns merged counts into the report printed by `cleanroom prepare` and written by
 * `--report`.
 *
 * @example
 * ```ts
 * const report = buildReport({ input, output, profile: 'default', country: 'US', scheme: 'sha256', encoding: 'hex', plan, stats, rowsWithKind, durationMs: 812 });
 * report.identifiers[0]?.validRate; // 0.97
 * ```
 */
export function buildReport(input: BuildReportInput): PrepareReport {
  const { stats, plan } = input;
  const read = stats.rowsRead;
  const identifiers = plan.columns.flatMap((c): IdentifierReport[] => {
    if (c.kind === undefined) return [];
    const s = stats.columns[c.outputName] ?? { filled: 0, valid: 0, invalid: 0, prehashed: 0, reasons: {} };
    return [
      {
        column: c.outputName,
        header: c.header,
        kind: c.kind,
        filled: s.filled,
        valid: s.valid,
        invalid: s.invalid,
        prehashed: s.prehashed,
        fillRate: ratio(s.filled, read),
        validRate: ratio(s.valid, s.filled),
        invalidReasons: sortCounts(s.reasons),
      },
    ];
  });
  const kinds = [...new Set(identifiers.map((i) => i.kind))];
  const report: PrepareReport = {
    input: input.input,
    output: input.output,
    profile: input.profile,
    defaultCountry: input.country,
    hash: { scheme: input.scheme, encoding: input.encoding },
    rows: { read, written: stats.rowsWritten, rejected: stats.rowsRejected, duplicatesRemoved: stats.duplicatesRemoved, blankLines: stats.blankLines },
    identifiers,
    matchable: kinds.map((kind) => ({ kind, rows: input.rowsWithKind[kind] ?? 0, share: ratio(input.rowsWithKind[kind] ?? 0, stats.rowsWritten) })),
    rejectReasons: sortCounts(stats.rejectReasons),
    passThrough: plan.columns.filter((c) => c.kind === undefined).map((c) => c.header),
    durationMs: Math.round(input.durationMs),
    rowsPerSecond: input.durationMs > 0 ? Math.round((read * 1000) / input.durationMs) : 0,
  };
  if (input.rejects !== undefined) report.rejects = input.rejects;
  return report;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000;
}

function sortCounts(counts: Record<string, number>): { reason: string; count: number }[] {
  return Object.entries(counts)
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}
