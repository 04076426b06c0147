import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createNodeCleanRoom } from '../../src/node/room/create-node-clean-room.js';
import { FileCollaborationStore } from '../../src/node/store/file-collaboration-store.js';
import { FilePartyStore } from '../../src/node/store/file-party-store.js';
import { readAuditFile } from '../../src/node/store/read-audit-file.js';
import { loadReadyTemplates } from '../../src/node/template/load-ready-templates.js';
import type { ServerLimits } from '../../src/server/app-env.js';
import { createApp } from '../../src/server/app.js';
import { hashApiKey, newApiKey } from '../../src/server/auth/api-key.js';
import { createLogger } from '../../src/server/logger.js';
import { tempDir } from '../helpers/run-cleanroom.js';

export const TEMPLATES = join(import.meta.dirname, '..', '..', 'templates');

/** Options of one request to the app under test. */
export interface CallOptions {
  key?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

/** The app on a temporary data dir, its operator key, the captured log lines and a request helper. */
export interface ServerHarness {
  app: ReturnType<typeof createApp>;
  dir: string;
  dataDir: string;
  store: FileCollaborationStore;
  operatorKey: string;
  logs: string[];
  call: (method: string, path: string, options?: CallOptions) => Promise<Response>;
  /** Creates a party as the operator; returns its id and key. */
  party: (name: string) => Promise<{ id: string; apiKey: string; keyId: string }>;
  close: () => Promise<void>;
}

/**
 * Builds the server in memory (no socket) the way main.ts does, with durable stores in a
 * temporary data dir and pino writing into `logs`.
 */
export async function serverHarness(options: { limits?: Partial<ServerLimits>; dataDir?: string; operatorKey?: string; masterKey?: Uint8Array; blindBatchSize?: number } = {}): Promise<ServerHarness> {
  const dir = tempDir('cleanroom-server-');
  const dataDir = options.dataDir ?? join(dir, 'data');
  const incomingDir = join(dataDir, 'incoming');
  mkdirSync(incomingDir, { recursive: true });
  const operatorKey = options.operatorKey ?? newApiKey().apiKey;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger(sink);
  const store = await FileCollaborationStore.open(join(dataDir, 'store'));
  const parties = await FilePartyStore.open(join(dataDir, 'store'));
  const templates = await loadReadyTemplates(TEMPLATES);
  const { room, close } = await createNodeCleanRoom({ dataDir, masterKey: options.masterKey ?? randomBytes(32), encryption: 'off', store, ...(options.blindBatchSize === undefined ? {} : { blindBatchSize: options.blindBatchSize }) });
  const app = createApp({
    room,
    store,
    parties,
    templates,
    operatorKeyHash: hashApiKey(operatorKey),
    incomingDir,
    logger,
    auditEvents: (id) => readAuditFile(dataDir, id),
    limits: { rateBurst: 10_000, ratePerSecond: 10_000, ...options.limits },
  });
  const call: ServerHarness['call'] = async (method, path, { key, json, body, headers = {} } = {}) => {
    const init: RequestInit = { method, headers: { ...(key !== undefined ? { authorization: `Bearer ${key}` } : {}), ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...headers } };
    if (json !== undefined) init.body = JSON.stringify(json);
    else if (body !== undefined) {
      init.body = body;
      (init as { duplex?: string }).duplex = 'half';
    }
    return app.request(path, init);
  };
  const party: ServerHarness['party'] = async (name) => {
    const res = await call('POST', '/v1/parties', { key: operatorKey, json: { name } });
    if (res.status !== 201) throw new Error(`party create failed: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; apiKey: string; keyId: string };
  };
  return { app, dir, dataDir, store, operatorKey, logs, call, party, close };
}

/** The body of an error response. */
export async function errorOf(res: Response): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  return ((await res.json()) as { error: { code: string; message: string; details: Record<string, unknown> } }).error;
}
