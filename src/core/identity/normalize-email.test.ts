import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './normalize-email.js';

const GMAIL = { gmailDomains: ['gmail.com', 'googlemail.com'] };

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  John_Smith@Example.COM ')).toEqual({ ok: true, value: 'john_smith@example.com' });
  });

  it('removes NBSP, zero-width characters and whitespace inside the address', () => {
    expect(normalizeEmail('\u00a0john @ example.com\u200b')).toEqual({ ok: true, value: 'john@example.com' });
  });

  it('keeps dots and +tags for non-Gmail domains even with the Gmail rule on', () => {
    expect(normalizeEmail('User.Name+NYC@Example.com', GMAIL)).toEqual({ ok: true, value: 'user.name+nyc@example.com' });
  });

  it('keeps Gmail dots and +tags when no Gmail rule is given', () => {
    expect(normalizeEmail('John.Smith+x@gmail.com')).toEqual({ ok: true, value: 'john.smith+x@gmail.com' });
  });

  it('removes dots and the +tag before @ for Gmail domains', () => {
    expect(normalizeEmail('Cloudy.SanFrancisco+shopping@gmail.com', GMAIL)).toEqual({
      ok: true,
      value: 'cloudysanfrancisco@gmail.com',
    });
    expect(normalizeEmail('j.o.h.n@googlemail.com', GMAIL)).toEqual({ ok: true, value: 'john@googlemail.com' });
  });

  it('writes googlemail.com as gmail.com when merging', () => {
    expect(normalizeEmail('john.smith@googlemail.com', { ...GMAIL, mergeGooglemail: true })).toEqual({
      ok: true,
      value: 'johnsmith@gmail.com',
    });
  });

  it('applies the Gmail rule only to the listed domains', () => {
    expect(normalizeEmail('a.b+c@googlemail.com', { gmailDomains: ['gmail.com'] })).toEqual({
      ok: true,
      value: 'a.b+c@googlemail.com',
    });
  });

  it('composes to NFC and lower-cases non-ASCII letters', () => {
    expect(normalizeEmail('JOSE\u0301@Example.com')).toEqual({ ok: true, value: 'jos\u00e9@example.com' });
  });

  it('accepts internationalised and punycode domains', () => {
    expect(normalizeEmail('a@bücher.de').ok).toBe(true);
    expect(normalizeEmail('a@xn--bcher-kva.de').ok).toBe(true);
  });

  it.each([
    ['', 'empty value'],
    [' \u00a0 ', 'empty value'],
    ['john.smith', "not an email address: no '@'"],
    ['a@b@example.com', "not an email address: more than one '@'"],
    ['@example.com', "not an email address: nothing before '@'"],
    ['john@', "not an email address: nothing after '@'"],
    ['john@localhost', "not an email address: the part after '@' is not a domain name"],
    ['john@example..com', "not an email address: the part after '@' is not a domain name"],
    ['john@-example.com', "not an email address: the part after '@' is not a domain name"],
    ['john@example.c0m', "not an email address: the part after '@' is not a domain name"],
    ['jo<hn>@example.com', "not an email address: a character before '@' is not allowed unquoted"],
    [`${'a'.repeat(65)}@example.com`, "not an email address: more than 64 characters before '@'"],
    [`a@${'b'.repeat(250)}.com`, 'not an email address: longer than 254 characters'],
  ])('rejects %j: %s', (raw, reason) => {
    expect(normalizeEmail(raw)).toEqual({ ok: false, reason });
  });

  it('rejects a Gmail address that is only a +tag', () => {
    expect(normalizeEmail('+news@gmail.com', GMAIL)).toEqual({
      ok: false,
      reason: "not an email address: nothing before '@' once Gmail dots and '+tag' are removed",
    });
  });

  it('never repeats the value in a reason', () => {
    const result = normalizeEmail('secret.person@nowhere');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).not.toContain('secret');
  });
});
