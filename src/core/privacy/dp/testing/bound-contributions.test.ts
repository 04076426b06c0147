import { describe, expect, it } from 'vitest';
import { boundContributions } from './bound-contributions.js';
import { seededRandomSource } from '../random-source.js';

interface Row {
  person: string;
  group: string;
  value: number;
}

const keys = { personOf: (r: Row) => r.person, groupOf: (r: Row) => r.group };

describe('boundContributions', () => {
  it('keeps at most k groups per person and m rows per person and group', () => {
    const rows: Row[] = [];
    for (let g = 0; g < 6; g++) for (let i = 0; i < 4; i++) rows.push({ person: 'heavy', group: `g${g}`, value: i });
    rows.push({ person: 'light', group: 'g0', value: 1 });
    const bounded = boundContributions(rows, { ...keys, bounds: { maxGroupsPerPerson: 2, maxRowsPerGroup: 3 }, rng: seededRandomSource(1) });
    const heavy = bounded.filter((r) => r.person === 'heavy');
    expect(new Set(heavy.map((r) => r.group)).size).toBe(2);
    for (const g of new Set(heavy.map((r) => r.group))) expect(heavy.filter((r) => r.group === g)).toHaveLength(3);
    expect(bounded.filter((r) => r.person === 'light')).toEqual([{ person: 'light', group: 'g0', value: 1 }]);
  });

  it('keeps rows in input order and leaves people within the bounds untouched', () => {
    const rows: Row[] = [
      { person: 'a', group: 'x', value: 1 },
      { person: 'b', group: 'y', value: 2 },
      { person: 'a', group: 'y', value: 3 },
    ];
    expect(boundContributions(rows, { ...keys, bounds: { maxGroupsPerPerson: 2, maxRowsPerGroup: 1 }, rng: seededRandomSource(2) })).toEqual(rows);
  });

  it('chooses the kept groups uniformly at random', () => {
    const rng = seededRandomSource(3);
    const rows: Row[] = ['g0', 'g1', 'g2', 'g3'].map((group) => ({ person: 'p', group, value: 0 }));
    const counts = new Map<string, number>();
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const [kept] = boundContributions(rows, { ...keys, bounds: { maxGroupsPerPerson: 1, maxRowsPerGroup: 1 }, rng });
      counts.set(kept!.group, (counts.get(kept!.group) ?? 0) + 1);
    }
    for (const c of counts.values()) expect(Math.abs(c / n - 0.25)).toBeLessThan(5 * Math.sqrt((0.25 * 0.75) / n));
  });

  it('refuses bounds that are not positive integers', () => {
    expect(() => boundContributions([], { ...keys, bounds: { maxGroupsPerPerson: 0, maxRowsPerGroup: 1 }, rng: seededRandomSource(1) })).toThrow(/maxGroupsPerPerson=0/);
  });
});
