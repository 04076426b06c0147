import type { AuditEntry } from '../audit/index.js';
import type { Actor, Collaboration } from '../collaboration/collaboration.js';
import { CleanRoomError } from '../errors.js';
import { blindReady, readElement } from '../identity/blind/index.js';
import { DEFAULT_BATCH_SIZE, answerBatch, batchCount, batchFor, newExchange, registerKeyCheck, singleProblem, waitingBatches } from '../identity/blind/exchange/index.js';
import type { BlindBatch, BlindedBatch } from '../identity/blind/exchange/index.js';
import type { BlindExchangeStore, BlindRecord, BlindUploadRecord } from './blind-exchange-store.js';
import { checkUploader } from './upload-dataset.js';
import type { UploadDeps, UploadResult, UploadSource } from './upload-dataset.js';

/** What a double-blind upload returns: it waits for the other party's blinding. */
export interface PendingBlindUpload {
  dataset: string;
  status: 'awaiting_blinding';
  upload: number;
  rows: number;
  /** Distinct singly blinded values, what the other party blinds. */
  singles: number;
  batches: number;
}

/** What waits in a collaboration's exchange, as one party sees it. */
export interface BlindStatus {
  keyCheckRegistered: boolean;
  /** The other party's uploads awaiting this party's second blinding. */
  toBlind: { dataset: string; upload: number; owner: string; batches: number; waiting: number[] }[];
  /** This party's uploads awaiting the other party. */
  mine: { dataset: string; upload: number; batches: number; waiting: number; status: 'awaiting_blinding' }[];
}

/** What an answer to a batch returns: how many batches of the upload still wait, and the load once none does. */
export interface BlindAnswerResult {
  waiting: number;
  loaded?: UploadResult;
  /** The load failed (the owner's upload is then discarded; the owner uploads again). */
  failed?: { code: string; message: string };
}

/** What the double-blind exchange needs from the room around it. */
export interface BlindUploadDeps {
  store: BlindExchangeStore;
  /** Runs the exchange's read-modify-write cycles of the collaboration one at a time. */
  locked: <T>(work: () => Promise<T>) => Promise<T>;
  audit: UploadDeps['audit'];
  now: () => string;
  /** The load of a checked upload (upload-dataset.ts `loadDatasetVersion` with the room's deps). */
  load: (input: { actor: Actor; dataset: string; source: UploadSource; params: { doubleBlind: true; blindedBy: string; upload: number } }) => Promise<UploadResult>;
  batchSize?: number;
}

/**
 * The party that blinds a second time what `owner` uploads: the party of the other role that
 * contributes identifiers. A double-blind collaboration has exactly two such parties.
 */
function blinderOf(collaboration: Collaboration, owner: string): string {
  const { template, members } = collaboration;
  const contributing = new Set<string>();
  for (const spec of Object.values(template.datasets)) {
    if (Object.values(spec.columns).some((c) => c.identifier !== undefined) && members[spec.owner] !== undefined) contributing.add(members[spec.owner]!);
  }
  const others = [...contributing].filter((p) => p !== owner);
  if (others.length !== 1) {
    throw new CleanRoomError('conflict', `Cannot match double-blind in collaboration ${collaboration.id}: ${contributing.size} parties contribute identifiers, and the exchange runs between exactly two`, { details: { field: 'identity.hashing' } });
  }
  return others[0]!;
}

function checkKeyCheck(text: string): string {
  readElement(text, 'the key check (header x-cleanroom-key-check)');
  return text;
}

/**
 * Takes a party's singly blinded upload to a double-blind collaboration (`cleanroom prepare
 * --hash blind`) with the key check of its key: the uploader checks of every upload, the key
 * check registered (another key than before is refused), every identifier cell checked as an
 * element — an upload with any bad cell is refused whole, so no digest that happens to decode
 * is ever forwarded — and its distinct singles shuffled into batches for the other party.
 * Nothing is loaded until the other party has blinded every batch; a newer upload of the same
 * dataset replaces one still waiting. Audited as accepted with `status: awaiting_blinding`.
 *
 * @example
 * ```ts
 * const pending = await receiveBlindUpload(deps, { collaboration, actor, dataset: 'a_keys', source, keyCheck });
 * pending.batches; // what the other party's `blind sync` will fetch
 * ```
 */
