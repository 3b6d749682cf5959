import { afterEach, describe, expect, it } from "vitest";
import { executeInvocation, runInvocation } from "../../src/executors/index.js";
import { NOW, actionOf, invocationOf, portsFor, startServer, type TestServer } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("do-nothing and pause/resume", () => {
  it("do-nothing executes without any request", async () => {
    const { ports } = portsFor();
    expect(await runInvocation(invocationOf(actionOf("do-nothing", {})), {}, ports)).toEqual({ status: "executed", attempts: 1 });
  });

  it("pause-automation with source inferred pauses the firing's own automation; resume-automation names one", async () => {
    const { ports, paused } = portsFor();
    await runInvocation(invocationOf(actionOf("pause-automation", { source: "inferred" })), {}, ports);
    await runInvocation(invocationOf(actionOf("resume-automation", { source: "selected", automation: "nightly" })), {}, ports);
    expect(paused).toEqual([
      ["ci-alerts", true],
      ["nightly", false],
    ]);
  });

  it("without a pause store the action fails instead of silently doing nothing", async () => {
    const { ports } = portsFor();
    delete ports.pauses;
    expect(await runInvocation(invocationOf(actionOf("pause-automation", { source: "inferred" })), {}, ports)).toMatchObject({
      status: "failed",
      code: "HOOKLINE_ACTION_UNAVAILABLE",
    });
  });
});

describe("call-webhook", () => {
  it("sends an object body as JSON with the method, headers and an idempotency key", async () => {
    server = await startServer(() => ({ status: 200, body: { ok: true } }));
    const { ports } = portsFor();
    const inv = invocationOf(
      actionOf("call-webhook", {
        url: `${server.url}/hook?run={{ workflow_run.id }}`,
        method: "PUT",
        headers: { "x-token": "t" },
        body: { run: "{{ workflow_run.id }}" },
      }),
    );
    expect(await runInvocation(inv, {}, ports)).toMatchObject({ status: "executed", result: { status: 200 } });
    const req = server.requests[0]!;
    expect(req).toMatchObject({ method: "PUT", path: "/hook?run=123", json: { run: 123 } });
    expect(req.headers).toMatchObject({ "x-token": "t", "content-type": "application/json", "idempotency-key": "firing-1:0" });
  });

  it("sends a string body as is, keeping a given content-type", async () => {
    server = await startServer(() => ({ status: 204 }));
    const { ports } = portsFor();
    await runInvocation(
      invocationOf(
        actionOf("call-webhook", {
          url: server.url,
          method: "POST",
          headers: { "Content-Type": "text/plain" },
          body: "run {{ workflow_run.id }}",
        }),
      ),
      {},
      ports,
    );
    expect(server.requests[0]!.body).toBe("run 123");
    expect(server.requests[0]!.headers["content-type"]).toBe("text/plain");
  });

  it("a non-2xx answer is a failure (4xx at once, 3xx redirects are not followed)", async () => {
    server = await startServer((req) =>
      req.path === "/moved" ? { status: 302, headers: { location: "/elsewhere" } } : { status: 400, body: "bad" },
    );
    const { ports } = portsFor();
    const bad = await runInvocation(invocationOf(actionOf("call-webhook", { url: `${server.url}/x`, method: "POST" })), {}, ports);
    expect(bad).toMatchObject({ status: "failed", attempts: 1, code: "HOOKLINE_ACTION_HTTP_ERROR" });
    expect(bad.status === "failed" && bad.reason).toContain("HTTP 400");
    const moved = await runInvocation(invocationOf(actionOf("call-webhook", { url: `${server.url}/moved`, method: "POST" })), {}, ports);
    expect(moved).toMatchObject({ status: "failed", attempts: 1 });
    expect(server.requests.map((r) => r.path)).toEqual(["/x", "/moved"]);
  });

  it("a per-attempt timeout aborts a hanging server, is retried, and ends in a failed outcome", async () => {
    server = await startServer(() => ({ hang: true }));
    const { ports } = portsFor();
    const out = await runInvocation(
      invocationOf(actionOf("call-webhook", { url: server.url, method: "POST" }, { timeout: 0.2, max_retries: 1 })),
      {},
      ports,
    );
    expect(out).toMatchObject({ status: "failed", attempts: 2, code: "HOOKLINE_ACTION_TIMEOUT" });
    expect(server.requests).toHaveLength(2);
  });

  it("refuses non-http URLs and header injection rendered from event data, before any request", async () => {
    const { ports } = portsFor();
    for (const params of [
      { url: "file:///etc/passwd", method: "GET" },
      { url: "not a url", method: "GET" },
      { url: "http://127.0.0.1:1/", method: "GET", headers: { "x-a": "v\r\nInjected: 1" } },
      { url: "http://127.0.0.1:1/", method: "GET", headers: { "bad name": "v" } },
      { url: "http://127.0.0.1:1/", method: "TRACE" },
    ]) {
      expect(await executeInvocation(invocationOf(actionOf("call-webhook", params)), params, {}, ports)).toMatchObject({
        status: "failed",
        attempts: 0,
        code: "HOOKLINE_ACTION_INVALID_PARAMS",
      });
    }
  });
});

