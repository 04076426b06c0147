import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareFile } from '../../src/node/prepare/prepare-file.js';

/** One generated person, as each side would write them. */
interface Person {
  email: string;
  workEmail: string;
  phone: string;
  first: string;
  last: string;
  zip: string;
}

const FIRST = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Eve', 'Farah', 'Gus', 'Hana', 'Ivo', 'Jo'];
const LAST = ['Smith', "O'Neil", 'García', 'Müller', 'Ng', 'Park', 'Rossi', 'Silva'];

function person(i: number): Person {
  const first = FIRST[i % FIRST.length]!;
  const last = `${LAST[Math.floor(i / FIRST.length) % LAST.length]!}${String.fromCharCode(97 + (i % 26))}${i}`;
  const area = ['212', '415', '617', '312', '206'][i % 5]!;
  return {
    email: `${first.toLowerCase().replace(/[^a-z]/g, '')}.${i}@gmail.com`,
    workEmail: `p${i}@corp.example.com`,
    phone: `${area}${String(2000000 + i).padStart(7, '0')}`,
    first,
    last,
    zip: String(10001 + (i % 900)),
  };
}

/** How the shared people are spread over the match keys, and the totals. */
export interface TwoPartyTruth {
  aPeople: number;
  bPeople: number;
  byEmail: number;
  byPhone: number;
  byNameZip: number;
  matched: number;
  aIndexes: number[];
  bIndexes: number[];
  /** For each matched person index, the key that should match them. */
  keyOf: Map<number, 'email' | 'phone' | 'name_zip'>;
}

/**
 * Writes two raw customer files whose true overlap is known: shared people are written
 * differently on each side (case, spaces, gmail dots, phone formats, accents) and share
 * only the identifiers of the key meant to match them. Prepares both with `prepareFile`
 * and returns the prepared paths and the truth.
 *
 * @example
 * ```ts
 * const { a, b, truth } = await twoPartyFiles(dir, { aOnly: 300, bOnly: 200, byEmail: 150, byPhone: 120, byNameZip: 110 });
 * ```
 */
export async function twoPartyFiles(
  dir: string,
  counts: { aOnly: number; bOnly: number; byEmail: number; byPhone: number; byNameZip: number },
  extra: { aColumns?: (i: number) => Record<string, string>; bColumns?: (i: number) => Record<string, string> } = {},
): Promise<{ a: string; b: string; truth: TwoPartyTruth }> {
  const keyOf = new Map<number, 'email' | 'phone' | 'name_zip'>();
  const aRows: string[][] = [];
  const bRows: string[][] = [];
  const aIndexes: number[] = [];
  const bIndexes: number[] = [];
  let next = 0;
  const aExtra = (i: number) => Object.values(extra.aColumns?.(i) ?? {});
  const bExtra = (i: number) => Object.values(extra.bColumns?.(i) ?? {});
  const push = (side: 'a' | 'b', i: number, row: string[]) => {
    if (side === 'a') {
      aRows.push([...row, ...aExtra(i)]);
      aIndexes.push(i);
    } else {
      bRows.push([...row, ...bExtra(i)]);
      bIndexes.push(i);
    }
  };
  for (let n = 0; n < counts.byEmail; n++, next++) {
    const p = person(next);
    keyOf.set(next, 'email');
    push('a', next, [` ${p.email.toUpperCase()} `, `(${p.phone.slice(0, 3)}) ${p.phone.slice(3, 6)}-${p.phone.slice(6)}`, p.first, p.last, p.zip]);
    // B writes the gmail address without dots and a different phone: only email can match.
    push('b', next, [p.email.replace('.', ''), `+1 ${p.phone.slice(0, 3)} 555 ${String(1000 + (next % 9000))}`, '', '', '']);
  }
  for (let n = 0; n < counts.byPhone; n++, next++) {
    const p = person(next);
    keyOf.set(next, 'phone');
    push('a', next, [p.email, p.phone, p.first, p.last, p.zip]);
    push('b', next, [p.workEmail, `+1-${p.phone.slice(0, 3)}-${p.phone.slice(3, 6)}-${p.phone.slice(6)}`, '', '', '']);
  }
  for (let n = 0; n < counts.byNameZip; n++, next++) {
    const p = person(next);
    keyOf.set(next, 'name_zip');
    push('a', next, [p.email, p.phone, p.first, p.last, `${p.zip}-1234`]);
    push('b', next, [p.workEmail, '', p.first.toUpperCase(), ` ${p.last} `, p.zip]);
  }
  for (let n = 0; n < counts.aOnly; n++, next++) {
    const p = person(next);
    push('a', next, [p.email, p.phone, p.first, p.last, p.zip]);
  }
  for (let n = 0; n < counts.bOnly; n++, next++) {
    const p = person(next);
    push('b', next, [p.workEmail, p.phone, p.first, p.last, p.zip]);
  }
  const header = (cols: string[]) => ['email', 'phone', 'first_name', 'last_name', 'zip', ...cols].join(',');
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const write = (name: string, cols: string[], rows: string[][]) => {
    const path = join(dir, `${name}.raw.csv`);
    writeFileSync(path, [header(cols), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n');
    return path;
  };
  const aRaw = write('a', Object.keys(extra.aColumns?.(0) ?? {}), aRows);
  const bRaw = write('b', Object.keys(extra.bColumns?.(0) ?? {}), bRows);
  const a = join(dir, 'a.prepared.csv');
  const b = join(dir, 'b.prepared.csv');
  await prepareFile({ input: aRaw, output: a, workers: 0, dedupe: false });
  await prepareFile({ input: bRaw, output: b, workers: 0, dedupe: false });
  const matched = counts.byEmail + counts.byPhone + counts.byNameZip;
  return {
    a,
    b,
    truth: {
      aPeople: counts.byEmail + counts.byPhone + counts.byNameZip + counts.aOnly,
      bPeople: counts.byEmail + counts.byPhone + counts.byNameZip + counts.bOnly,
      byEmail: counts.byEmail,
      byPhone: counts.byPhone,
      byNameZip: counts.byNameZip,
      matched,
      aIndexes,
      bIndexes,
      keyOf,
    },
  };
}
