/**
 * The HttpPort of automations whose targets a repository controls (call-webhook, webhook / Teams / Slack
 * incoming-webhook notifiers): undici (the engine of Node's fetch) with an Agent whose `connect` asks the egress
 * policy for the address and connects to exactly that address. Every new connection is checked, pooled
 * connections were checked when they were opened, and IP literals are checked like names. The TLS server name
 * stays the URL's host name, so certificates are verified against the name, not the address. Redirects are
 * never followed: a 3xx answer fails with HOOKLINE_EGRESS_REDIRECT. After connecting, the socket's remote
 * address is compared with the checked one (it cannot differ; if it ever did, the connection is dropped).
 *
 * Network failures say the host and the error code only, never a message that could quote the far end.
 * Why undici and not node:http with a `lookup` option: one hook covers names and literals alike, and
 * (bench, loopback, 2,000 POSTs) it costs about what the unpoliced global fetch does; see docs/egress.md.
 */
import { isIP, type Socket } from "node:net";
import type { Agent, Dispatcher } from "undici";
import { ACTION_CODES, ActionError } from "../../executors/errors.js";
import type { HttpPort, HttpRequest, HttpResponse } from "../../executors/types.js";
import { EGRESS_CODES, withoutZone } from "./address-rules.js";
import { createEgressPolicy, type EgressPolicy } from "./egress-policy.js";

export const RESPONSE_TEXT_LIMIT = 64 * 1024;

export interface PolicedHttpOptions {
  policy?: EgressPolicy;
  /** ms to open a connection (default 10 s; the action's own timeout still applies) */
  connectTimeoutMs?: number;
}

type Body = Dispatcher.ResponseData["body"];
type Undici = Pick<typeof import("undici"), "Agent" | "buildConnector" | "request">;

/** undici is loaded on the first policed call (~180 ms of module loading the server's start does not need to wait for) */
let undici: Promise<Undici> | undefined;

/** Drops the rest of an answer (undici reports a destroyed body as an error: nobody listens for it). */
function discard(body: Body): void {
  body.on("error", () => undefined).destroy();
}

async function readLimited(body: Body): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= RESPONSE_TEXT_LIMIT) break;
    }
  } finally {
    discard(body);
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_TEXT_LIMIT).toString("utf8");
}

function flatHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

/** An error of undici or the socket as an ActionError that quotes nothing the far end said. */
function networkError(host: string, err: unknown, signal: AbortSignal): ActionError {
  if (err instanceof ActionError) return err;
  if (signal.aborted && signal.reason instanceof ActionError) return signal.reason;
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = [e?.code, e?.cause?.code].find((c): c is string => typeof c === "string" && /^[A-Z0-9_]{1,40}$/.test(c));
  return new ActionError(ACTION_CODES.network, `the request to ${host} failed${code ? ` (${code})` : ""}`, true);
}

export function createPolicedHttpPort(options: PolicedHttpOptions = {}): HttpPort {
  const policy = options.policy ?? createEgressPolicy();
  let agent: Agent | undefined;
  const dispatcher = ({ Agent, buildConnector }: Undici) => {
    const direct = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 });
    return new Agent({
      connect(opts, callback) {
        policy.addressFor(opts.hostname).then(
          ({ address }) => {
            const name = withoutZone(opts.hostname);
            // the name stays the TLS server name (SNI and certificate check); undici sends the Host header itself
            const servername = isIP(name) === 0 ? name : undefined;
            direct({ ...opts, hostname: address, ...(servername ? { servername } : {}) }, (err, socket) => {
              if (err || !socket) return callback(err ?? new Error("no socket"), null);
              const remote = (socket as Socket).remoteAddress;
              if (remote !== undefined && withoutZone(remote) !== withoutZone(address) && remote !== `::ffff:${address}`) {
                socket.destroy();
                return callback(new ActionError(EGRESS_CODES.reserved, `the connection to ${name} reached another address`, false), null);
              }
              callback(null, socket);
            });
          },
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null),
        );
      },
    });
  };
  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      const url = new URL(req.url);
      const host = url.host;
      const lib = await (undici ??= import("undici") as Promise<Undici>);
      agent ??= dispatcher(lib);
      let res: Dispatcher.ResponseData;
      try {
        res = await lib.request(url, {
          dispatcher: agent,
          method: req.method as Dispatcher.HttpMethod,
          headers: req.headers,
          ...(req.body !== undefined ? { body: req.body } : {}),
          signal: req.signal,
        });
      } catch (err) {
        throw networkError(host, err, req.signal);
      }
      if (res.statusCode >= 300 && res.statusCode < 400) {
        discard(res.body);
        throw new ActionError(
          EGRESS_CODES.redirect,
          `${host} answered HTTP ${res.statusCode}, a redirect: redirects are never followed (call the final URL instead)`,
          false,
        );
      }
      let body: string;
      try {
        body = await readLimited(res.body);
      } catch (err) {
        throw networkError(host, err, req.signal);
      }
      return { status: res.statusCode, headers: flatHeaders(res.headers), body };
    },
  };
}
