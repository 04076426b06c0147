import { AuditLog, auditGenesis } from '../audit/index.js';
import type { AuditEntry, AuditEvent, AuditStore, ChainVerification } from '../audit/index.js';
import type { RoomEngine, RoomStore } from '../engine-port.js';
import { CleanRoomError } from '../errors.js';
import type { Template } from '../template/index.js';
import { asMember, rolesOf } from '../collaboration/access.js';
import type { Actor, Collaboration, Run, RunSummary } from '../collaboration/collaboration.js';
import type { CollaborationStore } from '../collaboration/collaboration-store.js';
import { newCollaboration } from '../collaboration/new-collaboration.js';
import { TemplateVerifier } from '../collaboration/template-verifier.js';
import { uploadDataset } from '../ingest/upload-dataset.js';
import { loadDatasetVersion } from '../ingest/upload-dataset.js';
import type { UploadDeps, UploadResult, UploadSource } from '../ingest/upload-dataset.js';
import { answerBlindBatch, blindBatch, blindStatus, expireBlindUploads, receiveBlindUpload, registerBlindKey } from '../ingest/blind-upload.js';
import type { BlindAnswerResult, BlindStatus, BlindUploadDeps, PendingBlindUpload } from '../ingest/blind-upload.js';
import { MemoryBlindExchangeStore } from '../ingest/blind-exchange-store.js';
import type { BlindExchangeStore } from '../ingest/blind-exchange-store.js';
import type { BlindBatch, BlindedBatch } from '../identity/blind/exchange/index.js';
import { asSeenBy, runAccess } from '../release/run-access.js';
import { identityView } from '../release/identity-view.js';
import type { IdentityView } from '../release/identity-view.js';
import { startRun } from './start-run.js';
import { KeyedLock } from './keyed-lock.js';
import { audienceCsv, reviewRun } from '../release/run-release.js';
import type { ReleaseDeps } from '../release/run-release.js';
import { enforceRetention } from './enforce-retention.js';
import { MemoryLedgerStore } from '../privacy/budget/ledger-store.js';
import type { LedgerStore } from '../privacy/budget/ledger-store.js';
import { budgetView } from '../privacy/budget/budget-view.js';
import type { PrivacyBudgetView, RunPreview } from '../privacy/budget/budget-view.js';
import { previewRun } from './preview-run.js';
import { ReleaseCache } from '../release/release-cache.js';
import { ReleaseMemories } from '../privacy/difference/release-memory.js';
import { MemoryReleaseMemoryStore } from '../privacy/difference/release-memory-store.js';
import type { ReleaseMemoryStore } from '../privacy/difference/release-memory-store.js';

/** What the room needs from its host: an engine, stores, a clock and an id source. */
export interface CleanRoomDeps {
  engine: RoomEngine;
  store: CollaborationStore;
  /** The audit store of one collaboration (created on first use). */
  auditStore: (collaborationId: string) => Promise<AuditStore>;
  clock: () => Date;
  newId: (prefix: 'c' | 'run') => string;
  /**
   * For templates that hash in the room: normalises and hashes the identifier columns of a
   * raw upload in one stream (`mapping`: identifier kind -> column) into a prepared file,
   * and returns its path and a cleanup that deletes it. The raw identifiers are never
   * written anywhere. Without it, such templates refuse uploads.
   */
  prepareInRoom?: UploadDeps['prepareInRoom'];
  /** Saves a streamed upload of already-hashed identifiers to a private file for the engine. */
  saveUpload?: UploadDeps['saveUpload'];
  /**
   * Where the privacy budget ledgers of DP collaborations are kept (one key per
   * collaboration). Default: a MemoryLedgerStore, which forgets every charge on restart —
   * fine for tests and scripts; a server passes a durable one (FileLedgerStore).
   */
  ledgerStore?: LedgerStore;
  /**
   * Where the difference check remembers the people of each released row and dataset version
   * (one key per collaboration). Default: a MemoryReleaseMemoryStore, which forgets them on
   * restart — fine for tests and scripts; a server passes a durable one (FileReleaseMemoryStore).
   */
  releaseMemoryStore?: ReleaseMemoryStore;
  /**
   * Where double-blind uploads wait for the other party's blinding (one key per
   * collaboration). Default: a MemoryBlindExchangeStore (forgets on restart; takes uploads
   * as bytes only); a server passes a FileBlindExchangeStore.
   */
  blindExchangeStore?: BlindExchangeStore;
  /** Elements per double-blind batch (default 4096); tests use small batches. */
  blindBatchSize?: number;
  /**
   * Deleting a collaboration: destroys its store data key first (crypto-shredding), then
   * its files outside the room and the collaboration store (ledger, release memory, audit
   * log, double-blind exchange). Without it only the room and the records go.
   */
  forget?: (collaborationId: string) => Promise<void>;
  /** Whether the stores seal what they write (reported with each room's own encryptedAtRest). */
  storesSealed?: boolean;
}

