import type { AuditEntry } from '../audit/index.js';
import type { JsonValue } from '../audit/audit-event.js';
import type { DatasetSpec } from '../template/template-types.js';
import { hasAbility, own, rolesOf } from '../collaboration/access.js';
import type { Actor, Collaboration } from '../collaboration/collaboration.js';
import { jsonDigest } from '../digest/json-digest.js';
import type { LoadResult, RoomStore } from '../engine-port.js';
import { CleanRoomError } from '../errors.js';
import { loadPlanFor } from './load-plan.js';
import { checkDatasetChange } from '../privacy/difference/dataset-change.js';
import type { ReleaseMemory } from '../privacy/difference/release-memory.js';

/** An upload: a file path, or the bytes as they arrive (an HTTP request body). */
export type UploadSource = string | AsyncIterable<Uint8Array>;

/** What an upload returns: the new version and its quality figures. */
export interface UploadResult {
  dataset: string;
  version: number;
  report: Omit<LoadResult, 'table'>;
}

/** A staged file for the engine, and how to delete it. */
export interface StagedUpload {
  path: string;
  cleanup: () => Promise<void>;
}

/** What an upload needs from the room around it. */
export interface UploadDeps {
  room: () => Promise<RoomStore>;
  /** Appends an audit entry of the collaboration; durable before it resolves. */
  audit: (entry: AuditEntry) => Promise<unknown>;
  /** Records the new current version, under the collaboration's lock. */
  recordVersion: (dataset: string, state: { version: number; rows: number; uploadedBy: string }) => Promise<void>;
  /** The collaboration's release memory, for the re-upload check. */
  memory: () => Promise<ReleaseMemory>;
  /** Runs the difference and re-upload checks of the collaboration one at a time. */
  comparing: <T>(work: () => Promise<T>) => Promise<T>;
  /**
   * For templates that hash in the room: normalises and hashes the identifier columns of a
   * raw upload in one stream (`mapping`: identifier kind -> column) into a prepared file; the
   * raw identifiers are never written anywhere. Without it, such templates refuse uploads.
   */
  prepareInRoom?: (source: UploadSource, options: { profile: string; mapping: Record<string, string> }) => Promise<StagedUpload>;
  /** Saves a streamed upload of already-hashed identifiers to a private file for the engine. */
  saveUpload?: (source: AsyncIterable<Uint8Array>) => Promise<StagedUpload>;
}

/**
 * Loads a prepared CSV as the next version of a dataset the party's role owns, after it
 * attested. All or nothing: a failed upload leaves the previous version in place, and is
 * audited as rejected with its error code; a refusal (not the owner, not attested) is audited
 * as refused. Where the template hashes in the room, the raw upload is normalised and hashed
 * as it streams in (`prepareInRoom`), so its raw identifiers are never written anywhere; the
 * staged file is deleted whatever happens.
 *
 * @example
 * ```ts
 * const { version, report } = await uploadDataset(deps, { collaboration, actor, dataset: 'transactions', source: 'prepared.csv' });
 * report.rowsRejected; // 12
 * ```
 */
export async function uploadDataset(
  deps: UploadDeps,
  input: { collaboration: Collaboration; actor: Actor; dataset: string; source: UploadSource },
): Promise<UploadResult> {
  const { collaboration, actor, dataset, source } = input;
  const { template, id } = collaboration;
  const object = { type: 'dataset', id: dataset };
  await checkUploader(deps.audit, collaboration, actor, dataset);
  if (template.identity.hashing === 'double-blind') {
    // Singly blinded values must wait for the other party's blinding (blind-upload.ts); the
    // plain load path would re-key them as if they were digests, and nothing would match.
    await deps.audit({ actor, action: 'upload', object, params: {}, decision: 'refused', reason: 'a double-blind upload without its key check' });
    throw new CleanRoomError('conflict', `Cannot upload to dataset '${dataset}': collaboration ${id} matches double-blind, so the upload must come with your key check (cleanroom upload --key-file, or the header x-cleanroom-key-check)`, {
      details: { field: 'key-check' },
    });
  }
  return loadDatasetVersion(deps, { collaboration, actor, dataset, source });
}

/**
 * The load of an upload whose uploader was checked: stage it, load it as the dataset's next
 * version, record it, mark a version a few people apart from the last, audit it (`params`
 * extend the audit entry). Also the last step of a double-blind upload, once the doubles
 * replaced its singles.
 *
 * @example
 * ```ts
 * await loadDatasetVersion(deps, { collaboration, actor: owner, dataset: 'a_keys', source: doubled, params: { doubleBlind: true } });
 * ```
 */
