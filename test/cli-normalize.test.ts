import { createHash, createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCleanroom, tempDir } from './helpers/run-cleanroom.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('cleanroom normalize', () => {
  it('writes exactly one line per input line, empty where invalid', async () => {
    const r = await runCleanroom(['normalize', 'email'], { stdin: ' John.Smith@Example.COM \nnot-an-email\n\nmary@example.org\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('john.smith@example.com\n\n\nmary@example.org\n');
  });

  it('makes the same person written two ways identical', async () => {
    const email = await runCleanroom(['normalize', 'email'], { stdin: 'John.Smith@GMAIL.com \njohnsmith@gmail.com\n' });
    const [a, b] = email.stdout.split('\n');
    expect(a).toBe(b);
    const phone = await runCleanroom(['normalize', 'phone', '--country', 'US'], { stdin: '(650) 555-1212\n+1 650 555 1212\n' });
    expect(phone.stdout).toBe('+16505551212\n+16505551212\n');
  });

  it('normalises street lines by USPS Pub. 28 and says why a PO box is not one', async () => {
    const r = await runCleanroom(['normalize', 'address', '--json'], { stdin: '123 North Main Street, Apartment 4B\n123 n. main str. #4b\nPO Box 12\n' });
    const [a, b, box] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ normalized: '123 n main st apt 4b', error: null });
    expect(b).toMatchObject({ normalized: '123 n main st apt 4b', error: null });
    expect(box).toMatchObject({ normalized: null, error: 'not a street address: a PO box, not a house number and street' });
    const hashed = await runCleanroom(['normalize', 'address', '--hash', 'sha256'], { stdin: '500 Twenty-Third Ave Suite 200\n' });
    expect(hashed.stdout).toBe(`${createHash('sha256').update('500 23rd ave ste 200').digest('hex')}\n`);
  });

  it('hashes with --hash sha256 and explains failures with --json', async () => {
    const r = await runCleanroom(['normalize', 'email', '--hash', 'sha256', '--json'], { stdin: 'Mary@Example.org\nbroken@\n' });
    const [ok, bad] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(ok).toEqual({ input: 'Mary@Example.org', normalized: 'mary@example.org', hash: sha('mary@example.org'), existingDigest: false, error: null });
    expect(bad).toMatchObject({ input: 'broken@', normalized: null, hash: null });
    expect(typeof bad?.error).toBe('string');
  });

  it('passes an existing SHA-256 through, lower-cased, never hashing it twice', async () => {
    const h = sha('mary@example.org');
    const r = await runCleanroom(['normalize', 'email', '--hash', 'sha256'], { stdin: `${h.toUpperCase()}\n` });
    expect(r.stdout).toBe(`${h}\n`);
  });

  it('passes an existing SHA-256 through without --hash too, as prepare does; an MD5 is a value like any other', async () => {
    const h = sha('mary@example.org');
    const md5 = createHash('md5').update('mary@example.org').digest('hex');
    const r = await runCleanroom(['normalize', 'email', '--json'], { stdin: `  ${h.toUpperCase()} \n${md5}\n` });
    const [digest, notDigest] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(digest).toEqual({ input: `  ${h.toUpperCase()} `, normalized: h, hash: null, existingDigest: true, error: null });
    expect(notDigest).toMatchObject({ normalized: null, existingDigest: false });
    expect(typeof notDigest?.error).toBe('string');
  });

  it('re-keys with --hash hmac and a key file', async () => {
    const dir = tempDir();
    const keyFile = join(dir, 'key.txt');
    const key = 'ab'.repeat(32);
    writeFileSync(keyFile, `${key}\n`);
    const r = await runCleanroom(['normalize', 'email', '--hash', 'hmac', '--key-file', keyFile], { stdin: 'mary@example.org\n' });
    const expected = createHmac('sha256', Buffer.from(key, 'hex')).update(createHash('sha256').update('mary@example.org').digest()).digest('hex');
    expect(r.stdout).toBe(`${expected}\n`);
  });

  it('uses the profile hash encoding (uid2: Base64)', async () => {
    const r = await runCleanroom(['normalize', 'email', '--profile', 'uid2', '--hash', 'sha256'], { stdin: 'user@example.com\n' });
    expect(r.stdout).toBe(`${createHash('sha256').update('user@example.com').digest('base64')}\n`);
  });

  it('refuses an unknown kind, profile or missing key with a usage exit code', async () => {
    const kind = await runCleanroom(['normalize', 'ssn']);
    expect(kind.code).toBe(64);
    expect(kind.stderr).toContain("Cannot normalize kind 'ssn'");
    const profile = await runCleanroom(['normalize', 'email', '--profile', 'acme']);
    expect(profile.code).toBe(64);
    expect(profile.stderr).toContain('known profiles are default, meta, google, uid2');
    const hmac = await runCleanroom(['normalize', 'email', '--hash', 'hmac']);
    expect(hmac.code).toBe(64);
    expect(hmac.stderr).toContain('--key-file');
  });

  it('refuses a key file that is too short, naming it', async () => {
    const dir = tempDir();
    const keyFile = join(dir, 'short.key');
    writeFileSync(keyFile, 'abcd\n');
    const r = await runCleanroom(['normalize', 'email', '--hash', 'hmac', '--key-file', keyFile], { stdin: 'a@b.co\n' });
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(keyFile);
  });
});