/**
 * The clean room as a library: collaborations created from templates, attestations,
 * uploads, runs of the allowed analyses with every release guarded, activation audiences
 * for their owners, and a hash-chained audit log per collaboration. Every method takes the
 * acting party (authenticated by the caller: the server or a script) and checks the
 * template's abilities itself.
 *
 * @example
 * ```ts
 * const room = new CleanRoom({ engine, store: new MemoryCollaborationStore(), auditStore, clock: () => new Date(), newId });
 * const c = await room.createCollaboration(retailer, { name: 'Q3', template, members: { publisher: 'p_pub', retailer: 'p_ret' } });
 * await room.attest(retailer, c.id, { termsVersion: '1', templateDigest: c.templateDigest });
 * await room.upload(retailer, c.id, 'transactions', 'prepared.csv');
 * const run = await room.run(retailer, c.id, 'attribution', { lookback_days: 14 });
 * ```
 */
export class CleanRoom {
  readonly #deps: CleanRoomDeps;
  readonly #logs = new Map<string, Promise<AuditLog>>();
  readonly #locks = new KeyedLock();
  readonly #templates = new TemplateVerifier();
  readonly #ledgerStore: LedgerStore;
  readonly #releases: ReleaseCache;
  readonly #memories: ReleaseMemories;
  readonly #blindStore: BlindExchangeStore;

  constructor(deps: CleanRoomDeps) {
    this.#deps = deps;
    this.#ledgerStore = deps.ledgerStore ?? new MemoryLedgerStore();
    this.#releases = new ReleaseCache(deps.store);
    this.#memories = new ReleaseMemories(deps.releaseMemoryStore ?? new MemoryReleaseMemoryStore());
    this.#blindStore = deps.blindExchangeStore ?? new MemoryBlindExchangeStore();
  }

  /** Creates a collaboration from a validated template (collaboration/new-collaboration.ts); the creator must be a member. */
  async createCollaboration(actor: Actor, input: { name: string; template: Template; members: Record<string, string> }): Promise<Collaboration> {
    const { template, members } = input;
    const collaboration = newCollaboration(actor, input, { id: this.#deps.newId('c'), now: this.#now() });
    const room = await this.#deps.engine.openRoom(collaboration.id, { create: true });
    collaboration.encryptedAtRest = room.encryptedAtRest && this.#deps.storesSealed === true;
    await room.close();
    await this.#deps.store.putCollaboration(collaboration);
    await this.#audit(collaboration.id, {
      actor,
      action: 'create_collaboration',
      object: { type: 'collaboration', id: collaboration.id },
      params: { template: template.name, version: template.version, digest: collaboration.templateDigest, members: { ...members } },
      decision: 'accepted',
    });
    return collaboration;
  }

  /** The collaboration, for its members only. */
  async getCollaboration(actor: Actor, id: string): Promise<Collaboration> {
    return this.#load(actor, id);
  }

