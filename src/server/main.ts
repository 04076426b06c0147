import { mkdir, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import type { Http2SecureServer } from 'node:http2';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { createNodeCleanRoom } from '../node/room/create-node-clean-room.js';
import { FileCollaborationStore } from '../node/store/file-collaboration-store.js';
import { FilePartyStore } from '../node/store/file-party-store.js';
import { readAuditFile } from '../node/store/read-audit-file.js';
import { lockDataDir } from '../node/store/data-dir-lock.js';
import { loadReadyTemplates } from '../node/template/load-ready-templates.js';
import type { ServerLimits } from './app-env.js';
import { createApp } from './app.js';
import { hashApiKey } from './auth/api-key.js';
import { createLogger } from './logger.js';
import { UPLOAD_PREFIX } from './http/receive-upload.js';
import { resolveOperatorKey } from './secrets.js';
import { checkMasterKeyFits, resolveMasterKey } from '../node/keys/master-key.js';
import { openAtRest } from '../node/keys/at-rest.js';
import { trackConnections } from './http/track-connections.js';
import { checkPlainHttpBind } from './tls/check-plain-http-bind.js';
import { loadTlsFiles } from './tls/load-tls-files.js';
import type { TlsFiles, TlsMaterial } from './tls/load-tls-files.js';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  dataDir: string;
  templatesDir: string;
  /** The built browser UI (web/dist), served at / when it exists. */
  webDir?: string;
  port?: number;
  host?: string;
  /** Where CLEANROOM_OPERATOR_KEY and CLEANROOM_MASTER_KEY are read. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the first-start operator key is printed. */
  out?: NodeJS.WritableStream;
  /** Log destination (default stdout). */
  logTo?: DestinationStream;
  limits?: Partial<ServerLimits>;
  /** Where the master key comes from (at most one; default `<dataDir>/master.key`); env CLEANROOM_MASTER_KEY counts as one. */
  masterKey?: { file?: string; command?: string };
  /** 'off' keeps dataset content plain on disk (tests and benchmarks only); default sealed. */
  encryption?: 'required' | 'off';
  /** The private RAM-backed dir for plaintext while running (default /dev/shm/cleanroom-<uid>/…). */
  workDir?: string;
  /** Serve HTTPS (HTTP/2 with HTTP/1.1 fallback, TLS 1.2 or later) with this certificate and key. */
  tls?: TlsFiles;
  /** Allow plain HTTP on a non-loopback host (say, behind a TLS-terminating proxy). */
  insecureHttp?: boolean;
}

/**
 * Starts cleanroom on a socket: the data dir (0700) with its master and operator keys,
 * stale upload files removed, durable stores, the DuckDB room, the ready templates.
 * With `tls` it serves HTTPS; without it, it refuses a non-loopback host unless
 * `insecureHttp`. Both are checked before the data dir is touched.
 *
 * @example
 * ```ts
 * const server = await startServer({ dataDir: '.cleanroom', templatesDir: 'templates', port: 8080 });
 * console.log(server.url); await server.close();
 * ```
 */