export async function receiveBlindUpload(
  deps: BlindUploadDeps,
  input: { collaboration: Collaboration; actor: Actor; dataset: string; source: UploadSource; keyCheck: string | undefined },
): Promise<PendingBlindUpload> {
  const { collaboration, actor, dataset, source } = input;
  const object = { type: 'dataset', id: dataset };
  const spec = await checkUploader(deps.audit, collaboration, actor, dataset);
  await blindReady();
  if (input.keyCheck === undefined) {
    await deps.audit({ actor, action: 'upload', object, params: {}, decision: 'refused', reason: 'a double-blind upload without its key check' });
    throw new CleanRoomError('invalid_input', `Cannot upload to dataset '${dataset}': collaboration ${collaboration.id} matches double-blind, so the upload must come with your key check (cleanroom upload --key-file, or the header x-cleanroom-key-check)`, {
      details: { field: 'key-check' },
    });
  }
  const keyCheck = checkKeyCheck(input.keyCheck);
  const blinder = blinderOf(collaboration, actor.party);
  const columns = Object.entries(spec.columns).filter(([, c]) => c.identifier !== undefined).map(([name]) => name);
  return deps.locked(async () => {
    const record = await deps.store.read(collaboration.id);
    try {
      record.keyChecks[actor.party] = registerKeyCheck(record.keyChecks[actor.party], keyCheck, actor.party);
    } catch (error) {
      await deps.audit({ actor, action: 'upload', object, params: {}, decision: 'refused', reason: 'blinded with another key than before' });
      throw error;
    }
    const upload = (record.lastUpload[dataset] ?? 0) + 1;
    const name = `${upload}-${dataset}`;
    let pending: BlindUploadRecord;
    try {
      await deps.store.keepUpload(collaboration.id, name, source);
      const staged = await deps.store.stageSingles(collaboration.id, name, { columns, batchSize: deps.batchSize ?? DEFAULT_BATCH_SIZE, check: singleProblem });
      if (staged.problems.length > 0) {
        const first = staged.problems[0]!;
        throw new CleanRoomError('invalid_input', `Cannot take the upload of ${dataset}: line ${first.line}, column ${first.column} (${first.field}) is ${first.reason}${staged.problems.length > 1 ? `, and ${staged.problems.length - 1} more cells` : ''}; prepare it with cleanroom prepare --hash blind and your blind key`, {
          details: { field: first.field, line: first.line, column: first.column, problems: staged.problems.length },
        });
      }
      const state = newExchange(staged.count, { ref: { collaboration: collaboration.id, dataset, version: upload }, owner: actor.party, blinder, ...(deps.batchSize === undefined ? {} : { batchSize: deps.batchSize }) });
      pending = { name, dataset, upload, owner: actor.party, ownerKeyId: actor.keyId, columns: staged.present, rows: staged.rows, at: deps.now(), exchange: state };
    } catch (error) {
      await deps.store.removeUpload(collaboration.id, name);
      await deps.audit({ actor, action: 'upload', object, params: { doubleBlind: true }, decision: 'rejected', reason: error instanceof CleanRoomError ? error.code : 'internal' });
      throw error;
    }
    const superseded = record.uploads.filter((u) => u.dataset === dataset);
    const next: BlindRecord = { ...record, lastUpload: { ...record.lastUpload, [dataset]: upload }, uploads: [...record.uploads.filter((u) => u.dataset !== dataset), pending] };
    await deps.store.write(collaboration.id, next);
    for (const old of superseded) await deps.store.removeUpload(collaboration.id, old.name);
    const batches = batchCount(pending.exchange);
    await deps.audit({
      actor,
      action: 'upload',
      object,
      params: { doubleBlind: true, status: 'awaiting_blinding', upload, rows: pending.rows, singles: pending.exchange.count, batches, blinder, superseded: superseded.map((u) => u.upload) },
      decision: 'accepted',
    });
    return { dataset, status: 'awaiting_blinding', upload, rows: pending.rows, singles: pending.exchange.count, batches };
  });
}

/**
 * Registers the key check of the party's blind key without an upload (what `blind sync`
 * does first, so that the other side's batches can be built for it): the same again is
 * accepted, another key refused as `conflict`.
 *
 * @example
 * ```ts
 * await registerBlindKey(deps, { collaboration, actor, keyCheck });
 * ```
 */
