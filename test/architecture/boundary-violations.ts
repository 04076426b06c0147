import type { ImportEdge } from './import-graph.js';
import { LAYERS, coreRank, coreUnit, layerOf } from './layers.js';

/**
 * The imports that break the layer table ({@link LAYERS}) or run back up inside core
 * ({@link CORE_RANKS}), each as one line naming the importing file, the import and the rule.
 *
 * @example
 * ```ts
 * boundaryViolations([{ from: 'src/core/match/x.ts', to: 'src/core/room/clean-room.ts', specifier: '../room/clean-room.js' }]);
 * // ['src/core/match/x.ts imports ../room/clean-room.js: core/match (rank 6) may not import core/room (rank 10)']
 * ```
 */
export function boundaryViolations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  for (const edge of edges) {
    const from = layerOf(edge.from);
    const to = layerOf(edge.to);
    const where = `${edge.from} imports ${edge.specifier}`;
    if (from === undefined) continue;
    if (to === undefined || !LAYERS[from]!.includes(to)) {
      out.push(`${where}: ${from} may import only ${LAYERS[from]!.join(', ')}`);
      continue;
    }
    const a = coreUnit(edge.from);
    const b = coreUnit(edge.to);
    if (a === undefined || b === undefined || a === b) continue;
    const ra = coreRank(a);
    const rb = coreRank(b);
    if (ra === undefined || rb === undefined) {
      out.push(`${where}: core/${ra === undefined ? a : b} has no rank in CORE_RANKS (test/architecture/layers.ts); give it one`);
    } else if (rb >= ra) {
      out.push(`${where}: core/${a} (rank ${ra}) may not import core/${b} (rank ${rb})`);
    }
  }
  return out;
}
