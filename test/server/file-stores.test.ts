import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryCollaborationStore } from '../../src/core/collaboration/collaboration-store.js';
import type { CollaborationStore } from '../../src/core/collaboration/collaboration-store.js';
import type { Collaboration, Run } from '../../src/core/collaboration/collaboration.js';
import { FileCollaborationStore } from '../../src/node/store/file-collaboration-store.js';
import { FilePartyStore } from '../../src/node/store/file-party-store.js';
import { tempDir } from '../helpers/run-cleanroom.js';

const collaboration = (id: string) => ({ id, name: id, members: { a: 'p_a' }, attestations: [], datasets: {}, matches: {} }) as unknown as Collaboration;
const run = (collaborationId: string, id: string) => ({ id, collaborationId, status: 'released', result: null }) as unknown as Run;

const stores: [string, () => Promise<CollaborationStore>][] = [
  ['memory', async () => new MemoryCollaborationStore()],
  ['file', () => FileCollaborationStore.open(tempDir('cleanroom-store-'))],
];

describe.each(stores)('CollaborationStore contract: %s', (_name, open) => {
  it('stores copies, lists, deletes with runs', async () => {
    const store = await open();
    const c = collaboration('c_1');
    await store.putCollaboration(c);
    c.name = 'changed after put';
    const got = (await store.getCollaboration('c_1'))!;
    expect(got.name).toBe('c_1');
    got.name = 'changed after get';
    expect((await store.getCollaboration('c_1'))!.name).toBe('c_1');
    await store.putRun(run('c_1', 'run_1'));
    expect((await store.listRuns('c_1')).map((r) => r.id)).toEqual(['run_1']);
    expect(await store.getRun('c_2', 'run_1')).toBeUndefined();
    expect((await store.listCollaborations()).map((x) => x.id)).toEqual(['c_1']);
    await store.deleteCollaboration('c_1');
    expect(await store.getCollaboration('c_1')).toBeUndefined();
    expect(await store.listRuns('c_1')).toEqual([]);
  });
});

describe.each(stores)('CollaborationStore templates: %s', (_name, open) => {
  it('keeps its own frozen copy of a template, shared by every read, which a caller can neither change nor replace in place', async () => {
    const store = await open();
    const template = { name: 't', privacy: { minPeople: 100 } };
    await store.putCollaboration({ ...collaboration('c_1'), template } as unknown as Collaboration);
    template.privacy.minPeople = 2; // the caller's object, after the put
    const first = (await store.getCollaboration('c_1'))!;
    const second = (await store.getCollaboration('c_1'))!;
    expect(first.template.privacy.minPeople).toBe(100);
    expect(first.template).toBe(second.template);
    expect(Object.isFrozen(first.template.privacy)).toBe(true);
    expect(() => {
      (first.template.privacy as { minPeople: number }).minPeople = 2;
    }).toThrow(TypeError);
    // A loosened copy put back is a new object: stored as its own frozen copy.
    const loosened = JSON.parse(JSON.stringify(first)) as Collaboration;
    (loosened.template.privacy as { minPeople: number }).minPeople = 2;
    await store.putCollaboration(loosened);
    const third = (await store.getCollaboration('c_1'))!;
    expect(third.template.privacy.minPeople).toBe(2);
    expect(third.template).not.toBe(first.template);
    expect(first.template.privacy.minPeople).toBe(100);
  });
});

describe('the file stores on disk', () => {
  it('survive a reopen, refuse unsafe ids, and drop temporaries a crash left', async () => {
    const dir = tempDir('cleanroom-store-');
    const store = await FileCollaborationStore.open(dir);
    await store.putCollaboration(collaboration('c_1'));
    await store.putRun(run('c_1', 'run_1'));
    expect(await store.getCollaboration('../../etc/passwd')).toBeUndefined();
    await expect(store.putCollaboration(collaboration('../x'))).rejects.toThrow();
    writeFileSync(join(dir, 'collaborations', '.tmp-0011'), '{"half');
    const reopened = await FileCollaborationStore.open(dir);
    expect((await reopened.getCollaboration('c_1'))!.id).toBe('c_1');
    expect((await reopened.getRun('c_1', 'run_1'))!.id).toBe('run_1');
    expect(readdirSync(join(dir, 'collaborations'))).toEqual(['c_1.json']);
    const parties = await FilePartyStore.open(dir);
    await parties.create({ id: 'p_1', name: 'One', createdAt: 'now', keys: [{ id: 'k1', hash: 'h', createdAt: 'now', revokedAt: null }] });
    const again = await FilePartyStore.open(dir);
    expect((await again.findByKeyId('k1'))!.id).toBe('p_1');
    expect(await again.findByKeyId('k2')).toBeUndefined();
  });
});
