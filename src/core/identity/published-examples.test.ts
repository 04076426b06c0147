/**
 * Every profile against the worked examples its partner publishes: raw input → the
 * normalised value the partner shows → the hash the partner shows. Each hash below was
 * also recomputed independently (`printf '%s' VALUE | sha256sum`, `| xxd -r -p | base64`).
 * Where a partner publishes no hash, the hash is marked DERIVED: computed by us that way,
 * not quoted from the partner.
 */
import { describe, expect, it } from 'vitest';
import { createHasher } from './hash-identifier.js';
import type { IdentifierKind } from './identifier-kind.js';
import type { ProfileName } from './identity-profile.js';
import { getProfile } from './profiles.js';

interface Example {
  kind: IdentifierKind;
  input: string;
  normalized: string;
  hash?: string;
  country?: string;
}

function prepare(profileName: ProfileName, example: Example): { normalized: string; hash: string } {
  const profile = getProfile(profileName);
  const result = profile.normalize(example.kind, example.input, { defaultCountry: example.country ?? 'US' });
  if (!result.ok) throw new Error(`${example.input}: ${result.reason}`);
  const hash = createHasher({ scheme: 'sha256', encoding: profile.hashEncoding }).hash(result.value);
  return { normalized: result.value, hash };
}

function checkAll(profile: ProfileName, examples: readonly Example[]): void {
  it.each(examples.map((e) => [e.kind, e.input, e] as const))('%s %j', (_kind, _input, example) => {
    const got = prepare(profile, example);
    expect(got.normalized).toBe(example.normalized);
    if (example.hash !== undefined) expect(got.hash).toBe(example.hash);
  });
}

