import { readFile, writeFile } from 'node:fs/promises';
import { CleanRoomError } from '../core/errors.js';
import { newApiKey } from './auth/api-key.js';

/**
 * The operator key: from `fromEnv`, or the 0600 file at `path`; generated and written there
 * at first start (`created: true`, so the caller prints it once).
 *
 * @example
 * ```ts
 * const { key, created } = await resolveOperatorKey('/data/operator.key', process.env.CLEANROOM_OPERATOR_KEY);
 * ```
 */
export async function resolveOperatorKey(path: string, fromEnv: string | undefined): Promise<{ key: string; created: boolean }> {
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.trim().length < 32) throw new CleanRoomError('invalid_argument', 'Cannot use CLEANROOM_OPERATOR_KEY: it is shorter than 32 characters', { details: { field: 'CLEANROOM_OPERATOR_KEY' } });
    return { key: fromEnv.trim(), created: false };
  }
  const existing = await readIfExists(path);
  if (existing !== undefined) return { key: existing.trim(), created: false };
  const { apiKey } = newApiKey();
  await writeFile(path, `${apiKey}\n`, { mode: 0o600, flag: 'wx' });
  return { key: apiKey, created: true };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
