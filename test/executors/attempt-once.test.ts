import { afterEach, describe, expect, it } from "vitest";
import { attemptInvocation } from "../../src/executors/index.js";
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
});
