import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { MemoryCollaborationStore } from '../../core/collaboration/collaboration-store.js';
import type { CollaborationStore } from '../../core/collaboration/collaboration-store.js';
import { CleanRoom } from '../../core/room/clean-room.js';
import { createDuckDbEngine } from '../../engine/duckdb/index.js';
import type { DuckDbEngineOptions } from '../../engine/duckdb/index.js';
import { prepareFile } from '../prepare/prepare-file.js';
import type { ProfileName } from '../../core/identity/identity-profile.js';
import { FileAuditStore } from '../audit/file-audit-store.js';
import type { LedgerStore } from '../../core/privacy/budget/ledger-store.js';
import { FileLedgerStore } from '../store/file-ledger-store.js';
import type { ReleaseMemoryStore } from '../../core/privacy/difference/release-memory-store.js';
import { FileReleaseMemoryStore } from '../store/file-release-memory-store.js';
import { FileBlindExchangeStore } from '../store/file-blind-exchange-store.js';
import { openAtRest } from '../keys/at-rest.js';
import type { AtRest } from '../keys/at-rest.js';

/** Options of {@link createNodeCleanRoom}. */
export interface NodeCleanRoomOptions {
  dataDir: string;
  masterKey: Uint8Array;
  encryption?: DuckDbEngineOptions['encryption'];
  store?: CollaborationStore;
  clock?: () => Date;
  /** The privacy budget ledgers; default a FileLedgerStore in `<dataDir>/ledger` (one file per collaboration). */
  ledgerStore?: LedgerStore;
  /** The difference check's memory; default a FileReleaseMemoryStore in `<dataDir>/release-memory`. */
  releaseMemoryStore?: ReleaseMemoryStore;
  /** Elements per double-blind batch (default 4096). */
  blindBatchSize?: number;
  /** How content is kept at rest (openAtRest); default: made here from `encryption` and `workDir`. */
  atRest?: AtRest;
  /** The RAM-backed dir for plaintext while open (default /dev/shm/cleanroom-<uid>/…). */
  workDir?: string;
}

/**
 * Wires the clean room for one Node process: the DuckDB engine under `dataDir`, a JSON
 * Lines audit log per collaboration beside its room, a durable privacy budget ledger per
 * collaboration (`<dataDir>/ledger/<id>.jsonl`, fsynced before a release), the difference
 * check's memory of released people (`<dataDir>/release-memory/<id>.jsonl`, likewise), the
 * double-blind exchange (`<dataDir>/blind/<id>/`, singles kept only until blinded), in-room
 * hashing through the same prepare pipeline as the CLI, streaming (only hashes reach a
 * private temporary file, deleted after the load), random ids and the system clock. Unless
 * `encryption` is 'off', all of it is sealed at rest (docs/encryption.md): the rooms and
 * every store file under per-collaboration keys, upload spools and staging in the RAM-backed
 * work dir; deleting a collaboration destroys its keys first.
 *
 * @example
 * ```ts
 * const { room, close } = await createNodeCleanRoom({ dataDir: '.cleanroom', masterKey });
 * ```
 */
export async function createNodeCleanRoom(options: NodeCleanRoomOptions): Promise<{ room: CleanRoom; close: () => Promise<void> }> {
  const { dataDir, masterKey, encryption = 'required', store = new MemoryCollaborationStore(), clock = () => new Date() } = options;
  await mkdir(join(dataDir, 'audit'), { recursive: true, mode: 0o700 });
  const atRest = options.atRest ?? (await openAtRest(dataDir, masterKey, { encryption, ...(options.workDir === undefined ? {} : { workDir: options.workDir }) }));
  const { cipher, workDir, incomingDir } = atRest;
  const ledgerStore = options.ledgerStore ?? (await FileLedgerStore.open(join(dataDir, 'ledger'), cipher));
  const releaseMemoryStore = options.releaseMemoryStore ?? (await FileReleaseMemoryStore.open(join(dataDir, 'release-memory'), cipher));
  const blindExchangeStore = await FileBlindExchangeStore.open(join(dataDir, 'blind'), cipher === undefined || workDir === undefined ? undefined : { cipher, workDir: join(workDir, 'blind') });
  const engine = createDuckDbEngine({ dataDir, masterKey, encryption: workDir === undefined ? 'off' : 'required', ...(workDir === undefined ? {} : { workDir: join(workDir, 'rooms') }) });
  const audits = new Map<string, Promise<FileAuditStore>>();
  const room = new CleanRoom({
    engine,
    store,
    clock,
    ledgerStore,
    releaseMemoryStore,
    blindExchangeStore,
    ...(options.blindBatchSize === undefined ? {} : { blindBatchSize: options.blindBatchSize }),
    storesSealed: cipher !== undefined,
    forget: async (id) => {
      // The key first: from here on every sealed file of the collaboration, in any copy, is noise.
      await cipher?.destroy(id);
      const audit = audits.get(id);
      audits.delete(id);
      await (await audit?.catch(() => undefined))?.close();
      for (const file of [join(dataDir, 'ledger', `${id}.jsonl`), join(dataDir, 'ledger', `${id}.jsonl.torn`), join(dataDir, 'release-memory', `${id}.jsonl`), join(dataDir, 'release-memory', `${id}.jsonl.torn`), join(dataDir, 'audit', `${id}.jsonl`)]) {
        await rm(file, { force: true });
      }
    },
    newId: (prefix) => `${prefix}_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`,
    auditStore: (id) => {
      let found = audits.get(id);
      if (found === undefined) {
        found = FileAuditStore.open(join(dataDir, 'audit', `${id}.jsonl`), cipher?.lines(id, 'audit'));
        audits.set(id, found);
      }
      return found;
    },
    prepareInRoom: async (source, { profile, mapping }) => {
      const output = join(incomingDir, `prepared-${randomBytes(8).toString('hex')}.csv`);
      await prepareFile({ input: source, output, profile: profile as ProfileName, map: mapping, autoDetect: false });
      return { path: output, cleanup: () => rm(output, { force: true }) };
    },
    saveUpload: async (source) => {
      const output = join(incomingDir, `upload-${randomBytes(8).toString('hex')}.csv`);
      try {
        await pipeline(Readable.from(source), createWriteStream(output, { flags: 'wx', mode: 0o600 }));
      } catch (error) {
        await rm(output, { force: true });
        throw error;
      }
      return { path: output, cleanup: () => rm(output, { force: true }) };
    },
  });
  const close = async (): Promise<void> => {
    await engine.close();
    // The audit files too, so a room opened again on this data dir is their only writer.
    for (const opened of audits.values()) await (await opened.catch(() => undefined))?.close();
    audits.clear();
  };
  return { room, close };
}
