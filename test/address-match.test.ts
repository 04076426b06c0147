import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEngine, RoomStore } from '../src/core/engine-port.js';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import { resolveIdentity } from '../src/core/match/resolve-identity.js';
import type { Template } from '../src/core/template/index.js';
import { validateTemplate } from '../src/core/template/validate-template.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { runCleanroom, tempDir } from './helpers/run-cleanroom.js';

// Two parties write the same street lines differently; `cleanroom prepare` normalises them by
// USPS Pub. 28 on each side, and the room matches on first_name + last_name + address + zip.
const INSURER = [
  'policy_type,First Name,Last Name,Address Line 1,ZIP Code',
  'home,Ann,Lee,"123 North Main Street, Apartment 4B",94043',
  'auto,Bob,Stone,500 Twenty-Third Avenue Suite 200,10001',
  'home,Cy,Park,7 Main Street Northwest,02134',
  'life,Di,Ross,12 First Street,60601',
  'home,Ed,Fox,123 Main St Apt 4B,94043',
  'auto,Flo,Hart,125 Main St,94043',
  'home,Gus,Ives,9 N Main St,94043',
  'home,Hal,Judd,PO Box 12,94043',
  'auto,Ike,Lamb,40 Elm Blvd,73301',
];
const PARTNER = [
  'plan,fname,surname,street,zip',
  'basic,ann,LEE,123 N. Main St #4b,94043-1234',
  'premium,Bob,Stone,500 23rd Ave Ste. 200,10001',
  'basic,Cy,Park,7 Main St. N.W.,2134',
  'monitored,Di,Ross,12 1st Str.,60601',
  // Another unit, another house number, the directional on the other side: other people.
  'basic,Ed,Fox,123 Main St Apt 4C,94043',
  'basic,Flo,Hart,127 Main St,94043',
  'basic,Gus,Ives,9 Main St N,94043',
  'basic,Hal,Judd,PO Box 12,94043',
  'premium,Ike,Lamb,Springfield,73301',
];

function template(): Template {
  const json = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'templates', 'audience-overlap.json'), 'utf8')) as Record<string, any>;
  for (const dataset of ['policyholders', 'partner_customers']) {
    json.datasets[dataset].columns.address = { type: 'string', identifier: 'address', required: false, description: 'Street line.' };
  }
  json.identity.matchKeys = [['first_name', 'last_name', 'address', 'zip']];
  const validation = validateTemplate(json);
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return validation.template;
}

describe('a composite key over address (first_name + last_name + address + zip)', () => {
  const dir = tempDir();
  let engine: RoomEngine;
  let room: RoomStore;

  beforeAll(async () => {
    engine = createDuckDbEngine({ dataDir: join(dir, 'data'), masterKey: randomBytes(32), encryption: 'off' });
    room = await engine.openRoom('address-match', { create: true });
  });
  afterAll(async () => {
    await engine.close();
  });

  async function prepare(name: string, lines: string[]) {
    const input = join(dir, `${name}.csv`);
    writeFileSync(input, `${lines.join('\n')}\n`);
    const output = join(dir, `${name}.prepared.csv`);
    const rejects = join(dir, `${name}.rejects.csv`);
    const result = await runCleanroom(['prepare', '--input', input, '--output', output, '--rejects', rejects, '--json']);
    expect(result.code, result.stderr).toBe(0);
    return { output, rejects: readFileSync(rejects, 'utf8'), report: JSON.parse(result.stdout) as Record<string, any> };
  }

  it('matches the people whose street lines are spelled differently, and no one else', async () => {
    const insurer = await prepare('insurer', INSURER);
    const partner = await prepare('partner', PARTNER);
    expect(readFileSync(insurer.output, 'utf8').split('\n')[0]).toBe('policy_type,first_name,last_name,address,zip');
    expect(readFileSync(partner.output, 'utf8').split('\n')[0]).toBe('plan,first_name,last_name,address,zip');

    // A PO box and a city are not street lines: the value is blanked with file line, column and
    // reason, and the row is kept for its other identifiers.
    expect(insurer.rejects).toContain('9,4,Address Line 1,value_blanked,"invalid address: not a street address: a PO box, not a house number and street",PO Box 12');
    expect(partner.rejects).toContain('10,4,street,value_blanked,invalid address: not a street address: no house number (a city or a name alone is not a street line),Springfield');
    expect(insurer.report.rows).toMatchObject({ read: 9, written: 9 });

    const t = template();
    await room.loadCsv(insurer.output, loadPlanFor(t, 'policyholders'));
    await room.loadCsv(partner.output, loadPlanFor(t, 'partner_customers'));
    const report = await resolveIdentity(room, t, 'policyholders', 'partner_customers');
    expect(report.byKey).toEqual([{ key: 'first_name+last_name+address+zip', matched: 4 }]);
    expect(report.matched).toBe(4);
  });
});
