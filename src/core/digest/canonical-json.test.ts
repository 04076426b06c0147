import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys recursively and writes no whitespace', () => {
    expect(canonicalJson({ b: [1, { z: 1, a: 2 }], a: { d: null, c: true } })).toBe('{"a":{"c":true,"d":null},"b":[1,{"a":2,"z":1}]}');
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 does', () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '1': 4 })).toBe('{"1":4,"Z":3,"z":2,"é":1}');
  });

  it('writes strings and numbers as JSON.stringify does', () => {
    expect(canonicalJson(['a"b\n', 1e21, 0.1, -0, 1.5e-7])).toBe('["a\\"b\\n",1e+21,0.1,0,1.5e-7]');
  });

  it('leaves out properties whose value is undefined, so a JSON round trip hashes the same', () => {
    const value = { a: 1, b: undefined };
    expect(canonicalJson(value)).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
  });

  it('accepts objects without a prototype', () => {
    expect(canonicalJson(Object.assign(Object.create(null), { b: 1, a: 2 }))).toBe('{"a":2,"b":1}');
  });

  it.each([
    ['NaN', { a: Number.NaN }, '$.a'],
    ['Infinity', [Number.POSITIVE_INFINITY], '$[0]'],
    ['a Date', { at: new Date(0) }, '$.at'],
    ['a Map', { m: new Map() }, '$.m'],
    ['undefined in an array', [1, undefined], '$[1]'],
    ['a bigint', { n: 1n }, '$.n'],
  ])('refuses %s, naming its path', (_, value, path) => {
    expect(() => canonicalJson(value)).toThrow(CleanRoomError);
    try {
      canonicalJson(value);
    } catch (error) {
      expect((error as CleanRoomError).code).toBe('invalid_argument');
      expect((error as CleanRoomError).details).toEqual({ path });
    }
  });
});
