/**
 * The engine-level backstop for compiled analysis SQL: a pure check of DuckDB's parse tree
 * (the JSON of `json_serialize_sql`) that lets through one plain SELECT over the room's own
 * tables and refuses everything that reaches files, settings, metadata or other databases.
 * A later allow-list checker for custom SQL sits above it; this one is deliberately blunt.
 */

/** Table functions a compiled analysis may use: none reads a file or metadata. */
const TABLE_FUNCTIONS = new Set(['range', 'generate_series', 'unnest']);

/** Scalar functions that read configuration, environment, sequences or run SQL text. */
const DENIED_FUNCTIONS = new Set([
  'current_setting',
  'getenv',
  'getvariable',
  'current_query',
  'nextval',
  'currval',
  'setval',
  'enable_logging',
  'disable_logging',
  'truncate_duckdb_logs',
  'json_execute_serialized_sql',
  'json_deserialize_sql',
  'json_serialize_sql',
  'json_serialize_plan',
  'query',
  'query_table',
  'glob',
  'sniff_csv',
  'which_secret',
  'checkpoint',
  'force_checkpoint',
  'sql_auto_complete',
  'load_extension',
  'install_extension',
  'get_block_size',
]);

/** Name prefixes of functions and relations that expose the catalog, settings or files. */
const DENIED_PREFIXES = ['duckdb_', 'pragma_', 'read_', 'parquet_', 'sqlite_', 'pg_', 'information_schema', 'iceberg_', 'delta_'];

/** Query node types of a plain SELECT. */
const QUERY_NODES = new Set(['SELECT_NODE', 'SET_OPERATION_NODE', 'RECURSIVE_CTE_NODE', 'CTE_NODE']);

/** Table reference types of a plain SELECT (SHOW/DESCRIBE/SUMMARIZE and PIVOT are not). */
const TABLE_REFS = new Set(['BASE_TABLE', 'JOIN', 'SUBQUERY', 'TABLE_FUNCTION', 'EXPRESSION_LIST', 'EMPTY']);

/** Why a statement was refused: names the construct, never a data value. */
export interface Refusal {
  reason: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * Check a `json_serialize_sql` result: exactly one SELECT, reading only `tables` (the
 * room's, lower-case) and its own CTEs, through allowed table functions and no denied
 * scalar function. Returns the first refusal, or undefined when the statement passes.
 *
 * @example
 * ```ts
 * checkSelectTree(JSON.parse(serialized), new Set(['exposures'])); // undefined
 * checkSelectTree(JSON.parse(serializedReadCsv), new Set()); // { reason: 'table function read_csv is not allowed' }
 * ```
 */
export function checkSelectTree(tree: unknown, tables: ReadonlySet<string>): Refusal | undefined {
  const root = tree as JsonObject | null;
  if (root === null || typeof root !== 'object' || root.error !== false) return { reason: 'it is not a SELECT statement' };
  const statements = root.statements;
  if (!Array.isArray(statements) || statements.length !== 1) return { reason: 'it is not exactly one statement' };
  const cteNames = new Set<string>();
  const cteRefusal = collectCteNames(statements[0] ?? null, cteNames);
  if (cteRefusal !== undefined) return cteRefusal;
  return visit(statements[0] ?? null, { tables, cteNames });
}

interface Scope {
  tables: ReadonlySet<string>;
  cteNames: ReadonlySet<string>;
}

function visit(node: Json, scope: Scope): Refusal | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const refusal = visit(child, scope);
      if (refusal !== undefined) return refusal;
    }
    return undefined;
  }
  if (node === null || typeof node !== 'object') return undefined;
  const refusal = checkNode(node, scope);
  if (refusal !== undefined) return refusal;
  for (const child of Object.values(node)) {
    const childRefusal = visit(child, scope);
    if (childRefusal !== undefined) return childRefusal;
  }
  return undefined;
}

function checkNode(node: JsonObject, scope: Scope): Refusal | undefined {
  const type = typeof node.type === 'string' ? node.type : '';
  if ('cte_map' in node && 'modifiers' in node && !QUERY_NODES.has(type)) {
    return { reason: `query node ${type} is not allowed` };
  }
  if (isTableRef(node)) {
    if (!TABLE_REFS.has(type)) return { reason: `table reference ${type} is not allowed` };
    if (type === 'BASE_TABLE') return checkBaseTable(node, scope);
    if (type === 'TABLE_FUNCTION') {
      const fn = node.function as JsonObject | null;
      const name = lower(fn?.function_name);
      if (!TABLE_FUNCTIONS.has(name)) return { reason: `table function ${name} is not allowed` };
    }
  }
  // Scalar, aggregate and window calls all carry function_name.
  if (typeof node.function_name === 'string') {
    const name = lower(node.function_name);
    if (DENIED_FUNCTIONS.has(name) || hasDeniedPrefix(name)) return { reason: `function ${name} is not allowed` };
  }
  return undefined;
}

function checkBaseTable(node: JsonObject, scope: Scope): Refusal | undefined {
  const name = lower(node.table_name);
  const schema = lower(node.schema_name);
  const catalog = lower(node.catalog_name);
  if (node.at_clause !== null && node.at_clause !== undefined) return { reason: `time travel on ${name} is not allowed` };
  if (catalog !== '' && catalog !== 'room') return { reason: `database ${catalog} is not allowed` };
  if (schema !== '' && schema !== 'main') return { reason: `schema ${schema} is not allowed` };
  const isCte = catalog === '' && schema === '' && scope.cteNames.has(name);
  if (!isCte && !scope.tables.has(name)) return { reason: `table ${name} is not a table of this room` };
  return undefined;
}

function collectCteNames(node: Json, names: Set<string>): Refusal | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const refusal = collectCteNames(child, names);
      if (refusal !== undefined) return refusal;
    }
    return undefined;
  }
  if (node === null || typeof node !== 'object') return undefined;
  const cteMap = node.cte_map as JsonObject | null | undefined;
  if (cteMap !== null && typeof cteMap === 'object' && Array.isArray(cteMap.map)) {
    for (const entry of cteMap.map) {
      const name = lower((entry as JsonObject | null)?.key);
      // A CTE named like a system relation would let that name through elsewhere.
      if (!/^[a-z_][a-z0-9_]*$/.test(name) || hasDeniedPrefix(name)) return { reason: `CTE name ${name} is not allowed` };
      names.add(name);
    }
  }
  for (const child of Object.values(node)) {
    const refusal = collectCteNames(child, names);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}

function isTableRef(node: JsonObject): boolean {
  return 'alias' in node && 'sample' in node && !('class' in node);
}

function hasDeniedPrefix(name: string): boolean {
  return DENIED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

function lower(value: Json | undefined): string {
  return typeof value === 'string' ? value.toLowerCase() : '';
}
