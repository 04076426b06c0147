import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditStoreContract } from '../../../test/contracts/audit-store-contract.js';
import type { AuditEvent } from '../../core/audit/audit-event.js';
import { auditEventHash, auditGenesis } from '../../core/audit/audit-hash.js';
import { AuditLog } from '../../core/audit/audit-log.js';
import type { AuditHead } from '../../core/audit/verify-chain.js';
import { verifyAuditStore } from '../../core/audit/verify-chain.js';
import { canonicalJson } from '../../core/digest/canonical-json.js';
import { FileAuditStore } from './file-audit-store.js';

const dirs: string[] = [];
const stores: FileAuditStore[] = [];
async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cleanroom-audit-'));
  dirs.push(dir);
  return join(dir, 'audit.jsonl');
}
async function openStore(path: string): Promise<FileAuditStore> {
  const store = await FileAuditStore.open(path);
  stores.push(store);
  return store;
}
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

auditStoreContract('FileAuditStore', async () => {
  const path = await tempFile();
  return { store: await openStore(path), reopen: () => openStore(path) };
});

const genesis = auditGenesis('c_1');

/** Writes five events through AuditLog, closes the file, returns its lines and head. */
async function writeLog(path: string): Promise<{ lines: string[]; head: AuditHead }> {
  const store = await FileAuditStore.open(path);
  let tick = 0;
  const log = new AuditLog(store, { clock: () => new Date(Date.UTC(2024, 4, 1, 0, 0, tick++)), genesis });
  for (let i = 1; i <= 5; i += 1) {
    await log.append({
      actor: { party: 'p_1', keyId: 'k_1' },
      action: 'run',
      object: { type: 'run', id: `r_${i}` },
      params: { analysis: 'overlap', lookback_days: i },
      decision: 'released',
    });
  }
  const head = await log.head();
  await store.close();
  const text = await readFile(path, 'utf8');
  if (head === null) throw new Error('empty');
  return { lines: text.split('\n').filter((l) => l !== ''), head };
}

async function verifyFile(path: string, head?: AuditHead) {
  const store = await openStore(path);
  const result = await verifyAuditStore(store, head === undefined ? { genesis } : { genesis, head });
  return result.ok ? result : { ok: false, firstBroken: result.firstBroken, code: result.code };
}

