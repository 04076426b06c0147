import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { existingDigest } from '../../src/core/identity/existing-digest.js';
import type { IdentifierKind, Normalized } from '../../src/core/identity/identifier-kind.js';
import type { ProfileName } from '../../src/core/identity/identity-profile.js';
import { getProfile } from '../../src/core/identity/profiles.js';

/** Where a case was published: a repository, a commit and a file (or a documentation page). */
export interface PartnerSource {
  repo?: string;
  commit?: string;
  path?: string;
  url?: string;
}

/** One published case: an input, and what the partner's normaliser makes of it (null: the value is not sent). */
export interface PartnerCase {
  input: string;
  expected: string | null;
  /** Indexes into the file's `sources`. */
  source: number[];
  test?: string;
  /** The hash the partner publishes for the expected value, in the profile's encoding. */
  hash?: string;
  /** Set on a case cleanroom deliberately does not follow, with the reason (docs/identity.md). */
  divergent?: string;
}

export interface PartnerCaseFile {
  profile: ProfileName;
  kind: IdentifierKind;
  /** The date the cases were extracted (YYYYMMDD), for cases that depend on "this year". */
  today?: string;
  /** The default country the partner's cases assume, when a rule needs one. */
  defaultCountry?: string;
  sources: PartnerSource[];
  cases: PartnerCase[];
}

export const PARTNER_CASES_DIR = fileURLToPath(new URL('../fixtures/partner-cases/', import.meta.url));

/** Every fixture file under test/fixtures/partner-cases/<profile>/<kind>.json. */
export function readPartnerCaseFiles(): PartnerCaseFile[] {
  const files: PartnerCaseFile[] = [];
  for (const profile of readdirSync(PARTNER_CASES_DIR).sort()) {
    if (!/^[a-z0-9]+$/.test(profile)) continue;
    for (const name of readdirSync(`${PARTNER_CASES_DIR}${profile}`).sort()) {
      if (name.endsWith('.json')) files.push(JSON.parse(readFileSync(`${PARTNER_CASES_DIR}${profile}/${name}`, 'utf8')) as PartnerCaseFile);
    }
  }
  return files;
}

/** What cleanroom makes of a value under a profile, as `cleanroom normalize` and `prepare` do: an existing digest passes through, anything else is normalised. */
export function cleanroomNormalize(file: Pick<PartnerCaseFile, 'profile' | 'kind' | 'today' | 'defaultCountry'>, input: string): Normalized {
  const profile = getProfile(file.profile);
  const digest = existingDigest(input, profile.hashEncoding);
  if (digest !== undefined) return { ok: true, value: digest };
  return profile.normalize(file.kind, input, { defaultCountry: file.defaultCountry ?? 'US', ...(file.today === undefined ? {} : { today: file.today }) });
}

/** The expected value as cleanroom writes it: a hex digest lower-cased (the partners lower-case digests before sending). */
export function expectedValue(expected: string | null): string | null {
  return expected !== null && /^[0-9a-fA-F]{64}$/.test(expected) ? expected.toLowerCase() : expected;
}

/** True when cleanroom's result is the partner's. */
export function agrees(result: Normalized, expected: string | null): boolean {
  const want = expectedValue(expected);
  return want === null ? !result.ok : result.ok && result.value === want;
}
