import type { AuditEntry, AuditEvent, JsonValue } from '../audit/index.js';
import type { RoomStore } from '../engine-port.js';
import { CleanRoomError } from '../errors.js';
import { resolveIdentity } from '../match/resolve-identity.js';
import type { MatchReport } from '../match/resolve-identity.js';
import type { LedgerStore } from '../privacy/budget/ledger-store.js';
import { describeCost, exactCost } from '../privacy/budget/privacy-accounting.js';
import type { PrivacyCost } from '../privacy/budget/privacy-accounting.js';
import { jsonDigest } from '../template/index.js';
import type { AnalysisParams } from '../template/index.js';
import { checkRun } from './check-run.js';
import type { CheckedRun } from './check-run.js';
import type { Actor, Collaboration, Run } from '../collaboration/collaboration.js';
import type { RunPrivacy } from '../privacy/budget/run-privacy.js';
import type { CollaborationStore } from '../collaboration/collaboration-store.js';
import { executeAnalysis } from '../analyses/execute-analysis.js';
import { NO_CHARGE, ledgerOf, runPrivacy } from '../privacy/budget/budget-view.js';
import type { ReleaseCache } from '../release/release-cache.js';
import type { ReleaseMemory } from '../privacy/difference/release-memory.js';
import { asSeenBy, receiversOf } from '../release/run-access.js';
import { matchTable } from '../room-schema/room-sql.js';

/** What a run needs from the room around it. */
export interface RunDeps {
  room: RoomStore;
  store: CollaborationStore;
  audit: (entry: AuditEntry) => Promise<AuditEvent>;
  now: () => string;
  newId: () => string;
  /** Records, under the collaboration's lock, which dataset versions a match table was built from. */
  recordMatch: (key: string, versions: string, report: MatchReport) => Promise<void>;
  /** Runs matching alone in its collaboration, so two runs never rebuild one match at once. */
  matching: <T>(work: () => Promise<T>) => Promise<T>;
  /** The stored match versions, re-read once the matching lock is held. */
  currentMatches: () => Promise<Record<string, string>>;
  /** The privacy ledgers (one key per collaboration). */
  ledgerStore: LedgerStore;
  /** Now in epoch ms, for the ledger's periods. */
  clockMs: () => number;
  /** Earlier releases by release key. */
  releases: ReleaseCache;
  /** Runs work one at a time per release key, so identical runs at once share one release. */
  releasing: <T>(key: string, work: () => Promise<T>) => Promise<T>;
  /**
   * Runs the thresholded analyses of the collaboration one at a time: the difference check
   * compares each run's rows with every row released before it, so two runs must not both
   * pass against a memory that holds neither.
   */
  comparing: <T>(work: () => Promise<T>) => Promise<T>;
  /** The collaboration's release memory, for the difference check (read under `comparing`). */
  memory: () => Promise<ReleaseMemory>;
}

/**
 * Runs an allowed analysis for a party, each refusal audited: first the checks of
 * check-run.ts (analysis, role, attestation, parameters, datasets). Then, one run per
 * release key at a time:
 *
 * 1. An earlier identical run (same release key: see release-key.ts) that was released or
 *    suppressed is reused: a new run record (own id, by, at) with that release's status,
 *    reason and result, `cachedFrom` its id, and under DP nothing charged.
 * 2. Under differential privacy the ledger is previewed, and a run the budgets cannot pay
 *    for is refused before anything runs (the message names the cost and what remains).
 * 3. The two datasets are matched (again, if a version changed), the analysis runs in the
 *    sandbox and its tables pass the guard. A run that fails here (custom SQL the rules
 *    refuse, an engine error) is audited as refused or rejected; nothing is charged.
 * 4. Under DP the ledger is charged atomically, before the run is stored or returned; if a
 *    concurrent run spent the budget meanwhile, this one is refused and nothing is released.
 *    The result carries `privacy` (cost, charge, what remains).
 *
 * A template with reviewers keeps the result pending until one approves. The run, its
 * result digest and its privacy charge are audited; a failure to write the audit entry
 * fails the run.
 *
 * @example
 * ```ts
 * const run = await startRun(deps, collaboration, actor, 'attribution', { lookback_days: 14 });
 * run.status; // 'released'
 * ```
 */
export async function startRun(deps: RunDeps, collaboration: Collaboration, actor: Actor, analysisName: string, rawParams: unknown): Promise<Run> {
  const checked = checkRun(collaboration, actor, analysisName, rawParams);
  if (!checked.ok) return refuse(deps, actor, analysisName, checked.error);
  const { key } = checked.run;
  if (key === null) return release(deps, collaboration, actor, analysisName, checked.run);
  // A release already made is reused without waiting for the release key's lock: releases
  // are only ever added, so what is found here is what the lock holder would find. Only a
  // first run of a key takes the lock (and looks again once it holds it).
  const earlier = await deps.releases.find(collaboration.id, key);
  if (earlier !== undefined) return reuse(deps, collaboration, actor, analysisName, checked.run, earlier);
  return deps.releasing(`${collaboration.id}:${key}`, () => release(deps, collaboration, actor, analysisName, checked.run));
}

