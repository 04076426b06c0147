import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../errors.js';
import { hasIdentifier, headerKey, planColumns } from './column-plan.js';

describe('planColumns', () => {
  it('recognises common header spellings and passes other columns through', () => {
    const plan = planColumns(['E-mail Address', 'Mobile', 'fname', 'Surname', 'ZIP Code', 'revenue', 'store']);
    expect(plan.columns.map((c) => [c.header, c.kind, c.outputName])).toEqual([
      ['E-mail Address', 'email', 'email'],
      ['Mobile', 'phone', 'phone'],
      ['fname', 'first_name', 'first_name'],
      ['Surname', 'last_name', 'last_name'],
      ['ZIP Code', 'zip', 'zip'],
      ['revenue', undefined, 'revenue'],
      ['store', undefined, 'store'],
    ]);
    expect(plan.fieldCount).toBe(7);
  });

  it('recognises the street line under its common names, but not the second address line', () => {
    for (const header of ['address', 'Street', 'address1', 'Address Line 1', 'address_line_1', 'Street Address', 'ADDR']) {
      expect(planColumns([header, 'zip']).columns[0]?.kind, header).toBe('address');
    }
    expect(planColumns(['Address Line 2', 'zip']).columns[0]?.kind).toBeUndefined();
    expect(planColumns(['Email Address', 'zip']).columns[0]?.kind).toBe('email');
  });

  it('numbers a second column of the same kind', () => {
    expect(planColumns(['phone', 'mobile']).columns.map((c) => c.outputName)).toEqual(['phone', 'phone_2']);
  });

  it('lets an explicit mapping win over a recognised name', () => {
    const plan = planColumns(['email', 'Work Mail'], { map: { email: 'Work Mail' } });
    expect(plan.columns.map((c) => c.kind)).toEqual([undefined, 'email']);
  });

  it('names the missing column when a mapping points nowhere', () => {
    expect(() => planColumns(['a', 'b'], { map: { email: 'Mail' }, file: 'x.csv' })).toThrow(/x.csv has no column "Mail" \(columns: a, b\)/);
  });

  it('refuses an unknown kind in a mapping', () => {
    expect(() => planColumns(['a'], { map: { ssn: 'a' } })).toThrow(CleanRoomError);
  });

  it('refuses a header that repeats a column name, naming its position', () => {
    expect(() => planColumns(['email', 'E-Mail ', 'email'])).toThrow(/column 3 "email" repeats/);
  });

  it('reports when no column is an identifier', () => {
    expect(hasIdentifier(planColumns(['revenue', 'store']))).toBe(false);
  });
});

describe('headerKey', () => {
  it('folds case, accents kept, punctuation and spaces to one underscore', () => {
    expect(headerKey(' E-mail  Address ')).toBe('e_mail_address');
    expect(headerKey('Código Postal')).toBe('código_postal');
  });
});

describe('planColumns without guessing', () => {
  it('treats only mapped columns as identifiers, so a person key passes through', () => {
    const plan = planColumns(['customer_id', 'email', 'phone', 'referral_id'], { map: { email: 'email', external_id: 'referral_id' }, autoDetect: false });
    expect(plan.columns.map((c) => c.kind)).toEqual([undefined, 'email', undefined, 'external_id']);
    expect(plan.columns.map((c) => c.outputName)).toEqual(['customer_id', 'email', 'phone', 'referral_id']);
  });
});