export async function registerBlindKey(deps: BlindUploadDeps, input: { collaboration: Collaboration; actor: Actor; keyCheck: string }): Promise<{ keyCheck: string }> {
  const { collaboration, actor } = input;
  requireDoubleBlind(collaboration);
  await blindReady();
  const keyCheck = checkKeyCheck(input.keyCheck);
  blinderOf(collaboration, actor.party);
  return deps.locked(async () => {
    const record = await deps.store.read(collaboration.id);
    if (record.keyChecks[actor.party] === keyCheck) return { keyCheck };
    try {
      record.keyChecks[actor.party] = registerKeyCheck(record.keyChecks[actor.party], keyCheck, actor.party);
    } catch (error) {
      await deps.audit({ actor, action: 'blind_key', object: { type: 'collaboration', id: collaboration.id }, params: {}, decision: 'refused', reason: 'another key than the one registered' });
      throw error;
    }
    await deps.store.write(collaboration.id, record);
    await deps.audit({ actor, action: 'blind_key', object: { type: 'collaboration', id: collaboration.id }, params: { keyCheck }, decision: 'accepted' });
    return { keyCheck };
  });
}

/**
 * What waits in the collaboration's exchange for the party: the other side's uploads to blind
 * (with the batches still waiting) and its own uploads still awaiting the other side. Not
 * audited: it shows counts only.
 *
 * @example
 * ```ts
 * (await blindStatus(deps, collaboration, 'p_b')).toBlind; // [{ dataset: 'a_keys', upload: 1, owner: 'p_a', batches: 3, waiting: [0, 1, 2] }]
 * ```
 */
export async function blindStatus(deps: BlindUploadDeps, collaboration: Collaboration, party: string): Promise<BlindStatus> {
  requireDoubleBlind(collaboration);
  const record = await deps.store.read(collaboration.id);
  return {
    keyCheckRegistered: record.keyChecks[party] !== undefined,
    toBlind: record.uploads
      .filter((u) => u.exchange.blinder === party)
      .map((u) => ({ dataset: u.dataset, upload: u.upload, owner: u.owner, batches: batchCount(u.exchange), waiting: waitingBatches(u.exchange) })),
    mine: record.uploads
      .filter((u) => u.owner === party)
      .map((u) => ({ dataset: u.dataset, upload: u.upload, batches: batchCount(u.exchange), waiting: waitingBatches(u.exchange).length, status: 'awaiting_blinding' as const })),
  };
}

/**
 * One batch of another party's upload for the caller to blind: only the upload's blinder
 * may fetch it (anyone else gets `not_found`, as for what does not exist), after it
 * registered its key check. The same content on every fetch.
 *
 * @example
 * ```ts
 * const batch = await blindBatch(deps, { collaboration, actor: b, dataset: 'a_keys', upload: 1, index: 0 });
 * ```
 */
export async function blindBatch(deps: BlindUploadDeps, input: { collaboration: Collaboration; actor: Actor; dataset: string; upload: number; index: number }): Promise<BlindBatch> {
  const { collaboration, actor, index } = input;
  requireDoubleBlind(collaboration);
  await blindReady();
  return deps.locked(async () => {
    const record = await deps.store.read(collaboration.id);
    const found = waitingUpload(record, input, actor.party);
    const keyCheck = record.keyChecks[actor.party];
    if (keyCheck === undefined) {
      throw new CleanRoomError('conflict', `Cannot send batch ${index} of ${input.dataset}: register your key check first (cleanroom blind sync does)`, { details: { field: 'key-check' } });
    }
    if (!Number.isInteger(index) || index < 0 || index >= batchCount(found.exchange)) batchFor(found.exchange, index, [], keyCheck); // throws not_found, naming the range
    const slice = await deps.store.getValues(collaboration.id, found.name, `singles-${index}`);
    const { state, batch } = batchFor(found.exchange, index, slice, keyCheck);
    if (state !== found.exchange) await deps.store.write(collaboration.id, { ...record, uploads: record.uploads.map((u) => (u === found ? { ...u, exchange: state } : u)) });
    return batch;
  });
}

/**
 * The caller's answer to one batch (`blindAnswer`), checked by the exchange: a replay onto
 * another batch, a truncated or damaged answer, another key or reordered elements are refused
 * (and audited) with nothing kept; the same answer again changes nothing. When the last batch
 * is answered, the doubles replace the singles in the owner's upload, which is loaded as the
 * dataset's next version (re-keyed and audited as every upload), and the upload's singles
 * are deleted.
 *
 * @example
 * ```ts
 * const { waiting, loaded } = await answerBlindBatch(deps, { collaboration, actor: b, dataset: 'a_keys', upload: 1, index: 0, answer });
 * ```
 */
