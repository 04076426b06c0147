/**
 * The DuckDB engine: the default implementation of core's RoomEngine port.
 *
 * @example
 * ```ts
 * import { createDuckDbEngine } from './engine/duckdb/index.js';
 * const engine = createDuckDbEngine({ dataDir: '/var/cleanroom', masterKey });
 * ```
 */
export { createDuckDbEngine } from './duckdb-engine.js';
export type { DuckDbEngineOptions, EncryptionMode, InstanceLimits } from './engine-settings.js';
