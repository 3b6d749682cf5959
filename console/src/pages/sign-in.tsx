/** Sign-in: the server's API token, exchanged at POST /api/session for an HttpOnly session cookie. */
import { useState } from "preact/hooks";
import { api, ApiError, type SessionInfo } from "../api";

export function SignIn({ onSignedIn }: { onSignedIn(s: SessionInfo): void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api<Omit<SessionInfo, "signed_in">>("/api/session", { method: "POST", body: { token } });
      setToken("");
      onSignedIn({ signed_in: true, ...s });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "the server did not answer: is it running?");
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1 tabIndex={-1}>Sign in to hookline</h1>
      <form onSubmit={submit}>
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          required
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          aria-describedby="token-help"
        />
        <p id="token-help" class="help">
          HOOKLINE_API_TOKEN, or the file <code>.hookline/api-token</code> the server created on its first start.
        </p>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
