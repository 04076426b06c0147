import { useEffect, useState } from 'preact/hooks';
import { can, myRoles } from '../api/my-roles.js';
import type { Resources } from '../api/resources.js';
import type { Identity, Run } from '../api/types.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';
import { AnalysesPanel } from './analyses-panel.js';
import { AuditPanel } from './audit-panel.js';
import { BudgetPanel } from './budget-panel.js';
import { DatasetsPanel } from './datasets-panel.js';
import { RunView } from './run-view.js';
import { RunsPanel } from './runs-panel.js';
import { TermsPanel } from './terms-panel.js';

const PENDING_POLL_MS = 2000;
const TABS = ['overview', 'datasets', 'analyses', 'runs', 'audit'] as const;
type Tab = (typeof TABS)[number];

/**
 * One collaboration, in tabs: members and terms, datasets, analyses, runs (and one run's
 * result when `runId` is set), and the audit log; under differential privacy, the budget
 * panel on the overview and the analyses, read again after every run.
 *
 * @example
 * ```tsx
 * <CollaborationPage room={room} identity={identity} id="c_01" tab="analyses" />
 * ```
 */
export function CollaborationPage({ room, identity, id, tab, runId }: { room: Resources; identity: Identity; id: string; tab: string; runId?: string }) {
  const collaboration = useLoad(() => room.collaboration(id), [room, id]);
  const [started, setStarted] = useState<Run[]>([]);
  // Always the server's current state of the run: a review may have changed it since.
  const run = useLoad(async () => (runId === undefined ? undefined : room.run(id, runId)), [room, id, runId, started]);
  // A pending run changes when its reviewer decides: look again every few seconds.
  const pending = run.data?.status === 'pending';
  useEffect(() => {
    if (!pending) return undefined;
    const timer = setInterval(run.reload, PENDING_POLL_MS);
    return () => clearInterval(timer);
  }, [pending, run.reload]);
  const c = collaboration.data;
  const dp = c !== undefined && c.template.privacy.dp !== null;
  const budget = useLoad(async () => (dp ? room.budget(id) : undefined), [room, id, dp, started]);
  if (collaboration.error) return <main><ErrorBox error={collaboration.error} /></main>;
  if (c === undefined) return <main><p>Loading…</p></main>;
  const roles = myRoles(c, identity);
  const current: Tab = runId !== undefined ? 'runs' : (TABS as readonly string[]).includes(tab) ? (tab as Tab) : 'overview';
  const link = (t: Tab): string => `#/c/${encodeURIComponent(id)}/${t}`;
  const opened = (r: Run): void => {
    setStarted((list) => [...list.filter((x) => x.id !== r.id), r]);
    location.hash = `#/c/${encodeURIComponent(id)}/runs/${encodeURIComponent(r.id)}`;
  };
  return (
    <main class="collaboration" data-collaboration={c.id}>
      <h2>
        {c.name} <small>{c.template.title} v{c.template.version}</small>
      </h2>
      <p class="meta">
        You are: {roles.join(', ') || 'a member'} · {can(c, roles, 'contributes') ? 'contributes ' : ''}
        {can(c, roles, 'runs') ? 'runs ' : ''}
        {can(c, roles, 'receives') ? 'receives ' : ''}
        {can(c, roles, 'activates') ? 'activates' : ''}
        {c.encryptedAtRest === true ? <span data-encrypted-at-rest=""> · encrypted at rest</span> : null}
      </p>
      <nav class="tabs">
        {TABS.map((t) => (
          <a key={t} href={link(t)} class={t === current ? 'current' : ''}>
            {t}
          </a>
        ))}
      </nav>
      {current === 'overview' ? (
        <>
          <p>{c.template.description}</p>
          <p class="meta">
            Privacy: every released row covers at least {c.template.privacy.minPeople} people
            {c.template.privacy.dp !== null ? '; every result is noised under differential privacy and charged to a budget' : ''}
            {c.template.privacy.rounding ? `; counts in ranges of ${c.template.privacy.rounding.to}` : ''}
            {c.template.privacy.reviewBy.length > 0 ? `; results reviewed by ${c.template.privacy.reviewBy.join(', ')}` : ''}. Data kept {c.template.retentionDays} days.
          </p>
          <TermsPanel room={room} collaboration={c} roles={roles} onChange={collaboration.reload} />
        </>
      ) : null}
      {dp && (current === 'overview' || current === 'analyses') ? budget.error ? <ErrorBox error={budget.error} /> : budget.data ? <BudgetPanel budget={budget.data} /> : null : null}
      {current === 'datasets' ? <DatasetsPanel room={room} collaboration={c} roles={roles} onChange={collaboration.reload} /> : null}
      {current === 'analyses' ? <AnalysesPanel room={room} collaboration={c} roles={roles} onRun={opened} /> : null}
      {current === 'runs' && runId === undefined ? <RunsPanel room={room} collaborationId={c.id} started={started} onOpen={() => undefined} /> : null}
      {current === 'runs' && runId !== undefined ? (
        run.error ? <ErrorBox error={run.error} /> : run.data ? <RunView room={room} collaboration={c} run={run.data} roles={roles} onChange={opened} /> : <p>Loading…</p>
      ) : null}
      {current === 'audit' ? <AuditPanel room={room} collaborationId={c.id} /> : null}
    </main>
  );
}
