// The prepared exposures and transactions the room benchmarks share (room.bench.ts, dp-room.ts).
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Writes `exposures-<rows>.csv` and `transactions-<rows>.csv` under `out` with DuckDB itself
 * (hex SHA-256 identifiers, as a party's prepare writes them), unless both are there already.
 * Publisher people 0..P-1 and retailer people 0.6P..1.6P-1 with P = rows/2: 40% of each side
 * is shared; every person has two rows on each side.
 *
 * @example
 * ```ts
 * const { exposures, transactions } = await generateRoomData(join(root, 'bench', 'out', 'room'), 1_000_000);
 * ```
 */
export async function generateRoomData(out: string, rows: number): Promise<{ exposures: string; transactions: string }> {
  mkdirSync(out, { recursive: true });
  const exposures = join(out, `exposures-${rows}.csv`);
  const transactions = join(out, `transactions-${rows}.csv`);
  try {
    statSync(exposures);
    statSync(transactions);
    return { exposures, transactions };
  } catch {
    // generate below
  }
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const c = await db.connect();
  const people = Math.floor(rows / 2);
  await c.run(`COPY (SELECT 'u' || (i % ${people}) AS user_id, 'campaign_' || (hash(i) % 20) AS campaign,
      TIMESTAMP '2026-03-01' + to_seconds((hash(i * 7) % (60 * 86400))::BIGINT) AS exposed_at,
      ['display','video','social'][1 + (i % 3)] AS channel,
      sha256('e' || (i % ${people})) AS email, sha256('p' || (i % ${people})) AS phone, '' AS first_name, '' AS last_name, '' AS zip
    FROM range(${rows}) t(i)) TO '${exposures}' (HEADER)`);
  await c.run(`COPY (SELECT 'c' || p AS customer_id, round((hash(i) % 20000) / 100.0, 2) AS revenue, 'store_' || (hash(i * 3) % 40) AS store,
      'sku_' || (hash(i * 5) % 200) AS product_code, TIMESTAMP '2026-03-01' + to_seconds((hash(i * 11) % (70 * 86400))::BIGINT) AS purchased_at,
      sha256('e' || p) AS email, CASE WHEN i % 3 = 0 THEN sha256('p' || p) ELSE '' END AS phone, '' AS first_name, '' AS last_name, '' AS zip
    FROM (SELECT i, ${Math.floor(people * 0.6)} + (i % ${people}) AS p FROM range(${rows}) t(i))) TO '${transactions}' (HEADER)`);
  c.closeSync();
  return { exposures, transactions };
}
