import { describe, expect, it } from 'vitest';
import { guardLift } from './guard-lift.js';
import type { GuardedTable } from './guard-result.js';

const arms: GuardedTable = {
  columns: ['arm', 'region', 'people', 'converters', 'revenue', 'revenue_squares'],
  rows: [
    { arm: 'exposed', region: 'north', people: 500, converters: 60, revenue: 10, revenue_squares: 7 },
    { arm: 'holdout', region: 'north', people: 500, converters: 40, revenue: 8, revenue_squares: 5 },
    { arm: 'exposed', region: 'south', people: 500, converters: 50, revenue: 9, revenue_squares: 6 },
    { arm: 'holdout', region: 'south', people: 500, converters: 49, revenue: 7, revenue_squares: 4 },
  ],
  suppressed: { rows: 0, belowMinimum: 0, complementary: 0, reason: null },
  roundedTo: null,
};
const group = (region: string, e: number, h: number) => ({ group: { region }, exposed: { converters: e }, holdout: { converters: h } });
const options = { dimensions: ['region'], hidden: ['revenue_squares'], policy: { minPeople: 100, rounding: null } };

describe('guardLift', () => {
  it('releases a group whose converters together reach the minimum, and holds back one that is one short', () => {
    const { groups, table, reason } = guardLift(arms, [group('north', 60, 40), group('south', 50, 49)], options);
    expect(groups.map((g) => g.group.region)).toEqual(['north']);
    expect(table.rows.map((r) => `${String(r.arm)}:${String(r.region)}`)).toEqual(['exposed:north', 'holdout:north']);
    expect(reason).toBeNull();
  });
  it('never releases the hidden columns', () => {
    const { table } = guardLift(arms, [group('north', 60, 40)], options);
    expect(table.columns).not.toContain('revenue_squares');
    for (const row of table.rows) expect(row).not.toHaveProperty('revenue_squares');
  });
  it('says why when arms were there but no group is released', () => {
    const { groups, table, reason } = guardLift(arms, [group('south', 50, 49)], options);
    expect(groups).toEqual([]);
    expect(table.rows).toEqual([]);
    expect(reason).toBe('exposed and holdout converters together are fewer than 100');
  });
});
