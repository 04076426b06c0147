import { CleanRoomError } from '../errors.js';

/**
 * The canonical JSON text of a value, the input of every content hash in cleanroom
 * (template digests, audit event hashes, result digests): object keys sorted recursively
 * by UTF-16 code units, no whitespace, strings and numbers written as `JSON.stringify`
 * writes them. For the values it accepts this is RFC 8785 (JCS) output.
 *
 * Accepts only JSON: plain objects (with or without a prototype), arrays, strings, finite
 * numbers, booleans and null. Object properties whose value is `undefined` are left out,
 * as `JSON.stringify` does, so a value hashes the same before and after a JSON round trip.
 * Anything else (NaN, Infinity, bigint, Date, Map, `undefined` in an array, …) throws a
 * CleanRoomError `invalid_argument` naming its path.
 *
 * @example
 * ```ts
 * canonicalJson({ b: [1, 'x'], a: { d: null, c: true } }); // '{"a":{"c":true,"d":null},"b":[1,"x"]}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return JSON.stringify(value);
    throw notJson(path, String(value));
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => (item === undefined ? fail(path, index) : write(item, `${path}[${index}]`))).join(',')}]`;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    const record = value as Record<string, unknown>;
    const fields = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`)}`);
    return `{${fields.join(',')}}`;
  }
  throw notJson(path, typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value);
}

function fail(path: string, index: number): never {
  throw notJson(`${path}[${index}]`, 'undefined');
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function notJson(path: string, found: string): CleanRoomError {
  return new CleanRoomError('invalid_argument', `Cannot write ${path} as canonical JSON: current value is ${found}, not a JSON value`, {
    details: { path },
  });
}
