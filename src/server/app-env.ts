import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AuditEvent } from '../core/audit/index.js';
import type { CleanRoom } from '../core/room/clean-room.js';
import type { Actor } from '../core/collaboration/collaboration.js';
import type { CollaborationStore } from '../core/collaboration/collaboration-store.js';
import type { TemplateRegistry } from '../core/template/index.js';
import type { PartyStore } from '../core/parties/party-store.js';

/** Limits of the API; every one has a default (see {@link DEFAULT_LIMITS}). */
export interface ServerLimits {
  /** Most bytes of an upload on the wire. */
  uploadBytes: number;
  /** Most bytes of a gzip upload once decompressed. */
  uploadDecompressedBytes: number;
  /** Most bytes of a JSON body. */
  jsonBytes: number;
  /** Token bucket per API key. */
  rateBurst: number;
  ratePerSecond: number;
  /** Runs at once, and waiting, per collaboration. */
  runsConcurrent: number;
  runsQueued: number;
}

/**
 * The default limits.
 *
 * @example
 * ```ts
 * createApp({ ...deps, limits: { ...DEFAULT_LIMITS, uploadBytes: 1 << 20 } });
 * ```
 */
export const DEFAULT_LIMITS: Readonly<ServerLimits> = Object.freeze({
  uploadBytes: 2 * 1024 ** 3,
  uploadDecompressedBytes: 8 * 1024 ** 3,
  jsonBytes: 1024 ** 2,
  rateBurst: 120,
  ratePerSecond: 40,
  runsConcurrent: 2,
  runsQueued: 16,
});

/**
 * What {@link createApp} wires together: the room, the stores, the ready templates, the
 * hash of the operator key, where uploads land, a logger and the limits.
 *
 * @example
 * ```ts
 * const app = createApp({ room, store, parties, templates, operatorKeyHash: hashApiKey(key), incomingDir, logger: pino() });
 * ```
 */
export interface ServerDeps {
  room: CleanRoom;
  /** The store the room uses; read for the operator's metrics only. */
  store: CollaborationStore;
  parties: PartyStore;
  templates: TemplateRegistry;
  /** SHA-256 (hex) of the operator key. */
  operatorKeyHash: string;
  /** A private directory under the data dir for incoming upload bodies. */
  incomingDir: string;
  logger: Logger;
  /** The audit events of a collaboration, for the operator's metrics (counts only). */
  auditEvents?: (collaborationId: string) => Promise<AuditEvent[]>;
  clock?: () => Date;
  limits?: Partial<ServerLimits>;
  /** Serves the browser UI for GET paths outside /v1 (main.ts passes web/dist when built). */
  web?: MiddlewareHandler;
  /** The server speaks HTTPS: every answer carries `strict-transport-security`. */
  hsts?: boolean;
}

/** Who is calling: a party (with its actor) or the operator. */
export type Caller = { kind: 'party'; actor: Actor } | { kind: 'operator'; keyId: string };

/** Hono's environment for this app: the authenticated caller. */
export interface AppEnv {
  Variables: { caller: Caller; requestId: string };
}
