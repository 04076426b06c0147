/**
 * Double-blind primitives on one core: `@noble/curves` (pure TypeScript, bigint) against
 * `libsodium-wrappers-sumo` (libsodium compiled to WebAssembly), for what a double-blind
 * collaboration does per identifier: hash to ristretto255 (RFC 9380 `hash_to_ristretto255`),
 * multiply by a secret scalar, decode (with validation) and encode. For libsodium,
 * `expand_message_xmd` (SHA-512) comes from `@noble/curves` and the one-way map from
 * `crypto_core_ristretto255_from_hash`; its scalar multiplication decodes, validates and
 * encodes inside the one call, so "decode + multiply + encode" is its only form.
 *
 * Run: `npx tsc -p tsconfig.json && node dist/bench/blind.bench.js [count]`
 *
 * @example
 * ```sh
 * node dist/bench/blind.bench.js 20000
 * ```
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 } from '@noble/hashes/sha2.js';
import sodium from 'libsodium-wrappers-sumo';

const DST = 'cleanroom-v1-double-blind_XMD:SHA-512_R255MAP_RO_';
const ROUNDS = 3;
const count = Number(process.argv[2] ?? 20_000);

function measure(label: string, n: number, work: (i: number) => void): number {
  let best = Infinity;
  for (let round = 0; round <= ROUNDS; round++) {
    const started = performance.now();
    for (let i = 0; i < n; i++) work(i);
    const elapsed = performance.now() - started;
    if (round > 0) best = Math.min(best, elapsed);
  }
  const perSecond = (n / best) * 1000;
  console.log(`${label.padEnd(52)} ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} ops/s`);
  return perSecond;
}

await sodium.ready;
const encoder = new TextEncoder();
const messages = Array.from({ length: count }, (_, i) => encoder.encode(`person${i}@example.com`));
const Point = ristretto255.Point;
const scalar = Point.Fn.fromBytes(sodium.crypto_core_ristretto255_scalar_random());
const scalarBytes = Point.Fn.toBytes(scalar);
const points = messages.map((m) => ristretto255_hasher.hashToCurve(m, { DST }));
const encoded = points.map((p) => p.toBytes());

console.log(`double-blind primitives, ${count} values, best of ${ROUNDS}, one thread`);
console.log('@noble/curves 2.4.0');
const nobleHash = measure('  hashToCurve (encode included)', count, (i) => {
  ristretto255_hasher.hashToCurve(messages[i]!, { DST }).toBytes();
});
const nobleMul = measure('  multiply (bare, decoded point)', count, (i) => {
  points[i]!.multiply(scalar);
});
measure('  decode (validating) + encode', count, (i) => {
  Point.fromBytes(encoded[i]!).toBytes();
});
const nobleBlind = measure('  decode + multiply + encode (one blinding)', count, (i) => {
  Point.fromBytes(encoded[i]!).multiply(scalar).toBytes();
});

console.log('libsodium-wrappers-sumo 0.8.4');
const sodiumHash = measure('  xmd (noble) + crypto_core_ristretto255_from_hash', count, (i) => {
  sodium.crypto_core_ristretto255_from_hash(expand_message_xmd(messages[i]!, DST, 64, sha512));
});
measure('  crypto_core_ristretto255_is_valid_point', count, (i) => {
  sodium.crypto_core_ristretto255_is_valid_point(encoded[i]!);
});
const sodiumBlind = measure('  crypto_scalarmult_ristretto255 (one blinding)', count, (i) => {
  sodium.crypto_scalarmult_ristretto255(scalarBytes, encoded[i]!);
});

const same = sodium.crypto_scalarmult_ristretto255(scalarBytes, encoded[0]!);
const noble0 = points[0]!.multiply(scalar).toBytes();
if (Buffer.compare(Buffer.from(same), Buffer.from(noble0)) !== 0) throw new Error('the two libraries disagree');
console.log('the two libraries agree on hash-to-group and blinding');
console.log(
  `per identifier (hash + blind, then the other side's blind): noble ${Math.round(1 / (1 / nobleHash + 2 / nobleBlind))}/s, ` +
    `libsodium ${Math.round(1 / (1 / sodiumHash + 2 / sodiumBlind))}/s (bare noble multiply ${Math.round(nobleMul)}/s)`,
);

// The party's second blinding on worker threads (the built pool), beside one thread.
const { BlindWorkerPool } = await import('../src/node/blind/blind-pool.js');
const keyFile = new TextEncoder().encode(`cleanroom-blind-key-v1:${Buffer.from(scalarBytes).toString('hex')}`);
const hexes = encoded.map((e) => Buffer.from(e).toString('hex'));
for (const workers of [1, 2]) {
  const pool = new BlindWorkerPool(workers, keyFile);
  await pool.blind(hexes.slice(0, 100), 'warm-up');
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await pool.blind(hexes, 'bench');
    best = Math.min(best, performance.now() - started);
  }
  await pool.close();
  console.log(`${`BlindWorkerPool, ${workers} worker(s), hex in and out, checked`.padEnd(52)} ${Math.round((count / best) * 1000).toLocaleString('en-US').padStart(9)} ops/s`);
}
