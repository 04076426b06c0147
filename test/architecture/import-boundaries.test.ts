import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundaryViolations } from './boundary-violations.js';
import { findCycles, readImportGraph } from './import-graph.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const edges = readImportGraph(root, ['src', 'web/src']);

describe('the import graph of src and web/src', () => {
  it('reads the imports of the code (not an empty graph)', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges).toContainEqual(expect.objectContaining({ from: 'src/core/room/clean-room.ts' }));
  });

  it('has no import cycle', () => {
    expect(findCycles(edges)).toEqual([]);
  });

  it('follows the layer table and never imports back up inside core', () => {
    expect(boundaryViolations(edges)).toEqual([]);
  });
});

describe('the boundary check itself', () => {
  it('finds a cycle of two files and of one file importing itself', () => {
    const cycle = findCycles([
      { from: 'a.ts', to: 'b.ts', specifier: './b.js' },
      { from: 'b.ts', to: 'c.ts', specifier: './c.js' },
      { from: 'c.ts', to: 'a.ts', specifier: './a.js' },
      { from: 'd.ts', to: 'd.ts', specifier: './d.js' },
      { from: 'e.ts', to: 'a.ts', specifier: './a.js' },
    ]);
    expect(cycle).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
  });

  it('refuses an upward import inside core, naming the file, the import and the ranks', () => {
    const upward = { from: 'src/core/match/resolve-identity.ts', to: 'src/core/room/clean-room.ts', specifier: '../room/clean-room.js' };
    expect(boundaryViolations([upward])).toEqual(['src/core/match/resolve-identity.ts imports ../room/clean-room.js: core/match (rank 7) may not import core/room (rank 11)']);
  });

  it('refuses imports between folders of one rank, and from a folder with no rank', () => {
    expect(boundaryViolations([{ from: 'src/core/ingest/a.ts', to: 'src/core/release/b.ts', specifier: '../release/b.js' }])).toHaveLength(1);
    expect(boundaryViolations([{ from: 'src/core/shiny/a.ts', to: 'src/core/errors.ts', specifier: '../errors.js' }])[0]).toContain('core/shiny has no rank');
  });

  it('refuses core → node, server, cli or engine; engine → server or cli; node → server or cli', () => {
    const cases = [
      ['src/core/room/clean-room.ts', 'src/node/store/atomic-json.ts'],
      ['src/core/room/clean-room.ts', 'src/engine/duckdb/index.ts'],
      ['src/core/room/clean-room.ts', 'src/server/app.ts'],
      ['src/engine/duckdb/index.ts', 'src/server/app.ts'],
      ['src/engine/duckdb/index.ts', 'src/cli/main.ts'],
      ['src/node/room/create-node-clean-room.ts', 'src/cli/prepare/format-report.ts'],
      ['src/node/store/file-party-store.ts', 'src/server/auth/authenticate.ts'],
      ['web/src/app.tsx', 'src/node/store/atomic-json.ts'],
    ];
    for (const [from, to] of cases) expect(boundaryViolations([{ from: from!, to: to!, specifier: 'x' }]), `${from} -> ${to}`).toHaveLength(1);
    expect(boundaryViolations([{ from: 'src/cli/commands/serve.ts', to: 'src/server/main.ts', specifier: '../../server/main.js' }])).toEqual([]);
  });
});