describe('FileAuditStore on disk', () => {
  let path: string;
  beforeEach(async () => {
    path = await tempFile();
  });

  it('writes one canonical JSON event per line', async () => {
    const { lines, head } = await writeLog(path);
    expect(lines).toHaveLength(5);
    const events = lines.map((l) => JSON.parse(l) as AuditEvent);
    expect(lines.map((l, i) => canonicalJson(events[i]) === l)).toEqual([true, true, true, true, true]);
    expect(await verifyFile(path, head)).toEqual({ ok: true, count: 5, head });
  });

  it('continues the chain after a restart', async () => {
    await writeLog(path);
    const store = await openStore(path);
    const log = new AuditLog(store, { clock: () => new Date(), genesis });
    const event = await log.append({ actor: { party: 'p_2', keyId: 'k_9' }, action: 'attest', object: { type: 'collaboration', id: 'c_1' } });
    expect(event.seq).toBe(6);
    expect(await log.verify()).toMatchObject({ ok: true, count: 6 });
  });

  it('catches an edited parameter in a stored line', async () => {
    const { lines, head } = await writeLog(path);
    lines[2] = (lines[2] as string).replace('"lookback_days":3', '"lookback_days":90');
    await writeFile(path, `${lines.join('\n')}\n`);
    expect(await verifyFile(path, head)).toEqual({ ok: false, firstBroken: 3, code: 'hash_mismatch' });
  });

  it('catches an edited line whose hash was recomputed', async () => {
    const { lines, head } = await writeLog(path);
    const event = JSON.parse(lines[1] as string) as AuditEvent;
    const edited = { ...event, decision: 'suppressed' as const };
    lines[1] = canonicalJson({ ...edited, hash: auditEventHash(edited) });
    await writeFile(path, `${lines.join('\n')}\n`);
    expect(await verifyFile(path, head)).toEqual({ ok: false, firstBroken: 3, code: 'prev_hash_mismatch' });
  });

  it('catches a deleted line', async () => {
    const { lines, head } = await writeLog(path);
    await writeFile(path, `${lines.toSpliced(1, 1).join('\n')}\n`);
    expect(await verifyFile(path, head)).toEqual({ ok: false, firstBroken: 2, code: 'seq_mismatch' });
  });

  it('catches a deleted last line against the known head', async () => {
    const { lines, head } = await writeLog(path);
    await writeFile(path, `${lines.slice(0, 4).join('\n')}\n`);
    expect(await verifyFile(path, head)).toEqual({ ok: false, firstBroken: 5, code: 'truncated' });
  });

  it('catches two swapped lines', async () => {
    const { lines, head } = await writeLog(path);
    const swapped = [lines[0], lines[1], lines[3], lines[2], lines[4]];
    await writeFile(path, `${swapped.join('\n')}\n`);
    expect(await verifyFile(path, head)).toEqual({ ok: false, firstBroken: 3, code: 'seq_mismatch' });
  });

  it('catches a line that is not JSON', async () => {
    const { lines, head } = await writeLog(path);
    lines[3] = '{"seq":4,';
    await writeFile(path, `${lines.join('\n')}\n`);
    expect(await verifyFile(path, head)).toEqual({ ok: false, firstBroken: 4, code: 'unreadable' });
  });

  it('refuses to append after a last line that is not an event, but still verifies', async () => {
    const { lines } = await writeLog(path);
    await writeFile(path, `${lines.join('\n')}\nnot an event\n`);
    const store = await openStore(path);
    const log = new AuditLog(store, { clock: () => new Date(), genesis });
    await expect(log.append({ actor: { party: 'p', keyId: 'k' }, action: 'read', object: { type: 'audit_log', id: 'c_1' } })).rejects.toMatchObject({ code: 'io_error' });
    expect(await verifyAuditStore(store, { genesis })).toMatchObject({ ok: false, firstBroken: 6, code: 'unreadable' });
  });

  it('drops a torn last line left by a crash mid-append', async () => {
    const { lines, head } = await writeLog(path);
    await writeFile(path, `${lines.join('\n')}\n{"seq":6,"at":"2024-`);
    expect(await verifyFile(path, head)).toEqual({ ok: true, count: 5, head });
    expect((await readFile(path, 'utf8')).endsWith('}\n')).toBe(true);
  });

  it('keeps a complete last event that only lost its line break', async () => {
    const { lines, head } = await writeLog(path);
    await writeFile(path, lines.join('\n'));
    expect(await verifyFile(path, head)).toEqual({ ok: true, count: 5, head });
    const log = new AuditLog(stores.at(-1) as FileAuditStore, { clock: () => new Date(), genesis });
    expect((await log.append({ actor: { party: 'p', keyId: 'k' }, action: 'read', object: { type: 'audit_log', id: 'c_1' } })).seq).toBe(6);
  });

  it('reads a log whose last line is longer than one read chunk', async () => {
    const store = await openStore(path);
    const log = new AuditLog(store, { clock: () => new Date(), genesis });
    await log.append({ actor: { party: 'p', keyId: 'k' }, action: 'read', object: { type: 'x', id: 'y' } });
    await log.append({ actor: { party: 'p', keyId: 'k' }, action: 'read', object: { type: 'x', id: 'y' }, params: { note: 'n'.repeat(200_000) } });
    await store.close();
    const again = await openStore(path);
    expect((await again.last())?.seq).toBe(2);
  });
});

describe('FileAuditStore when the disk fails', () => {
  it.skipIf(!existsSync('/dev/full'))('fails the append with io_error (ENOSPC) and the action with it', async () => {
    const store = await openStore('/dev/full');
    const log = new AuditLog(store, { clock: () => new Date() });
    const error = await log.append({ actor: { party: 'p', keyId: 'k' }, action: 'upload', object: { type: 'dataset', id: 'd' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'io_error' });
    expect((error as Error & { cause: Error }).cause).toMatchObject({ code: 'io_error' });
    expect(String((error as Error).message)).toMatch(/ENOSPC/);
  });

  it('fails an append to a closed store with io_error', async () => {
    const path = await tempFile();
    const store = await FileAuditStore.open(path);
    await store.close();
    const log = new AuditLog(store, { clock: () => new Date() });
    await expect(log.append({ actor: { party: 'p', keyId: 'k' }, action: 'upload', object: { type: 'dataset', id: 'd' } })).rejects.toMatchObject({ code: 'io_error' });
  });
});
