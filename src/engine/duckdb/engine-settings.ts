import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { CleanRoomError } from '../../core/errors.js';
import { workDirFor } from '../../crypto/work-dir.js';

/** How a DuckDB engine treats encryption at rest of new rooms. */
export type EncryptionMode = 'required' | 'preferred' | 'off';

/** Resource limits of one DuckDB instance. */
export interface InstanceLimits {
  /** Worker threads. Default: the machine's available parallelism. */
  threads?: number;
  /** DuckDB memory limit, e.g. '4GB'. Default '4GB'. */
  memoryLimit?: string;
  /** Most disk the room's private temp directory may take, e.g. '20GB'. Default '20GB'. */
  maxTempDirectorySize?: string;
}

/** Options of createDuckDbEngine. */
export interface DuckDbEngineOptions {
  /** Rooms live under `<dataDir>/collaborations/<id>/`. */
  dataDir: string;
  /** 32 bytes that wrap every room's keys (AES-256-GCM). Keep it outside dataDir. */
  masterKey: Uint8Array;
  /**
   * 'required' (default) and 'preferred' (its old name, kept): every new room is sealed at
   * rest (AES-256-GCM under its data key, see src/crypto/sealed-format.ts); while open it
   * is worked on as a plaintext copy in `workDir`, which must be RAM-backed.
   * 'off': rooms are plain DuckDB files under dataDir (tests and benchmarks only).
   */
  encryption?: EncryptionMode;
  /**
   * The private RAM-backed directory for the plaintext copies of open sealed rooms and
   * their spill files. Default: `/dev/shm/cleanroom-<uid>/<digest of dataDir>/rooms`.
   */
  workDir?: string;
  /** Where DuckDB looks for installed extensions. Default: DuckDB's own (~/.duckdb/extensions). */
  extensionDirectory?: string;
  /** Limits of the analysis sandbox of each room. */
  sandbox?: InstanceLimits;
  /** Limits of the writer that loads datasets and runs trusted statements. */
  writer?: InstanceLimits;
  /** Defaults of RoomStore.query limits. */
  query?: { timeoutMs?: number; maxRows?: number };
  /** Tests only: `beforeLoadCommit` runs inside a load's transaction just before COMMIT. */
  hooks?: { beforeLoadCommit?: (dataset: string) => void | Promise<void> };
}

/** The validated, frozen form of {@link DuckDbEngineOptions}. */
export interface EngineSettings {
  dataDir: string;
  masterKey: Uint8Array;
  encryption: EncryptionMode;
  /** Where sealed rooms are worked on while open; undefined when encryption is 'off'. */
  workDir: string | undefined;
  extensionDirectory: string | undefined;
  sandbox: Required<InstanceLimits>;
  writer: Required<InstanceLimits>;
  query: { timeoutMs: number; maxRows: number };
  hooks: { beforeLoadCommit?: (dataset: string) => void | Promise<void> };
}

const SIZE = /^\d+(\.\d+)?\s?(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/;

/**
 * Check engine options at the edge, apply defaults and freeze the result.
 *
 * @example
 * ```ts
 * const settings = engineSettings({ dataDir: '/var/cleanroom', masterKey });
 * settings.encryption; // 'required'
 * ```
 */
export function engineSettings(options: DuckDbEngineOptions): EngineSettings {
  const {
    dataDir,
    masterKey,
    encryption = 'required',
    extensionDirectory,
    sandbox = {},
    writer = {},
    query = {},
    hooks = {},
  } = options;
  if (typeof dataDir !== 'string' || dataDir.length === 0) throw optionError('dataDir', 'it is empty');
  if (!(masterKey instanceof Uint8Array) || masterKey.length !== 32) {
    throw optionError('masterKey', 'it must be 32 bytes');
  }
  if (!['required', 'preferred', 'off'].includes(encryption)) throw optionError('encryption', `"${encryption}" is not required, preferred or off`);
  const timeoutMs = query.timeoutMs ?? 30_000;
  const maxRows = query.maxRows ?? 100_000;
  if (!(timeoutMs > 0)) throw optionError('query.timeoutMs', 'it must be positive');
  if (!(maxRows > 0)) throw optionError('query.maxRows', 'it must be positive');
  return Object.freeze({
    dataDir,
    masterKey: new Uint8Array(masterKey),
    encryption,
    workDir: encryption === 'off' ? undefined : options.workDir === undefined ? join(workDirFor(dataDir), 'rooms') : workDirFor(dataDir, options.workDir),
    extensionDirectory,
    sandbox: Object.freeze(limits(sandbox, 'sandbox')),
    writer: Object.freeze(limits(writer, 'writer')),
    query: Object.freeze({ timeoutMs, maxRows }),
    hooks: Object.freeze({ ...hooks }),
  });
}

function limits(given: InstanceLimits, name: string): Required<InstanceLimits> {
  const { threads = availableParallelism(), memoryLimit = '4GB', maxTempDirectorySize = '20GB' } = given;
  if (!Number.isInteger(threads) || threads < 1) throw optionError(`${name}.threads`, `${threads} is not a positive integer`);
  if (!SIZE.test(memoryLimit)) throw optionError(`${name}.memoryLimit`, `"${memoryLimit}" is not a size like 4GB`);
  if (!SIZE.test(maxTempDirectorySize)) throw optionError(`${name}.maxTempDirectorySize`, `"${maxTempDirectorySize}" is not a size like 20GB`);
  return { threads, memoryLimit, maxTempDirectorySize };
}

function optionError(option: string, why: string): CleanRoomError {
  return new CleanRoomError('invalid_argument', `Cannot create the DuckDB engine with option ${option}: ${why}`, {
    details: { field: option },
  });
}
