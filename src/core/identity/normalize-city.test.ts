import { describe, expect, it } from 'vitest';
import { normalizeCity } from './normalize-city.js';

describe('normalizeCity', () => {
  it('lower-cases and removes spaces and punctuation', () => {
    expect(normalizeCity(' New York ')).toEqual({ ok: true, value: 'newyork' });
    expect(normalizeCity('St. Louis')).toEqual({ ok: true, value: 'stlouis' });
  });

  it('keeps one space between words when asked', () => {
    expect(normalizeCity('  Winston-Salem  North ', { spaces: 'single' })).toEqual({ ok: true, value: 'winstonsalem north' });
  });

  it('keeps accents unless folding', () => {
    expect(normalizeCity('São Paulo')).toEqual({ ok: true, value: 'sãopaulo' });
    expect(normalizeCity('São Paulo', { foldAccents: true })).toEqual({ ok: true, value: 'saopaulo' });
    expect(normalizeCity('Zürich', { foldAccents: true })).toEqual({ ok: true, value: 'zurich' });
  });

  it('removes digits', () => {
    expect(normalizeCity('Paris 18')).toEqual({ ok: true, value: 'paris' });
  });

  it('rejects empty values and values without letters', () => {
    expect(normalizeCity('\u00a0')).toEqual({ ok: false, reason: 'empty value' });
    expect(normalizeCity('12345')).toEqual({ ok: false, reason: 'not a city: no letters' });
  });
});
