import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SqlSerializer } from './serialize-sql.js';

let serializer: SqlSerializer;
beforeAll(async () => {
  serializer = await SqlSerializer.open();
});
afterAll(() => serializer.close());

function withoutLocations(tree: unknown): string {
  return JSON.stringify(tree, (key, value: unknown) => (key === 'query_location' ? undefined : value));
}

describe('SqlSerializer', () => {
  test('gives DuckDB’s tree of one SELECT', async () => {
    const tree = (await serializer.serialize('SELECT count(*) FROM exposures')) as { error: boolean; statements: { node: { type: string } }[] };
    expect(tree.error).toBe(false);
    expect(tree.statements.map((s) => s.node.type)).toEqual(['SELECT_NODE']);
  });
  test('keeps the count of several statements visible', async () => {
    const tree = (await serializer.serialize('SELECT 1; DROP TABLE x')) as { statements: unknown[] };
    expect(tree.statements).toHaveLength(2);
  });
  test('marks a statement that is not a SELECT as an error', async () => {
    expect(await serializer.serialize("COPY x TO '/tmp/y.csv'")).toMatchObject({ error: true });
  });
  test('refuses text that does not parse and control characters', async () => {
    await expect(serializer.serialize('SELEC 1')).rejects.toMatchObject({ code: 'refused', details: { reason: 'it does not parse' } });
    await expect(serializer.serialize('SELECT 1\u0001')).rejects.toMatchObject({ code: 'refused' });
  });
  test('re-emits a tree as SQL that parses back to the same tree', async () => {
    const sql = "SELECT c.region, count(DISTINCT c.email) AS n FROM customers c JOIN devices d ON c.email = d.email WHERE c.region IN ('x''; DROP TABLE t; --', 'y') GROUP BY c.region HAVING count(*) > 10";
    const tree = await serializer.serialize(sql);
    const emitted = await serializer.deserialize(tree);
    expect(emitted).toContain("'x''; DROP TABLE t; --'");
    expect(withoutLocations(await serializer.serialize(emitted))).toBe(withoutLocations(tree));
  });
});
