import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CleanRoomError } from '../../core/errors.js';
import { isWrapped, unwrapKey, wrapKey } from '../../crypto/key-wrap.js';
import { writeFileAtomic } from '../../crypto/sealed-file.js';

const run = promisify(execFile);

/** Where the operator says the master key comes from: at most one of them. */
export interface MasterKeySources {
  /** `--master-key-file` / CLEANROOM_MASTER_KEY_FILE: a file that must exist (64 hex characters). */
  file?: string | undefined;
  /** CLEANROOM_MASTER_KEY: 64 hex characters. */
  env?: string | undefined;
  /** `--master-key-command` / CLEANROOM_MASTER_KEY_COMMAND: run by /bin/sh; prints 64 hex characters (a KMS or HSM client). */
  command?: string | undefined;
}

/** The master key and where it came from (for messages, and for rotation). */
export interface MasterKey {
  key: Uint8Array;
  /** 'default' is `<dataDir>/master.key`, made at first start: for demos; it sits beside the data it protects. */
  source: 'file' | 'env' | 'command' | 'default';
  /** The file, for 'file' and 'default'. */
  path?: string;
}

/**
 * The master key, from exactly one of the operator's sources, else from (or made at first
 * start in) `<dataDir>/master.key`. Two sources at once are refused, as are a missing
 * file, a failing command and anything that is not 64 hex characters, each naming where.
 *
 * @example
 * ```ts
 * const { key } = await resolveMasterKey('/var/cleanroom', { command: 'vault kv get -field=key secret/cleanroom' });
 * ```
 */
export async function resolveMasterKey(dataDir: string, sources: MasterKeySources = {}): Promise<MasterKey> {
  const given = (['file', 'env', 'command'] as const).filter((name) => sources[name] !== undefined && sources[name] !== '');
  if (given.length > 1) {
    throw new CleanRoomError('invalid_argument', `Cannot choose the master key: it is given ${given.length} ways (${given.join(', ')}); give exactly one`, { details: { field: 'master-key' } });
  }
  if (sources.env !== undefined && sources.env !== '') return { key: parseHexKey(sources.env.trim(), 'CLEANROOM_MASTER_KEY'), source: 'env' };
  if (sources.command !== undefined && sources.command !== '') return { key: await fromCommand(sources.command), source: 'command' };
  if (sources.file !== undefined && sources.file !== '') {
    const text = await readFile(sources.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new CleanRoomError('not_found', `Cannot read the master key file ${sources.file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, { details: { file: sources.file } });
    });
    return { key: parseHexKey(text.trim(), sources.file), source: 'file', path: sources.file };
  }
  const path = join(dataDir, 'master.key');
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) return { key: parseHexKey(existing.trim(), path), source: 'default', path };
  // A data dir that holds sealed data has a key somewhere: making a new one would open nothing.
  if (await readFile(join(dataDir, CHECK_FILE)).then(() => true, () => false)) {
    throw new CleanRoomError('invalid_argument', `Cannot find the master key of ${dataDir}: it holds sealed data (${join(dataDir, CHECK_FILE)}) but no master.key; give --master-key-file, --master-key-command or CLEANROOM_MASTER_KEY`, { details: { field: 'master-key' } });
  }
  const key = randomBytes(32);
  await writeKeyFile(path, key, 'wx');
  return { key, source: 'default', path };
}

async function fromCommand(command: string): Promise<Uint8Array> {
  let stdout: string;
  try {
    ({ stdout } = await run('/bin/sh', ['-c', command], { timeout: 30_000, maxBuffer: 64 * 1024, encoding: 'utf8' }));
  } catch (error) {
    const failed = error as { code?: number | string; signal?: string; stderr?: string };
    const why = failed.signal !== undefined && failed.signal !== null ? `it was stopped by ${failed.signal}` : `it exited with ${failed.code}`;
    const said = (failed.stderr ?? '').trim().split('\n')[0]?.slice(0, 200);
    throw new CleanRoomError('invalid_argument', `Cannot get the master key from the command ${JSON.stringify(command)}: ${why}${said ? ` (${said})` : ''}`, { details: { field: 'master-key-command' } });
  }
  return parseHexKey(stdout.trim(), `the output of the command ${JSON.stringify(command)}`);
}

function parseHexKey(text: string, where: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new CleanRoomError('invalid_argument', `Cannot use the master key from ${where}: expected 64 hex characters (32 bytes)`, { details: { field: 'master-key' } });
  return Buffer.from(text, 'hex');
}

/**
 * Writes a key file (64 hex characters, mode 0600), atomically when replacing.
 *
 * @example
 * ```ts
 * await writeKeyFile('/secure/new-master.key', randomBytes(32), 'wx');
 * ```
 */
export async function writeKeyFile(path: string, key: Uint8Array, flag: 'wx' | 'replace'): Promise<void> {
  const text = `${Buffer.from(key).toString('hex')}\n`;
  if (flag === 'replace') return writeFileAtomic(path, text);
  // Made in place, never over a file that exists: a key is not silently replaced.
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const CHECK_FILE = 'master.check';
const CHECK_AAD = Buffer.from('cleanroom.master-check/v1', 'utf8');

/**
 * Makes sure `key` is this data dir's master key before anything is opened with it:
 * `<dataDir>/master.check` holds a random value wrapped by the master key (written at
 * first start). A wrong key is refused at once, naming the file, and nothing is written.
 *
 * @example
 * ```ts
 * await checkMasterKeyFits('/var/cleanroom', key); // throws on a wrong key
 * ```
 */
export async function checkMasterKeyFits(dataDir: string, key: Uint8Array): Promise<void> {
  const path = join(dataDir, CHECK_FILE);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return writeMasterCheck(dataDir, key);
  let wrapped: unknown;
  try {
    wrapped = (JSON.parse(text) as { check?: unknown }).check;
  } catch {
    wrapped = undefined;
  }
  if (!isWrapped(wrapped)) throw new CleanRoomError('invalid_input', `Cannot check the master key against ${path}: it is not a cleanroom master check`, { details: { file: path } });
  try {
    unwrapKey(key, wrapped, CHECK_AAD);
  } catch {
    throw new CleanRoomError('invalid_argument', `Cannot use this master key for ${dataDir}: it is not the key its data was sealed with (checked against ${path})`, { details: { file: path, field: 'master-key' } });
  }
}

/**
 * (Re)writes the master check for `key`, atomically (rotation writes it last).
 *
 * @example
 * ```ts
 * await writeMasterCheck('/var/cleanroom', newKey);
 * ```
 */
export async function writeMasterCheck(dataDir: string, key: Uint8Array): Promise<void> {
  await writeFileAtomic(join(dataDir, CHECK_FILE), JSON.stringify({ format: 'cleanroom.master-check', version: 1, check: wrapKey(key, randomBytes(32), CHECK_AAD) }));
}
