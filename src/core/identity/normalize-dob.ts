import { cleanText } from './clean-text.js';
import type { Normalized } from './identifier-kind.js';

/** Options of {@link normalizeDob}. */
export interface NormalizeDobOptions {
  /**
   * How to read an all-numeric date with the year last, "05/03/1985": 'mdy' (US, the
   * default) or 'dmy'. A date that can only be read one way ("25/03/1985") is read that
   * way whatever this says. "DD.MM.YYYY" (dots) is always day first.
   */
  dateOrder?: 'mdy' | 'dmy';
  /**
   * Today's date, YYYYMMDD, in the caller's calendar: a later date of birth is invalid.
   * Core never reads the clock; without it, only the year floor is checked.
   */
  today?: string;
  /** Earliest accepted year. Default 1900 (Meta's floor). */
  minYear?: number;
}

const YMD = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t\s].*)?$/;
const YMD_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const NUMERIC_YEAR_LAST = /^(\d{1,2})[-/\s](\d{1,2})[-/\s](\d{2}|\d{4})$/;
const DOTTED_DMY = /^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{2}|\d{4})$/;
/** "March 5, 1985", "Mar 5 1985", "Mar. 5th, 1985" */
const MONTH_DAY_YEAR = /^([a-z]+)\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{2}|\d{4})$/;
/** "5 March 1985", "05-MAR-1985", "5th of March, 1985" */
const DAY_MONTH_YEAR = /^(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{2}|\d{4})$/;
const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5,
  jun: 6, june: 6, jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9,
  oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const EIGHT_DIGITS = /^\d{8}$/;
/** A time after the date, as spreadsheets and CRMs export it: "3/5/1985 12:00:00 AM". */
const TIME_SUFFIX = /\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?$/;

/**
 * Normalise a date of birth to YYYYMMDD. Accepts YYYY-MM-DD (also with '/' or '.'),
 * YYYYMMDD, MM/DD/YYYY or DD/MM/YYYY (see `dateOrder`),
 * DD.MM.YYYY, and English month names ("March 5, 1985", "5 Mar 1985", "05-MAR-1985"), each
 * optionally followed by a time (ISO "T00:00:00Z" or "12:00:00 AM"), which is ignored.
 * Rejects two-digit years, impossible dates (2023-02-30), years before `minYear` and
 * dates after `today`.
 *
 * @example
 * ```ts
 * normalizeDob('2/16/1997');                        // { ok: true, value: '19970216' }
 * normalizeDob('05/03/1985', { dateOrder: 'dmy' }); // { ok: true, value: '19850305' }
 * normalizeDob('March 5, 1985');                    // { ok: true, value: '19850305' }
 * normalizeDob('2023-02-30');                       // { ok: false, reason: 'not a date: February 2023 has 28 days' }
 * ```
 */
export function normalizeDob(raw: string, options: NormalizeDobOptions = {}): Normalized {
  const { dateOrder = 'mdy', today, minYear = 1900 } = options;
  let text = cleanText(raw).toLowerCase();
  if (text.length === 0) return { ok: false, reason: 'empty value' };
  if (text.includes(':')) text = text.replace(TIME_SUFFIX, '');
  const parts = parseDate(text, dateOrder);
  if (parts === undefined) return { ok: false, reason: 'not a date: unrecognised format' };
  const [yearText, month, day] = parts;
  if (yearText.length !== 4) return { ok: false, reason: 'not a date: a two-digit year is ambiguous' };
  const year = Number(yearText);
  if (month < 1 || month > 12) return { ok: false, reason: 'not a date: month must be 1 to 12' };
  const daysInMonth = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day < 1 || day > daysInMonth) {
    return { ok: false, reason: `not a date: ${MONTH_NAMES[month - 1]} ${year} has ${daysInMonth} days` };
  }
  if (year < minYear) return { ok: false, reason: `not a date of birth: year before ${minYear}` };
  const value = `${yearText}${pad2(month)}${pad2(day)}`;
  if (today !== undefined && EIGHT_DIGITS.test(today) && value > today) {
    return { ok: false, reason: 'not a date of birth: date is in the future' };
  }
  return { ok: true, value };
}

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/** [year as written, month, day], or undefined when the shape is not a known date format. */
function parseDate(text: string, dateOrder: 'mdy' | 'dmy'): [string, number, number] | undefined {
  let m = YMD_COMPACT.exec(text) ?? YMD.exec(text);
  if (m !== null) return [m[1] ?? '', Number(m[2]), Number(m[3])];
  m = DOTTED_DMY.exec(text);
  if (m !== null) return [m[3] ?? '', Number(m[2]), Number(m[1])];
  m = NUMERIC_YEAR_LAST.exec(text);
  if (m !== null) {
    const first = Number(m[1]);
    const second = Number(m[2]);
    // Read the other way round only when the configured order cannot be right.
    const dayFirst = dateOrder === 'dmy' ? !(first <= 12 && second > 12) : first > 12 && second <= 12;
    return dayFirst ? [m[3] ?? '', second, first] : [m[3] ?? '', first, second];
  }
  m = MONTH_DAY_YEAR.exec(text);
  if (m !== null) {
    const month = MONTHS[m[1] ?? ''];
    return month === undefined ? undefined : [m[3] ?? '', month, Number(m[2])];
  }
  m = DAY_MONTH_YEAR.exec(text);
  if (m !== null) {
    const month = MONTHS[m[2] ?? ''];
    return month === undefined ? undefined : [m[3] ?? '', month, Number(m[1])];
  }
  return undefined;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
