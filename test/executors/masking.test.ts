/**
 * The masking rules of the delivery log (src/executors/masking.ts, attempt-calls.ts): credentials in URLs,
 * headers and bodies never survive, known secrets are masked by value anywhere, and hostile answers (huge,
 * binary, invalid UTF-8) are cut and made printable.
 */
import { describe, expect, it } from "vitest";
import { addSecret, BODY_PREVIEW, maskHeaders, maskSecrets, maskText, maskUrl, recordCalls } from "../../src/executors/index.js";
import type { ActionPorts, HttpRequest } from "../../src/executors/index.js";

describe("maskUrl", () => {
  it("a query parameter that names a secret (or sig/code/key) is masked; the others are kept", () => {
    expect(maskUrl("https://x.test/h?token=abc123456&sig=zzz&code=c0de&page=2")).toBe("https://x.test/h?token=***&sig=***&code=***&page=2");
  });
  it("basic auth loses user and password", () => {
    expect(maskUrl("https://alice:pa55word@x.test/h")).toBe("https://***:***@x.test/h");
  });
  it("a Slack or Teams webhook path is masked after its first segment", () => {
    expect(maskUrl("https://hooks.slack.com/services/T000/B000/XXXXXXXX")).toBe("https://hooks.slack.com/services/***/***/***");
    expect(maskUrl("https://acme.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456")).toBe(
      "https://acme.webhook.office.com/webhookb2/***/***/***/***",
    );
  });
  it("a path segment that looks like a token is masked; ordinary words are kept", () => {
    expect(maskUrl("https://x.test/api/hooks/a1b2c3d4e5f6g7h8i9j0k1/run")).toBe("https://x.test/api/hooks/***/run");
  });
  it("a URL the runtime resolved from a secret shows its origin only", () => {
    const known = new Set<string>();
    addSecret(known, "https://x.test/notify/plain-path?x=1");
    expect(maskUrl("https://x.test/notify/plain-path?x=1", known)).toBe("https://x.test/***");
  });
});

describe("maskHeaders and maskText", () => {
  it("secret-named headers are masked; known values are masked in any header", () => {
    const known = new Set(["known-secret-value"]);
    expect(maskHeaders({ Authorization: "Bearer x", "X-Api-Key": "k", "X-Echo": "a known-secret-value b", Accept: "*/*" }, known)).toEqual({
      authorization: "***",
      "x-api-key": "***",
      "x-echo": "a *** b",
      accept: "*/*",
    });
  });
  it("secret-named JSON fields, form fields and bearer credentials in text are masked", () => {
    expect(maskText(`{"access_token":"abc","ok":true}`)).toBe(`{"access_token":"***","ok":true}`);
    expect(maskText(`client_secret=s3cr3t&x=1`)).toBe(`client_secret=***&x=1`);
    expect(maskText(`sent Bearer abcdefgh12345678`)).toBe(`sent Bearer ***`);
  });
  it("a huge body is cut at the limit with its length said, also when it is one long word or a run of secret names", () => {
    for (const body of ["a".repeat(200_000), "token".repeat(40_000), `{"token":"${"x".repeat(199_990)}"}`]) {
      const out = maskText(body, undefined, BODY_PREVIEW);
      expect(out.length).toBeLessThan(BODY_PREVIEW + 40);
      expect(out).toMatch(/… \(\d{6} chars\)$/);
    }
    // a quoted secret cut before its closing quote is masked to the end
    expect(maskText(`{"token":"${"x".repeat(199_990)}"}`, undefined, BODY_PREVIEW)).not.toContain("xxx");
  });
  it("binary and invalid UTF-8 become printable: control characters and replacement runs collapse to one U+FFFD", () => {
    const decoded = Buffer.from([0x00, 0x01, 0x41, 0xc3, 0x28, 0xff, 0xfe, 0x1b, 0x42, 0x0a]).toString("utf8");
    const out = maskText(decoded);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
    expect(out).toBe("\ufffdA\ufffd(\ufffdB\n");
  });
  it("maskSecrets masks URLs inside parameters and keys that name secrets", () => {
    expect(maskSecrets({ url: "https://x.test/h?api_key=123456", headers: { Authorization: "Bearer z" }, url_env: "HOOK" })).toEqual({
      url: "https://x.test/h?api_key=***",
      headers: { Authorization: "***" },
      url_env: "HOOK",
    });
  });
});

