import { describe, expect, it } from 'vitest';
import { normalizeDob } from './normalize-dob.js';

describe('normalizeDob', () => {
  it.each([
    ['1985-03-05', '19850305'],
    ['1985-3-5', '19850305'],
    ['1985/03/05', '19850305'],
    ['1985.03.05', '19850305'],
    ['19850305', '19850305'],
    ['1985-03-05T00:00:00Z', '19850305'],
    ['1985-03-05 00:00:00', '19850305'],
    ['3/5/1985 12:00:00 AM', '19850305'],
    ['05.03.1985 00:00', '19850305'],
    ['03/05/1985', '19850305'],
    ['3/5/1985', '19850305'],
    ['03-05-1985', '19850305'],
    ['05.03.1985', '19850305'],
    ['5. 3. 1985', '19850305'],
    ['March 5, 1985', '19850305'],
    ['Mar 5 1985', '19850305'],
    ['Mar. 5th, 1985', '19850305'],
    ['5 March 1985', '19850305'],
    ['5th of March, 1985', '19850305'],
    ['05-MAR-1985', '19850305'],
    [' \u00a0March 5, 1985\u200b', '19850305'],
  ])('reads %j as %s', (raw, value) => {
    expect(normalizeDob(raw)).toEqual({ ok: true, value });
  });

  it('reads numeric dates month first by default and day first by option', () => {
    expect(normalizeDob('05/03/1985')).toEqual({ ok: true, value: '19850503' });
    expect(normalizeDob('05/03/1985', { dateOrder: 'dmy' })).toEqual({ ok: true, value: '19850305' });
  });

  it('reads a numeric date the only way it can be read', () => {
    expect(normalizeDob('25/03/1985')).toEqual({ ok: true, value: '19850325' });
    expect(normalizeDob('03/25/1985', { dateOrder: 'dmy' })).toEqual({ ok: true, value: '19850325' });
  });

  it('accepts 29 February in leap years only', () => {
    expect(normalizeDob('2000-02-29')).toEqual({ ok: true, value: '20000229' });
    expect(normalizeDob('1900-02-29')).toEqual({ ok: false, reason: 'not a date: February 1900 has 28 days' });
  });

  it.each([
    ['2023-02-30', 'not a date: February 2023 has 28 days'],
    ['1985-04-31', 'not a date: April 1985 has 30 days'],
    ['1985-13-01', 'not a date: month must be 1 to 12'],
    ['1985-00-10', 'not a date: month must be 1 to 12'],
    ['1985-01-00', 'not a date: January 1985 has 31 days'],
    ['13/13/1985', 'not a date: month must be 1 to 12'],
    ['03/05/85', 'not a date: a two-digit year is ambiguous'],
    ['1899-12-31', 'not a date of birth: year before 1900'],
    ['Smarch 5, 1985', 'not a date: unrecognised format'],
    ['yesterday', 'not a date: unrecognised format'],
    ['', 'empty value'],
  ])('rejects %j: %s', (raw, reason) => {
    expect(normalizeDob(raw)).toEqual({ ok: false, reason });
  });

  it('rejects dates after today when told the date', () => {
    expect(normalizeDob('2030-01-01', { today: '20260115' })).toEqual({
      ok: false,
      reason: 'not a date of birth: date is in the future',
    });
    expect(normalizeDob('2026-01-15', { today: '20260115' })).toEqual({ ok: true, value: '20260115' });
  });

  it('lets the year floor be moved', () => {
    expect(normalizeDob('1890-01-01', { minYear: 1850 })).toEqual({ ok: true, value: '18900101' });
  });
});
