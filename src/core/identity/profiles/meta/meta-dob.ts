import type { Normalized } from '../../identifier-kind.js';

/**
 * Meta's `db` rule (facebook/capi-param-builder, dobUtil): the digit groups of the value
 * are read. With three or more, the first three are a date in any order Meta can tell
 * apart — a group above 31 is the year, a group above 12 the day, otherwise year last and
 * month first (so 01/02/1990 is January 2nd) — checked only for a year from 1800 to next
 * year, a month 1-12 and a day 1-31 (Meta does not reject 02/30). A single group of
 * exactly 8 digits is taken as it is. Out: YYYYMMDD.
 *
 * `today` (YYYYMMDD) sets "next year"; without it no upper bound is checked (core never
 * reads the clock).
 *
 * @example
 * ```ts
 * metaDob('1990-05-15'); // { ok: true, value: '19900515' }
 * metaDob('15/05/1990'); // { ok: true, value: '19900515' }
 * metaDob('May 15, 1990'); // { ok: false, ... }: only two digit groups
 * ```
 */
export function metaDob(raw: string, options: { today?: string } = {}): Normalized {
  const groups = raw.match(/\d+/g) ?? [];
  if (groups.length >= 3) {
    const date = readDate(Number.parseInt(groups[0]!, 10), Number.parseInt(groups[1]!, 10), Number.parseInt(groups[2]!, 10), options.today);
    if (date !== undefined) return { ok: true, value: date };
  }
  if (groups.length === 1 && groups[0]!.length === 8) return { ok: true, value: groups[0]! };
  if (raw.trim().length === 0) return { ok: false, reason: 'empty value' };
  if (groups.length >= 3) return { ok: false, reason: 'not a date Meta accepts: a year from 1800 to next year, a month 1-12 and a day 1-31 are needed' };
  return { ok: false, reason: 'not a date Meta reads: it needs three groups of digits (year, month, day) or 8 digits YYYYMMDD' };
}

function readDate(n1: number, n2: number, n3: number, today: string | undefined): string | undefined {
  let year: number;
  let month: number;
  let day: number;
  if (n1 > 31) {
    year = n1;
    [month, day] = n2 > 12 ? [n3, n2] : [n2, n3];
  } else if (n2 > 31) {
    year = n2;
    [month, day] = n3 > 12 ? [n1, n3] : [n3, n1];
  } else {
    year = n3;
    [month, day] = n1 > 12 ? [n2, n1] : [n1, n2];
  }
  const lastYear = today === undefined ? Number.POSITIVE_INFINITY : Number.parseInt(today.slice(0, 4), 10) + 1;
  if (year < 1800 || year > lastYear || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return `${String(year).padStart(4, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
}