describe("recordCalls", () => {
  const request = (over: Partial<HttpRequest> = {}): HttpRequest => ({
    url: "http://127.0.0.1:1/h",
    method: "POST",
    headers: {},
    signal: new AbortController().signal,
    ...over,
  });
  const ports = (body: string, env: Record<string, string> = {}): ActionPorts => ({
    http: { request: async () => ({ status: 500, headers: { "content-type": "text/plain", "set-cookie": "sid=1", server: "x" }, body }) },
    env,
    clock: { now: () => 0, sleep: async () => {} },
    repository: { owner: "o", repo: "r" },
  });

  it("a secret read through env, a secret header and a secret query value are masked in the request and in the echoed answer", async () => {
    const r = recordCalls(
      ports("echo https://127.0.0.1:1/hook/plainpath Bearer-less tok-header-123456 q-secret-777777", {
        HOOK: "https://127.0.0.1:1/hook/plainpath",
      }),
    );
    const url = r.ports.env.HOOK!;
    await r.ports.http.request(
      request({ url: `${url}?token=q-secret-777777`, headers: { authorization: "Bearer tok-header-123456", accept: "x" } }),
    );
    const text = JSON.stringify(r.calls());
    for (const s of ["plainpath", "tok-header-123456", "q-secret-777777"]) expect(text).not.toContain(s);
    expect(r.calls()[0]).toMatchObject({
      request: { method: "POST", headers: { authorization: "***", accept: "x" } },
      response: { status: 500 },
    });
    // only the response headers worth seeing are kept
    expect(r.calls()[0]!.response!.headers).toEqual({ "content-type": "text/plain" });
  });

  it("GitHub and Slack calls are logged under the API root their port calls (an Enterprise Server's, a configured Slack URL), the public one by default", async () => {
    const github = { request: async () => ({ status: 204, data: null }) };
    const slack = { call: async () => ({ ok: true, channel: "C1", ts: "1.2" }) };
    const signal = new AbortController().signal;
    const own = recordCalls({
      ...ports(""),
      github: { ...github, apiUrl: "https://ghe.example.test/api/v3/" },
      slack: { ...slack, apiUrl: "http://127.0.0.1:9/api" },
    });
    await own.ports.github!.request("POST /repos/{owner}/{repo}/dispatches", { owner: "o", repo: "r" }, signal);
    await own.ports.slack!.call("chat.postMessage", "xoxb-1", {}, signal);
    expect(own.calls().map((c) => c.request.url)).toEqual([
      "https://ghe.example.test/api/v3/repos/o/r/dispatches",
      "http://127.0.0.1:9/api/chat.postMessage",
    ]);
    const plain = recordCalls({ ...ports(""), github, slack });
    await plain.ports.github!.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" }, signal);
    await plain.ports.slack!.call("chat.update", "xoxb-1", {}, signal);
    expect(plain.calls().map((c) => c.request.url)).toEqual(["https://api.github.com/repos/o/r", "https://slack.com/api/chat.update"]);
  });

  it("a call without an answer is recorded with its error, and the error propagates", async () => {
    const failing: ActionPorts = {
      ...ports(""),
      http: { request: async () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })) },
    };
    const r = recordCalls(failing);
    await expect(r.ports.http.request(request())).rejects.toThrow(/ECONNREFUSED/);
    expect(r.calls()).toEqual([
      {
        request: { method: "POST", url: "http://127.0.0.1:1/h", headers: {}, body_bytes: 0 },
        response: null,
        error: { code: "ECONNREFUSED", reason: "connect ECONNREFUSED" },
      },
    ]);
  });
});
