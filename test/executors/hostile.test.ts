import { afterEach, describe, expect, it } from "vitest";
import { RETRY_AFTER_CAP_MS, runInvocation } from "../../src/executors/index.js";
import { NOW, actionOf, invocationOf, portsFor, runEvent, startServer, type TestServer } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("hostile and broken servers", () => {
  it("an oversized error body is cut: the reason stays short", async () => {
    server = await startServer(() => ({ status: 400, body: "x".repeat(5_000_000) }));
    const { ports } = portsFor();
    const out = await runInvocation(invocationOf(actionOf("call-webhook", { url: server.url, method: "POST" })), {}, ports);
    expect(out.status).toBe("failed");
    expect(out.status === "failed" && out.reason.length).toBeLessThan(600);
  });

  it("a GitHub request that hangs is aborted by the per-attempt timeout", async () => {
    server = await startServer(() => ({ hang: true }));
    const { ports } = portsFor({ github: server.url });
    const out = await runInvocation(
      invocationOf(actionOf("repository-dispatch", { event_type: "x" }, { timeout: 0.2, max_retries: 0 })),
      {},
      ports,
    );
    expect(out).toMatchObject({ status: "failed", attempts: 1, code: "HOOKLINE_ACTION_TIMEOUT" });
  });

  it("a GitHub primary rate limit (403, x-ratelimit-remaining 0) waits for the reset, capped", async () => {
    const reset = String(Math.floor(NOW / 1000) + 3600);
    server = await startServer((_r, n) =>
      n === 1
        ? {
            status: 403,
            headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
            body: { message: "API rate limit exceeded" },
          }
        : { status: 204 },
    );
    const { ports, sleeps } = portsFor({ github: server.url });
    expect(await runInvocation(invocationOf(actionOf("repository-dispatch", { event_type: "x" })), {}, ports)).toMatchObject({
      status: "executed",
      attempts: 2,
    });
    expect(sleeps).toEqual([RETRY_AFTER_CAP_MS]);
  });

  it("an SMTP password in the URL never appears in the reason", async () => {
    const { ports } = portsFor({ env: { HOOKLINE_SMTP_URL: "smtp://user:hunter2@127.0.0.1:1" } });
    const out = await runInvocation(
      invocationOf(actionOf("send-notification", { notifier: "mail", body: "x" }, { max_retries: 0 })),
      { mail: { type: "email", to: ["a@example.com"] } },
      ports,
    );
    expect(out.status).toBe("failed");
    expect(JSON.stringify(out)).not.toContain("hunter2");
  });

  it("a Slack token never appears in the outcome", async () => {
    server = await startServer(() => ({ status: 500, body: "oops" }));
    const { ports } = portsFor({ slack: server.url, env: { T: "xoxb-very-secret" } });
    const out = await runInvocation(
      invocationOf(actionOf("send-notification", { notifier: "ops", body: "x" }, { max_retries: 1 })),
      { ops: { type: "slack", channel: "#ops", token_env: "T" } },
      ports,
    );
    expect(out).toMatchObject({ status: "failed", attempts: 2 });
    expect(JSON.stringify(out)).not.toContain("very-secret");
  });

  it("event data rendered into a run-workflow input cannot change the request path or other fields", async () => {
    server = await startServer(() => ({ status: 204 }));
    const { ports } = portsFor({ github: server.url });
    const evil = runEvent("Failed", { payload: { workflow_run: { id: 1, name: '"},"ref":"evil', run_number: 1 } } });
    const out = await runInvocation(
      invocationOf(actionOf("run-workflow", { workflow: "d.yml", ref: "main", inputs: { name: "{{ workflow_run.name }}" } }), evil),
      {},
      ports,
    );
    expect(out.status).toBe("executed");
    expect(server.requests[0]!.json).toMatchObject({ ref: "main", inputs: { name: '"},"ref":"evil' } });
  });

  it("a workflow name with a path in it stays one path segment", async () => {
    server = await startServer(() => ({ status: 204 }));
    const { ports } = portsFor({ github: server.url });
    await runInvocation(invocationOf(actionOf("enable-workflow", { workflow: "../../../user" })), {}, ports);
    expect(server.requests[0]!.path).toBe("/repos/acme/app/actions/workflows/..%2F..%2F..%2Fuser/enable");
  });
});
