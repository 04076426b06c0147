import { CleanRoomError } from '../../../errors.js';

/**
 * A contribution bound (k or m) as SQL text: a validated template's bounds are whole numbers
 * of at least 1, written as literals because each appears several times; anything else is a
 * bug upstream and is refused.
 *
 * @example
 * ```ts
 * boundLiteral(3, 'maxGroupsPerPerson'); // '3'
 * ```
 */
export function boundLiteral(value: number, name: string): string {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new CleanRoomError('invalid_argument', `Cannot bound contributions with ${name} = ${String(value)}: it must be a whole number of at least 1`);
  }
  return String(value);
}

/**
 * The run's seed as a SQL string literal, for SQL that must carry no placeholders of its own
 * (custom SQL's printed inner SELECT brings its own); only letters, digits, `_` and `-` pass.
 *
 * @example
 * ```ts
 * seedLiteral('0123abcd'); // "'0123abcd'"
 * ```
 */
export function seedLiteral(seed: string): string {
  if (!/^[0-9A-Za-z_-]{1,128}$/.test(seed)) throw new CleanRoomError('invalid_argument', 'Cannot bound contributions: the seed must be 1 to 128 letters, digits, _ or -');
  return `'${seed}'`;
}
