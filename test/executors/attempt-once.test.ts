import { afterEach, describe, expect, it } from "vitest";
import { attemptInvocation } from "../../src/executors/index.js";
import { TemplateError } from "../../src/templates/index.js";
import type { HooklineCode } from "../../src/errors/index.js";
import { actionOf, invocationOf, portsFor, startServer, type TestServer } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("attemptInvocation: one attempt, the retry schedule is the host's (server outbox)", () => {
  it("makes exactly one request even when max_retries allows more, and says a 503 may be retried and when", async () => {
    server = await startServer(() => ({ status: 503, headers: { "retry-after": "7" }, body: "busy" }));
    const { ports } = portsFor();
    const inv = invocationOf(actionOf("call-webhook", { url: server.url, method: "POST" }, { max_retries: 5 }));
    const out = await attemptInvocation(inv, {}, ports);
    expect(server.requests).toHaveLength(1);
    expect(out).toMatchObject({ status: "failed", attempts: 1, retryable: true, retryAfterMs: 7000 });
  });

  it("a 4xx other than 408/429 is final: retryable false", async () => {
    server = await startServer(() => ({ status: 404, body: "nope" }));
    const { ports } = portsFor();
    const out = await attemptInvocation(invocationOf(actionOf("call-webhook", { url: server.url, method: "POST" })), {}, ports);
    expect(out).toMatchObject({ status: "failed", retryable: false });
  });

  it("a template that fails to render is final and makes no request", async () => {
    server = await startServer(() => ({ status: 200 }));
    const { ports } = portsFor();
    const out = await attemptInvocation(
      invocationOf(actionOf("call-webhook", { url: `${server.url}/{{ range(100000000) | join(",") }}`, method: "POST" })),
      {},
      ports,
    );
    expect(server.requests).toHaveLength(0);
    expect(out).toMatchObject({ status: "failed", attempts: 0, retryable: false, code: expect.stringMatching(/^HOOKLINE_TEMPLATE_/) });
  });

  it("success reports one attempt and the executor's result", async () => {
    server = await startServer(() => ({ status: 200, body: { ok: true } }));
    const { ports } = portsFor();
    const out = await attemptInvocation(invocationOf(actionOf("call-webhook", { url: server.url, method: "POST" })), {}, ports);
    expect(out).toMatchObject({ status: "executed", attempts: 1 });
  });

  it("a render stopped by the wall-clock limit or a full render queue may be retried; a budget failure is final; no request either way", async () => {
    server = await startServer(() => ({ status: 200 }));
    const { ports } = portsFor();
    const inv = invocationOf(actionOf("call-webhook", { url: server.url, method: "POST", body: { a: "{{ 1 }}" } }));
    const failing = (code: HooklineCode) => () => Promise.reject(new TemplateError(code, "stopped"));
    expect(await attemptInvocation(inv, {}, ports, failing("HOOKLINE_TEMPLATE_TIMEOUT"))).toMatchObject({
      status: "failed",
      code: "HOOKLINE_TEMPLATE_TIMEOUT",
      retryable: true,
    });
    expect(await attemptInvocation(inv, {}, ports, failing("HOOKLINE_TEMPLATE_BUSY"))).toMatchObject({ retryable: true });
    expect(await attemptInvocation(inv, {}, ports, failing("HOOKLINE_TEMPLATE_BUDGET_EXCEEDED"))).toMatchObject({
      code: "HOOKLINE_TEMPLATE_BUDGET_EXCEEDED",
      retryable: false,
    });
    expect(server.requests).toHaveLength(0);
    // the renderer's result is what the action sends
    const sent = await attemptInvocation(inv, {}, ports, () => Promise.resolve({ url: server!.url, method: "POST", body: { a: 2 } }));
    expect(sent).toMatchObject({ status: "executed" });
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ a: 2 });
  });
});