describe('meta profile, Meta Conversions API customer information parameters', () => {
  // https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters
  checkAll('meta', [
    { kind: 'email', input: 'John_Smith@gmail.com', normalized: 'john_smith@gmail.com', hash: '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f' },
    // The page writes (650)555-1212 as 16505551212, a country code the value does not hold; Meta's
    // own Parameter Builder keeps the digits as written ('(555) 123-4567' -> '5551234567', its
    // phoneUtil tests), and cleanroom follows the SDK (docs/identity.md): the page's output comes
    // from the number written with its country code, as Meta asks.
    { kind: 'phone', input: '1 (650)555-1212', normalized: '16505551212', hash: 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176' },
    { kind: 'first_name', input: 'Mary', normalized: 'mary', hash: '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec' },
    { kind: 'first_name', input: '정', normalized: '정', hash: '8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14' },
    { kind: 'first_name', input: 'Valéry', normalized: 'valéry', hash: '08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c' },
    // Same page, "See First Name (fn) for examples".
    { kind: 'last_name', input: 'Valéry', normalized: 'valéry', hash: '08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c' },
    // Same page (db and country rows, read through a quotation of the page; hashes recomputed by us).
    { kind: 'dob', input: '2/16/1997', normalized: '19970216', hash: '01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c' },
    { kind: 'country', input: 'United States', normalized: 'us', hash: '79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621' },
    // Same page, normalised forms shown without hashes.
    { kind: 'zip', input: '94035', normalized: '94035' },
    { kind: 'zip', input: '1987', normalized: '1987', country: 'AU' },
    { kind: 'zip', input: '75018', normalized: '75018', country: 'FR' },
    // The page writes the UK code without its space (m11ae); the Parameter Builder keeps the
    // code as written ('K1A 0A6' -> 'k1a 0a6', its zipCodeUtil tests) and cleanroom follows the SDK.
    { kind: 'zip', input: 'M11AE', normalized: 'm11ae', country: 'GB' },
    { kind: 'zip', input: 'M1 1AE', normalized: 'm1 1ae', country: 'GB' },
    { kind: 'city', input: 'Paris', normalized: 'paris' },
    { kind: 'city', input: 'London', normalized: 'london' },
    { kind: 'city', input: 'New York', normalized: 'newyork' },
    { kind: 'state', input: 'Arizona', normalized: 'az' },
    { kind: 'state', input: 'CA', normalized: 'ca' },
    { kind: 'gender', input: 'Female', normalized: 'f' },
    { kind: 'gender', input: 'Male', normalized: 'm' },
  ]);
});

describe('google profile, Google Data Manager API user data formatting', () => {
  // https://developers.google.com/data-manager/api/devguides/concepts/formatting
  // Google shows normalised values but no hashes: every hash here is DERIVED (sha256sum).
  checkAll('google', [
    { kind: 'email', input: 'cloudy.sanfrancisco+shopping@gmail.com', normalized: 'cloudysanfrancisco@gmail.com', hash: '223ebda6f6889b1494551ba902d9d381daf2f642bae055888e96343d53e9f9c4' },
    { kind: 'email', input: 'user.name+NYC@Example.com', normalized: 'user.name+nyc@example.com', hash: 'f109a2a632fbcea5fc82049f50beed3d8621bf9034399f437fb622222acccdac' },
    { kind: 'phone', input: '(800)555-0100', normalized: '+18005550100', hash: 'fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30' },
  ]);
});

describe('uid2 profile, UID2 normalization and encoding', () => {
  // https://unifiedid.com/docs/getting-started/gs-normalization-encoding
  // (source: github.com/IABTechLab/uid2docs, docs/getting-started/gs-normalization-encoding.md)
  checkAll('uid2', [
    { kind: 'email', input: 'user@example.com', normalized: 'user@example.com', hash: 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=' },
    { kind: 'email', input: 'MyEmail@example.com', normalized: 'myemail@example.com', hash: 'FsGNM28LJQ8OLZB0Us65ZYp07NrovJSGTCMSKnLMJ6U=' },
    { kind: 'email', input: 'MYEMAIL@example.com', normalized: 'myemail@example.com', hash: 'FsGNM28LJQ8OLZB0Us65ZYp07NrovJSGTCMSKnLMJ6U=' },
    { kind: 'email', input: 'My.Email@example.com', normalized: 'my.email@example.com', hash: '4itTvG+HEnTzpiqzejyu1yFPwU1nYhWpaiQvz62hyB8=' },
    { kind: 'email', input: 'JANESAOIRSE@example.com', normalized: 'janesaoirse@example.com', hash: '1mcOepIAfxtf94Xx/IHlOqbT170GvfXEc83HKGwoS20=' },
    { kind: 'email', input: 'JaneSaoirse@example.com', normalized: 'janesaoirse@example.com', hash: '1mcOepIAfxtf94Xx/IHlOqbT170GvfXEc83HKGwoS20=' },
    { kind: 'email', input: 'jane.saoirse@example.com', normalized: 'jane.saoirse@example.com', hash: 'sZZDLHuYmiypHIN5mVfFFdpT5sE6vyC3j+qU8RfpC/g=' },
    { kind: 'email', input: 'Jane.Saoirse@example.com', normalized: 'jane.saoirse@example.com', hash: 'sZZDLHuYmiypHIN5mVfFFdpT5sE6vyC3j+qU8RfpC/g=' },
    { kind: 'email', input: 'JaneSaoirse+Work@example.com', normalized: 'janesaoirse+work@example.com', hash: 'KKruSBUjDNO069iMUVImVQZm6RrAGZKeOtrD9mwogYA=' },
    { kind: 'email', input: 'JANE.SAOIRSE@gmail.com', normalized: 'janesaoirse@gmail.com', hash: 'ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8=' },
    { kind: 'email', input: 'Jane.Saoirse@gmail.com', normalized: 'janesaoirse@gmail.com', hash: 'ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8=' },
    { kind: 'email', input: 'JaneSaoirse+Work@gmail.com', normalized: 'janesaoirse@gmail.com', hash: 'ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8=' },
    { kind: 'email', input: 'JANESaoirse@gmail.com', normalized: 'janesaoirse@gmail.com', hash: 'ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8=' },
    { kind: 'phone', input: '+12345678901', normalized: '+12345678901', hash: 'EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4=' },
    { kind: 'phone', input: '1 (234) 567-8901', normalized: '+12345678901', hash: 'EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4=' },
    // The page's Sydney example; its hash is DERIVED (sha256sum), UID2 shows none.
    { kind: 'phone', input: '(02) 1234 5678', normalized: '+61212345678', country: 'AU', hash: 'J24LFuwzgT5ElsjMwcqE40S8VtUoWXFCZgkq+PDSD+c=' },
  ]);

  it('matches the published hash of the un-normalised JANESaoirse@gmail.com only when hashed raw', () => {
    // Same page: hashing without normalising gives VpLXEp5N…, a different UID2.
    const hasher = createHasher({ scheme: 'sha256', encoding: 'base64' });
    expect(hasher.hash('JANESaoirse@gmail.com')).toBe('VpLXEp5N1bj/V1WzjgZsC+FfuYdntAOywSVIO00FD/E=');
    expect(prepare('uid2', { kind: 'email', input: 'JANESaoirse@gmail.com', normalized: '' }).hash).not.toBe(
      'VpLXEp5N1bj/V1WzjgZsC+FfuYdntAOywSVIO00FD/E=',
    );
  });

  it('writes the SHA-256 hex of the published example as the published Base64', () => {
    // Same page: b4c9a289…5514 in hex is tMmiiTI7…VRQ= in Base64.
    const hasher = createHasher({ scheme: 'sha256', encoding: 'base64' });
    expect(hasher.asExistingHash('b4c9a289323b21a01c3e940f150eb9b8c542587f1abfd8f0e1cc1ffc5e475514')).toBe(
      'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=',
    );
  });
});

describe('the same person written two ways', () => {
  it.each(['default', 'google', 'uid2'] as const)('gives one %s hash for John.Smith@GMAIL.com and johnsmith@gmail.com', (profile) => {
    const a = prepare(profile, { kind: 'email', input: 'John.Smith@GMAIL.com ', normalized: 'johnsmith@gmail.com' });
    const b = prepare(profile, { kind: 'email', input: 'johnsmith@gmail.com', normalized: 'johnsmith@gmail.com' });
    expect(a.hash).toBe(b.hash);
    // DERIVED: printf johnsmith@gmail.com | sha256sum
    const hex = '3586de92bb3636d0885a12eff961429a32e4ebd764b96f50d85d016f9338d586';
    expect(a.hash).toBe(profile === 'uid2' ? Buffer.from(hex, 'hex').toString('base64') : hex);
  });

  it('keeps them apart under meta, whose rules have no Gmail step', () => {
    const a = prepare('meta', { kind: 'email', input: 'John.Smith@GMAIL.com ', normalized: 'john.smith@gmail.com' });
    expect(a.normalized).toBe('john.smith@gmail.com');
  });
});