describe("emit-event", () => {
  it("builds a valid standard event with a deterministic id, returned for the runtime to evaluate", async () => {
    const { ports } = portsFor();
    const action = actionOf("emit-event", {
      event: "acme.deploy.requested",
      resource: { "prefect.resource.id": "acme.deploy.{{ workflow_run.id }}" },
      payload: { n: "{{ workflow_run.run_number }}" },
    });
    const a = await runInvocation(invocationOf(action), {}, ports);
    const b = await runInvocation(invocationOf(action), {}, ports);
    expect(a.status).toBe("executed");
    if (a.status !== "executed" || b.status !== "executed") throw new Error("unreachable");
    expect(a.emitted).toMatchObject({
      event: "acme.deploy.requested",
      resource: { "prefect.resource.id": "acme.deploy.123" },
      payload: { n: 7 },
      related: [],
      follows: null,
    });
    expect(a.emitted!.occurred).toBe(new Date(NOW).toISOString());
    expect(a.emitted!.id).toBe(b.emitted!.id);
    const other = await runInvocation(invocationOf(action, undefined, 1), {}, ports);
    expect(other.status === "executed" && other.emitted!.id).not.toBe(a.emitted!.id);
  });

  it("defaults the resource to the automation", async () => {
    const { ports } = portsFor();
    const out = await runInvocation(invocationOf(actionOf("emit-event", { event: "acme.thing.happened" })), {}, ports);
    expect(out.status === "executed" && out.emitted!.resource).toEqual({
      "prefect.resource.id": "hookline.automation.ci-alerts",
      "prefect.resource.name": "ci-alerts",
    });
  });

  it("an invalid event (bad name, related without role, non-object payload) fails without retry", async () => {
    const { ports } = portsFor();
    for (const params of [
      { event: "" },
      { event: "a.b.c", related: [{ "prefect.resource.id": "x" }] },
      { event: "a.b.c", payload: [1, 2] },
      { event: "a.b.c", related: "nope" },
    ]) {
      expect(await executeInvocation(invocationOf(actionOf("emit-event", params)), params, {}, ports)).toMatchObject({
        status: "failed",
        attempts: 0,
      });
    }
  });
});

describe("templates", () => {
  it("a template error is a failed outcome with a HOOKLINE_TEMPLATE_* code and no attempt", async () => {
    server = await startServer(() => ({ status: 200 }));
    const { ports } = portsFor();
    for (const body of ["{{ event.payload.missing.deeper }}", "{{ ''.constructor }}", "{% for x in %}"]) {
      const out = await runInvocation(invocationOf(actionOf("call-webhook", { url: server.url, method: "POST", body })), {}, ports);
      expect(out).toMatchObject({ status: "failed", attempts: 0 });
      expect(out.status === "failed" && out.code).toMatch(/^HOOKLINE_TEMPLATE_/);
      expect(out.status === "failed" && out.reason).toMatch(/^template: /);
    }
    expect(server.requests).toHaveLength(0);
  });
});