export async function answerBlindBatch(
  deps: BlindUploadDeps,
  input: { collaboration: Collaboration; actor: Actor; dataset: string; upload: number; index: number; answer: BlindedBatch },
): Promise<BlindAnswerResult> {
  const { collaboration, actor, index, answer } = input;
  requireDoubleBlind(collaboration);
  await blindReady();
  const object = { type: 'blind_batch', id: `${input.dataset}/${input.upload}/${index}` };
  return deps.locked(async () => {
    const record = await deps.store.read(collaboration.id);
    const found = waitingUpload(record, input, actor.party);
    let result: ReturnType<typeof answerBatch>;
    try {
      result = answerBatch(found.exchange, index, answer);
    } catch (error) {
      const code = error instanceof CleanRoomError ? error.code : 'internal';
      await deps.audit({ actor, action: 'blind_answer', object, params: {}, decision: code === 'refused' ? 'refused' : 'rejected', reason: error instanceof Error ? error.message.slice(0, 200) : code });
      throw error;
    }
    const { state, doubles } = result;
    let current = found;
    if (doubles !== undefined) {
      await deps.store.putValues(collaboration.id, found.name, `doubles-${index}`, doubles);
      current = { ...found, exchange: state };
      await deps.store.write(collaboration.id, { ...record, uploads: record.uploads.map((u) => (u === found ? current : u)) });
      await deps.audit({ actor, action: 'blind_answer', object, params: { elements: doubles.length }, decision: 'accepted' });
    }
    const waiting = waitingBatches(current.exchange).length;
    if (waiting > 0) return { waiting };
    return finish(deps, collaboration, current, actor.party);
  });
}

/** The last batch is in: replace, load, forget the singles. Under the exchange's lock. */
async function finish(deps: BlindUploadDeps, collaboration: Collaboration, upload: BlindUploadRecord, blinder: string): Promise<BlindAnswerResult> {
  const id = collaboration.id;
  const source = await deps.store.loadableUpload(id, upload.name, { columns: upload.columns, batches: batchCount(upload.exchange) });
  let outcome: BlindAnswerResult;
  try {
    const loaded = await deps.load({ actor: { party: upload.owner, keyId: upload.ownerKeyId }, dataset: upload.dataset, source, params: { doubleBlind: true, blindedBy: blinder, upload: upload.upload } });
    outcome = { waiting: 0, loaded };
  } catch (error) {
    outcome = { waiting: 0, failed: { code: error instanceof CleanRoomError ? error.code : 'internal', message: error instanceof Error ? error.message : String(error) } };
  }
  const record = await deps.store.read(id);
  await deps.store.write(id, { ...record, uploads: record.uploads.filter((u) => u.name !== upload.name) });
  await deps.store.removeUpload(id, upload.name);
  return outcome;
}

/**
 * Retention of the exchange: forgets every upload still waiting that was received before
 * `cutoff`, with its singles. Returns their names (`<upload>-<dataset>`).
 *
 * @example
 * ```ts
 * await expireBlindUploads(deps, 'c_1', '2026-11-07T00:00:00.000Z'); // ['1-a_keys']
 * ```
 */
export async function expireBlindUploads(deps: Pick<BlindUploadDeps, 'store' | 'locked'>, collaboration: string, cutoff: string): Promise<string[]> {
  return deps.locked(async () => {
    const record = await deps.store.read(collaboration);
    const old = record.uploads.filter((u) => u.at < cutoff);
    if (old.length === 0) return [];
    await deps.store.write(collaboration, { ...record, uploads: record.uploads.filter((u) => u.at >= cutoff) });
    for (const u of old) await deps.store.removeUpload(collaboration, u.name);
    return old.map((u) => u.name);
  });
}

function waitingUpload(record: BlindRecord, input: { collaboration: Collaboration; dataset: string; upload: number }, party: string): BlindUploadRecord {
  const found = record.uploads.find((u) => u.dataset === input.dataset && u.upload === input.upload);
  if (found === undefined || found.exchange.blinder !== party) {
    throw new CleanRoomError('not_found', `Cannot find upload ${input.upload} of ${input.dataset} awaiting your blinding in collaboration ${input.collaboration.id}`, { details: { field: 'upload' } });
  }
  return found;
}

function requireDoubleBlind(collaboration: Collaboration): void {
  if (collaboration.template.identity.hashing !== 'double-blind') {
    throw new CleanRoomError('not_found', `Cannot find a double-blind exchange in collaboration ${collaboration.id}: it matches ${collaboration.template.identity.hashing}-hashed identifiers`, { details: { field: 'collaboration' } });
  }
}

/** An audit entry's shape, re-exported for hosts that wire the exchange. */
export type { AuditEntry };
