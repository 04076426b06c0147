import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadPlan, RoomEngine, RoomStore } from '../../core/engine-port.js';
import { workDirFor } from '../../crypto/work-dir.js';
import { createDuckDbEngine } from './duckdb-engine.js';
import type { DuckDbEngineOptions } from './engine-settings.js';

/** A throwaway engine, its data directory and one open room, for tests and benchmarks. */
export interface RoomFixture {
  dir: string;
  /** Where the engine keeps the plaintext copies of the fixture's open sealed rooms. */
  workDir: string;
  masterKey: Uint8Array;
  engine: RoomEngine;
  room: RoomStore;
  /** Write a file under the fixture's directory and return its path. */
  file(name: string, text: string): Promise<string>;
  dispose(): Promise<void>;
}

/**
 * Make a fixture: a temp directory, an engine over it (rooms sealed, unless options say
 * encryption 'off') with its own work dir, and an open room 'collab-test'.
 *
 * @example
 * ```ts
 * const fixture = await roomFixture();
 * await fixture.room.loadCsv(await fixture.file('a.csv', 'email\n...'), plan);
 * await fixture.dispose();
 * ```
 */
export async function roomFixture(options: Partial<DuckDbEngineOptions> = {}): Promise<RoomFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'cleanroom-engine-'));
  const masterKey = randomBytes(32);
  const work = workDirFor(join(dir, 'data'));
  const workDir = options.workDir ?? join(work, 'rooms');
  const engine = createDuckDbEngine({
    dataDir: join(dir, 'data'),
    masterKey,
    workDir,
    sandbox: { threads: 2, memoryLimit: '512MB' },
    writer: { threads: 2, memoryLimit: '1GB' },
    ...options,
  });
  const room = await engine.openRoom('collab-test', { create: true });
  return {
    dir,
    workDir,
    masterKey,
    engine,
    room,
    async file(name, text) {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    },
    async dispose() {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
      await rm(work, { recursive: true, force: true });
    },
  };
}

/**
 * SHA-256 hex of a normalised identifier, as a party's prepare step writes it.
 *
 * @example
 * ```ts
 * sha256Hex('a@example.com'); // 64 hex digits
 * ```
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** The plan of the small `people` dataset most engine tests load. */
export const PEOPLE_PLAN: LoadPlan = {
  dataset: 'people',
  columns: [
    { name: 'email', type: 'identifier', required: true },
    { name: 'segment', type: 'text' },
    { name: 'revenue', type: 'decimal' },
  ],
};

/**
 * A `people` CSV of n rows: email i, segment 'a' or 'b' by parity, revenue i.
 *
 * @example
 * ```ts
 * peopleCsv(3); // 'email,segment,revenue\n<hash0>,a,0\n...'
 * ```
 */
export function peopleCsv(n: number, offset = 0): string {
  const lines = ['email,segment,revenue'];
  for (let i = offset; i < offset + n; i++) lines.push(`${sha256Hex(`person${i}@example.com`)},${i % 2 === 0 ? 'a' : 'b'},${i}`);
  return `${lines.join('\n')}\n`;
}
