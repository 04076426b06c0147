/**
 * A compact sketch of the people behind one result row, for the difference check: never
 * released, kept in the room beside the data it was computed from.
 *
 * Each distinct person falls in one of `cells` cells by a salted hash; the sketch holds the
 * number of distinct people per cell and an XOR fingerprint of them all. Two populations that
 * differ by d people differ by at most d in the sum of their per-cell differences (L1), so
 * an L1 of at least the crowd minimum proves they differ by at least that many; an L1 of
 * zero with equal fingerprints says they are the same people (a false "same" needs the
 * removed and added people to cancel in every cell and in a 64-bit XOR at once).
 */
export interface PopulationSketch {
  /** Distinct people: the sum of the cells. */
  people: number;
  /** Distinct people per cell. */
  cells: Uint32Array;
  /** XOR of the people's salted 64-bit hashes, as a decimal string. */
  fingerprint: string;
}

/** How a room salts and sizes its sketches: chosen once per room, stored in it. */
export interface SketchSettings {
  /** 32 hex characters, never shown to a party: no one can aim a person at a cell. */
  salt: string;
  cells: number;
}

/** The hidden output columns a sketched query adds, by suffix (custom SQL has one per protected party). */
export function sketchColumnNames(suffix = ''): { cells: string; fingerprint: string } {
  return { cells: `__population${suffix}`, fingerprint: `__fingerprint${suffix}` };
}

/**
 * The cells a room with this crowd minimum uses: a power of two of at least eight times the
 * minimum (so that a difference near the minimum rarely cancels in a cell), 256 to 8,192.
 *
 * @example
 * ```ts
 * sketchCells(100); // 1024
 * ```
 */
export function sketchCells(minPeople: number): number {
  let cells = 256;
  while (cells < 8 * minPeople && cells < 8192) cells *= 2;
  return cells;
}

/**
 * The SELECT items that sketch `person` (an SQL expression, aggregated in the query's groups),
 * named by {@link sketchColumnNames}: one DISTINCT list of salted hashes, cut into cells
 * counted by DuckDB's `histogram`, each cell written as `cell · 2³² + count`.
 *
 * @example
 * ```ts
 * sketchSelect('m.pa', { salt: '0f…', cells: 1024 }); // "list_transform(map_entries(…)) … AS \"__population\", … AS \"__fingerprint\""
 * ```
 */
export function sketchSelect(person: string, settings: SketchSettings, suffix = ''): string {
  if (!/^[0-9a-f]{32}$/.test(settings.salt)) throw new Error('a sketch salt is 32 lower-case hex characters');
  const names = sketchColumnNames(suffix);
  const value = `CAST(${person} AS VARCHAR)`;
  const hashes = `list(DISTINCT hash('${settings.salt}' || ${value}))`;
  const histogram = `list_aggregate(list_transform(${hashes}, h -> (h % ${settings.cells})::INTEGER), 'histogram')`;
  return [
    `CAST(list_transform(map_entries(${histogram}), e -> e.key::BIGINT * 4294967296 + e.value::BIGINT) AS VARCHAR) AS "${names.cells}"`,
    `CAST(bit_xor(DISTINCT hash(${value} || '${settings.salt}')) AS VARCHAR) AS "${names.fingerprint}"`,
  ].join(', ');
}

/**
 * The sketch in a result row's hidden columns, or undefined when the row has none.
 *
 * @example
 * ```ts
 * readSketch({ __population: '[4294967298]', __fingerprint: '77' }, 1024); // cell 1 holds 2 people
 * ```
 */
export function readSketch(row: Readonly<Record<string, unknown>>, cells: number, suffix = ''): PopulationSketch | undefined {
  const names = sketchColumnNames(suffix);
  const encoded = row[names.cells];
  if (typeof encoded !== 'string') return undefined;
  return decodeEntries(encoded, String(row[names.fingerprint] ?? '0'), cells);
}

/** A sketch from the text a query returns (`[cell·2³²+count, …]`). */
function decodeEntries(encoded: string, fingerprint: string, cells: number): PopulationSketch {
  const counts = new Uint32Array(cells);
  let people = 0;
  for (const entry of JSON.parse(encoded) as number[]) {
    const cell = Math.floor(entry / 4294967296);
    const count = entry - cell * 4294967296;
    counts[cell] = count;
    people += count;
  }
  return { people, cells: counts, fingerprint };
}

/**
 * A sketch from its stored form: the cells as little-endian 32-bit counts in Base64 (compact
 * to read back by the thousand), or the query's entry list.
 *
 * @example
 * ```ts
 * decodeSketch(encodeSketch(sketch), sketch.fingerprint, 1024); // equal to sketch
 * ```
 */
export function decodeSketch(encoded: string, fingerprint: string, cells: number): PopulationSketch {
  if (encoded.startsWith('[')) return decodeEntries(encoded, fingerprint, cells);
  const binary = atob(encoded);
  const bytes = new Uint8Array(cells * 4);
  for (let i = 0; i < binary.length && i < bytes.length; i++) bytes[i] = binary.charCodeAt(i);
  const counts = new Uint32Array(bytes.buffer);
  let people = 0;
  for (const count of counts) people += count;
  return { people, cells: counts, fingerprint };
}

/** The stored form of a sketch (see {@link decodeSketch}). */
export function encodeSketch(sketch: PopulationSketch): string {
  const bytes = new Uint8Array(sketch.cells.buffer, sketch.cells.byteOffset, sketch.cells.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(binary);
}

/**
 * Whether two populations may differ by at least one and fewer than `minPeople` people: the
 * difference check's one rule. Exact in the direction that matters: a difference of 1 to
 * `minPeople − 1` people is always caught (barring the cancellation {@link PopulationSketch}
 * describes); a larger one is sometimes caught too (cells where removed and added people
 * cancel), which only holds back more.
 *
 * @example
 * ```ts
 * differsByFewer(everyone, everyoneButOne, 100); // true
 * differsByFewer(everyone, everyone, 100); // false: the same people
 * ```
 */
export function differsByFewer(a: PopulationSketch, b: PopulationSketch, minPeople: number): boolean {
  if (Math.abs(a.people - b.people) >= minPeople) return false;
  if (a.cells.length !== b.cells.length) return true;
  let l1 = 0;
  for (let i = 0; i < a.cells.length; i++) {
    l1 += Math.abs(a.cells[i]! - b.cells[i]!);
    if (l1 >= minPeople) return false;
  }
  return l1 > 0 || a.fingerprint !== b.fingerprint;
}
