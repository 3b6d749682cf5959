/**
 * The console's shell: sign-in gate, skip link, top navigation, the current page and sign-out. Focus moves to
 * the page's heading on navigation so keyboard and screen-reader users land on the new content.
 */
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, setSession, whenSignedOut, type SessionInfo } from "./api";
import { href, match, useHashPath } from "./router";
import { PAGES } from "./routes";
import { SignIn } from "./pages/sign-in";

function App() {
  const [session, setState] = useState<SessionInfo | null>(null);
  const path = useHashPath();
  const main = useRef<HTMLElement>(null);

  const update = (s: SessionInfo) => {
    setSession(s);
    setState(s);
  };
  useEffect(() => {
    whenSignedOut(() => update({ signed_in: false }));
    api<SessionInfo>("/api/session")
      .then(update)
      .catch(() => update({ signed_in: false }));
  }, []);
  const found = match(PAGES, path);
  // The first page shown after load keeps the browser's focus; every later page change (a link in the
  // navigation or inside a page, signing in) moves it to the new heading. A link inside the old page is gone by
  // now, which leaves focus on <body>: that must not read as "nothing to move".
  const shown = useRef(false);
  useEffect(() => {
    const h = main.current?.querySelector("h1");
    if (h && (shown.current || document.activeElement !== document.body)) h.focus();
    if (session !== null) shown.current = true;
    document.title = `${found?.page.title ?? "Not found"} · hookline`;
  }, [path, session?.signed_in]);

  if (session === null) return <p class="loading">Loading…</p>;
  if (!session.signed_in) return <SignIn onSignedIn={update} />;

  const signOut = async () => {
    await api("/api/session", { method: "DELETE" }).catch(() => undefined);
    update({ signed_in: false });
  };
  const Page = found?.page.component;
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.querySelector("h1")?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">hookline</span>
        <nav aria-label="Main">
          <ul>
            {PAGES.filter((p) => p.nav).map((p) => (
              <li key={p.path}>
                <a href={href(p.path)} aria-current={path === p.path || path.startsWith(p.path + "/") ? "page" : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who" title="signed in as">
          {session.actor}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" ref={main}>
        {Page ? (
          <Page key={path} params={found.params} />
        ) : (
          <>
            <h1 tabIndex={-1}>Not found</h1>
            <p>
              No console page at {path}. <a href={href("/events")}>Go to the events</a>.
            </p>
          </>
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
