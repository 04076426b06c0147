import { describe, expect, it } from 'vitest';
import { normalizePhone, normalizePhoneWithLibrary } from '../normalize-phone.js';
import { differentialSamples } from './differential-samples.js';
import { comparePhoneNormalizers } from './phone-differential.js';

// The differential run is split over two files so that vitest runs the halves in parallel.
describe('normalizePhone against libphonenumber-js alone (US, CA, BR, IN and each sample’s own country)', () => {
  it('returns exactly what the library returns, for every sample', () => {
    const samples = differentialSamples();
    const report = comparePhoneNormalizers(samples, {
      actual: normalizePhone,
      expected: normalizePhoneWithLibrary,
      countries: ['US', 'CA', 'BR', 'IN'],
      ownCountry: true,
    });
    expect(report.compared).toBe(samples.length * 5);
    expect(report.disagreements).toEqual([]);
  }, 300_000);
});
