import * as Plot from '@observablehq/plot';
import { useState } from 'preact/hooks';
import type { Resources } from '../api/resources.js';
import { ErrorBox } from '../components/error-box.js';
import { formatCell } from '../components/format.js';
import { PlotFigure } from '../components/plot-figure.js';
import { useLoad } from '../components/use-load.js';

/**
 * The operator's dashboard: the room's metrics (counts, match rates, runs over time,
 * refusals and suppressions) and the parties, with a way to add one and to issue and
 * revoke their keys (a key's secret is shown once, when issued). No data row is ever
 * shown here: the API gives the operator none.
 *
 * @example
 * ```tsx
 * <OperatorPage room={room} />
 * ```
 */
export function OperatorPage({ room }: { room: Resources }) {
  const metrics = useLoad(() => room.metrics(), [room]);
  const parties = useLoad(() => room.parties(), [room]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ name: string; id: string; apiKey: string }>();
  const [error, setError] = useState<Error>();
  const act = async (work: () => Promise<void>): Promise<void> => {
    setError(undefined);
    try {
      await work();
      parties.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  const create = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    try {
      const party = await room.createParty(name);
      setCreated({ name: party.name, id: party.id, apiKey: party.apiKey });
      setName('');
      parties.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <main class="operator">
      <h2>Operator dashboard</h2>
      {metrics.error ? <ErrorBox error={metrics.error} /> : null}
      {metrics.data ? <MetricsView metrics={metrics.data} /> : <p>Loading…</p>}
      <h3>Parties</h3>
      {parties.error ? <ErrorBox error={parties.error} /> : null}
      <table class="parties">
        <thead>
          <tr>
            <th>id</th>
            <th>name</th>
            <th>created</th>
            <th>keys</th>
          </tr>
        </thead>
        <tbody>
          {parties.data?.map((p) => (
            <tr key={p.id} data-party={p.id}>
              <td>{p.id}</td>
              <td>{p.name}</td>
              <td>{p.createdAt ?? ''}</td>
              <td>
                {(p.keys ?? []).map((k) => (
                  <div key={k.id} data-key={k.id}>
                    <code>{k.id}</code>{' '}
                    {k.revokedAt !== null ? (
                      <span class="note">revoked {k.revokedAt}</span>
                    ) : (
                      <button type="button" onClick={() => act(async () => void (await room.revokeKey(p.id, k.id)))}>
                        Revoke
                      </button>
                    )}
                  </div>
                ))}
                <button type="button" onClick={() => act(async () => setCreated({ name: p.name, id: p.id, apiKey: (await room.issueKey(p.id)).apiKey }))}>
                  Issue a new key
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={create} class="inline-form">
        <label>
          New party
          <input name="partyName" value={name} required onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit">Create party</button>
      </form>
      {created ? (
        <p class="ok">
          A key for {created.name} ({created.id}), shown once: <code data-new-key>{created.apiKey}</code>
        </p>
      ) : null}
      {error ? <ErrorBox error={error} /> : null}
    </main>
  );
}

/** Scalars as cards; lists of records as tables (nested figures flattened), runs per day charted. */
function MetricsView({ metrics }: { metrics: Record<string, unknown> }) {
  const entries = Object.entries(metrics);
  const scalars = entries.filter(([, v]) => v === null || typeof v !== 'object');
  const lists = entries.filter(([, v]) => Array.isArray(v)) as [string, Record<string, unknown>[]][];
  return (
    <div class="metrics">
      <div class="cards">
        {scalars.map(([k, v]) => (
          <div class="card" key={k} data-metric={k}>
            <div class="value">{formatCell(k, v)}</div>
            <div class="label">{k}</div>
          </div>
        ))}
      </div>
      {lists.map(([name, rows]) => {
        const flat = rows.map((row) => flatten(row));
        const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))].filter((c) => !c.includes('.byDay.'));
        const perDay = rows.flatMap((row) => Object.entries(((row.runs as { byDay?: Record<string, number> } | undefined)?.byDay) ?? {}).map(([day, runs]) => ({ day, runs, collaboration: String(row.id ?? '') })));
        return (
          <figure key={name} data-metric={name}>
            <figcaption>{name}</figcaption>
            {perDay.length > 0 ? (
              <PlotFigure
                label="Runs per day and collaboration"
                deps={[rows]}
                render={() => Plot.plot({ height: 220, x: { label: 'day', type: 'band' }, y: { label: 'runs', grid: true }, color: { legend: true }, marks: [Plot.barY(perDay, { x: 'day', y: 'runs', fill: 'collaboration', tip: true }), Plot.ruleY([0])] })}
              />
            ) : null}
            <div class="table-scroll">
            <table>
              <thead>
                <tr>{columns.map((c) => <th key={c}>{c}</th>)}</tr>
              </thead>
              <tbody>
                {flat.map((r, i) => (
                  <tr key={i}>{columns.map((c) => <td key={c}>{formatCell(c, r[c])}</td>)}</tr>
                ))}
              </tbody>
            </table>
            </div>
          </figure>
        );
      })}
    </div>
  );
}

/** `{ runs: { total: 3 } }` as `{ 'runs.total': 3 }`. */
function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value ?? {})) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
}
