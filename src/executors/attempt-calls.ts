/**
 * What one attempt of an action sent and got back, for the delivery log (issue 16): `recordCalls(ports)` wraps
 * the ports an attempt runs with (HTTP, GitHub, Slack, and the env through which secrets are resolved) and keeps a
 * masked summary of each call: method and URL, a few headers, the answer's status, a few headers and the first
 * bytes of its body. Masking happens here, as the call is recorded (masking.ts): what the runtime resolved from
 * the environment, and the Slack token it was handed, are masked by value as well as by name. The executors are
 * unchanged: they see the same ports.
 */
import { addSecret, maskHeaders, maskText, maskUrl, SECRET_KEY, SECRET_QUERY, type KnownSecrets } from "./masking.js";
import type { ActionPorts, GitHubPort, HttpPort, SlackPort } from "./types.js";

export interface CallSummary {
  request: { method: string; url: string; headers: Record<string, string>; body_bytes: number };
  /** null: no answer (network error, time-out, refused by the egress policy) */
  response: { status: number; headers: Record<string, string>; body: string; body_bytes: number } | null;
  /** the error of a call that got no answer, or that the port turned into an error */
  error?: { code: string; reason: string };
}

/** calls kept per attempt (a Slack notification makes two: the message, then a reply in its thread) */
export const MAX_CALLS = 5;
/** characters of a response body kept */
export const BODY_PREVIEW = 1024;
/** response headers worth seeing; the others are left out */
const RESPONSE_HEADERS = [
  "content-type",
  "content-length",
  "retry-after",
  "location",
  "x-request-id",
  "x-github-request-id",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "x-slack-req-id",
];

export interface CallRecorder {
  /** the ports to run the attempt with */
  ports: ActionPorts;
  /** the calls so far, masked */
  calls(): CallSummary[];
  /** the secrets resolved so far (to mask an error reason with) */
  secrets(): KnownSecrets;
}

function errorOf(err: unknown, secrets: KnownSecrets): { code: string; reason: string } {
  const e = err as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof e?.code === "string" ? e.code : typeof e?.name === "string" ? e.name : "Error";
  return { code: code.slice(0, 100), reason: maskText(typeof e?.message === "string" ? e.message : String(err), secrets) };
}

/**
 * What the request itself says is secret (a secret-named header or query parameter, a basic-auth password) is
 * known by value from then on: a receiver echoing it back in its answer shows "***".
 */
function learnSecrets(into: Set<string>, url: string, headers: Record<string, string>): void {
  for (const [k, v] of Object.entries(headers)) {
    if (!SECRET_KEY.test(k)) continue;
    addSecret(into, v);
    addSecret(into, v.replace(/^\s*\w+\s+/, "")); // the credential after its scheme (`Bearer …`)
  }
  try {
    const u = new URL(url);
    for (const [k, v] of u.searchParams) if (SECRET_KEY.test(k) || SECRET_QUERY.test(k)) addSecret(into, v);
    if (u.password) addSecret(into, decodeURIComponent(u.password));
  } catch {
    /* the executor checked it */
  }
}

const bytes = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, "utf8"));

export function recordCalls(ports: ActionPorts): CallRecorder {
  const secrets = new Set<string>();
  const calls: CallSummary[] = [];
  let dropped = 0;
  const push = (c: CallSummary) => (calls.length < MAX_CALLS ? calls.push(c) : dropped++);
  /** runs one call and records it: its answer as `answer` summarizes it, or the error it threw */
  async function recorded<T>(
    request: CallSummary["request"],
    run: () => Promise<T>,
    answer: (res: T) => CallSummary["response"],
  ): Promise<T> {
    try {
      const res = await run();
      push({ request, response: answer(res) });
      return res;
    } catch (err) {
      push({ request, response: null, error: errorOf(err, secrets) });
      throw err;
    }
  }

  // every secret an executor reads (webhook URLs, tokens, SMTP URLs) is known by value from then on
  const env = new Proxy(ports.env, {
    get(target, key) {
      const v = Reflect.get(target, key) as string | undefined;
      if (typeof key === "string" && typeof v === "string") addSecret(secrets, v);
      return v;
    },
  });

  const http: HttpPort = {
    async request(req) {
      learnSecrets(secrets, req.url, req.headers);
      const request = {
        method: req.method,
        url: maskUrl(req.url, secrets),
        headers: maskHeaders(req.headers, secrets),
        body_bytes: bytes(req.body),
      };
      return recorded(
        request,
        () => ports.http.request(req),
        (res) => ({
          status: res.status,
          headers: maskHeaders(res.headers, secrets, RESPONSE_HEADERS),
          body: maskText(res.body, secrets, BODY_PREVIEW),
          body_bytes: bytes(res.body),
        }),
      );
    },
  };

  const github: GitHubPort | undefined = ports.github && {
    async request(route, params, signal) {
      const [method, path] = route.includes(" ") ? route.split(" ", 2) : ["GET", route];
      const url = maskUrl(
        `${(ports.github!.apiUrl ?? "https://api.github.com").replace(/\/+$/, "")}${path!.replace(/\{(\w+)\}/g, (m, k: string) => (typeof params[k] === "string" || typeof params[k] === "number" ? encodeURIComponent(String(params[k])) : m))}`,
        secrets,
      );
      const request = { method: method!, url, headers: {}, body_bytes: 0 };
      return recorded(
        request,
        () => ports.github!.request(route, params, signal),
        (res) => ({
          status: res.status,
          headers: {},
          body: maskText(JSON.stringify(res.data ?? null), secrets, BODY_PREVIEW),
          body_bytes: 0,
        }),
      );
    },
  };

  const slack: SlackPort | undefined = ports.slack && {
    async call(method, token, args, signal) {
      addSecret(secrets, token);
      const request = {
        method: "POST",
        url: `${(ports.slack!.apiUrl ?? "https://slack.com/api/").replace(/\/*$/, "/")}${method}`,
        headers: { authorization: "***" },
        body_bytes: 0,
      };
      return recorded(
        request,
        () => ports.slack!.call(method, token, args, signal),
        (res) => {
          const body = JSON.stringify({ ok: res.ok, channel: res.channel, ts: res.ts, error: res.error });
          return { status: 200, headers: {}, body: maskText(body, secrets, BODY_PREVIEW), body_bytes: 0 };
        },
      );
    },
  };

  const wrapped: ActionPorts = { ...ports, env, http };
  if (github) wrapped.github = github;
  if (slack) wrapped.slack = slack;
  return {
    ports: wrapped,
    calls: () =>
      dropped === 0
        ? [...calls]
        : [...calls, { request: { method: "", url: `(${dropped} more calls not recorded)`, headers: {}, body_bytes: 0 }, response: null }],
    secrets: () => secrets,
  };
}
