import { createWriteStream } from 'node:fs';

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same file. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['John', 'Mary', 'José', 'Zoë', 'Renée', 'François', 'Ana María', 'Łukasz', 'Søren', 'Chloé', 'Mohammed', 'Wei', 'Priya', "D'Arcy", 'Jean-Luc', 'Ólafur', 'Siobhán', 'Björn', 'Núria', 'Kwame'];
const LAST = ['Smith', "O'Brien", 'García', 'Müller', 'Nguyễn', 'Smith-Jones', 'de la Cruz', 'Østergaard', 'Dvořák', 'Kowalski', 'Van Dyke', 'Johnson', 'Lefèvre', 'Papadopoulos', 'Ivanov', 'Tanaka'];
const DOMAINS = ['gmail.com', 'GMail.com', 'googlemail.com', 'yahoo.com', 'outlook.com', 'hotmail.co.uk', 'icloud.com', 'example.org', 'proton.me'];
const CITIES = ['San Francisco', 'New York', 'Montréal', 'Austin', 'Saint Paul', 'Toronto', 'Chicago', 'Boston'];
const STATES = ['CA', 'California', 'ny', 'New York', 'TX', 'Texas', 'QC', 'Quebec', 'ON', 'Ontario', 'IL', 'MA', 'Massachusetts'];
const AREA_CODES = [
  '201', '202', '206', '212', '213', '214', '215', '301', '303', '305', '310', '312', '313', '404', '408', '415', '416', '503', '512', '514', '602', '604',
  '612', '617', '619', '646', '650', '702', '704', '713', '718', '720', '773', '801', '808', '818', '832', '858', '905', '916', '917', '949', '971', '978',
];
const STORES = ['store_001', 'store_014', 'store_027', 'store_102', 'store_311'];
const PRODUCTS = ['SKU-1001', 'SKU-2040', 'SKU-3300', 'SKU-4711', 'SKU-5150', 'SKU-6002'];

/** The messy ways people write one phone number (NANP national number `n`, 10 digits). */
function phoneVariant(n: string, r: number): string {
  const a = n.slice(0, 3);
  const b = n.slice(3, 6);
  const c = n.slice(6);
  switch (Math.floor(r * 10)) {
    case 0: return `(${a}) ${b}-${c}`;
    case 1: return `${a}-${b}-${c}`;
    case 2: return `${a}.${b}.${c}`;
    case 3: return `+1 ${a} ${b} ${c}`;
    case 4: return `1-${a}-${b}-${c}`;
    case 5: return `+1${n}`;
    case 6: return `${n}`;
    case 7: return ` ${a} ${b} ${c} `;
    case 8: return `+1 (${a}) ${b}-${c} x${Math.floor(r * 1000) % 90 + 10}`;
    default: return `001${n}`;
  }
}

/** One person's canonical attributes, derived from their index. */
function person(i: number, rnd: () => number) {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
  const local = `${first.toLowerCase().replace(/[^a-z]/g, '')}.${last.toLowerCase().replace(/[^a-z]/g, '')}${i}`;
  const domain = DOMAINS[i % DOMAINS.length]!;
  // Real, assigned NANP area codes (US and Canada) and exchanges 2xx-9xx, so that the
  // numbers are valid for libphonenumber as real customers' numbers would be.
  const areaCode = AREA_CODES[(i * 7919) % AREA_CODES.length]!;
  const exchange = 200 + ((i * 104729) % 790);
  const phone = `${areaCode}${exchange === 555 ? 556 : exchange}${String(i % 10000).padStart(4, '0')}`;
  // About 30k ZIP codes, popular ones more often, shared by customers as in real files.
  const zip = String(10001 + Math.floor(rnd() * rnd() * 29989)).padStart(5, '0');
  return { first, last, local, domain, phone, zip, city: CITIES[i % CITIES.length]!, state: STATES[i % STATES.length]!, rnd };
}

function messyEmail(local: string, domain: string, r: number): string {
  let l = local;
  if (domain.toLowerCase().includes('gmail') && r < 0.3) l = l.replace('.', '') + (r < 0.1 ? '+promo' : '');
  if (r > 0.6) l = l.toUpperCase();
  const email = `${l}@${r > 0.8 ? domain.toUpperCase() : domain}`;
  return r > 0.85 ? `  ${email} ` : email;
}

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export interface GenerateCustomersOptions {
  rows: number;
  seed?: number;
  /** Share of rows that repeat an earlier row exactly (default 0.02). */
  duplicateRate?: number;
  /** Share of rows with a broken email or phone (default 0.03). */
  invalidRate?: number;
  /**
   * 'all' (default): customer id, email, mobile, names, city, state, zip. 'core': email,
   * mobile, names and zip only, the benchmark's mix.
   */
  identifiers?: 'all' | 'core';
}

/**
 * Writes a realistic, dirty customer CSV: mixed-case and padded emails, gmail dots and
 * +tags, phones in many national formats, accented names, zip+4, exact duplicates,
 * invalid values, and pass-through columns (revenue, store, product_code, timestamp).
 * Streams, so any size fits in constant memory. Returns the number of rows written.
 *
 * @example
 * ```ts
 * await generateCustomers('customers.csv', { rows: 1_000_000, seed: 7 });
 * ```
 */
export async function generateCustomers(path: string, options: GenerateCustomersOptions): Promise<number> {
  const { rows, seed = 1, duplicateRate = 0.02, invalidRate = 0.03, identifiers = 'all' } = options;
  const core = identifiers === 'core';
  const rnd = seededRandom(seed);
  const out = createWriteStream(path);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(
    core
      ? 'E-mail Address,Mobile,First Name,Last Name,Zip,revenue,store,product_code,purchased_at\n'
      : 'Customer ID,E-mail Address,Mobile,First Name,Last Name,City,State,Zip,revenue,store,product_code,purchased_at\n',
  );
  const recent: string[] = [];
  let batch = '';
  for (let i = 0; i < rows; i++) {
    let line: string;
    if (recent.length > 0 && rnd() < duplicateRate) {
      line = recent[Math.floor(rnd() * recent.length)]!;
    } else {
      const p = person(i, rnd);
      const r = rnd();
      let email = messyEmail(p.local, p.domain, r);
      let phone = phoneVariant(p.phone, rnd());
      if (rnd() < invalidRate) email = r < 0.5 ? `${p.local}_at_${p.domain}` : `${p.local}@`;
      if (rnd() < invalidRate) phone = r < 0.5 ? '555-01' : 'call me';
      if (rnd() < 0.05) phone = '';
      const zip = rnd() < 0.3 ? `${p.zip}-${String(Math.floor(rnd() * 9999)).padStart(4, '0')}` : p.zip;
      const first = rnd() < 0.2 ? p.first.toUpperCase() : rnd() < 0.1 ? ` ${p.first}` : p.first;
      const revenue = (rnd() * 500).toFixed(2);
      const ts = new Date(Date.UTC(2026, 0, 1) + Math.floor(rnd() * 300 * 86_400_000)).toISOString();
      const tail = [revenue, STORES[i % STORES.length]!, PRODUCTS[i % PRODUCTS.length]!, ts];
      const cells = core ? [email, phone, first, p.last, zip, ...tail] : [`C${String(i).padStart(8, '0')}`, email, phone, first, p.last, p.city, p.state, zip, ...tail];
      line = cells.map(csvCell).join(',');
      if (recent.length < 1000) recent.push(line);
      else recent[Math.floor(rnd() * 1000)] = line;
    }
    batch += line + '\n';
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return rows;
}
