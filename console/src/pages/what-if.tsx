/**
 * What-if (issue 16 item 5, docs/what-if.md): pick a scope and a range, edit the automations YAML (problems at
 * line:col as you type, from the debounced POST /api/what-if/validate), run the replay (POST /api/what-if, the
 * same engine as `hookline simulate`) and compare with the live configuration: a difference table per
 * automation and a timeline. The busy (503) and truncated answers are shown as such, never as a result.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { WhatIfTimeline, type TimelineFiring } from "../what-if-timeline";
import { localTime } from "../time";
import { labelsText } from "../labels";
import { enc, href } from "../router";

interface Problem {
  code: string;
  message: string;
  line: number;
  col: number;
  severity: string;
  hint?: string;
}

interface Side {
  firings: TimelineFiring[];
  totals: { firings: number; actions: number; triggered: number; resolved: number };
  cut: boolean;
}

interface Diff {
  automation: string;
  live: number | null;
  proposed: number | null;
  changed: boolean;
  first_differences: { change: string; state: string; at: string; triggering_event: string | null; labels: Record<string, string> }[];
}

interface Result {
  since: string;
  until: string;
  problems: Problem[];
  replayed: boolean;
  events: number;
  scanned: number;
  truncated: boolean;
  /** the server's event bound (present when truncated) */
  max_events?: number;
  replayed_until: string | null;
  live: Side | null;
  proposed: Side | null;
  diff: Diff[];
}

interface Status {
  scopes: { scope: string; automations_yaml: string | null }[];
}

const DAY = 86_400_000;
const VALIDATE_AFTER_MS = 400;

