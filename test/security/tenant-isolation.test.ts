/**
 * Issue 12, tried as an attacker would, over HTTP against the real server: each attack once, each with a positive
 * control (the same request by the party allowed to make it succeeds), so a test cannot pass by refusing everything.
 * The sources: a repository's pushers (repository_dispatch through the GitHub App), a webhook caller, anyone who
 * can open a connection to the server (loopback included).
 */
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerId } from "../../src/webhooks/index.js";
import { boot, call, cleanupDirs, configDir, event, fakeTarget, waitFor, type Booted } from "../server/http/helpers.js";

const APP_SECRET = "security-app-webhook-secret";
const SECRET_SLUG = "in-7f3a9c01d2e4b5a6c7d8e9f00a1b2c3d";
let s: Booted;
let github: Awaited<ReturnType<typeof fakeTarget>>;
let target: Awaited<ReturnType<typeof fakeTarget>>;

beforeAll(async () => {
  github = await fakeTarget((r) =>
    r.url.includes("/access_tokens")
      ? { status: 201, body: { token: "ghs_app", expires_at: new Date(Date.now() + 3600e3).toISOString() } }
      : { status: 404, body: { message: "Not Found" } },
  );
  target = await fakeTarget();
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  s = await boot({
    configDir: configDir({
      webhooks: `webhooks:
  - slug: open
    auth: none
    template: '{{ body | dump }}'
  - slug: orders
    auth: none
    template:
      id: "{{ body.key }}"
      event: acme.order.received
      resource: { prefect.resource.id: "acme.order.{{ body.key }}" }
  - slug: ${SECRET_SLUG}
    auth: slug
    template:
      event: acme.inbound.received
      resource: { prefect.resource.id: acme.inbound }
`,
      automations: `automations:
  - name: deploy-on-request
    trigger: {expect: [acme.deploy.requested]}
    actions: [{type: call-webhook, url: "${target.url}/deploy", body: {id: "{{ event.id }}", by: "{{ event.resource['prefect.resource.id'] }}"}}]
`,
    }),
    env: {
      APP_ID: "1",
      PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      WEBHOOK_SECRET: APP_SECRET,
      GITHUB_API_URL: github.url,
    },
  });
});

afterAll(async () => {
  await s?.server.close();
  await github?.close();
  await target?.close();
  cleanupDirs();
});

type Stored = { id: string; event: string; resource: Record<string, string>; related: Record<string, string>[] };
const feed = async (name: string): Promise<Stored[]> => (await call(`${s.url}/api/events?name=${name}&limit=100`)).json.events;
const originOf = (e: Stored) => e.related.filter((r) => r["prefect.resource.role"] === "origin").map((r) => r["prefect.resource.id"]);
const hook = (slug: string, body: unknown) => call(`${s.url}/hooks/${slug}`, { json: body });

function dispatch(clientPayload: unknown, repo = "octo/app") {
  const body = JSON.stringify({
    action: "deploy",
    branch: "main",
    client_payload: clientPayload,
    repository: { id: 7, name: repo.split("/")[1], full_name: repo, owner: { login: repo.split("/")[0] } },
    installation: { id: 42 },
    sender: { login: "pusher" },
  });
  return call(`${s.url}/api/github/webhooks`, {
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": "repository_dispatch",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": `sha256=${createHmac("sha256", APP_SECRET).update(body).digest("hex")}`,
    },
  });
}

/** The operator's own request through the events API: the control that shows the server automation does fire. */
async function operatorDeploy(marker: string) {
  expect(
    (await call(`${s.url}/api/events`, { json: event({ event: "acme.deploy.requested", resource: { "prefect.resource.id": marker } }) }))
      .status,
  ).toBe(202);
  return waitFor(`the operator's deploy ${marker}`, () => target.requests.find((r) => r.body.includes(marker)));
}