/**
 * Step 1: a new run record (own id, by, at) with an earlier identical release's status,
 * reason and result, `cachedFrom` its id; under DP nothing is charged and `privacy` says
 * what remains.
 */
async function reuse(deps: RunDeps, collaboration: Collaboration, actor: Actor, analysisName: string, checked: CheckedRun, earlier: Run): Promise<Run> {
  const { template, id } = collaboration;
  const { analysis, params, key, cost } = checked;
  const ledger = cost === null ? null : ledgerOf(collaboration, deps.ledgerStore, deps.clockMs);
  const left = ledger === null ? null : await ledger.remaining(actor.party);
  const privacy = left === null || cost === null ? undefined : runPrivacy(template.privacy.dp!.mechanism, cost, { remaining: left, periodEndsAt: left.periodEndsAt }, { cached: true });
  const run: Run = {
    id: deps.newId(),
    collaborationId: id,
    analysis: analysisName,
    kind: analysis.kind,
    params,
    by: actor.party,
    at: deps.now(),
    status: earlier.status,
    reason: earlier.reason,
    receivers: receiversOf(collaboration, analysis),
    result: earlier.result === null ? null : { ...earlier.result, ...(privacy === undefined ? {} : { privacy }) },
    audienceOwner: null,
    releaseKey: key!,
    cachedFrom: earlier.id,
  };
  await deps.store.putRun(run);
  await auditRun(deps, actor, run, params, privacy);
  return asSeenBy(collaboration, actor.party, run);
}

async function release(deps: RunDeps, collaboration: Collaboration, actor: Actor, analysisName: string, checked: CheckedRun): Promise<Run> {
  const { template, id } = collaboration;
  const { analysis, params, key, cost, roles } = checked;
  const ledger = cost === null ? null : ledgerOf(collaboration, deps.ledgerStore, deps.clockMs);
  const receivers = receiversOf(collaboration, analysis);

  const earlier = key === null ? undefined : await deps.releases.find(id, key);
  if (earlier !== undefined) return reuse(deps, collaboration, actor, analysisName, checked, earlier);

  if (ledger !== null && cost !== null) {
    const preview = await ledger.preview(actor.party, cost);
    if (!preview.allowed) {
      return refuse(deps, actor, analysisName, budgetRefusal(preview.reason, actor, preview), cost);
    }
  }
  const { recorded } = await ensureMatched(deps, collaboration, analysis.datasets[0]!, analysis.datasets[1]!);
  const runId = deps.newId();
  let outcome: Awaited<ReturnType<typeof executeAnalysis>>;
  try {
    const compared = template.privacy.dp === null && analysis.kind !== 'activation';
    outcome = compared
      ? await deps.comparing(async () => executeAnalysis(deps.room, template, analysisName, params, runId, { runnerRoles: roles, memory: await deps.memory() }))
      : await executeAnalysis(deps.room, template, analysisName, params, runId, { runnerRoles: roles });
  } catch (error) {
    return failed(deps, actor, analysisName, error, cost);
  }
  // The match was made durable and recorded while the analysis ran; the run returns after it.
  await recorded;
  let privacy: RunPrivacy | undefined;
  if (ledger !== null && cost !== null) {
    try {
      privacy = runPrivacy(template.privacy.dp!.mechanism, cost, await ledger.charge(actor.party, cost, { reference: runId }), { cached: false });
    } catch (error) {
      // Another run spent the budget while this one ran: refuse it and release nothing.
      if (error instanceof CleanRoomError && error.code === 'refused') return refuse(deps, actor, analysisName, error, cost);
      throw error;
    }
  }
  const review = template.privacy.reviewBy.length > 0 && outcome.status === 'released';
  const run: Run = {
    id: runId,
    collaborationId: id,
    analysis: analysisName,
    kind: analysis.kind,
    params,
    by: actor.party,
    at: deps.now(),
    status: review ? 'pending' : outcome.status,
    reason: review ? `waiting for review by ${template.privacy.reviewBy.join(', ')}` : outcome.reason,
    receivers,
    result: privacy === undefined ? outcome.result : { ...outcome.result, privacy },
    audienceOwner: analysis.kind === 'activation' ? receivers[0]! : null,
    ...(key === null ? {} : { releaseKey: key }),
  };
  await deps.store.putRun(run);
  await deps.releases.remember(run);
  await auditRun(deps, actor, run, params, privacy);
  return asSeenBy(collaboration, actor.party, run);
}

