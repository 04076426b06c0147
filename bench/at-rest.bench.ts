// `npm run bench:at-rest [-- --rows 1000000]`: the cost of encryption at rest (issue 15).
// The same room work twice in one run, plain (encryption 'off': DuckDB files under the data
// dir) and sealed (the default: the room sealed to room.sealed after every write, worked on
// in the RAM-backed work dir): ingest of both datasets, identity resolution + overlap, an
// attribution query, and a cold start (the engine closed, the room opened again and
// queried: a sealed room is unsealed first). Beside them, the bare primitives on the room's
// own file: AES-256-GCM sealing and a plain copy. Peak memory is the process's.
import { randomBytes } from 'node:crypto';
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileAttribution } from '../src/core/analyses/attribution.js';
import { compileOverlap } from '../src/core/analyses/overlap.js';
import type { RoomEngine } from '../src/core/engine-port.js';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import { resolveIdentity } from '../src/core/match/resolve-identity.js';
import { sealFile } from '../src/crypto/sealed-file.js';
import { workDirFor } from '../src/crypto/work-dir.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { loadReadyTemplates } from '../src/node/template/load-ready-templates.js';
import { generateRoomData } from './room-data.js';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'bench', 'out', 'at-rest');

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss / 1048576);
}, 50);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

type Mode = 'off' | 'required';
type Steps = Record<'ingest' | 'match + overlap' | 'attribution' | 'cold start + query', number>;

async function steps(mode: Mode, files: { exposures: string; transactions: string }): Promise<{ steps: Steps; bytes: number; database: string }> {
  const template = (await loadReadyTemplates(join(root, 'templates'))).get('offline-sales-attribution')!.template;
  const dataDir = join(out, `data-${mode}`);
  rmSync(dataDir, { recursive: true, force: true });
  const masterKey = randomBytes(32);
  const workDir = join(workDirFor(dataDir), 'rooms');
  const open = (): RoomEngine => createDuckDbEngine({ dataDir, masterKey, encryption: mode, workDir, query: { timeoutMs: 600_000 }, writer: { threads: 2, memoryLimit: '8GB' }, sandbox: { threads: 2, memoryLimit: '8GB' } });
  let engine = open();
  const room = await engine.openRoom('bench', { create: true });
  const result = {} as Steps;
  result.ingest = await timed(async () => {
    await room.loadCsv(files.exposures, loadPlanFor(template, 'exposures'));
    await room.loadCsv(files.transactions, loadPlanFor(template, 'transactions'));
  });
  // As a run does it (core/room/start-run.ts): the match made durable beside the analysis.
  result['match + overlap'] = await timed(async () => {
    await resolveIdentity(room, template, 'exposures', 'transactions', { durable: false });
    const compiled = compileOverlap(template, 'reach', { group_by: [] });
    await Promise.all([room.persist(), room.query(compiled.overall.sql, compiled.overall.params)]);
  });
  const attribution = compileAttribution(template, 'attribution', { model: 'last_touch', lookback_days: 30, group_by: [] });
  result.attribution = await timed(() => room.query(attribution.sql, attribution.params, { timeoutMs: 600_000 }));
  await engine.close();
  result['cold start + query'] = await timed(async () => {
    engine = open();
    const again = await engine.openRoom('bench');
    await again.query('SELECT count(*) AS n FROM exposures');
  });
  const database = mode === 'off' ? join(dataDir, 'collaborations', 'bench', 'room.duckdb') : join(workDir, 'bench', 'room.duckdb');
  const bytes = statSync(mode === 'off' ? database : join(dataDir, 'collaborations', 'bench', 'room.sealed')).size;
  // Keep a copy of the database for the primitives below, then close.
  const kept = join(out, `room-${mode}.duckdb`);
  copyFileSync(database, kept);
  await engine.close();
  return { steps: result, bytes, database: kept };
}

export async function benchAtRest(rows: number): Promise<void> {
  const files = await generateRoomData(join(root, 'bench', 'out', 'room'), rows);
  const plain = await steps('off', files);
  const sealed = await steps('required', files);
  // The bare primitives on the room's own database file: seal it, and copy it.
  const size = statSync(plain.database).size;
  const sealMs = await timed(() => sealFile({ key: randomBytes(32), label: 'room:bench' }, plain.database, join(out, 'primitive.sealed')));
  const copyMs = await timed(async () => copyFileSync(plain.database, join(out, 'primitive.copy')));
  clearInterval(sampler);

  console.log(`at rest: ${fmt(rows)} exposures x ${fmt(rows)} transactions (prepared), 2 threads; plain = DuckDB file in the data dir, sealed = the default`);
  console.log(`${'step'.padEnd(22)} ${'plain'.padStart(9)} ${'sealed'.padStart(9)} ${'overhead'.padStart(9)}`);
  let plainTotal = 0;
  let sealedTotal = 0;
  for (const step of Object.keys(plain.steps) as (keyof Steps)[]) {
    const [p, s] = [plain.steps[step], sealed.steps[step]];
    plainTotal += p;
    sealedTotal += s;
    console.log(`${step.padEnd(22)} ${(p / 1000).toFixed(2).padStart(7)} s ${(s / 1000).toFixed(2).padStart(7)} s ${`${(((s - p) / p) * 100).toFixed(0)}%`.padStart(9)}`);
  }
  console.log(`${'total'.padEnd(22)} ${(plainTotal / 1000).toFixed(2).padStart(7)} s ${(sealedTotal / 1000).toFixed(2).padStart(7)} s ${`${(((sealedTotal - plainTotal) / plainTotal) * 100).toFixed(0)}%`.padStart(9)}`);
  console.log(`room file: plain ${fmt(plain.bytes / 1048576)} MiB, sealed ${fmt(sealed.bytes / 1048576)} MiB`);
  console.log(`primitives on the ${fmt(size / 1048576)} MiB room file: seal (AES-256-GCM, fsync) ${(sealMs / 1000).toFixed(2)} s = ${fmt(size / 1048576 / (sealMs / 1000))} MiB/s; plain copy ${(copyMs / 1000).toFixed(2)} s`);
  console.log(`peak RSS ${fmt(peak)} MiB`);
  for (const mode of ['off', 'required']) rmSync(join(out, `data-${mode}`), { recursive: true, force: true });
  rmSync(join(out, 'primitive.sealed'), { force: true });
  rmSync(join(out, 'primitive.copy'), { force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--rows');
  await benchAtRest(Number((at === -1 ? '1000000' : process.argv[at + 1] ?? '1000000').replace(/_/g, '')));
}
