// `npm run bench:difference [-- --rows 1000000]`: the cost of the difference check (issue 14)
// on a room of N exposures x N transactions with 1,000 earlier released rows remembered, all
// within the crowd minimum of the new rows' sizes (the worst case: every one is compared).
// Each analysis runs with the check (sketch columns in the query, comparison, memory) and
// without it (the same compiled query and guard), alternately, in the same process.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileAttribution } from '../src/core/analyses/attribution.js';
import { compileOverlap } from '../src/core/analyses/overlap.js';
import type { CompiledAnalysis } from '../src/core/analyses/compiled-analysis.js';
import type { RoomStore } from '../src/core/engine-port.js';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import { resolveIdentity } from '../src/core/match/resolve-identity.js';
import { DifferenceCheck } from '../src/core/privacy/difference/difference-check.js';
import { readSketch } from '../src/core/privacy/difference/population-sketch.js';
import type { SketchSettings } from '../src/core/privacy/difference/population-sketch.js';
import { ReleaseMemories } from '../src/core/privacy/difference/release-memory.js';
import type { ReleaseMemory } from '../src/core/privacy/difference/release-memory.js';
import { FileReleaseMemoryStore } from '../src/node/store/file-release-memory-store.js';
import { guardPolicyOf } from '../src/core/privacy/guard-policy.js';
import { guardResult } from '../src/core/privacy/guard-result.js';
import type { Template } from '../src/core/template/index.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { loadReadyTemplates } from '../src/node/template/load-ready-templates.js';
import { generateRoomData } from './room-data.js';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'bench', 'out', 'room');
const EARLIER = 1000;
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss / 1048576);
}, 50);

type Compile = (sketch?: SketchSettings) => CompiledAnalysis;

async function without(room: RoomStore, template: Template, compile: Compile): Promise<number> {
  const started = performance.now();
  const compiled = compile();
  const { rows } = await room.query(compiled.sql, compiled.params, { timeoutMs: 600_000 });
  guardResult(compiled.transform ? compiled.transform(rows) : rows, compiled.shape, guardPolicyOf(template));
  return performance.now() - started;
}

async function withCheck(room: RoomStore, memory: ReleaseMemory, template: Template, compile: Compile, runId: string): Promise<{ ms: number; released: number }> {
  const started = performance.now();
  const check = DifferenceCheck.open(memory, guardPolicyOf(template), { runId, analysis: 'bench' });
  const compiled = compile(check.settings);
  const { rows } = await room.query(compiled.sql, compiled.params, { timeoutMs: 600_000 });
  const table = await check.guard('bench', compiled.transform ? compiled.transform(rows) : rows, compiled.shape);
  await check.commit();
  return { ms: performance.now() - started, released: table.rows.length };
}

/** Remembers EARLIER rows near the sizes of `compile`'s rows: each a real sketch with a far-off change, so every one is compared in full. */
async function rememberEarlier(room: RoomStore, memory: ReleaseMemory, template: Template, compile: Compile, tag: string): Promise<void> {
  const compiled = compile(memory.settings);
  const { rows } = await room.query(compiled.sql, compiled.params, { timeoutMs: 600_000 });
  const sketches = rows.map((row) => readSketch(row, memory.settings.cells)!).filter((s) => s.people >= template.privacy.minPeople);
  const earlier = Array.from({ length: EARLIER }, (_, i) => {
    const base = sketches[i % sketches.length]!;
    const cells = new Uint32Array(base.cells);
    // Move 2·minPeople people between cells: the same size, far apart in people.
    for (let k = 0; k < template.privacy.minPeople; k++) {
      const from = (i * 31 + k * 7) % cells.length;
      const to = (from + 1 + (k % 5)) % cells.length;
      if (cells[from]! > 0) {
        cells[from]!--;
        cells[to]!++;
      }
    }
    return { runId: `earlier_${tag}_${i}`, analysis: 'bench', table: 'bench', row: 0, sketch: { ...base, cells, fingerprint: String(i) } };
  });
  await memory.remember(earlier);
}

async function main(rows: number): Promise<void> {
  const files = await generateRoomData(out, rows);
  const template = (await loadReadyTemplates(join(root, 'templates'))).get('offline-sales-attribution')!.template;
  const dataDir = join(out, 'difference-data');
  rmSync(dataDir, { recursive: true, force: true });
  const engine = createDuckDbEngine({ dataDir, masterKey: randomBytes(32), encryption: 'off', query: { timeoutMs: 600_000 } });
  const room = await engine.openRoom('bench', { create: true });
  // The memory as a server keeps it: a JSON Lines file, fsynced per run.
  const memory = await new ReleaseMemories(await FileReleaseMemoryStore.open(join(dataDir, 'release-memory'))).open('bench', template.privacy.minPeople);
  await room.loadCsv(files.exposures, loadPlanFor(template, 'exposures'));
  await room.loadCsv(files.transactions, loadPlanFor(template, 'transactions'));
  await resolveIdentity(room, template, 'exposures', 'transactions');
  const analyses: [string, Compile][] = [
    ['overlap (overall)', (s) => compileOverlap(template, 'reach', { group_by: [] }, s).overall],
    ['attribution by campaign (last touch)', (s) => compileAttribution(template, 'attribution', { model: 'last_touch', lookback_days: 30, group_by: [] }, s)],
  ];
  for (const [name, compile] of analyses) await rememberEarlier(room, memory, template, compile, name.split(' ')[0]!);
  console.log(`difference check: ${rows.toLocaleString('en-US')} exposures x ${rows.toLocaleString('en-US')} transactions, ${EARLIER * analyses.length} earlier released rows remembered, 2 threads`);
  console.log(`${'analysis'.padEnd(38)} ${'without'.padStart(9)} ${'with'.padStart(9)} ${'extra'.padStart(8)}  (best of 3 each, alternating)`);
  let n = 0;
  for (const [name, compile] of analyses) {
    const plain: number[] = [];
    const checked: number[] = [];
    for (let i = 0; i < 3; i++) {
      plain.push(await without(room, template, compile));
      const r = await withCheck(room, memory, template, compile, `run_${n++}`);
      if (r.released === 0) throw new Error(`${name}: the check held back every row of an unchanged population`);
      checked.push(r.ms);
    }
    const [a, b] = [Math.min(...plain), Math.min(...checked)];
    console.log(`${name.padEnd(38)} ${(a / 1000).toFixed(3).padStart(7)} s ${(b / 1000).toFixed(3).padStart(7)} s ${`+${Math.round(((b - a) / a) * 100)}%`.padStart(8)}`);
  }
  clearInterval(sampler);
  console.log(`peak RSS ${Math.round(peak).toLocaleString('en-US')} MiB`);
  await engine.close();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--rows');
  await main(Number((at === -1 ? '1000000' : process.argv[at + 1] ?? '1000000').replace(/_/g, '')));
}
