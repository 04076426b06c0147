import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { blind, blindReady, hashToGroup, readBlindKey, toHex } from '../src/core/identity/blind/index.js';
import { runCleanroom, tempDir } from './helpers/run-cleanroom.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

beforeAll(blindReady);

async function keygen(dir: string, name = 'blind.key') {
  const path = join(dir, name);
  const result = await runCleanroom(['keygen', '--blind', '--output', path]);
  return { path, result };
}

describe('cleanroom keygen --blind', () => {
  it('writes one secret blind key, readable by its owner only, and refuses to overwrite it', async () => {
    const dir = tempDir();
    const { path, result } = await keygen(dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/secret blind key.*share it with no one/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^cleanroom-blind-key-v1:[0-9a-f]{64}\n$/);
    expect(() => readBlindKey(readFileSync(path))).not.toThrow();
    const again = await runCleanroom(['keygen', '--blind', '--output', path]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('it already exists');
  });
});

describe('cleanroom prepare --hash blind', () => {
  const csv = ['E-mail,Mobile,store', 'Jane.Doe@Example.com,(650) 555-1212,north', 'bob@example.org,,south', `${digest('ann@example.com').toString('hex')},,east`].join('\n');

  async function prepareBlind(workers: string, keyPath: string, dir: string) {
    const input = join(dir, `in-${workers}.csv`);
    const output = join(dir, `out-${workers}.csv`);
    writeFileSync(input, csv);
    const result = await runCleanroom(['prepare', '--input', input, '--output', output, '--hash', 'blind', '--key-file', keyPath, '--workers', workers, '--json']);
    return { result, output: existsSync(output) ? readFileSync(output, 'utf8') : undefined };
  }

  it('blinds each identifier with the party key, the same with and without worker threads, digests included', async () => {
    const dir = tempDir();
    const { path } = await keygen(dir);
    const key = readBlindKey(readFileSync(path));
    const expected = (normalised: string) => toHex(blind(hashToGroup(digest(normalised)), key));
    const inline = await prepareBlind('0', path, dir);
    expect(inline.result.code, inline.result.stderr).toBe(0);
    const lines = inline.output!.trim().split('\n');
    expect(lines[0]).toBe('email,phone,store');
    expect(lines[1]).toBe(`${expected('jane.doe@example.com')},${expected('+16505551212')},north`);
    expect(lines[2]).toBe(`${expected('bob@example.org')},,south`);
    // A party that holds only the SHA-256 digest gets the value the raw e-mail gives.
    expect(lines[3]).toBe(`${expected('ann@example.com')},,east`);
    expect(inline.output).not.toContain(digest('jane.doe@example.com').toString('hex'));
    expect(JSON.parse(inline.result.stdout).hash).toEqual({ scheme: 'blind', encoding: 'hex' });
    const threaded = await prepareBlind('2', path, dir);
    expect(threaded.result.code, threaded.result.stderr).toBe(0);
    expect(threaded.output).toBe(inline.output);
  });

  it('refuses an HMAC key, and a missing key, with what to do', async () => {
    const dir = tempDir();
    const hmac = join(dir, 'hmac.key');
    expect((await runCleanroom(['keygen', '--output', hmac])).code).toBe(0);
    const wrong = await prepareBlind('0', hmac, dir);
    expect(wrong.result.code).not.toBe(0);
    expect(wrong.result.stderr).toMatch(/Cannot use key file as blind key: .*keygen --blind.*\(key file .*hmac\.key\)/);
    expect(wrong.output).toBeUndefined();
    const input = join(dir, 'in.csv');
    writeFileSync(input, csv);
    const none = await runCleanroom(['prepare', '--input', input, '--output', join(dir, 'x.csv'), '--hash', 'blind']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('Cannot blind identifiers: no key given (use --key-file)');
  });
});
