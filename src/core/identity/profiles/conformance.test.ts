import { describe, expect, it } from 'vitest';
import { hashIdentifier } from '../hash-identifier.js';
import { getProfile } from '../profiles.js';
import { agrees, cleanroomNormalize, expectedValue, readPartnerCaseFiles } from '../../../../test/helpers/partner-cases.js';

// The partners' own published cases (test/fixtures/partner-cases/<profile>/<kind>.json,
// each with the repository, commit and file it came from): a profile must produce what
// the partner's normaliser produces, or the two sides of a collaboration never match.
const files = readPartnerCaseFiles();

describe('partner conformance fixtures', () => {
  it('hold cases for every partner profile', () => {
    expect(new Set(files.map((f) => f.profile))).toEqual(new Set(['google', 'meta', 'uid2']));
    for (const file of files) {
      expect(file.cases.length, `${file.profile}/${file.kind}`).toBeGreaterThan(0);
      for (const c of file.cases) {
        expect(c.source.length, `${file.profile}/${file.kind} ${JSON.stringify(c.input)} has a source`).toBeGreaterThan(0);
        for (const s of c.source) expect(file.sources[s], `source ${s} of ${file.profile}/${file.kind}`).toBeDefined();
      }
    }
  });
});

for (const file of files) {
  describe(`${file.profile} / ${file.kind}`, () => {
    const followed = file.cases.filter((c) => c.divergent === undefined);
    it(`agrees with the partner on all ${followed.length} published cases`, () => {
      const disagreements = followed
        .map((c) => ({ input: c.input, expected: expectedValue(c.expected), got: cleanroomNormalize(file, c.input), source: file.sources[c.source[0]!]?.path ?? file.sources[c.source[0]!]?.url, test: c.test }))
        .filter((d) => !agrees(d.got, d.expected));
      expect(disagreements).toEqual([]);
    });

    const hashed = followed.filter((c) => c.hash !== undefined && c.expected !== null);
    if (hashed.length > 0) {
      it(`hashes to the partner's published hash on ${hashed.length} cases`, () => {
        const encoding = getProfile(file.profile).hashEncoding;
        for (const c of hashed) expect(hashIdentifier(c.expected!, { encoding }), JSON.stringify(c.input)).toBe(c.hash);
      });
    }

    const divergent = file.cases.filter((c) => c.divergent !== undefined);
    if (divergent.length > 0) {
      it(`departs, as documented, on ${divergent.length} cases`, () => {
        for (const c of divergent) expect(agrees(cleanroomNormalize(file, c.input), c.expected), JSON.stringify(c.input)).toBe(false);
      });
    }

    it('never repeats the value in a reason', () => {
      for (const c of file.cases) {
        const result = cleanroomNormalize(file, c.input);
        if (!result.ok && c.input.trim().length >= 12) expect(result.reason.includes(c.input.trim()), JSON.stringify(c.input)).toBe(false);
      }
    });
  });
}