export async function loadDatasetVersion(
  deps: UploadDeps,
  input: { collaboration: Collaboration; actor: Actor; dataset: string; source: UploadSource; params?: Record<string, JsonValue> },
): Promise<UploadResult> {
  const { collaboration, actor, dataset, source, params = {} } = input;
  const { template } = collaboration;
  const spec = own(template.datasets, dataset)!;
  const object = { type: 'dataset', id: dataset };
  const room = await deps.room();
  let loaded: LoadResult;
  let staged: StagedUpload | undefined;
  try {
    if (template.identity.hashing === 'room') {
      if (deps.prepareInRoom === undefined) throw new CleanRoomError('internal', `Cannot hash ${dataset} in the room: this host has no in-room preparation`);
      const mapping: Record<string, string> = {};
      for (const [name, column] of Object.entries(spec.columns)) if (column.identifier !== undefined) mapping[column.identifier] = name;
      staged = await deps.prepareInRoom(source, { profile: template.identity.profile, mapping });
    } else if (typeof source !== 'string') {
      if (deps.saveUpload === undefined) throw new CleanRoomError('internal', `Cannot take a streamed upload of ${dataset}: this host cannot stage one`);
      staged = await deps.saveUpload(source);
    }
    loaded = await room.loadCsv(staged?.path ?? (source as string), loadPlanFor(template, dataset));
  } catch (error) {
    await deps.audit({ actor, action: 'upload', object, params: { ...params }, decision: 'rejected', reason: error instanceof CleanRoomError ? error.code : 'internal' });
    throw error;
  } finally {
    await staged?.cleanup();
  }
  const { table: _table, ...report } = loaded;
  await deps.recordVersion(dataset, { version: loaded.version, rows: loaded.rowsStored, uploadedBy: actor.party });
  // A version a few people apart from the last is how one person is differenced out: mark it.
  const { change } = await deps.comparing(async () => checkDatasetChange(room, await deps.memory(), template, dataset, loaded.version));
  await deps.audit({
    actor,
    action: 'upload',
    object,
    params: { ...params, version: loaded.version, rowsRead: loaded.rowsRead, rowsStored: loaded.rowsStored, rowsRejected: loaded.rowsRejected, peopleChange: change },
    decision: 'accepted',
    ...(change === 'few' ? { reason: `differs from the version before by fewer than ${template.privacy.minPeople} people: an incident; analyses over it answer only where the difference check allows` } : {}),
    resultDigest: jsonDigest(report),
  });
  return { dataset, version: loaded.version, report };
}

/**
 * The checks every upload passes first: the dataset exists, the party's role owns and
 * contributes it, and the party attested to the terms; a refusal is audited. Returns the
 * dataset's spec.
 *
 * @example
 * ```ts
 * const spec = await checkUploader(deps.audit, collaboration, actor, 'a_keys');
 * ```
 */
export async function checkUploader(audit: UploadDeps['audit'], collaboration: Collaboration, actor: Actor, dataset: string): Promise<DatasetSpec> {
  const { template, id } = collaboration;
  const spec = own(template.datasets, dataset);
  const object = { type: 'dataset', id: dataset };
  if (spec === undefined) throw new CleanRoomError('not_found', `Cannot upload to dataset '${dataset}': collaboration ${id} has no such dataset`, { details: { field: 'dataset' } });
  const roles = rolesOf(collaboration, actor.party);
  if (!roles.includes(spec.owner) || !hasAbility(template, [spec.owner], 'contributes')) {
    await audit({ actor, action: 'upload', object, params: {}, decision: 'refused', reason: `only the ${spec.owner} contributes ${dataset}` });
    throw new CleanRoomError('forbidden', `Cannot upload to dataset '${dataset}': only the ${spec.owner} role contributes it`, { details: { field: 'dataset' } });
  }
  if (!collaboration.attestations.some((a) => a.party === actor.party && a.role === spec.owner)) {
    await audit({ actor, action: 'upload', object, params: {}, decision: 'refused', reason: 'the data-use terms are not attested' });
    throw new CleanRoomError('conflict', `Cannot upload to dataset '${dataset}': attest to the data-use terms of collaboration ${id} first`, { details: { field: 'attestation' } });
  }
  return spec;
}
