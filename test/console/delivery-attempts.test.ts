/**
 * A delivery's attempts through the real server, on PGlite and on PostgreSQL (issue 16 item 4): a 500 then a 200
 * from a local receiver gives two attempts in `GET /api/deliveries/:id` with their statuses and durations; a
 * secret in the URL, in a header, resolved from the environment, or echoed in the answer never appears in the
 * API (the delivery log, a delivery, the action events); a hostile answer (huge, binary, invalid UTF-8) is cut
 * and made printable.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_PREVIEW } from "../../src/executors/index.js";
import { openPostgres } from "../../src/adapters/postgres-db.js";
import { boot, call, cleanupDirs, configDir, waitFor, type Booted } from "../server/http/helpers.js";

const PG_URL = process.env.HOOKLINE_TEST_DATABASE_URL;
const SECRETS = ["url-token-5551234", "header-secret-7770001", "apikey-secret-4440002", "env-path-secret-99887766", "body-secret-3332221"];

/** answers by path: /orders fails once then succeeds; /notify echoes; /hostile answers garbage */
async function receiver() {
  let orders = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path === "/orders") {
        orders++;
        if (orders === 1) {
          res.writeHead(500, { "content-type": "application/json", "retry-after": "0", "set-cookie": "sid=abc" });
          return res.end(JSON.stringify({ error: "boom", access_token: SECRETS[4], echo: req.headers.authorization }));
        }
        res.writeHead(200, { "content-type": "text/plain" });
        return res.end(`ok, you sent ${req.headers["x-api-key"]} and ${req.url}`);
      }
      if (path.startsWith("/notify/")) {
        res.writeHead(200, { "content-type": "text/plain" });
        return res.end(`received at ${req.url}`);
      }
      const garbage = Buffer.concat([
        Buffer.from("<img src=x onerror=alert(1)>"),
        Buffer.from([0x00, 0x01, 0x1b, 0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
        Buffer.alloc(200_000, 0x61),
      ]);
      res.writeHead(502, { "content-type": "application/octet-stream" });
      res.end(garbage);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const automations = (url: string) => `notifiers:
  out:
    type: webhook
    url_env: NOTIFY_URL
automations:
  - name: orders
    trigger: { expect: [acme.order.created] }
    actions:
      - type: call-webhook
        url: ${url}/orders?token=${SECRETS[0]}&page=1
        max_retries: 1
        headers: { Authorization: "Bearer ${SECRETS[1]}", X-Api-Key: "${SECRETS[2]}" }
        body: { order: 1 }
  - name: notify
    trigger: { expect: [acme.order.created] }
    actions: [{ type: send-notification, notifier: out, body: "new order" }]
  - name: hostile
    trigger: { expect: [acme.order.created] }
    actions: [{ type: call-webhook, url: "${url}/hostile", max_retries: 0 }]
`;

interface Attempt {
  attempt: number;
  outcome: string;
  duration_ms: number;
  started: string;
  finished: string;
  error: { code: string; reason: string } | null;
  calls: {
    request: { url: string; headers: Record<string, string> };
    response: { status: number; body: string; body_bytes: number; headers: Record<string, string> };
  }[];
}

const databases = [
  { name: "pglite", available: true },
  { name: "postgres", available: !!PG_URL },
];

describe.each(databases)("delivery attempts through the server on $name", (db) => {
  describe.runIf(db.available)(db.name, () => {
    let target: Awaited<ReturnType<typeof receiver>>;
    let s: Booted;
    let dropSchema = async () => {};

    beforeAll(async () => {
      target = await receiver();
      const env: Record<string, string> = { NOTIFY_URL: `${target.url}/notify/${SECRETS[3]}` };
      if (db.name === "postgres") {
        const schema = `hookline_attempts_${process.pid}_${randomBytes(4).toString("hex")}`;
        const admin = await openPostgres(PG_URL!, { max: 1 });
        await admin.query(`CREATE SCHEMA ${schema}`);
        const u = new URL(PG_URL!);
        u.searchParams.set("options", `-c search_path=${schema}`);
        env.DATABASE_URL = u.toString();
        dropSchema = async () => {
          await admin.query(`DROP SCHEMA ${schema} CASCADE`);
          await admin.close();
        };
      }
      s = await boot({ configDir: configDir({ webhooks: "webhooks: []\n", automations: automations(target.url) }), env });
      const posted = await call(`${s.url}/api/events`, {
        json: {
          id: "0b4f2bde-3b8a-4a51-9c43-8d1d2a7a0001",
          occurred: new Date().toISOString(),
          event: "acme.order.created",
          resource: { "prefect.resource.id": "acme.order.1" },
        },
      });
      expect(posted.status).toBeLessThan(300);
      await waitFor("the three deliveries to finish", async () => {
        const d = (await call(`${s.url}/api/deliveries`)).json.deliveries as { state: string }[];
        return d.length === 3 && d.every((x) => x.state === "succeeded" || x.state === "dead");
      });
    });

    afterAll(async () => {
      await s?.server.close();
      await target?.close();
      await dropSchema();
      cleanupDirs();
    });

    const deliveryOf = async (automation: string) => {
      const list = (await call(`${s.url}/api/deliveries?automation=${automation}`)).json.deliveries as { id: string }[];
      const r = await call(`${s.url}/api/deliveries/${encodeURIComponent(list[0]!.id)}`);
      expect(r.status).toBe(200);
      return r.json as { delivery: { state: string; attempts: number }; attempts: Attempt[] };
    };

    it("a 500 then a 200 gives two attempts, newest first, with their statuses, outcomes and durations", async () => {
      const { delivery, attempts } = await deliveryOf("orders");
      expect(delivery).toMatchObject({ state: "succeeded", attempts: 1 });
      expect(attempts.map((a) => [a.attempt, a.outcome, a.calls[0]!.response.status])).toEqual([
        [2, "succeeded", 200],
        [1, "failed", 500],
      ]);
      for (const a of attempts) {
        expect(a.duration_ms).toBeGreaterThanOrEqual(0);
        expect(Date.parse(a.finished)).toBeGreaterThanOrEqual(Date.parse(a.started));
      }
      expect(attempts[1]!.error?.code).toMatch(/^HOOKLINE_/);
      expect(attempts[1]!.calls[0]!.response.headers).toEqual({ "content-type": "application/json", "retry-after": "0" });
      expect(attempts[1]!.calls[0]!.request.url).toBe(`${target.url}/orders?token=***&page=1`);
      expect(attempts[1]!.calls[0]!.request.headers).toMatchObject({ authorization: "***", "x-api-key": "***" });
    });

    it("no secret (URL query, header, environment, echoed in an answer) appears in the delivery log, a delivery or the action events", async () => {
      const texts = [JSON.stringify((await call(`${s.url}/api/deliveries`)).json)];
      for (const name of ["orders", "notify", "hostile"]) texts.push(JSON.stringify(await deliveryOf(name)));
      texts.push(JSON.stringify((await call(`${s.url}/api/events?name=hookline.action.*&limit=50`)).json));
      for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
      const notify = await deliveryOf("notify");
      expect(notify.attempts[0]!.calls[0]!.request.url).toBe(`${target.url}/***`);
      expect(notify.attempts[0]!.calls[0]!.response.body).toBe("received at ***");
    });

    it("a hostile answer (200 KB, binary, invalid UTF-8, markup) is cut, printable and counted", async () => {
      const { delivery, attempts } = await deliveryOf("hostile");
      expect(delivery.state).toBe("dead");
      const res = attempts[0]!.calls[0]!.response;
      expect(res.status).toBe(502);
      expect(res.body.length).toBeLessThan(BODY_PREVIEW + 40);
      expect(res.body).toMatch(/^<img src=x onerror=alert\(1\)>\ufffd\(\ufffda+… \(\d+ chars\)$/);
      expect(res.body_bytes).toBeGreaterThan(60_000);
      expect(JSON.stringify(attempts)).not.toMatch(/\\u000[0-8]|\\u001b/);
    });
  });
});
