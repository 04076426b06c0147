import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from './api/client.js';
import { resources } from './api/resources.js';
import type { Identity } from './api/types.js';
import { CollaborationList } from './pages/collaboration-list.js';
import { CollaborationPage } from './pages/collaboration-page.js';
import { NewCollaboration } from './pages/new-collaboration.js';
import { OperatorPage } from './pages/operator-page.js';
import { SignIn } from './pages/sign-in.js';
import { parseRoute } from './route.js';

const KEY_ITEM = 'cleanroom.apiKey';

/**
 * The whole UI: sign-in, then the operator's dashboard or the party's collaborations,
 * routed by the location hash.
 *
 * @example
 * ```tsx
 * render(<App />, document.getElementById('app')!);
 * ```
 */
export function App() {
  const [key, setKey] = useState(() => sessionStorage.getItem(KEY_ITEM) ?? '');
  const [identity, setIdentity] = useState<Identity>();
  const [error, setError] = useState<Error>();
  const [hash, setHash] = useState(location.hash);
  const room = useMemo(() => resources(createApi(key)), [key]);

  useEffect(() => {
    const onHash = (): void => setHash(location.hash);
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (key === '') return;
    setIdentity(undefined);
    room.identity().then(
      (who) => {
        sessionStorage.setItem(KEY_ITEM, key);
        setIdentity(who);
      },
      (e: unknown) => {
        sessionStorage.removeItem(KEY_ITEM);
        setError(e as Error);
        setKey('');
      },
    );
  }, [key, room]);

  const signOut = (): void => {
    sessionStorage.removeItem(KEY_ITEM);
    setKey('');
    setIdentity(undefined);
    location.hash = '#/';
  };

  if (key === '') return <SignIn onKey={(k) => (setError(undefined), setKey(k))} error={error} />;
  if (identity === undefined) return <p class="loading">Signing in…</p>;
  const route = parseRoute(hash);
  return (
    <>
      <header class="top">
        <a href="#/" class="brand">
          cleanroom
        </a>
        <span class="who" data-identity={identity.kind}>
          {identity.kind === 'operator' ? 'operator' : (identity.name ?? identity.id ?? 'party')}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      {identity.kind === 'operator' ? (
        <OperatorPage room={room} />
      ) : route.page === 'new' ? (
        <NewCollaboration room={room} identity={identity} />
      ) : route.page === 'collaboration' ? (
        <CollaborationPage room={room} identity={identity} id={route.id} tab={route.tab} {...(route.runId !== undefined ? { runId: route.runId } : {})} />
      ) : (
        <CollaborationList room={room} />
      )}
    </>
  );
}
