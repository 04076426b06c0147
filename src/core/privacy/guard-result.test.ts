import { describe, expect, it } from 'vitest';
import type { ResultShape } from './result-shape.js';
import { guardResult, untoldReason } from './guard-result.js';

const shape: ResultShape = { dimensions: ['campaign'], people: 'people', counts: ['conversions'], values: ['revenue'], partition: true };
const policy = { minPeople: 100, rounding: null };

describe('guardResult', () => {
  it('releases rows at or above the minimum and hides smaller ones whole, name included', () => {
    const g = guardResult(
      [
        { campaign: 'a', people: 500, conversions: 600, revenue: 1000 },
        { campaign: 'b', people: 100, conversions: 120, revenue: 200 },
        { campaign: 'secret', people: 99, conversions: 99, revenue: 50 },
        { campaign: 'c', people: 400, conversions: 410, revenue: 300 },
      ],
      { ...shape, partition: false },
      policy,
    );
    expect(g.rows.map((r) => r.campaign)).toEqual(['a', 'b', 'c']);
    expect(JSON.stringify(g)).not.toContain('secret');
    expect(g.suppressed).toEqual({ rows: null, belowMinimum: null, complementary: null, reason: untoldReason(100) });
  });

  it('holds back a complement so that total minus released cannot reveal a suppressed row', () => {
    const rows = [
      { campaign: 'a', people: 500, conversions: 1, revenue: 1 },
      { campaign: 'b', people: 150, conversions: 1, revenue: 1 },
      { campaign: 'c', people: 120, conversions: 1, revenue: 1 },
      { campaign: 'tiny', people: 3, conversions: 1, revenue: 1 },
    ];
    const g = guardResult(rows, shape, policy);
    // 'tiny' alone would be total - (a + b + c); holding back 'c' too makes the gap 123 people.
    expect(g.rows.map((r) => r.campaign)).toEqual(['a', 'b']);
    const total = rows.reduce((s, r) => s + r.people, 0);
    const gap = total - g.rows.reduce((s, r) => s + Number(r.people), 0);
    expect(gap).toBeGreaterThanOrEqual(100);
  });

  it('needs no complement when the suppressed rows already cover the minimum together', () => {
    const g = guardResult(
      [
        { campaign: 'a', people: 500, conversions: 1, revenue: 1 },
        { campaign: 'x', people: 60, conversions: 1, revenue: 1 },
        { campaign: 'y', people: 50, conversions: 1, revenue: 1 },
      ],
      shape,
      policy,
    );
    // x and y together cover 110 people: 'a' stays.
    expect(g.rows.map((r) => r.campaign)).toEqual(['a']);
  });

  it('holds back everything when even all rows together cannot cover a suppressed one', () => {
    const g = guardResult(
      [
        { campaign: 'a', people: 40, conversions: 1, revenue: 1 },
        { campaign: 'b', people: 30, conversions: 1, revenue: 1 },
      ],
      shape,
      policy,
    );
    expect(g.rows).toEqual([]);
  });

  it('rounds released counts down to the template ranges, never values', () => {
    const g = guardResult([{ campaign: 'a', people: 1234, conversions: 1999, revenue: 12.5 }], shape, { minPeople: 100, rounding: { to: 1000 } });
    expect(g.rows[0]).toEqual({ campaign: 'a', people: 1000, conversions: 1000, revenue: 12.5 });
    expect(g.roundedTo).toBe(1000);
  });

  it('treats a missing or non-numeric people count as zero people', () => {
    const g = guardResult([{ campaign: 'a', people: null, conversions: 1, revenue: 1 }], { ...shape, partition: false }, policy);
    expect(g.rows).toEqual([]);
  });

  it('says the same about a grouped table whether a hidden group had one person or none (membership by the report)', () => {
    const known = { campaign: 'known', people: 99, conversions: 99, revenue: 990 };
    const member = guardResult([known, { campaign: 'guess', people: 1, conversions: 1, revenue: 10 }], shape, policy);
    const stranger = guardResult([known], shape, policy);
    expect(JSON.stringify(member)).toBe(JSON.stringify(stranger));
    expect(member.rows).toEqual([]);
  });

  it('tells what a one-row table held back: its row always exists, a zero as much as a one', () => {
    const one = { ...shape, dimensions: [], partition: false };
    const g = guardResult([{ people: 1, conversions: 1, revenue: 10 }], one, policy);
    expect(g.suppressed).toEqual({ rows: 1, belowMinimum: 1, complementary: 0, reason: '1 row(s) covered fewer than 100 people' });
    expect(guardResult([{ people: 0, conversions: 0, revenue: 0 }], one, policy).suppressed).toEqual(g.suppressed);
  });
});
