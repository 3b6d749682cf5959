/**
 * GitHubPort on a small REST client over node:http(s) (`createGitHubRest`, see node-http-port.ts, baseUrl = GITHUB_API_URL so
 * GHES and local test servers work). It sends what Octokit's `request(route, params)` sends for the routes
 * hookline uses (URL variables expanded and encoded as RFC 6570 simple strings, the other parameters as query
 * (GET) or JSON body, `authorization: token ...`) and rejects like Octokit (`status`, `response.{status, headers,
 * data}`, the same message), so the executors and the state store see no difference. `@actions/github`'s Octokit
 * is loaded (on the first request) only behind an HTTP(S) proxy, which it supports and node:http does not:
 * otherwise the ~1 MB it brings (undici, Octokit's plugins) never loads, which is most of the Action's start.
 * Octokit's own retry and throttling plugins are NOT used: the executor's retry loop already retries (per
 * `max_retries`, honouring Retry-After), and stacking both would multiply attempts.
 */
import { ACTION_CODES, ActionError, statusError } from "../executors/errors.js";
import { nodeHttp, type NodeHttpResponse } from "./node-http-port.js";
import type { GitHubPort } from "../executors/types.js";

export interface GitHubPortOptions {
  token: string;
  /** e.g. process.env.GITHUB_API_URL; default https://api.github.com */
  baseUrl?: string;
  now?: () => number;
  /** proxy variables; default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What the executors and the state store call: `getOctokit(token, { baseUrl })` satisfies it too. */
export interface OctokitLike {
  request(route: string, params?: Record<string, unknown>): Promise<{ status: number; data: unknown }>;
}

export interface GitHubRestOptions {
  token: string;
  /** default https://api.github.com */
  baseUrl?: string;
  /** the process environment: proxy variables (and ACTIONS_ORCHESTRATION_ID for the user agent) */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Octokit's RequestError shape: what callers read (`status`, `response`) and its message. */
export class GitHubRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly response?: { url: string; status: number; headers: Record<string, string>; data: unknown },
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** RFC 6570 simple-string expansion as Octokit does it (`encodeURIComponent`, plus `!'()*`). */
function encodeUnreserved(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `METHOD /path/{var}` + params -> method, URL and JSON body, as @octokit/endpoint builds them. */
export function buildRequest(
  baseUrl: string,
  route: string,
  params: Record<string, unknown>,
): { method: string; url: string; body?: string } {
  const [verb, template = "/"] = route.includes(" ") ? route.split(" ", 2) : ["GET", route];
  const method = verb!.toUpperCase();
  const used = new Set<string>();
  let url = template.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    used.add(name);
    const v = params[name];
    return v === undefined || v === null ? "" : encodeUnreserved(String(v));
  });
  if (!/^http/.test(url)) url = baseUrl + url;
  const rest = Object.entries(params).filter(
    ([k]) => !used.has(k) && k !== "request" && k !== "headers" && k !== "baseUrl" && k !== "mediaType",
  );
  if (method === "GET" || method === "HEAD") {
    if (rest.length) url += (url.includes("?") ? "&" : "?") + rest.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join("&");
    return { method, url };
  }
  if (rest.length) return { method, url, body: JSON.stringify(Object.fromEntries(rest)) };
  return method === "PATCH" || method === "PUT" ? { method, url, body: "" } : { method, url };
}

function responseData(res: NodeHttpResponse): unknown {
  const type = res.headers["content-type"];
  if (type && /^application\/(scim\+)?json\b/i.test(type.trim())) {
    try {
      return JSON.parse(res.text);
    } catch {
      return res.text;
    }
  }
  return res.text;
}

function errorMessage(data: unknown): string {
  if (typeof data === "string") return data;
  if (typeof data === "object" && data !== null && "message" in data) {
    const d = data as { message: unknown; errors?: unknown; documentation_url?: unknown };
    const suffix = "documentation_url" in d ? ` - ${String(d.documentation_url)}` : "";
    return Array.isArray(d.errors)
      ? `${String(d.message)}: ${d.errors.map((v) => JSON.stringify(v)).join(", ")}${suffix}`
      : `${String(d.message)}${suffix}`;
  }
  return `Unknown error: ${JSON.stringify(data)}`;
}

/** The proxy variable that applies to `url` (@actions/http-client's rule), or undefined. */
function proxyFor(url: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const https = url.startsWith("https:");
  const proxy = https ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY;
  return proxy ? proxy : undefined;
}

/** A REST client over node:http(s); behind an HTTP(S) proxy, `@actions/github`'s Octokit (loaded on first use). */
export function createGitHubRest(options: GitHubRestOptions): OctokitLike {
  const baseUrl = (options.baseUrl ?? "https://api.github.com").replace(/\/+$/, "");
  const env = options.env ?? process.env;
  if (proxyFor(baseUrl, env) !== undefined) {
    let proxied: Promise<OctokitLike> | undefined;
    return {
      async request(route, params) {
        proxied ??= import("@actions/github").then((m) => m.getOctokit(options.token, { baseUrl }) as unknown as OctokitLike);
        return (await proxied).request(route, params);
      },
    };
  }
  const orchestration = env.ACTIONS_ORCHESTRATION_ID?.trim();
  const userAgent = `hookline-action${orchestration ? ` actions_orchestration_id/${orchestration.replace(/[^a-z0-9_.-]/gi, "_")}` : ""}`;
  return {
    async request(route, params = {}) {
      const req = buildRequest(baseUrl, route, params);
      const headers: Record<string, string> = { accept: "application/vnd.github.v3+json", "user-agent": userAgent };
      if (options.token) headers.authorization = `token ${options.token}`;
      if (req.body !== undefined && req.body !== "") headers["content-type"] = "application/json; charset=utf-8";
      for (const [k, v] of Object.entries((params.headers ?? {}) as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
      const signal = (params.request as { signal?: AbortSignal } | undefined)?.signal;
      let res: NodeHttpResponse;
      try {
        res = await nodeHttp(req.url, {
          method: req.method,
          headers,
          ...(req.body !== undefined ? { body: req.body } : {}),
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        if (err instanceof Error && err.name === "AbortError") throw Object.assign(err, { status: 500 });
        throw Object.assign(new GitHubRequestError(err instanceof Error ? err.message : "Unknown Error", 500), { cause: err });
      }
      const response = { url: res.url, status: res.status, headers: res.headers, data: "" as unknown };
      if (res.status === 204 || res.status === 205) return response;
      response.data = responseData(res);
      if (res.status === 304) throw new GitHubRequestError("Not modified", 304, response);
      if (res.status >= 400) throw new GitHubRequestError(errorMessage(response.data), res.status, response);
      return response;
    },
  };
}

function errorDetail(err: { message?: unknown; response?: { data?: unknown } }): string {
  const data = err.response?.data as { message?: unknown; errors?: unknown } | string | undefined;
  if (data && typeof data === "object") {
    const parts = [typeof data.message === "string" ? data.message : ""];
    if (data.errors !== undefined) parts.push(JSON.stringify(data.errors).slice(0, 300));
    return parts.filter(Boolean).join(" ");
  }
  if (typeof data === "string") return data.slice(0, 300);
  return typeof err.message === "string" ? err.message : "";
}

/** Wraps any Octokit-like `request` (tests and other runtimes may bring their own). */
export function gitHubPortFrom(octokit: OctokitLike, now: () => number = Date.now): GitHubPort {
  return {
    async request(route, params, signal) {
      try {
        return await octokit.request(route, { ...params, request: { signal } });
      } catch (err) {
        const e = err as { status?: unknown; message?: unknown; response?: { headers?: Record<string, unknown>; data?: unknown } };
        if (signal.aborted && signal.reason instanceof ActionError) throw signal.reason;
        // Octokit reports network failures as status 500 without a response: those are network errors
        if (typeof e?.status === "number" && e.status >= 300 && e.response !== undefined) {
          throw statusError(
            e.status,
            e.response?.headers,
            `GitHub ${route.split(" ")[0]} ${route.split(" ")[1] ?? ""}`.trim(),
            errorDetail(e),
            now(),
          );
        }
        throw new ActionError(
          ACTION_CODES.network,
          `GitHub request failed: ${typeof e?.message === "string" ? e.message : String(err)}`,
          true,
        );
      }
    },
  };
}

export function createGitHubPort(options: GitHubPortOptions): GitHubPort {
  return gitHubPortFrom(
    createGitHubRest({
      token: options.token,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.env ? { env: options.env } : {}),
    }),
    options.now,
  );
}
