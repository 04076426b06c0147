import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templateDigest, validateTemplate } from '../template/index.js';
import type { Template } from '../template/index.js';
import type { Collaboration } from '../collaboration/collaboration.js';
import { releaseKey } from './release-key.js';

const json = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'templates', 'retail-media-insights-dp.json'), 'utf8')) as unknown;
const checked = validateTemplate(json);
if (!checked.ok) throw new Error('the ready DP template does not validate');
const template: Template = checked.template;

const collaboration = (versions: { readers: number; purchases: number }, at = '2026-01-01T00:00:00.000Z'): Collaboration => ({
  id: 'c_1',
  name: 'x',
  template,
  templateDigest: templateDigest(template),
  members: { retailer: 'p_r', publisher: 'p_p' },
  createdBy: 'p_r',
  createdAt: at,
  attestations: [],
  datasets: { readers: { version: versions.readers, rows: 1, uploadedBy: 'p_p', at }, purchases: { version: versions.purchases, rows: 1, uploadedBy: 'p_r', at } },
  matches: {},
});

describe('releaseKey', () => {
  const c = collaboration({ readers: 1, purchases: 1 });
  const params = { group_by: ['readers.segment'], from: '2024-01-01' };

  it('is the same for the same question over the same data, whatever the key order, and never 64 hex digits', () => {
    const key = releaseKey(c, 'spend_by_segment', params);
    expect(releaseKey(c, 'spend_by_segment', { from: '2024-01-01', group_by: ['readers.segment'] })).toBe(key);
    expect(key).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
  });

  it('changes with the parameters, the analysis, a dataset version or a re-upload that restarted numbering', () => {
    const key = releaseKey(c, 'spend_by_segment', params);
    expect(releaseKey(c, 'spend_by_segment', { ...params, from: '2024-01-02' })).not.toBe(key);
    expect(releaseKey(c, 'overlap', {})).not.toBe(releaseKey(c, 'spend_by_segment', {}));
    expect(releaseKey(collaboration({ readers: 2, purchases: 1 }), 'spend_by_segment', params)).not.toBe(key);
    expect(releaseKey(collaboration({ readers: 1, purchases: 1 }, '2026-02-01T00:00:00.000Z'), 'spend_by_segment', params)).not.toBe(key);
  });

  it('counts the runner’s roles for sql analyses only', () => {
    const sql = { sql: 'SELECT 1' };
    expect(releaseKey(c, 'custom_sql', sql, { runnerRoles: ['retailer'] })).not.toBe(releaseKey(c, 'custom_sql', sql, { runnerRoles: ['publisher'] }));
    expect(releaseKey(c, 'spend_by_segment', params, { runnerRoles: ['retailer'] })).toBe(releaseKey(c, 'spend_by_segment', params, { runnerRoles: ['publisher'] }));
  });
});
