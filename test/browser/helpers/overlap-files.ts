import { createRandom } from '../../../src/core/identity/phone/phone-random.js';

const FIRST = ['Jane', 'John', 'Maria', 'Wei', 'Aisha', 'Lucas', 'Chloé', 'Olga', 'Ravi', 'Sam', 'Noah', 'Emma'];
const LAST = ['Doe', 'Smith', 'García', 'Chen', 'Khan', 'Müller', 'Rossi', 'Ivanova', 'Patel', 'Okafor', 'Brown', 'Nguyen'];
const AREAS = ['212', '415', '650', '312', '617', '303'];

/** One synthetic person of the shared pool. */
interface Person {
  email: string;
  phone: string;
  first: string;
  last: string;
  zip: string;
}

function person(index: number): Person {
  const random = createRandom(1000 + index);
  const first = random.pick(FIRST);
  const last = random.pick(LAST);
  return {
    email: `${first.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')}.${last.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')}.${index}@example.com`,
    phone: `(${random.pick(AREAS)}) ${2 + random.int(8)}${random.digits(2)}-${random.digits(4)}`,
    first,
    last,
    zip: `${1 + random.int(9)}${random.digits(4)}`,
  };
}

/** Every raw email the files hold, so a test can check none of them was uploaded. */
export interface OverlapFiles {
  /** The insurer's file, with the template's own column names (what `cleanroom prepare` reads as is). */
  insurerCsv: string;
  /** The partner's file, with its own column names and a free-text column that must stay home. */
  partnerCsv: string;
  emails: string[];
}

/**
 * Two customer files with a known overlap (people `from`..`to` of a shared pool) and
 * realistic mess: case and spaces in emails, some missing or invalid identifiers, exact
 * duplicate rows, quoted fields with commas. The insurer's is larger than 1 MiB, so the
 * browser prepares it in several chunks.
 *
 * @example
 * ```ts
 * const files = overlapFiles();
 * writeFileSync('policyholders.csv', files.insurerCsv);
 * ```
 */
export function overlapFiles(): OverlapFiles {
  const random = createRandom(42);
  const emails: string[] = [];
  const messy = (p: Person): string => {
    const roll = random.int(10);
    const email = roll === 0 ? '' : roll === 1 ? `  ${p.email.toUpperCase()} ` : roll === 2 ? 'not-an-email' : p.email;
    if (email.includes('@')) emails.push(email.trim());
    return email;
  };
  const insurer = ['policy_type,email,phone,first_name,last_name,zip'];
  const types = ['home', 'auto', 'life', 'health'];
  for (let i = 0; i < 16_000; i++) {
    const p = person(i);
    const row = `${random.pick(types)},${messy(p)},${random.int(3) === 0 ? '' : `"${p.phone}"`},${p.first},${p.last},${p.zip}`;
    insurer.push(row);
    if (i % 500 === 0) insurer.push(row);
  }
  const partner = ['Plan,E-Mail Address,Mobile,Given name,Surname,Postcode,Notes'];
  const plans = ['basic', 'monitored', 'premium'];
  for (let i = 13_000; i < 17_000; i++) {
    const p = person(i);
    const email = messy(p);
    partner.push(`${random.pick(plans)},${email},${p.phone},${p.first},${p.last},${p.zip},"called ${p.first}, reach at ${p.email}"`);
    emails.push(p.email);
  }
  return { insurerCsv: `${insurer.join('\n')}\n`, partnerCsv: `${partner.join('\r\n')}\r\n`, emails: [...new Set(emails)] };
}
