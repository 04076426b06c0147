/**
 * The layer table of docs/ARCHITECTURE.md as data: which top-level layer may import which,
 * and the order of the folders inside `src/core`, bottom first. A core folder may import its
 * own files and folders of a lower rank only; folders of one rank do not import each other.
 */

/** Top-level layers, by path prefix (the longest matching prefix names a file's layer). */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  'src/core/': ['src/core/'],
  'src/crypto/': ['src/crypto/', 'src/core/'],
  'src/engine/': ['src/engine/', 'src/crypto/', 'src/core/'],
  'src/node/': ['src/node/', 'src/engine/', 'src/crypto/', 'src/core/'],
  'src/server/': ['src/server/', 'src/node/', 'src/crypto/', 'src/core/'],
  'src/cli/': ['src/cli/', 'src/server/', 'src/node/', 'src/crypto/', 'src/core/'],
  'web/src/': ['web/src/', 'src/core/'],
};

/**
 * The folders (and root files) of `src/core`, bottom first: each rank may import only from
 * lower ranks (and within its own folder). The flow of the data reads upwards:
 * prepare → ingest → match → analyse → guard (privacy) → release → audit, with the room on top.
 */
export const CORE_RANKS: readonly (readonly string[])[] = [
  ['errors.ts'],
  ['engine-port.ts', 'digest', 'csv'],
  ['identity', 'custom-sql'],
  ['prepare', 'template', 'parties'],
  ['room-schema'],
  ['privacy'],
  ['audit'],
  ['match'],
  ['analyses'],
  ['collaboration'],
  ['ingest', 'release'],
  ['room'],
];

/**
 * The unit of `src/core` a file belongs to: its first folder below core, or its own name for
 * a file at core's root; undefined outside core.
 *
 * @example
 * ```ts
 * coreUnit('src/core/privacy/dp/rational.ts'); // 'privacy'
 * ```
 */
export function coreUnit(file: string): string | undefined {
  if (!file.startsWith('src/core/')) return undefined;
  return file.slice('src/core/'.length).split('/')[0];
}

/** The rank of a core unit, or undefined when the table does not list it. */
export function coreRank(unit: string): number | undefined {
  const rank = CORE_RANKS.findIndex((units) => units.includes(unit));
  return rank < 0 ? undefined : rank;
}

/** The top-level layer of a file, or undefined outside every listed layer. */
export function layerOf(file: string): string | undefined {
  return Object.keys(LAYERS)
    .filter((prefix) => file.startsWith(prefix))
    .sort((a, b) => b.length - a.length)[0];
}
