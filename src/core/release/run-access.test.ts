import { describe, expect, it } from 'vitest';
import type { Collaboration, Run } from '../collaboration/collaboration.js';
import { asSeenBy, runAccess } from './run-access.js';

const collaboration = {
  id: 'c_1',
  members: { brand: 'p_brand', bank: 'p_bank', publisher: 'p_pub' },
  template: { privacy: { reviewBy: ['bank'] } },
} as unknown as Collaboration;

const run = (status: Run['status']): Run =>
  ({ id: 'run_1', by: 'p_brand', receivers: ['p_pub'], status, result: { tables: {} } }) as unknown as Run;

describe('runAccess', () => {
  it('shows a released result to its receivers only; the runner sees the status, nobody else the run', () => {
    expect(runAccess(collaboration, 'p_pub', run('released'))).toEqual({ visible: true, result: true });
    expect(runAccess(collaboration, 'p_brand', run('released'))).toEqual({ visible: true, result: false });
    expect(runAccess(collaboration, 'p_bank', run('released'))).toEqual({ visible: false, result: false });
    expect(runAccess(collaboration, 'p_stranger', run('released'))).toEqual({ visible: false, result: false });
  });

  it('keeps a pending result from its receivers and shows it to the reviewers', () => {
    expect(runAccess(collaboration, 'p_pub', run('pending'))).toEqual({ visible: true, result: false });
    expect(runAccess(collaboration, 'p_bank', run('pending'))).toEqual({ visible: true, result: true });
  });

  it('asSeenBy removes the result unless the party may read it', () => {
    expect(asSeenBy(collaboration, 'p_brand', run('released')).result).toBeNull();
    expect(asSeenBy(collaboration, 'p_pub', run('released')).result).not.toBeNull();
  });
});
