import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blindExchangeStoreContract } from '../../core/ingest/testing/blind-exchange-store-contract.js';
import { ledgerStoreContract } from '../../core/privacy/budget/testing/ledger-store-contract.js';
import { releaseMemoryStoreContract } from '../../core/privacy/difference/testing/release-memory-store-contract.js';
import type { Collaboration, Run } from '../../core/collaboration/collaboration.js';
import { tempDir } from '../../../test/helpers/run-cleanroom.js';
import { FileAuditStore } from '../audit/file-audit-store.js';
import { FileBlindExchangeStore } from '../store/file-blind-exchange-store.js';
import { FileCollaborationStore } from '../store/file-collaboration-store.js';
import { FileLedgerStore } from '../store/file-ledger-store.js';
import { FileReleaseMemoryStore } from '../store/file-release-memory-store.js';
import { KeyRing, rewrapDataKeys } from './key-ring.js';
import { StoreCipher } from './store-cipher.js';

async function cipherIn(dir: string, masterKey = randomBytes(32)): Promise<StoreCipher> {
  return new StoreCipher(await KeyRing.open(join(dir, 'keys'), masterKey));
}

/** Every file under `dir`, whole. */
function everyFile(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...everyFile(path));
    else out.push({ path, bytes: readFileSync(path) });
  }
  return out;
}

blindExchangeStoreContract('file, sealed', async () => {
  const dir = tempDir('cleanroom-sealed-blind-');
  return FileBlindExchangeStore.open(join(dir, 'blind'), { cipher: await cipherIn(dir), workDir: join(dir, 'work') });
});
ledgerStoreContract('file, sealed', async () => {
  const dir = tempDir('cleanroom-sealed-ledger-');
  return FileLedgerStore.open(join(dir, 'ledger'), await cipherIn(dir));
});
releaseMemoryStoreContract('file, sealed', async () => {
  const dir = tempDir('cleanroom-sealed-memory-');
  return FileReleaseMemoryStore.open(join(dir, 'memory'), await cipherIn(dir));
});

const MARK = 'zebra-segment-7';

describe('sealed stores', () => {
  it('write no plaintext: a run, a collaboration, a ledger line, an audit line and a blind upload hold none of their content on disk, and read back', async () => {
    const dir = tempDir('cleanroom-sealed-');
    const masterKey = randomBytes(32);
    const cipher = await cipherIn(dir, masterKey);
    const store = await FileCollaborationStore.open(join(dir, 'store'), cipher);
    await store.putCollaboration({ id: 'c_1', name: MARK } as unknown as Collaboration);
    await store.putRun({ id: 'r_1', collaborationId: 'c_1', result: { rows: [{ segment: MARK }] } } as unknown as Run);
    const ledger = await FileLedgerStore.open(join(dir, 'ledger'), cipher);
    await ledger.append('c_1', { party: MARK, cost: { epsilon: '1/10', delta: '0/1', rho: '0/1' }, at: 1, period: 0, reference: 'r_1' }, 0);
    const audit = await FileAuditStore.open(join(dir, 'audit.jsonl'), cipher.lines('c_1', 'audit'));
    const blind = await FileBlindExchangeStore.open(join(dir, 'blind'), { cipher, workDir: join(dir, 'work') });
    await blind.keepUpload('c_1', '1-a', (async function* () {
      yield Buffer.from(`segment\n${MARK}\n`);
    })());
    await audit.close();
    for (const { path, bytes } of everyFile(dir)) {
      if (path.includes(`${join(dir, 'work')}`)) continue;
      expect(bytes.includes(Buffer.from(MARK)), path).toBe(false);
    }
    const again = await FileCollaborationStore.open(join(dir, 'store'), await cipherIn(dir, masterKey));
    expect((await again.getCollaboration('c_1'))?.name).toBe(MARK);
    expect((await again.getRun('c_1', 'r_1')) as unknown).toMatchObject({ result: { rows: [{ segment: MARK }] } });
    expect((await (await FileLedgerStore.open(join(dir, 'ledger'), await cipherIn(dir, masterKey))).read('c_1'))[0]?.party).toBe(MARK);
  });

  it('the wrong master key opens nothing, naming the key file; a record moved to another run does not open', async () => {
    const dir = tempDir('cleanroom-sealed-');
    const cipher = await cipherIn(dir);
    const store = await FileCollaborationStore.open(join(dir, 'store'), cipher);
    await store.putRun({ id: 'r_1', collaborationId: 'c_1' } as unknown as Run);
    await expect(FileCollaborationStore.open(join(dir, 'store'), await cipherIn(dir, randomBytes(32)))).rejects.toThrow(`Cannot open the data key ${join(dir, 'keys', 'c_1.store.json')}: the master key does not unwrap it`);
    writeFileSync(join(dir, 'store', 'runs', 'c_1', 'r_2.json'), readFileSync(join(dir, 'store', 'runs', 'c_1', 'r_1.json')));
    await expect(FileCollaborationStore.open(join(dir, 'store'), cipher)).rejects.toThrow(`Cannot read ${join(dir, 'store', 'runs', 'c_1', 'r_2.json')}: chunk 0`);
  });

  it('rewrapDataKeys moves every key to a new master key, the data unchanged; a wrong old key rewraps none', async () => {
    const dir = tempDir('cleanroom-sealed-');
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const store = await FileCollaborationStore.open(join(dir, 'store'), await cipherIn(dir, oldKey));
    await store.putRun({ id: 'r_1', collaborationId: 'c_1', status: MARK } as unknown as Run);
    await store.putRun({ id: 'r_1', collaborationId: 'c_2', status: MARK } as unknown as Run);
    const before = readFileSync(join(dir, 'keys', 'c_1.store.json'));
    await expect(rewrapDataKeys(join(dir, 'keys'), randomBytes(32), newKey)).rejects.toThrow('does not unwrap');
    expect(readFileSync(join(dir, 'keys', 'c_1.store.json'))).toEqual(before);
    expect(await rewrapDataKeys(join(dir, 'keys'), oldKey, newKey)).toBe(2);
    const again = await FileCollaborationStore.open(join(dir, 'store'), await cipherIn(dir, newKey));
    expect(((await again.getRun('c_2', 'r_1')) as unknown as { status: string }).status).toBe(MARK);
  });

  it('a destroyed key leaves its sealed files unreadable, with any master key', async () => {
    const dir = tempDir('cleanroom-sealed-');
    const masterKey = randomBytes(32);
    const ring = await KeyRing.open(join(dir, 'keys'), masterKey);
    const ledger = await FileLedgerStore.open(join(dir, 'ledger'), new StoreCipher(ring));
    await ledger.append('c_1', { party: 'p_a', cost: { epsilon: '1/10', delta: '0/1', rho: '0/1' }, at: 1, period: 0, reference: 'r_1' }, 0);
    const backup = readFileSync(join(dir, 'ledger', 'c_1.jsonl'));
    await ring.destroy('c_1');
    writeFileSync(join(dir, 'ledger', 'c_1.jsonl'), backup);
    // A new key is made for c_1 on next use; the backup's lines do not open with it.
    const restored = await FileLedgerStore.open(join(dir, 'ledger'), await cipherIn(dir, masterKey));
    await expect(restored.read('c_1')).rejects.toThrow(/line 1 is not a ledger entry \(or does not open with this collaboration's key\)/);
  });
});
