import { describe, expect, it } from 'vitest';
import { USPS_SUFFIXES } from './address/usps-suffixes.js';
import { USPS_UNITS } from './address/usps-units.js';
import { normalizeAddress } from './normalize-address.js';

function value(raw: string): string | undefined {
  const result = normalizeAddress(raw);
  return result.ok ? result.value : undefined;
}

describe('normalizeAddress: Pub. 28 Appendix C1 (street suffixes)', () => {
  it('writes every spelling of every suffix as its standard abbreviation', () => {
    const wrong: string[] = [];
    for (const [name, standard, common] of USPS_SUFFIXES) {
      for (const spelling of [name, standard, ...common]) {
        // MDW is listed under MEADOWS but is MEADOW's standard abbreviation: it stays mdw.
        const expected = spelling === 'MDW' ? 'mdw' : standard.toLowerCase();
        for (const raw of [`123 Oak ${spelling}`, `123 oak ${spelling.toLowerCase()}.`]) {
          const got = value(raw);
          if (got !== `123 oak ${expected}`) wrong.push(`${raw} -> ${got ?? 'rejected'} (expected 123 oak ${expected})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('holds each primary name of the table once', () => {
    expect(USPS_SUFFIXES.length).toBe(206);
    expect(new Set(USPS_SUFFIXES.map(([name]) => name)).size).toBe(206);
  });
});

describe('normalizeAddress: Pub. 28 Appendix C2 (secondary unit designators)', () => {
  it('writes every designator as its standard abbreviation, with its number', () => {
    const wrong: string[] = [];
    for (const [name, standard, needsNumber] of USPS_UNITS) {
      for (const spelling of [name, standard]) {
        const raw = needsNumber ? `123 Oak St ${spelling} 4B` : `123 Oak St ${spelling}`;
        const expected = needsNumber ? `123 oak st ${standard.toLowerCase()} 4b` : `123 oak st ${standard.toLowerCase()}`;
        if (value(raw) !== expected) wrong.push(`${raw} -> ${value(raw) ?? 'rejected'}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(USPS_UNITS.length).toBe(24);
  });

  it('keeps a number after a designator that may stand alone', () => {
    expect(value('321 Park Avenue Penthouse 2')).toBe('321 park ave ph 2');
    expect(value('1 Main St Bldg 3 Suite 200')).toBe('1 main st bldg 3 ste 200');
  });
});

describe('normalizeAddress: spellings that must give one value', () => {
  const groups: string[][] = [
    ['123 North Main Street Apartment 4B', '123 N. Main Str. Apt. 4b', '123 N Main St #4B', '123 n main st, apt #4-b', ' 123  NORTH  MAIN  ST  APT 4B ', '123 N Main St # 4B'],
    ['500 Twenty-Third Avenue Suite 200', '500 Twenty Third Ave Ste 200', '500 23rd Av. Suite 200', '500 23rd Ave Ste. 200', '500 23d Ave Ste 200'],
    ['12 First Street', '12 1st St', '12 FIRST ST.', '12 1st Str'],
    ['7 Main Street Northwest', '7 Main St NW', '7 Main St. N.W.', '7 Main Street North West', '7 Main St North-West'],
    ['40 Elm Boulevard', '40 Elm Blvd', '40 Elm Boul', '40 Elm Boulv.'],
    ['9 Calle José Martí', '9 Calle Jose Marti'],
    ["8 O'Connor Lane", '8 OConnor Ln', '8 O’Connor Ln'],
    ['100 County Road 12', '100 County Rd 12'],
    ['123 Main St 4B', '123 Main St #4B', '123 Main Street Apartment 4B'],
    ['2 One Hundred Twelfth Street', '2 112th St', '2 112th Street'],
    ['45 Oak Meadow Ln Lot 7', '45 Oak Meadow Lane Lot 7'],
  ];
  it.each(groups.map((g) => [g[0]!, g] as const))('%s', (_, group) => {
    const values = group.map(value);
    expect(values[0]).toBeDefined();
    for (const [i, v] of values.entries()) expect(v, group[i]).toBe(values[0]);
  });

  it('writes the documented values', () => {
    expect(value('123 North Main Street Apartment 4B')).toBe('123 n main st apt 4b');
    expect(value('500 Twenty-Third Avenue Suite 200')).toBe('500 23rd ave ste 200');
    expect(value('7 Main Street Northwest')).toBe('7 main st nw');
    expect(value('123 1/2 E Fifth Street')).toBe('123 1/2 e 5th st');
    expect(value('12-34 Thirty First Ave')).toBe('12-34 31st ave');
    expect(value('N123W4567 Main St')).toBe('n123w4567 main st');
  });
});

describe('normalizeAddress: spellings that must stay different', () => {
  const pairs: [string, string][] = [
    ['123 Main St Apt 4B', '123 Main St Apt 4C'],
    ['123 Main St Apt 4B', '123 Main St Ste 4B'],
    ['123 Main St Apt 4B', '123 Main St'],
    ['123 Main St', '125 Main St'],
    ['123 N Main St', '123 Main St N'],
    ['123 N Main St', '123 S Main St'],
    ['123 Main St', '123 Main Ave'],
    ['123 North St', '123 N St'],
    ['12 Meadow Ct', '12 Meadows Ct'],
    ['10 Park Ave', '10 Park Pl'],
    ['12-34 Thirty First Ave', '1234 31st Ave'],
    ['100 County Road 12', '100 County Road Apt 12'],
  ];
  it.each(pairs)('%s vs %s', (a, b) => {
    expect(value(a)).toBeDefined();
    expect(value(b)).toBeDefined();
    expect(value(a)).not.toBe(value(b));
  });
});

describe('normalizeAddress: words that are not what they look like', () => {
  it('keeps a suffix or designator word that is part of the name', () => {
    expect(value('100 W Spring Garden St')).toBe('100 w spring garden st');
    expect(value('123 Front St')).toBe('123 front st');
    expect(value('123 Main St Front')).toBe('123 main st frnt');
    expect(value('12 Key West Ave')).toBe('12 key west ave');
    expect(value('9 Court Street')).toBe('9 court st');
  });

  it('keeps a directional that is the whole street name spelled out', () => {
    expect(value('123 North St')).toBe('123 north st');
    expect(value('123 E North')).toBe('123 e north');
    expect(value('123 N St')).toBe('123 n st');
  });
});

describe('normalizeAddress: values that cannot be a street line', () => {
  it.each([
    ['', 'empty value'],
    [' \u00a0', 'empty value'],
    ['PO Box 123', 'not a street address: a PO box, not a house number and street'],
    ['P.O. Box 5', 'not a street address: a PO box, not a house number and street'],
    ['Post Office Box 77', 'not a street address: a PO box, not a house number and street'],
    ['Box 12', 'not a street address: a PO box, not a house number and street'],
    ['RR 2 Box 152', 'not a street address: a rural route or highway contract box, not a house number and street'],
    ['Springfield', 'not a street address: no house number (a city or a name alone is not a street line)'],
    ['Springfield, IL', 'not a street address: no house number (a city or a name alone is not a street line)'],
    ['Main Street 12', 'not a street address: it does not start with a house number'],
    ['123', 'not a street address: a house number with no street name'],
    ['123 Apt 4', 'not a street address: a house number with no street name'],
    ['123 Main St, Springfield, IL 62701', 'not only a street line: it ends with a state and ZIP code (give city, state and ZIP their own columns)'],
    ['!!!', 'not a street address: no letters or digits'],
    [`1 ${'a'.repeat(300)}`, 'not a street address: longer than 200 characters'],
  ])('%j: %s', (raw, reason) => {
    expect(normalizeAddress(raw)).toEqual({ ok: false, reason });
  });

  it('never repeats the value in a reason', () => {
    const result = normalizeAddress('Springfield Gardens');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).not.toContain('Springfield');
  });
});
