import { describe, expect, it } from 'vitest';
import { dpTemplate } from '../../../../test/helpers/dp-template.js';
import { columnRef } from '../plan-parts.js';
import { publicGroupsOf } from './public-groups.js';

describe('publicGroupsOf', () => {
  const template = dpTemplate();

  it('lists the declared values of public keys, extra fixed keys first', () => {
    expect(publicGroupsOf(template, [columnRef('readers.segment')], { key: ['email'] })).toEqual({ key: ['email'], 'readers.segment': ['news', 'sport', 'tech', 'business'] });
  });

  it('is undefined as soon as one key comes from private data', () => {
    expect(publicGroupsOf(template, [columnRef('readers.segment'), columnRef('readers.city')])).toBeUndefined();
  });

  it('is undefined past the cap of combinations', () => {
    const many = Array.from({ length: 2_501 }, (_, i) => `v${i}`);
    expect(publicGroupsOf(template, [columnRef('readers.segment')], { a: many })).toBeUndefined(); // 4 × 2 501 > 10 000
    expect(publicGroupsOf(template, [columnRef('readers.segment')], { a: many.slice(0, 2_500) })).toBeDefined();
  });
});
