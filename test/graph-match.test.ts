import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEngine, RoomStore } from '../src/core/engine-port.js';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import { validateTemplate } from '../src/core/template/index.js';
import { resolveIdentity } from '../src/core/match/resolve-identity.js';
import type { Template } from '../src/core/template/index.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { loadReadyTemplates } from '../src/node/template/load-ready-templates.js';
import { tempDir } from './helpers/run-cleanroom.js';
import { threePartyFiles } from './helpers/three-party-data.js';
import type { ThreePartyTruth } from './helpers/three-party-data.js';

// Graph-bridged matching (issue 12, item 3) on the real engine: the generator knows every true
// pair, and which level must find it.
describe('matching through an identity graph', () => {
  const dir = tempDir('cleanroom-graph-');
  let engine: RoomEngine;
  let template: Template;
  let truth: ThreePartyTruth;
  let files: Awaited<ReturnType<typeof threePartyFiles>>['files'];
  const shape = { direct: 300, bridged: 150, byAddress: 40, ambiguous: 120, superNode: 120, publisherOnly: 40, retailerOnly: 50 };

  beforeAll(async () => {
    template = (await loadReadyTemplates(join(import.meta.dirname, '..', 'templates'))).get('identity-partner-attribution')!.template;
    engine = createDuckDbEngine({ dataDir: join(dir, 'data'), masterKey: randomBytes(32), encryption: 'off' });
    ({ files, truth } = await threePartyFiles(dir, shape));
  });
  afterAll(async () => engine.close());

  async function room(name: string, order: ('exposures' | 'transactions' | 'identity_graph')[]): Promise<RoomStore> {
    const store = await engine.openRoom(name, { create: true });
    const path = { exposures: files.exposures, transactions: files.transactions, identity_graph: files.graph };
    for (const dataset of order) await store.loadCsv(path[dataset], loadPlanFor(template, dataset));
    return store;
  }
  const pairsOf = async (store: RoomStore) =>
    (await store.query('SELECT p_exposures AS user, p_transactions AS customer, k FROM match__exposures__transactions ORDER BY 1, 2')).rows.map((r) => ({
      user: String(r.user),
      customer: String(r.customer),
      level: ['email', 'phone', 'first_name+last_name+address+zip', 'first_name+last_name+zip', 'graph'][Number(r.k)],
    }));

  it('finds exactly the true pairs: the direct ones by email, the rest only through the graph; no false match', async () => {
    const store = await room('graph-a', ['exposures', 'transactions', 'identity_graph']);
    const report = await resolveIdentity(store, template, 'exposures', 'transactions', { bridge: true });
    expect(report.byKey).toEqual([
      { key: 'email', matched: shape.direct },
      { key: 'phone', matched: 0 },
      { key: 'first_name+last_name+address+zip', matched: 0 },
      { key: 'first_name+last_name+zip', matched: 0 },
      { key: 'graph', matched: shape.bridged + shape.byAddress },
    ]);
    const expected = [...truth.pairs].sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
    expect(await pairsOf(store)).toEqual(expected);
    expect(report.graph).toEqual({ bridged: shape.bridged + shape.byAddress, people: truth.graphPeople, superNodes: 1, ambiguous: { exposures: 0, transactions: shape.ambiguous } });
    expect(report.people).toEqual({ exposures: truth.publisherPeople, transactions: truth.retailerPeople });
    // Without the graph only the direct pairs are found: the partner's gain is the bridged count.
    const direct = await resolveIdentity(store, template, 'exposures', 'transactions');
    expect(direct.matched).toBe(shape.direct);
    expect(direct.graph).toBeUndefined();
  });

  it('gives the same pairs whatever the upload order and whichever side asks', async () => {
    const first = await room('graph-b', ['identity_graph', 'transactions', 'exposures']);
    await resolveIdentity(first, template, 'transactions', 'exposures', { bridge: true });
    const second = await room('graph-c', ['transactions', 'exposures', 'identity_graph']);
    await resolveIdentity(second, template, 'exposures', 'transactions', { bridge: true });
    expect(await pairsOf(first)).toEqual(await pairsOf(second));
  });

  it('never matches one person twice, even when one graph person links many records of each side', async () => {
    const store = await room('graph-d', ['exposures', 'transactions', 'identity_graph']);
    // A cap high enough that the hub bridges: its 120 + 120 records pair one to one, never many
    // to many (a complete tie takes one round per pair, so the round limit leaves most unpaired).
    const loose: Template = { ...template, identity: { ...template.identity, graph: { dataset: 'identity_graph', maxIdentifiersPerPerson: 1000 } } };
    const report = await resolveIdentity(store, loose, 'exposures', 'transactions', { bridge: true });
    expect(report.graph!.superNodes).toBe(0);
    expect(report.byKey.at(-1)!.matched).toBeGreaterThan(shape.bridged + shape.byAddress);
    expect(report.byKey.at(-1)!.matched).toBeLessThanOrEqual(shape.bridged + shape.byAddress + shape.superNode);
    const pairs = await pairsOf(store);
    expect(new Set(pairs.map((p) => p.user)).size).toBe(pairs.length);
    expect(new Set(pairs.map((p) => p.customer)).size).toBe(pairs.length);
  });

  it('rejects a graph row that links its person to no identifier, naming line, columns and why, and keeps the rest', async () => {
    const store = await engine.openRoom('graph-e', { create: true });
    const path = join(dir, 'graph-bad.csv');
    const digest = 'a'.repeat(64);
    writeFileSync(path, `partner_person_id,email,phone\ng1,${digest},\ng2,,\ng3,,${digest.replace(/a/g, 'b')}\n`);
    const loaded = await store.loadCsv(path, loadPlanFor(template, 'identity_graph'));
    expect(loaded.rowsStored).toBe(2);
    expect(loaded.rowsRejected).toBe(1);
    expect(loaded.rejects).toEqual([{ line: 3, column: 'email | phone | first_name | last_name | address | zip', reason: 'no_identifier' }]);
  });

  it('refuses a template that would analyse the graph, or a graph without a person id or of a party that also contributes', () => {
    const json = JSON.parse(JSON.stringify(template)) as Record<string, any>;
    const problems = (change: (t: Record<string, any>) => void) => {
      const t = JSON.parse(JSON.stringify(json));
      change(t);
      const result = validateTemplate(t);
      return result.ok ? [] : result.problems.map((p) => `${p.code} ${p.path}`);
    };
    expect(problems(() => undefined)).toEqual([]);
    expect(problems((t) => (t.analyses.reach.datasets = ['exposures', 'identity_graph']))).toContain('graph_analysed analyses.reach.datasets.1');
    expect(problems((t) => delete t.datasets.identity_graph.personKey)).toContain('graph_without_person datasets.identity_graph.personKey');
    expect(problems((t) => (t.datasets.identity_graph.owner = 'retailer'))).toContain('graph_owner_contributes datasets.identity_graph.owner');
    expect(problems((t) => (t.identity.graph.dataset = 'nope'))).toContain('graph_unknown identity.graph.dataset');
  });
});
