import { describe, expect, it } from 'vitest';
import { normalizeExternalId } from './normalize-external-id.js';

describe('normalizeExternalId', () => {
  it('trims and keeps case and inner characters', () => {
    expect(normalizeExternalId('  CUST-00042 ')).toEqual({ ok: true, value: 'CUST-00042' });
    expect(normalizeExternalId('ab 12')).toEqual({ ok: true, value: 'ab 12' });
  });

  it('applies NFC and drops invisible characters', () => {
    expect(normalizeExternalId('\u00a0Jose\u0301-7\u200b')).toEqual({ ok: true, value: 'Jos\u00e9-7' });
  });

  it('rejects empty and over-long values', () => {
    expect(normalizeExternalId(' \u200b ')).toEqual({ ok: false, reason: 'empty value' });
    expect(normalizeExternalId('x'.repeat(257))).toEqual({ ok: false, reason: 'not an id: longer than 256 characters' });
    expect(normalizeExternalId('x'.repeat(256)).ok).toBe(true);
  });
});