/** `<input type="datetime-local">`'s value for a time, in the browser's zone */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** the textarea offset of line:col (1-based) */
function offsetOf(text: string, line: number, col: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  const end = text.indexOf("\n", at);
  return Math.min(at + Math.max(0, col - 1), end < 0 ? text.length : end);
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function WhatIfPage() {
  const [status, setStatus] = useState<Status | null>(null);
  const [scope, setScope] = useState("");
  const now = useRef(Date.now()).current;
  const [since, setSince] = useState(localInput(now - 7 * DAY));
  const [until, setUntil] = useState(localInput(now + 60_000));
  const [yaml, setYaml] = useState("");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [result, setResult] = useState<Result | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);
  const checks = useRef(0);

  useEffect(() => {
    api<Status>("/api/automations")
      .then((s) => {
        setStatus(s);
        const first = s.scopes[0];
        if (first) {
          setScope(first.scope);
          setYaml(first.automations_yaml ?? "");
        }
      })
      .catch((err: Error) => setError(err.message));
  }, []);

  useEffect(() => {
    const n = ++checks.current;
    const t = setTimeout(() => {
      api<{ problems: Problem[] }>("/api/what-if/validate", { method: "POST", body: { automations: yaml } })
        .then((r) => n === checks.current && setProblems(r.problems))
        .catch((err: Error) => n === checks.current && setError(err.message));
    }, VALIDATE_AFTER_MS);
    return () => clearTimeout(t);
  }, [yaml]);

  const chooseScope = (s: string) => {
    setScope(s);
    setYaml(status?.scopes.find((x) => x.scope === s)?.automations_yaml ?? "");
    setResult(null);
  };

  const goTo = (p: Problem) => {
    const el = editor.current;
    if (!el) return;
    el.focus();
    const at = offsetOf(el.value, p.line, p.col);
    el.setSelectionRange(at, at);
  };

  const run = async (e: Event) => {
    e.preventDefault();
    setRunning(true);
    setBusy(false);
    setError(null);
    try {
      const body = { scope, since: new Date(since).toISOString(), until: new Date(until).toISOString(), automations: yaml };
      const r = await api<Result>("/api/what-if", { method: "POST", body });
      setProblems(r.problems);
      setResult(r);
    } catch (err) {
      if (err instanceof ApiError && err.status === 503) setBusy(true);
      else setError((err as Error).message);
    } finally {
      setRunning(false);
    }
  };

  const errors = problems.filter((p) => p.severity === "error");
  const hasLive = Boolean(status?.scopes.find((x) => x.scope === scope)?.automations_yaml);
  return (
    <>
      <h1 tabIndex={-1}>What-if</h1>
      <p class="help">
        Replay this scope's stored events through an edited automations file and compare with what the live configuration produced. The same
        engine as <code>hookline simulate</code>; nothing is executed.
      </p>
      <form class="what-if" onSubmit={run}>
        <div class="filters">
          <div class="field">
            <label for="wi-scope">Scope</label>
            <select id="wi-scope" value={scope} onChange={(e) => chooseScope(e.currentTarget.value)}>
              {status?.scopes.map((s) => (
                <option key={s.scope} value={s.scope}>
                  {s.scope}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="wi-since">From</label>
            <input id="wi-since" type="datetime-local" value={since} onInput={(e) => setSince(e.currentTarget.value)} required />
          </div>
          <div class="field">
            <label for="wi-until">Until</label>
            <input id="wi-until" type="datetime-local" value={until} onInput={(e) => setUntil(e.currentTarget.value)} required />
          </div>
        </div>
        <div class="field">
          <label for="wi-yaml">Proposed automations (YAML)</label>
          <textarea
            id="wi-yaml"
            ref={editor}
            class="yaml-editor"
            rows={18}
            spellcheck={false}
            value={yaml}
            onInput={(e) => setYaml(e.currentTarget.value)}
            aria-invalid={errors.length > 0}
            aria-describedby="wi-yaml-help wi-problems"
          />
          <p id="wi-yaml-help" class="help">
            {hasLive
              ? "Prefilled with the scope's live automations file: edit it and Run to compare."
              : "This scope has no live automations file: write an automations: file to try (as in .github/automations.yaml)."}
          </p>
        </div>
        <div id="wi-problems" aria-live="polite" class="problems">
          {problems.length > 0 && (
            <ul aria-label="Problems">
              {problems.map((p, i) => (
                <li key={i} class={p.severity}>
                  <button type="button" class="link" onClick={() => goTo(p)}>
                    line {p.line}:{p.col}
                  </button>{" "}
                  {p.severity} <code>{p.code}</code>: {p.message}
                  {p.hint ? ` ${p.hint}` : ""}
                </li>
              ))}
            </ul>
          )}
        </div>
        <button type="submit" disabled={running || !scope}>
          {running ? "Running…" : "Run"}
        </button>
      </form>
      <div role="status" aria-live="polite" class="status">
        {busy && <p class="warning busy">The server is busy with other replays (503): try again in a few seconds.</p>}
        {result &&
          (result.replayed ? `Replayed ${result.events} events (${result.scanned} read).` : "Not replayed: fix the errors above first.")}
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {result?.truncated && (
        <p class="warning truncated">
          Truncated: the {(result.max_events ?? 100_000).toLocaleString("en")}-event limit was reached; the replay stops at{" "}
          <time dateTime={result.replayed_until ?? ""}>{localTime(result.replayed_until ?? result.until)}</time>.
        </p>
      )}
      {result?.replayed && result.live && result.proposed && (
        <section aria-labelledby="wi-results">
          <h2 id="wi-results">Live and proposed</h2>
          {(result.live.cut || result.proposed.cut) && (
            <p class="warning">More than 1,000 firings: the timeline shows the first 1,000; the table counts them all.</p>
          )}
          <WhatIfTimeline
            since={result.since}
            until={result.truncated && result.replayed_until ? result.replayed_until : result.until}
            live={result.live.firings}
            proposed={result.proposed.firings}
          />
          <table class="what-if-diff">
            <caption>Triggered firings per automation</caption>
            <thead>
              <tr>
                <th scope="col">Automation</th>
                <th scope="col">Live</th>
                <th scope="col">Proposed</th>
                <th scope="col">Delta</th>
                <th scope="col">First differences</th>
              </tr>
            </thead>
            <tbody>
              {result.diff.map((d) => (
                <tr key={d.automation} data-automation={d.automation} class={d.changed ? "changed" : ""}>
                  <th scope="row">{d.automation}</th>
                  <td data-col="live">{d.live ?? "none"}</td>
                  <td data-col="proposed">{d.proposed ?? "none"}</td>
                  <td data-col="delta">{signed((d.proposed ?? 0) - (d.live ?? 0))}</td>
                  <td>
                    {d.first_differences.length === 0 ? (
                      "same"
                    ) : (
                      <ul>
                        {d.first_differences.map((f, i) => (
                          <li key={i}>
                            {f.change === "added" ? "only proposed" : "only live"}: {f.state} at{" "}
                            <time dateTime={f.at}>{localTime(f.at)}</time>
                            {labelsText(f.labels) && ` for ${labelsText(f.labels)}`}
                            {f.triggering_event && (
                              <>
                                {" "}
                                (<a href={href(`/events/${enc(f.triggering_event)}`)}>event</a>)
                              </>
                            )}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