describe("a repository's pushers (repository_dispatch through the App)", () => {
  it("an event written into client_payload reaches that repository's scope only: the operator's automations never see it", async () => {
    const chosen = randomUUID();
    const r = await dispatch({
      id: chosen,
      event: "acme.deploy.requested",
      occurred: new Date().toISOString(),
      resource: { "prefect.resource.id": "attack.dispatch" },
    });
    expect(r.status).toBeLessThan(300);
    const [stored] = (await feed("acme.deploy.requested")).filter((e) => e.resource["prefect.resource.id"] === "attack.dispatch");
    // stored, under the repository's origin and in its namespace (not the id the pusher chose)
    expect(stored).toBeDefined();
    expect(originOf(stored!)).toEqual(["hookline.origin.repo.octo/app"]);
    expect(stored!.id).not.toBe(chosen);
    // control: the operator's own event, stored after the pusher's, fires; the pusher's never did
    await operatorDeploy("control.after-dispatch");
    expect(target.requests.filter((q) => q.body.includes("attack.dispatch"))).toEqual([]);
  });

  it("a reserved name in client_payload (a forged pause or resume) is stored as the plain GitHub delivery it is", async () => {
    const marker = `forged-${randomUUID()}`;
    await dispatch({
      id: marker,
      event: "hookline.automation.resumed",
      occurred: new Date().toISOString(),
      resource: { "prefect.resource.id": "hookline.automation.deploy-on-request" },
    });
    const forged = (await feed("hookline.automation.*")).filter((e) => JSON.stringify(e).includes(marker));
    expect(forged).toEqual([]);
    const plain = (await feed("github.repository-dispatch.*")).filter((e) => JSON.stringify(e).includes(marker));
    expect(plain).toHaveLength(1);
  });
});

describe("a webhook caller", () => {
  it("cannot send hookline's or GitHub's event names: 422 and nothing stored; another name is accepted", async () => {
    for (const name of ["hookline.automation.resumed", "github.workflow-run.completed"]) {
      const r = await hook("open", { event: name, resource: { "prefect.resource.id": "attack.reserved" } });
      expect(r.status, name).toBe(422);
      expect(r.json.error.code).toBe("HOOKLINE_WEBHOOK_RESERVED_NAME");
    }
    expect((await feed("hookline.automation.resumed")).filter((e) => JSON.stringify(e).includes("attack.reserved"))).toEqual([]);
    expect((await hook("open", { event: "acme.thing.happened", resource: { "prefect.resource.id": "control.open" } })).status).toBe(202);
  });

  it("cannot forge an origin: the caller's origin resource is replaced by the webhook's", async () => {
    const r = await hook("open", {
      event: "acme.origin.claimed",
      resource: { "prefect.resource.id": "attack.origin" },
      related: [{ "prefect.resource.id": "hookline.origin.server", "prefect.resource.role": "origin", "hookline.origin.kind": "server" }],
    });
    expect(r.status).toBe(202);
    const [stored] = await feed("acme.origin.claimed");
    expect(originOf(stored!)).toEqual(["hookline.origin.webhook.open"]);
  });

  it("cannot squat another webhook's next event id: the real delivery is stored, not answered duplicate", async () => {
    const key = `order-${randomUUID()}`;
    // the id the `orders` webhook gives this key, computed by the attacker and sent through another webhook
    const squat = await hook("open", {
      id: callerId("orders", key),
      event: "acme.squat.attempt",
      resource: { "prefect.resource.id": "attack.squat" },
    });
    expect(squat.status).toBe(202);
    const real = await hook("orders", { key });
    expect(real.status).toBe(202);
    expect(real.json.duplicate).toBe(false);
    // control: the same delivery again is a duplicate (dedupe still works within the webhook)
    expect((await hook("orders", { key })).json.duplicate).toBe(true);
  });

  it("a secret slug is never suggested in a 404 nor written to the request log or the events", async () => {
    const near = SECRET_SLUG.slice(0, -1) + "0";
    const miss = await hook(near, { a: 1 });
    expect(miss.status).toBe(404);
    expect(miss.text).not.toContain(SECRET_SLUG);
    expect((await hook(SECRET_SLUG, { a: 1 })).status).toBe(202);
    const [stored] = await feed("acme.inbound.received");
    expect(JSON.stringify(stored)).not.toContain(SECRET_SLUG);
    expect(JSON.stringify(s.logs)).not.toContain(SECRET_SLUG);
    expect(JSON.stringify(s.logs)).not.toContain(near);
  });
});

describe("anyone who can open a connection (loopback included)", () => {
  it("/api and /metrics need the token even from 127.0.0.1", async () => {
    const none = { authorization: "" };
    expect((await call(`${s.url}/api/events`, { json: event({ event: "acme.deploy.requested" }), headers: none })).status).toBe(401);
    expect((await call(`${s.url}/api/automations/deploy-on-request/pause`, { json: {}, headers: none })).status).toBe(401);
    expect((await call(`${s.url}/metrics`, { headers: none })).status).toBe(401);
    // control: with the token
    expect((await call(`${s.url}/metrics`)).status).toBe(200);
  });
});
