import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEvent } from '../../core/audit/index.js';
import { PLAIN_LINES } from './line-codec.js';
import type { LineCodec } from './line-codec.js';

/**
 * Reads the audit events of a collaboration from its JSON Lines file under the data dir
 * (read only; for counting, e.g. the operator's metrics). A missing file is no events.
 *
 * @example
 * ```ts
 * const events = await readAuditFile('/data', 'c_1');
 * ```
 */
export async function readAuditFile(dataDir: string, collaborationId: string, codec: LineCodec = PLAIN_LINES): Promise<AuditEvent[]> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(collaborationId)) return [];
  let text: string;
  try {
    text = await readFile(join(dataDir, 'audit', `${collaborationId}.jsonl`), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const events: AuditEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(await codec.decode(line, `audit log of ${collaborationId}`)) as AuditEvent);
    } catch {
      // A torn last line after a crash: the audit store repairs it on its next append.
    }
  }
  return events;
}
