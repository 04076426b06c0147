import { useState } from 'preact/hooks';
import { ErrorBox } from '../components/error-box.js';

/**
 * Sign-in with an API key: a party's key, or the operator's. The key stays in this tab's
 * session storage only.
 *
 * @example
 * ```tsx
 * <SignIn onKey={(key) => start(key)} error={error} />
 * ```
 */
export function SignIn({ onKey, error }: { onKey: (key: string) => void; error: Error | undefined }) {
  const [key, setKey] = useState('');
  return (
    <main class="sign-in">
      <h1>cleanroom</h1>
      <p>Sign in with the API key your operator gave you.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim() !== '') onKey(key.trim());
        }}
      >
        <label>
          API key
          <input name="apiKey" type="password" autocomplete="off" value={key} onInput={(e) => setKey((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit">Sign in</button>
      </form>
      {error ? <ErrorBox error={error} /> : null}
    </main>
  );
}