  /**
   * Deletes a collaboration for good (the operator's call: a contract's end, a legal
   * request). Keys go first, so the data they sealed is noise in every copy, backups too:
   * the stores' data key (`forget`), then the room (its own keys, then its files), then the
   * records. Uploads and runs of it that are in flight fail.
   */
  async deleteCollaboration(id: string): Promise<void> {
    await this.#locks.run(id, () =>
      this.#locks.run(`blind:${id}`, async () => {
        if ((await this.#deps.store.getCollaboration(id)) === undefined) throw new CleanRoomError('not_found', `Cannot find collaboration ${id}`, { details: { field: 'collaboration' } });
        const log = this.#logs.get(id);
        this.#logs.delete(id);
        await log?.catch(() => undefined);
        await this.#deps.forget?.(id);
        await this.#deps.engine.destroyRoom(id);
        await this.#blindStore.remove(id);
        await this.#deps.store.deleteCollaboration(id);
      }),
    );
  }

  /**
   * Retention: deletes every dataset version older than its collaboration's
   * `retentionDays`, with what was built from it (see enforce-retention.ts). Returns how
   * many versions were deleted.
   */
  enforceRetention(now: Date): Promise<number> {
    return enforceRetention(now, {
      store: this.#deps.store,
      verified: (c) => this.#verified(c),
      room: (id) => this.#room(id),
      mutate: (id, change) => this.#mutate(id, change),
      audit: (id, entry) => this.#audit(id, entry),
      expireBlind: (id, cutoff) => expireBlindUploads({ store: this.#blindStore, locked: (work) => this.#locks.run(`blind:${id}`, work) }, id, cutoff),
    });
  }

  /** The collaborations the party is a member of. */
  async listCollaborations(actor: Actor): Promise<Collaboration[]> {
    const all = await this.#deps.store.listCollaborations();
    return all.filter((c) => rolesOf(c, actor.party).length > 0).map((c) => this.#verified(c));
  }

  /**
   * The party accepts the data-use terms of this exact template (by digest and terms
   * version); a digest that is not the collaboration's is refused, so nobody attests to a
   * template that changed under them.
   */
  async attest(actor: Actor, id: string, input: { termsVersion: string; templateDigest: string }): Promise<Collaboration> {
    const collaboration = await this.#load(actor, id);
    const { template } = collaboration;
    const attested = { termsVersion: input.termsVersion, templateDigest: input.templateDigest };
    if (input.templateDigest !== collaboration.templateDigest || input.termsVersion !== template.terms.version) {
      await this.#audit(id, { actor, action: 'attest', object: { type: 'collaboration', id }, params: { ...attested }, decision: 'refused', reason: "the terms or template digest attested to are not this collaboration's" });
      throw new CleanRoomError('conflict', `Cannot attest to collaboration ${id}: it runs template ${collaboration.templateDigest} with terms version ${template.terms.version}, not ${input.templateDigest} / ${input.termsVersion}`, {
        details: { field: 'templateDigest' },
      });
    }
    const updated = await this.#mutate(id, (current) => {
      for (const role of rolesOf(current, actor.party)) {
        if (!current.attestations.some((a) => a.party === actor.party && a.role === role)) {
          current.attestations.push({ party: actor.party, role, termsVersion: input.termsVersion, templateDigest: input.templateDigest, at: this.#now() });
        }
      }
    });
    await this.#audit(id, { actor, action: 'attest', object: { type: 'collaboration', id }, params: { ...attested }, decision: 'accepted' });
    return updated;
  }

  /**
   * Loads a prepared CSV as the next version of a dataset the party's role owns, after it
   * attested; all or nothing (see ingest/upload-dataset.ts).
   */
  async upload(actor: Actor, id: string, dataset: string, source: UploadSource): Promise<UploadResult> {
    const collaboration = await this.#load(actor, id);
    return uploadDataset(this.#uploadDeps(collaboration), { collaboration, actor, dataset, source });
  }

  /**
   * Takes a singly blinded upload to a double-blind collaboration with the key check of the
   * party's blind key; it waits for the other party's blinding (see ingest/blind-upload.ts).
   */
  async uploadBlind(actor: Actor, id: string, dataset: string, source: UploadSource, keyCheck: string | undefined): Promise<PendingBlindUpload> {
    const collaboration = await this.#load(actor, id);
    return receiveBlindUpload(this.#blindDeps(collaboration), { collaboration, actor, dataset, source, keyCheck });
  }

  /** Registers the key check of the party's blind key (what `blind sync` does first). */
  async registerBlindKey(actor: Actor, id: string, keyCheck: string): Promise<{ keyCheck: string }> {
    const collaboration = await this.#load(actor, id);
    return registerBlindKey(this.#blindDeps(collaboration), { collaboration, actor, keyCheck });
  }

  /** What waits in a double-blind collaboration's exchange for the party. */
  async blindStatus(actor: Actor, id: string): Promise<BlindStatus> {
    const collaboration = await this.#load(actor, id);
    return blindStatus(this.#blindDeps(collaboration), collaboration, actor.party);
  }

  /** One batch of the other party's upload for the caller to blind. */
  async blindBatch(actor: Actor, id: string, dataset: string, upload: number, index: number): Promise<BlindBatch> {
    const collaboration = await this.#load(actor, id);
    return blindBatch(this.#blindDeps(collaboration), { collaboration, actor, dataset, upload, index });
  }

  /** The caller's answer to one batch; the last one loads the owner's upload. */
  async answerBlindBatch(actor: Actor, id: string, dataset: string, upload: number, index: number, answer: BlindedBatch): Promise<BlindAnswerResult> {
    const collaboration = await this.#load(actor, id);
    return answerBlindBatch(this.#blindDeps(collaboration), { collaboration, actor, dataset, upload, index, answer });
  }

  #uploadDeps(collaboration: Collaboration): UploadDeps {
    const { id } = collaboration;
    return {
      room: () => this.#room(id),
      audit: (entry) => this.#audit(id, entry),
      recordVersion: async (name, state) => void (await this.#mutate(id, (current) => void (current.datasets[name] = { ...state, at: this.#now() }))),
      memory: () => this.#memories.open(id, collaboration.template.privacy.minPeople),
      comparing: (work) => this.#locks.run(`differences:${id}`, work),
      ...(this.#deps.prepareInRoom === undefined ? {} : { prepareInRoom: this.#deps.prepareInRoom }),
      ...(this.#deps.saveUpload === undefined ? {} : { saveUpload: this.#deps.saveUpload }),
    };
  }

  #blindDeps(collaboration: Collaboration): BlindUploadDeps {
    const { id } = collaboration;
    return {
      store: this.#blindStore,
      locked: (work) => this.#locks.run(`blind:${id}`, work),
      audit: (entry) => this.#audit(id, entry),
      now: () => this.#now(),
      load: async ({ actor, dataset, source, params }) => {
        // The collaboration as it is now (an earlier version may have landed meanwhile).
        const current = this.#verified((await this.#deps.store.getCollaboration(id))!);
        return loadDatasetVersion(this.#uploadDeps(current), { collaboration: current, actor, dataset, source, params });
      },
      ...(this.#deps.blindBatchSize === undefined ? {} : { batchSize: this.#deps.blindBatchSize }),
    };
  }

  /** Runs an allowed analysis; see start-run.ts for every check and the release rule. */
  async run(actor: Actor, id: string, analysis: string, params: unknown): Promise<Run> {
    const collaboration = await this.#load(actor, id);
    const room = await this.#room(id);
    return startRun(
      {
        room,
        store: this.#deps.store,
        audit: (entry) => this.#audit(id, entry),
        now: () => this.#now(),
        newId: () => this.#deps.newId('run'),
        recordMatch: (key, versions, report) =>
          this.#mutate(id, (current) => {
            current.matches[key] = versions;
            current.matchReports = { ...current.matchReports, [key]: report };
          }).then(() => undefined),
        matching: (work) => this.#locks.run(`match:${id}`, work),
        currentMatches: async () => (await this.#deps.store.getCollaboration(id))?.matches ?? {},
        ledgerStore: this.#ledgerStore,
        clockMs: () => this.#deps.clock().getTime(),
        releases: this.#releases,
        releasing: (key, work) => this.#locks.run(`release:${key}`, work),
        comparing: (work) => this.#locks.run(`differences:${id}`, work),
        memory: () => this.#memories.open(id, collaboration.template.privacy.minPeople),
      },
      collaboration,
      actor,
      analysis,
      params,
    );
  }

  /**
   * What running an analysis would do now — reuse an earlier identical release, cost, whether
   * the privacy budgets allow it, what would remain — with the same checks as `run`, but
   * nothing runs and nothing is charged (see preview-run.ts). Not audited.
   */
  async previewRun(actor: Actor, id: string, analysis: string, params: unknown): Promise<RunPreview> {
    const collaboration = await this.#load(actor, id);
    return previewRun({ room: () => this.#room(id), ledgerStore: this.#ledgerStore, clockMs: () => this.#deps.clock().getTime(), releases: this.#releases }, collaboration, actor, analysis, params);
  }

  /**
   * The collaboration's differential-privacy budget for a member: the policy, what remains
   * for the collaboration and for the caller's party this period, and each analysis's cost.
   * `enabled: false` (and nulls) for a template without `privacy.dp`. Not audited (reading
   * it spends and reveals nothing the template and the audit log do not).
   */
  async privacyBudget(actor: Actor, id: string): Promise<PrivacyBudgetView> {
    const collaboration = await this.#load(actor, id);
    return budgetView(collaboration, this.#ledgerStore, actor.party, () => this.#deps.clock().getTime());
  }

  /**
   * What the identity layer tells the party outside the analyses: usage counts of its graph
   * for the identity partner, the graph's unbridged (ambiguous) count of its own people for a
   * member (release/identity-view.ts). Not audited: counts of the caller's own data only.
   */
  async identity(actor: Actor, id: string): Promise<IdentityView> {
    const collaboration = await this.#load(actor, id);
    return identityView(collaboration, actor.party, await this.#deps.store.listRuns(id));
  }

  /** A run as the party may see it (release/run-access.ts): receivers see the result, the runner its status. */
  async getRun(actor: Actor, id: string, runId: string): Promise<Run> {
    const collaboration = await this.#load(actor, id);
    const run = await this.#deps.store.getRun(id, runId);
    if (run === undefined || !runAccess(collaboration, actor.party, run).visible) {
      throw new CleanRoomError('not_found', `Cannot find run ${runId} in collaboration ${id}`, { details: { field: 'run' } });
    }
    await this.#audit(id, { actor, action: 'read', object: { type: 'run', id: runId }, params: {} });
    return asSeenBy(collaboration, actor.party, run);
  }

  /**
   * The runs of a collaboration the party may know of (release/run-access.ts), newest first,
   * as summaries: never a result. Not audited, as before: a summary says nothing the audit
   * log does not.
   */
  async listRuns(actor: Actor, id: string): Promise<RunSummary[]> {
    const collaboration = await this.#load(actor, id);
    return (await this.#deps.store.listRuns(id))
      .filter((run) => runAccess(collaboration, actor.party, run).visible)
      .sort((a, b) => (a.at < b.at ? 1 : -1))
      .map(({ id: runId, analysis, kind, params, by, at, status, reason, cachedFrom }) => ({ id: runId, analysis, kind, params, by, at, status, reason, ...(cachedFrom === undefined ? {} : { cachedFrom }) }));
  }

  async #load(actor: Actor, id: string): Promise<Collaboration> {
    const found = await this.#deps.store.getCollaboration(id);
    return this.#verified(asMember(found, actor.party, id));
  }

  /** The collaboration with its stored template re-checked against its digest (collaboration/template-verifier.ts). */
  #verified(collaboration: Collaboration): Collaboration {
    return this.#templates.verified(collaboration);
  }

  /**
   * Read-modify-write of a stored collaboration, one at a time per collaboration: two
   * uploads finishing together must both land (each re-reads the record under the lock).
   */
  async #mutate(id: string, change: (collaboration: Collaboration) => void): Promise<Collaboration> {
    return this.#locks.run(id, async () => {
      const current = await this.#deps.store.getCollaboration(id);
      if (current === undefined) throw new CleanRoomError('not_found', `Cannot find collaboration ${id}`, { details: { field: 'collaboration' } });
      change(current);
      await this.#deps.store.putCollaboration(current);
      return this.#verified(current);
    });
  }

  #room(id: string): Promise<RoomStore> {
    return this.#deps.engine.openRoom(id);
  }

  #now(): string {
    return this.#deps.clock().toISOString();
  }

  /** The audit log of a collaboration (one writer per process). */
  log(id: string): Promise<AuditLog> {
    let log = this.#logs.get(id);
    if (log === undefined) {
      log = this.#deps.auditStore(id).then((store) => new AuditLog(store, { clock: this.#deps.clock, genesis: auditGenesis(id) }));
      this.#logs.set(id, log);
    }
    return log;
  }

  /** Appends one entry to the collaboration's audit log; durable before it resolves. */
  async #audit(id: string, entry: AuditEntry): Promise<AuditEvent> {
    return (await this.log(id)).append(entry);
  }

  /** The audit events of a collaboration, for its members. */
  async auditEvents(actor: Actor, id: string): Promise<AuditEvent[]> {
    await this.#load(actor, id);
    const store = await this.#deps.auditStore(id);
    const events: AuditEvent[] = [];
    for await (const event of store.iterate(1)) events.push(event);
    return events;
  }

  /** Recomputes the collaboration's audit chain; names the first broken entry. */
  async verifyAudit(actor: Actor, id: string): Promise<ChainVerification> {
    await this.#load(actor, id);
    return (await this.log(id)).verify();
  }

  /** A reviewer approves or rejects a pending run (see run-release.ts). */
  review(actor: Actor, id: string, runId: string, decision: 'approved' | 'rejected'): Promise<Run> {
    return reviewRun(this.#releaseDeps(), actor, id, runId, decision);
  }

  /** The activation audience of a released run as CSV, for its owner only (see run-release.ts). */
  audienceCsv(actor: Actor, id: string, runId: string): Promise<string> {
    return audienceCsv(this.#releaseDeps(), actor, id, runId);
  }

  #releaseDeps(): ReleaseDeps {
    return { store: this.#deps.store, load: (a, i) => this.#load(a, i), room: (i) => this.#room(i), audit: (i, e) => this.#audit(i, e), now: () => this.#now() };
  }
}
