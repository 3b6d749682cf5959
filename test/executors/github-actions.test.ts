import { afterEach, describe, expect, it } from "vitest";
import { RETRY_AFTER_CAP_MS, runInvocation } from "../../src/executors/index.js";
import { actionOf, invocationOf, portsFor, runEvent, startServer, type Handler, type TestServer } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function github(handler: Handler = () => ({ status: 204 })) {
  server = await startServer(handler);
  return { server, ...portsFor({ github: server.url }) };
}

describe("run-workflow", () => {
  it("dispatches with the default branch of the event's repository, string inputs and return_run_details, and returns the run", async () => {
    const { server, ports } = await github(() => ({
      status: 200,
      body: { workflow_run_id: 987, run_url: "api-url", html_url: "https://github.com/acme/app/actions/runs/987" },
    }));
    const inv = invocationOf(
      actionOf("run-workflow", { workflow: "deploy.yml", inputs: { n: 3, dry: true, name: "x", obj: { a: 1 }, skip: null } }),
    );
    const out = await runInvocation(inv, {}, ports);
    expect(out).toEqual({
      status: "executed",
      attempts: 1,
      result: {
        repository: "acme/app",
        workflow: "deploy.yml",
        ref: "main",
        run_id: 987,
        run_url: "https://github.com/acme/app/actions/runs/987",
      },
    });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/repos/acme/app/actions/workflows/deploy.yml/dispatches");
    expect(req.headers.authorization).toBe("token ghs_test");
    expect(req.json).toEqual({ ref: "main", inputs: { n: "3", dry: "true", name: "x", obj: '{"a":1}' }, return_run_details: true });
  });

  it("renders templates in inputs from the triggering event", async () => {
    const { server, ports } = await github();
    const inv = invocationOf(
      actionOf("run-workflow", {
        workflow: "deploy.yml",
        ref: "{{ event.resource['github.branch'] }}",
        inputs: { run: "{{ workflow_run.run_number }}" },
      }),
    );
    expect((await runInvocation(inv, {}, ports)).status).toBe("executed");
    expect(server.requests[0]!.json).toMatchObject({ ref: "feature/x", inputs: { run: "7" } });
  });

  it("falls back without return_run_details when the server rejects the field (422 naming it)", async () => {
    const { server, ports } = await github((req) =>
      (req.json as Record<string, unknown>).return_run_details
        ? { status: 422, body: { message: 'Invalid request. "return_run_details" is not a permitted key.' } }
        : { status: 204 },
    );
    const out = await runInvocation(invocationOf(actionOf("run-workflow", { workflow: "deploy.yml", ref: "main" })), {}, ports);
    expect(out).toMatchObject({ status: "executed", attempts: 1 });
    expect(server.requests.map((r) => (r.json as Record<string, unknown>).return_run_details)).toEqual([true, undefined]);
  });

  it("a 422 that does not mention return_run_details is a config error: no fallback, no retry", async () => {
    const { server, ports } = await github(() => ({ status: 422, body: { message: 'Unexpected inputs provided: ["x"]' } }));
    const out = await runInvocation(
      invocationOf(actionOf("run-workflow", { workflow: "deploy.yml", ref: "main", inputs: { x: 1 } })),
      {},
      ports,
    );
    expect(out).toMatchObject({ status: "failed", attempts: 1, code: "HOOKLINE_ACTION_HTTP_ERROR" });
    expect(out.status === "failed" && out.reason).toContain("Unexpected inputs");
    expect(server.requests).toHaveLength(1);
  });

  it("reads the default branch through the API when the event does not carry it", async () => {
    const { server, ports } = await github((req) =>
      req.method === "GET" ? { status: 200, body: { default_branch: "trunk" } } : { status: 204 },
    );
    const event = runEvent("Failed", { related: [] });
    const out = await runInvocation(
      invocationOf(actionOf("run-workflow", { workflow: "deploy.yml", repository: "other/repo" }), event),
      {},
      ports,
    );
    expect(out.status).toBe("executed");
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /repos/other/repo",
      "POST /repos/other/repo/actions/workflows/deploy.yml/dispatches",
    ]);
    expect(server.requests[1]!.json).toMatchObject({ ref: "trunk" });
  });

  it("a 404 workflow fails at once with a message that says what to fix", async () => {
    const { server, ports } = await github(() => ({ status: 404, body: { message: "Not Found" } }));
    const out = await runInvocation(
      invocationOf(actionOf("run-workflow", { workflow: "nope.yml", ref: "main" }, { max_retries: 5 })),
      {},
      ports,
    );
    expect(out).toMatchObject({ status: "failed", attempts: 1, code: "HOOKLINE_ACTION_NOT_FOUND" });
    expect(out.status === "failed" && out.reason).toMatch(
      /workflow "nope.yml" not found in acme\/app: check the file name .*workflow_dispatch/,
    );
    expect(server.requests).toHaveLength(1);
  });

  it("a malformed repository parameter fails before any request", async () => {
    const { server, ports } = await github();
    for (const repository of ["acme", "a/b/c", "../x", "acme/app?x=1"]) {
      const out = await runInvocation(invocationOf(actionOf("run-workflow", { workflow: "d.yml", ref: "main", repository })), {}, ports);
      expect(out).toMatchObject({ status: "failed", attempts: 0, code: "HOOKLINE_ACTION_INVALID_PARAMS" });
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("retries", () => {
  it("retries a 500 with exponential backoff and full jitter, then succeeds", async () => {
    const { server, ports, sleeps } = await github((_r, n) => (n <= 2 ? { status: 500, body: { message: "boom" } } : { status: 204 }));
    const out = await runInvocation(
      invocationOf(actionOf("repository-dispatch", { event_type: "go" }, { retry_interval: 10, max_retries: 3 })),
      {},
      ports,
    );
    expect(out).toMatchObject({ status: "executed", attempts: 3 });
    expect(server.requests).toHaveLength(3);
    // random() = 0.5 → half of 10 s, then half of 20 s
    expect(sleeps).toEqual([5_000, 10_000]);
  });

  it("honours Retry-After (seconds) on 429, and caps it at 60 s", async () => {
    const { ports, sleeps } = await github((_r, n) =>
      n === 1
        ? { status: 429, headers: { "retry-after": "7" } }
        : n === 2
          ? { status: 429, headers: { "retry-after": "3600" } }
          : { status: 204 },
    );
    const out = await runInvocation(invocationOf(actionOf("repository-dispatch", { event_type: "go" })), {}, ports);
    expect(out).toMatchObject({ status: "executed", attempts: 3 });
    expect(sleeps).toEqual([7_000, RETRY_AFTER_CAP_MS]);
  });

  it("honours Retry-After given as an HTTP date", async () => {
    const { ports, sleeps } = await github((_r, n) =>
      n === 1 ? { status: 503, headers: { "retry-after": "Wed, 01 May 2024 12:00:25 GMT" } } : { status: 204 },
    );
    expect((await runInvocation(invocationOf(actionOf("repository-dispatch", { event_type: "go" })), {}, ports)).status).toBe("executed");
    expect(sleeps).toEqual([20_000]);
  });

  it("a 429 without Retry-After falls back to the jittered backoff", async () => {
    const { ports, sleeps } = await github((_r, n) => (n === 1 ? { status: 429 } : { status: 204 }));
    expect(
      await runInvocation(invocationOf(actionOf("repository-dispatch", { event_type: "go" }, { retry_interval: 4 })), {}, ports),
    ).toMatchObject({ status: "executed", attempts: 2 });
    expect(sleeps).toEqual([2_000]);
  });

  it("max_retries 0 means one attempt only", async () => {
    const { server, ports } = await github(() => ({ status: 500 }));
    expect(
      await runInvocation(invocationOf(actionOf("repository-dispatch", { event_type: "go" }, { max_retries: 0 })), {}, ports),
    ).toMatchObject({ status: "failed", attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("exhausted retries give a failed outcome with the last reason and the number of attempts", async () => {
    const { server, ports } = await github(() => ({ status: 502, body: { message: "bad gateway" } }));
    const out = await runInvocation(invocationOf(actionOf("repository-dispatch", { event_type: "go" }, { max_retries: 2 })), {}, ports);
    expect(out).toMatchObject({ status: "failed", attempts: 3, code: "HOOKLINE_ACTION_HTTP_ERROR" });
    expect(out.status === "failed" && out.reason).toMatch(/HTTP 502.*gave up after 3 attempts/);
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry other 4xx (403 without rate-limit headers)", async () => {
    const { server, ports } = await github(() => ({ status: 403, body: { message: "Resource not accessible by integration" } }));
    const out = await runInvocation(invocationOf(actionOf("repository-dispatch", { event_type: "go" })), {}, ports);
    expect(out).toMatchObject({ status: "failed", attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("a GitHub secondary rate limit (403 with Retry-After) is retried", async () => {
    const { ports, sleeps } = await github((_r, n) =>
      n === 1 ? { status: 403, headers: { "retry-after": "2" }, body: { message: "secondary rate limit" } } : { status: 204 },
    );
    expect(await runInvocation(invocationOf(actionOf("repository-dispatch", { event_type: "go" })), {}, ports)).toMatchObject({
      status: "executed",
      attempts: 2,
    });
    expect(sleeps).toEqual([2_000]);
  });

  it("a network error (nothing listening) is retried, then fails", async () => {
    const { ports } = portsFor({ github: "http://127.0.0.1:1" });
    const out = await runInvocation(invocationOf(actionOf("repository-dispatch", { event_type: "go" }, { max_retries: 1 })), {}, ports);
    expect(out).toMatchObject({ status: "failed", attempts: 2, code: "HOOKLINE_ACTION_NETWORK_ERROR" });
  });
});

describe("other GitHub actions", () => {
  it("repository-dispatch posts event_type and client_payload to the named repository", async () => {
    const { server, ports } = await github();
    const out = await runInvocation(
      invocationOf(
        actionOf("repository-dispatch", {
          repository: "acme/other",
          event_type: "deploy",
          client_payload: { run: "{{ workflow_run.id }}" },
        }),
      ),
      {},
      ports,
    );
    expect(out.status).toBe("executed");
    expect(server.requests[0]).toMatchObject({
      method: "POST",
      path: "/repos/acme/other/dispatches",
      json: { event_type: "deploy", client_payload: { run: 123 } },
    });
  });

  it("cancel-workflow-run infers the run from the triggering event's resource", async () => {
    const { server, ports } = await github(() => ({ status: 202 }));
    expect((await runInvocation(invocationOf(actionOf("cancel-workflow-run", { source: "inferred" })), {}, ports)).status).toBe("executed");
    expect(server.requests[0]).toMatchObject({ method: "POST", path: "/repos/acme/app/actions/runs/123/cancel" });
  });

  it("rerun-workflow-run infers the run from a related workflow-run, and failed_jobs_only reruns failed jobs", async () => {
    const { server, ports } = await github(() => ({ status: 201 }));
    const job = runEvent("Failed", {
      event: "github.workflow-job.Failed",
      resource: { "prefect.resource.id": "github.workflow-job.55", "github.repository": "acme/app" },
      related: [{ "prefect.resource.id": "github.workflow-run.456", "prefect.resource.role": "workflow-run" }],
    });
    await runInvocation(invocationOf(actionOf("rerun-workflow-run", { source: "inferred", failed_jobs_only: true }), job), {}, ports);
    await runInvocation(invocationOf(actionOf("rerun-workflow-run", { source: "selected", run_id: "{{ 77 }}" }), job), {}, ports);
    expect(server.requests.map((r) => r.path)).toEqual([
      "/repos/acme/app/actions/runs/456/rerun-failed-jobs",
      "/repos/acme/app/actions/runs/77/rerun",
    ]);
  });

  it("an inferred run without a workflow run in the event fails with what to do, before any request", async () => {
    const { server, ports } = await github();
    const push = runEvent("Completed", {
      event: "github.push.Completed",
      resource: { "prefect.resource.id": "github.push.abc" },
      related: [],
    });
    const out = await runInvocation(invocationOf(actionOf("cancel-workflow-run", { source: "inferred" }), push), {}, ports);
    expect(out).toMatchObject({ status: "failed", attempts: 0, code: "HOOKLINE_ACTION_NO_SOURCE" });
    expect(out.status === "failed" && out.reason).toContain("set `run_id`");
    const hostile = await runInvocation(
      invocationOf(actionOf("cancel-workflow-run", { source: "selected", run_id: "1/../../x" })),
      {},
      ports,
    );
    expect(hostile).toMatchObject({ status: "failed", code: "HOOKLINE_ACTION_INVALID_PARAMS" });
    expect(server.requests).toHaveLength(0);
  });

  it("enable-workflow and disable-workflow PUT to the workflow", async () => {
    const { server, ports } = await github();
    await runInvocation(invocationOf(actionOf("enable-workflow", { workflow: "nightly.yml" })), {}, ports);
    await runInvocation(invocationOf(actionOf("disable-workflow", { workflow: "nightly.yml", repository: "acme/x" })), {}, ports);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "PUT /repos/acme/app/actions/workflows/nightly.yml/enable",
      "PUT /repos/acme/x/actions/workflows/nightly.yml/disable",
    ]);
  });

  it("create-issue posts title, body and labels and returns the issue", async () => {
    const { server, ports } = await github(() => ({ status: 201, body: { number: 9, html_url: "https://github.com/acme/app/issues/9" } }));
    const out = await runInvocation(
      invocationOf(actionOf("create-issue", { title: "CI failed: {{ workflow_run.name }}", body: "see run", labels: ["ci"] })),
      {},
      ports,
    );
    expect(out).toMatchObject({ status: "executed", result: { number: 9, url: "https://github.com/acme/app/issues/9" } });
    expect(server.requests[0]).toMatchObject({
      path: "/repos/acme/app/issues",
      json: { title: "CI failed: CI", body: "see run", labels: ["ci"] },
    });
  });

  it("comment posts on the pull request of the triggering event", async () => {
    const { server, ports } = await github(() => ({ status: 201, body: { html_url: "u" } }));
    const pr = runEvent("Completed", {
      event: "github.pull-request.opened",
      resource: { "prefect.resource.id": "github.pull-request.279147437", "github.number": "12", "github.repository": "acme/app" },
      related: [],
    });
    expect((await runInvocation(invocationOf(actionOf("comment", { body: "thanks" }), pr), {}, ports)).status).toBe("executed");
    const run = runEvent("Failed", {
      related: [{ "prefect.resource.id": "github.pull-request.1", "prefect.resource.role": "pull-request", "github.number": "34" }],
    });
    await runInvocation(invocationOf(actionOf("comment", { body: "CI failed" }), run), {}, ports);
    expect(server.requests.map((r) => r.path)).toEqual(["/repos/acme/app/issues/12/comments", "/repos/acme/app/issues/34/comments"]);
    expect(server.requests[0]!.json).toEqual({ body: "thanks" });
  });

  it("a GitHub action without a GitHub port fails with what to pass", async () => {
    const { ports } = portsFor();
    const out = await runInvocation(invocationOf(actionOf("create-issue", { title: "x" })), {}, ports);
    expect(out).toMatchObject({ status: "failed", attempts: 0, code: "HOOKLINE_ACTION_UNAVAILABLE" });
  });
});
