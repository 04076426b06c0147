/**
 * USPS Publication 28, Appendix C2 "Secondary Unit Designators"
 * (https://pe.usps.com/text/pub28/28apc_003.htm): [name, standard abbreviation, whether a
 * secondary range (a unit number) must follow]. Pub. 28 prefers the designator to '#';
 * cleanroom reads a bare '#' as APT (see {@link POUND_SIGN_UNIT}).
 *
 * @example
 * ```ts
 * USPS_UNITS.find(([name]) => name === 'SUITE'); // ['SUITE', 'STE', true]
 * ```
 */
export const USPS_UNITS: readonly (readonly [name: string, standard: string, needsNumber: boolean])[] = Object.freeze([
  ['APARTMENT', 'APT', true],
  ['BASEMENT', 'BSMT', false],
  ['BUILDING', 'BLDG', true],
  ['DEPARTMENT', 'DEPT', true],
  ['FLOOR', 'FL', true],
  ['FRONT', 'FRNT', false],
  ['HANGAR', 'HNGR', true],
  ['KEY', 'KEY', true],
  ['LOBBY', 'LBBY', false],
  ['LOT', 'LOT', true],
  ['LOWER', 'LOWR', false],
  ['OFFICE', 'OFC', false],
  ['PENTHOUSE', 'PH', false],
  ['PIER', 'PIER', true],
  ['REAR', 'REAR', false],
  ['ROOM', 'RM', true],
  ['SIDE', 'SIDE', false],
  ['SLIP', 'SLIP', true],
  ['SPACE', 'SPC', true],
  ['STOP', 'STOP', true],
  ['SUITE', 'STE', true],
  ['TRAILER', 'TRLR', true],
  ['UNIT', 'UNIT', true],
  ['UPPER', 'UPPR', false],
] as const);

/**
 * The designator a bare '#' stands for: "#4B" is written "apt 4b", the most common
 * meaning of a pound sign in a residential file.
 *
 * @example
 * ```ts
 * POUND_SIGN_UNIT; // 'apt'
 * ```
 */
export const POUND_SIGN_UNIT = 'apt';

/** Spellings seen in files that Appendix C2 does not list, to their designator. */
const EXTRA_SPELLINGS: Readonly<Record<string, string>> = { appt: 'apt', aptmt: 'apt', bld: 'bldg', flr: 'fl' };

/**
 * Every designator spelling (Appendix C2 names and standard abbreviations, and the few
 * {@link EXTRA_SPELLINGS}), lower-case, to its standard abbreviation and whether a number
 * must follow.
 *
 * @example
 * ```ts
 * UNIT_LOOKUP.get('apartment'); // { standard: 'apt', needsNumber: true }
 * UNIT_LOOKUP.get('penthouse'); // { standard: 'ph', needsNumber: false }
 * ```
 */
export const UNIT_LOOKUP: ReadonlyMap<string, { standard: string; needsNumber: boolean }> = buildLookup();

function buildLookup(): Map<string, { standard: string; needsNumber: boolean }> {
  const lookup = new Map<string, { standard: string; needsNumber: boolean }>();
  const byStandard = new Map<string, boolean>();
  for (const [name, standard, needsNumber] of USPS_UNITS) {
    const entry = { standard: standard.toLowerCase(), needsNumber };
    lookup.set(name.toLowerCase(), entry);
    lookup.set(standard.toLowerCase(), entry);
    byStandard.set(entry.standard, needsNumber);
  }
  for (const [spelling, standard] of Object.entries(EXTRA_SPELLINGS)) {
    lookup.set(spelling, { standard, needsNumber: byStandard.get(standard) ?? true });
  }
  return lookup;
}