/** Audits a refusal (with the cost it would have charged, under DP) and throws it. */
async function refuse(deps: RunDeps, actor: Actor, analysisName: string, error: CleanRoomError, cost?: PrivacyCost): Promise<never> {
  const params: Record<string, JsonValue> = cost === undefined ? {} : { analysis: analysisName, privacyCost: describeCost(exactCost(cost)), privacyCharged: { ...NO_CHARGE } };
  await deps.audit({ actor, action: 'run', object: { type: 'analysis', id: analysisName }, params, decision: 'refused', reason: error.message });
  throw error;
}

/** Refusal codes whose message names what the caller asked for, never data or engine text. */
const REFUSALS: ReadonlySet<string> = new Set(['refused', 'invalid_argument', 'forbidden']);

/**
 * Audits a run that failed while it ran (nothing charged, nothing released) and throws the
 * error again: a refusal (custom SQL the rules refuse, a parameter the query cannot bind)
 * with its message; any other failure as `rejected` with its code only, since its text may
 * come from the engine.
 */
async function failed(deps: RunDeps, actor: Actor, analysisName: string, error: unknown, cost: PrivacyCost | null): Promise<never> {
  if (error instanceof CleanRoomError && REFUSALS.has(error.code)) return refuse(deps, actor, analysisName, error, cost ?? undefined);
  const code = error instanceof CleanRoomError ? error.code : 'internal';
  await deps.audit({ actor, action: 'run', object: { type: 'analysis', id: analysisName }, params: { analysis: analysisName }, decision: 'rejected', reason: `the run failed: ${code}` });
  throw error;
}

function budgetRefusal(reason: string | null, actor: Actor, status: { cost: string; remaining: unknown; periodEndsAt: number | null }): CleanRoomError {
  return new CleanRoomError('refused', reason ?? `Cannot run it as party ${actor.party}: the privacy budget is spent`, {
    details: { party: actor.party, cost: status.cost, remaining: status.remaining, periodEndsAt: status.periodEndsAt },
  });
}

/**
 * The run's audit entry: its parameters, and (camelCase, so never a template parameter's
 * name) the privacy cost and charge, and the run whose release it reused.
 */
async function auditRun(deps: RunDeps, actor: Actor, run: Run, params: AnalysisParams, privacy: RunPrivacy | undefined): Promise<void> {
  await deps.audit({
    actor,
    action: 'run',
    object: { type: 'run', id: run.id },
    params: {
      analysis: run.analysis,
      ...(JSON.parse(JSON.stringify(params)) as Record<string, JsonValue>),
      ...(privacy === undefined ? {} : { privacyCost: privacy.cost, privacyCharged: { ...privacy.charged } }),
      ...(run.cachedFrom === undefined ? {} : { cachedFrom: run.cachedFrom }),
    },
    decision: run.status,
    ...(run.reason !== null ? { reason: run.reason } : {}),
    resultDigest: jsonDigest(run.result),
  });
}

/**
 * Builds the match of `a` and `b` unless it is recorded for their current versions. Resolves
 * once the match tables exist, with `recorded`: the match made durable and recorded (never
 * rejecting: a match that could not be recorded is built again by the next run).
 */
async function ensureMatched(deps: RunDeps, collaboration: Collaboration, a: string, b: string): Promise<{ recorded: Promise<void> }> {
  const key = matchTable(a, b);
  // An identity graph, once uploaded, is part of what a match is built from.
  const graph = collaboration.template.identity.graph?.dataset;
  // Enrichment matches a party's people with the graph itself: then there is nothing to bridge.
  const bridge = graph !== undefined && graph !== a && graph !== b && collaboration.datasets[graph] !== undefined;
  const versions = [a, b, ...(bridge ? [graph] : [])].sort().map((d) => `${d}@${collaboration.datasets[d]!.version}`).join(',');
  if (collaboration.matches[key] === versions) return { recorded: Promise.resolve() };
  // The analysis runs as soon as the match tables exist. Making them durable (a sealed room
  // seals itself) and then recording the match happen beside it, still under the matching
  // lock: a second run waits there and then finds the match recorded; a crash before the
  // record loses only the match, which the next run builds again.
  let usable!: () => void;
  const built = new Promise<void>((resolve) => (usable = resolve));
  const done = deps.matching(async () => {
    if ((await deps.currentMatches())[key] === versions) return usable();
    const report = await resolveIdentity(deps.room, collaboration.template, a, b, { bridge, durable: false });
    usable();
    await deps.room.persist();
    await deps.recordMatch(key, versions, report);
  });
  // A failure before the tables exist fails this run; one after it only leaves the match unrecorded.
  await Promise.race([built, done]);
  collaboration.matches[key] = versions;
  // Wrapped: an async function returning the promise itself would wait for it.
  return { recorded: done.catch(() => undefined) };
}
