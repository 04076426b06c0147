import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { blindReady, fromHex, newBlindKey, toHex } from '../src/core/identity/blind/index.js';
import type { BlindKey } from '../src/core/identity/blind/index.js';
import { createBlindHasher } from '../src/core/identity/blind/blind-hasher.js';
import { acceptBlinded, blindAnswer, buildBatch, keyCheck } from '../src/core/identity/blind/exchange/index.js';
import type { IdentifierKind } from '../src/core/identity/identifier-kind.js';
import { getProfile } from '../src/core/identity/profiles.js';

const sha256 = (text: string): Uint8Array => createHash('sha256').update(text).digest();

// ../shared/truth (MANIFEST.md §3): the published PSI examples, matched double-blind through
// the exchange (both sides' prepare, batches with canaries, the other side's blinding).
const TRUTH = resolve(import.meta.dirname, '../../shared/truth');
const lines = (path: string) => readFileSync(join(TRUTH, path), 'utf8').trim().split('\n');
const profile = getProfile('default');
const normalise = (kind: IdentifierKind, raw: string) => {
  const result = profile.normalize(kind, raw, { defaultCountry: 'US' });
  if (!result.ok) throw new Error(`${raw}: ${result.reason}`);
  return result.value;
};

beforeAll(blindReady);

/** One side's doubly blinded values, as the room would hold them after the exchange. */
function doublyBlinded(kind: IdentifierKind, raws: readonly string[], own: BlindKey, other: BlindKey, batchSize: number): string[] {
  const hasher = createBlindHasher(own, { sha256 });
  const singles = raws.map((raw) => fromHex(hasher.hash(normalise(kind, raw)))!);
  const total = Math.ceil(singles.length / batchSize);
  const doubles: string[] = [];
  for (let index = 0; index < total; index++) {
    const ref = { collaboration: 'c_psi', dataset: kind, version: 1, index };
    const { batch, pending } = buildBatch(ref, singles.slice(index * batchSize, (index + 1) * batchSize), { keyCheck: keyCheck(other), total });
    doubles.push(...acceptBlinded(pending, blindAnswer(batch, other)).map(toHex));
  }
  return doubles;
}

function intersectionSum(kind: IdentifierKind, serverKeys: string[], clientRows: string[], protect: (side: 'server' | 'client', raws: string[]) => string[]) {
  const server = new Set(protect('server', serverKeys));
  const clientKeys = clientRows.map((row) => row.split(',')[0]!);
  const client = protect('client', clientKeys);
  let size = 0;
  let sum = 0;
  client.forEach((value, i) => {
    if (server.has(value)) {
      size++;
      sum += Number(clientRows[i]!.split(',')[1]);
    }
  });
  return { size, sum };
}

const cases: { name: string; kind: IdentifierKind; server: () => string[]; client: () => string[]; expected: { size: number; sum: number } }[] = [
  {
    name: 'private-join-and-compute README',
    kind: 'external_id',
    server: () => lines('private-join-and-compute/readme_example/server_data.csv'),
    client: () => lines('private-join-and-compute/readme_example/client_data.csv'),
    expected: { size: 2, sum: 40 },
  },
  {
    name: 'Private-ID PJC example (derived)',
    kind: 'email',
    server: () => lines('Private-ID/etc/example/pjc_company.csv').map((l) => l.split(',')[0]!),
    client: () => lines('Private-ID/etc/example/pjc_partner.csv'),
    expected: { size: 3, sum: 70 },
  },
];

describe('published PSI examples, matched double-blind', () => {
  it.each(cases)('$name: the expected size and sum, equal to the hashed mode\'s', ({ kind, server, client, expected }) => {
    const keys = { server: newBlindKey(), client: newBlindKey() };
    const hashed = intersectionSum(kind, server(), client(), (_, raws) => raws.map((raw) => createHash('sha256').update(normalise(kind, raw)).digest('hex')));
    // Batches of 1 and 3: the result does not depend on how the upload is cut.
    for (const batchSize of [1, 3]) {
      const blinded = intersectionSum(kind, server(), client(), (side, raws) => doublyBlinded(kind, raws, keys[side], keys[side === 'server' ? 'client' : 'server'], batchSize));
      expect(blinded).toEqual(expected);
      expect(blinded).toEqual(hashed);
    }
  });
});