export async function startServer(options: StartServerOptions): Promise<{ url: string; operatorKey: string; close: () => Promise<void> }> {
  const { dataDir } = options;
  // Bad TLS files or an unsafe bind refuse here, before the data dir is created or locked.
  checkPlainHttpBind(options.host ?? '127.0.0.1', { tls: options.tls !== undefined, insecureHttp: options.insecureHttp ?? false });
  const tls = options.tls === undefined ? undefined : await loadTlsFiles(options.tls);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const logger: Logger = createLogger(options.logTo ?? pino.destination(1));
  // One server per data dir: its stores assume a single writer. Losing the lock (another
  // process took it as stale) stops this server rather than let two write at once.
  const lock = await lockDataDir(dataDir, {
    onLost: (error) => {
      logger.fatal({ event: 'data_dir_lock_lost', message: error.message }, 'lost the data dir lock; stopping');
      process.exit(70);
    },
  });
  try {
    return await startLocked(options, tls, logger, lock.release);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function startLocked(options: StartServerOptions, tls: TlsMaterial | undefined, logger: Logger, unlock: () => Promise<void>): Promise<{ url: string; operatorKey: string; close: () => Promise<void> }> {
  const { dataDir, templatesDir, port = 8080, host = '127.0.0.1', env = {}, out = process.stdout } = options;
  const master = await resolveMasterKey(dataDir, {
    file: options.masterKey?.file ?? env.CLEANROOM_MASTER_KEY_FILE,
    command: options.masterKey?.command ?? env.CLEANROOM_MASTER_KEY_COMMAND,
    env: env.CLEANROOM_MASTER_KEY,
  });
  const masterKey = master.key;
  await checkMasterKeyFits(dataDir, masterKey);
  if (master.source === 'default') logger.warn({ event: 'master_key_in_data_dir', file: master.path }, 'the master key is a file inside the data dir: a copy of the dir decrypts it; use --master-key-file, --master-key-command or CLEANROOM_MASTER_KEY outside it');
  // The plaintext a killed server left in its work dir goes now (this server holds the lock).
  const atRest = await openAtRest(dataDir, masterKey, { encryption: options.encryption ?? 'required', ...(options.workDir === undefined ? {} : { workDir: options.workDir }) });
  const { incomingDir } = atRest;
  if (atRest.legacy) logger.warn({ event: 'data_dir_not_sealed', dataDir }, 'this data dir was made before encryption at rest: its content stays plain on disk; start a new data dir to seal');
  await mkdir(join(dataDir, 'incoming'), { recursive: true, mode: 0o700 });
  await removeStale(join(dataDir, 'incoming'));
  const operator = await resolveOperatorKey(join(dataDir, 'operator.key'), env.CLEANROOM_OPERATOR_KEY);
  const storeDir = join(dataDir, 'store');
  const store = await FileCollaborationStore.open(storeDir, atRest.cipher);
  const parties = await FilePartyStore.open(storeDir);
  const templates = await loadReadyTemplates(templatesDir);
  const { room, close: closeRoom } = await createNodeCleanRoom({ dataDir, masterKey, store, atRest });
  const auditCodec = (id: string) => atRest.cipher?.lines(id, 'audit');
  const app = createApp({ room, store, parties, templates, operatorKeyHash: hashApiKey(operator.key), incomingDir, logger, hsts: tls !== undefined, auditEvents: (id) => readAuditFile(dataDir, id, auditCodec(id)), ...(options.limits !== undefined ? { limits: options.limits } : {}), ...(options.webDir !== undefined && existsSync(join(options.webDir, 'index.html')) ? { web: webUi(options.webDir) } : {}) });
  // Retention: versions past their template's retentionDays go at start and every hour.
  const retain = () =>
    room.enforceRetention(new Date()).then(
      (deleted) => deleted > 0 && logger.info({ event: 'retention', deleted }, 'dataset versions past retention deleted'),
      () => logger.error({ event: 'retention_failed' }, 'retention failed; will retry'),
    );
  await retain();
  const retention = setInterval(() => void retain(), 3_600_000);
  retention.unref();
  const server =
    tls === undefined
      ? serve({ fetch: app.fetch, port, hostname: host })
      : serve({ fetch: app.fetch, port, hostname: host, createServer: createSecureServer, serverOptions: { cert: tls.cert, key: tls.key, allowHTTP1: true, minVersion: 'TLSv1.2' } });
  const connections = tls === undefined ? undefined : trackConnections(server as Http2SecureServer);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (error) {
    // The port is taken (say): close what was opened, so a retry starts clean.
    clearInterval(retention);
    await closeRoom();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const url = `${tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  if (operator.created) out.write(`cleanroom: generated the operator key (shown once; also in ${join(dataDir, 'operator.key')}, mode 0600):\n  ${operator.key}\n`);
  logger.info({ event: 'listening', url, ...(tls !== undefined ? { certificateValidTo: tls.validTo.toISOString() } : {}) }, 'cleanroom listening');
  return {
    url,
    operatorKey: operator.key,
    close: async () => {
      clearInterval(retention);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      connections?.endIdle();
      await closed;
      await closeRoom();
      await unlock();
    },
  };
}

/** Static files of the UI; any other GET outside /v1 gets index.html (client-side routes). */
function webUi(root: string): MiddlewareHandler {
  const files = serveStatic({ root });
  const index = serveStatic({ root, path: 'index.html' });
  return async (c, next) => {
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    const none = async () => undefined;
    return (await files(c, none)) ?? (await index(c, none)) ?? next();
  };
}

/** Upload bodies and in-room prepared files a killed server left behind; never a committed version. */
async function removeStale(dir: string): Promise<void> {
  for (const file of await readdir(dir)) {
    if (file.startsWith(UPLOAD_PREFIX) || file.startsWith('prepared-')) await rm(join(dir, file), { force: true });
  }
}
