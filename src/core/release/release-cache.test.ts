import { describe, expect, it } from 'vitest';
import type { Run } from '../collaboration/collaboration.js';
import { MemoryCollaborationStore } from '../collaboration/collaboration-store.js';
import { ReleaseCache } from './release-cache.js';

const run = (id: string, at: string, status: Run['status'], extra: Partial<Run> = {}): Run => ({
  id,
  collaborationId: 'c_1',
  analysis: 'overlap',
  kind: 'overlap',
  params: {},
  by: 'p_a',
  at,
  status,
  reason: null,
  receivers: ['p_a'],
  result: { tables: {} },
  audienceOwner: null,
  releaseKey: 'rk_1',
  ...extra,
});

describe('ReleaseCache', () => {
  it('finds the newest released or suppressed run of a key, from runs stored before it started', async () => {
    const store = new MemoryCollaborationStore();
    await store.putRun(run('run_1', '2026-01-01T00:00:00Z', 'released'));
    await store.putRun(run('run_2', '2026-01-02T00:00:00Z', 'suppressed'));
    await store.putRun(run('run_3', '2026-01-03T00:00:00Z', 'pending'));
    await store.putRun(run('run_4', '2026-01-04T00:00:00Z', 'rejected'));
    await store.putRun(run('run_5', '2026-01-05T00:00:00Z', 'released', { cachedFrom: 'run_1' }));
    const cache = new ReleaseCache(store);
    expect((await cache.find('c_1', 'rk_1'))?.id).toBe('run_2');
    expect(await cache.find('c_1', 'rk_other')).toBeUndefined();
    expect(await cache.find('c_2', 'rk_1')).toBeUndefined();
  });

  it('sees a remembered pending run once review released it, and never a run that reused a release', async () => {
    const store = new MemoryCollaborationStore();
    const cache = new ReleaseCache(store);
    const pending = run('run_1', '2026-01-01T00:00:00Z', 'pending');
    await store.putRun(pending);
    await cache.remember(pending);
    expect(await cache.find('c_1', 'rk_1')).toBeUndefined();
    await store.putRun({ ...pending, status: 'released' });
    expect((await cache.find('c_1', 'rk_1'))?.id).toBe('run_1');
    const copy = run('run_2', '2026-01-02T00:00:00Z', 'released', { cachedFrom: 'run_1' });
    await store.putRun(copy);
    await cache.remember(copy);
    expect((await cache.find('c_1', 'rk_1'))?.id).toBe('run_1');
  });
});
