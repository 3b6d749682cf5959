/**
 * The body budget (issue 12, item 6) on a real node:http server on 127.0.0.1: bodies are reserved before they
 * are kept, a declared length that does not fit is answered 503 + Retry-After before a byte is sent, a chunked
 * body that outgrows what is left is cut off, one client cannot read more than its share, and every reservation
 * is given back however the request ends.
 */
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createBodyBudget, type BodyBudget } from "../../../src/adapters/http-server/body-budget.js";
import { governBody, readBody, type BodyResult } from "../../../src/adapters/http-server/read-body.js";
import { sendBusy, sendErrorAndClose, sendJson } from "../../../src/adapters/http-server/respond.js";

const LIMIT = 10_000;
const open: Server[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

interface Rig {
  url: string;
  budget: BodyBudget;
  results: BodyResult[];
  /** while true, a request whose body was read waits for release() before it is answered */
  hold: boolean;
  release(): void;
}

async function rig(limits = { totalBytes: 3000, perClientBytes: 2000, perClientReads: 2, retryAfterSeconds: 3 }): Promise<Rig> {
  const budget = createBodyBudget(limits);
  const results: BodyResult[] = [];
  let waiting: (() => void)[] = [];
  const r: Rig = {
    url: "",
    budget,
    results,
    hold: false,
    release: () => {
      for (const w of waiting.splice(0)) w();
    },
  };
  const server = createServer(async (req: IncomingMessage, res) => {
    governBody(req, res, budget);
    const read = await readBody(req, LIMIT);
    results.push(read);
    if (!read.ok) {
      if (read.reason === "busy") sendBusy(res, read.retryAfterSeconds);
      else if (read.reason === "too-large") sendErrorAndClose(res, 413, "HOOKLINE_BODY_TOO_LARGE", "too large");
      else req.destroy();
      return;
    }
    if (r.hold) await new Promise<void>((resolve) => (waiting = [...waiting, resolve]));
    sendJson(res, 200, { bytes: read.body.length });
  });
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return r;
}

/** POST `body` (chunked when `declare` is false); `declared` overrides the Content-Length sent; resolves on the answer */
function post(
  url: string,
  o: { body?: Buffer; declared?: number; chunked?: boolean; from?: string; sendBody?: boolean } = {},
): Promise<{ status: number; retryAfter: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const body = o.body ?? Buffer.alloc(0);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method: "POST",
        path: "/",
        localAddress: o.from ?? "127.0.0.1",
        headers: o.chunked ? {} : { "content-length": String(o.declared ?? body.length) },
      },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] as string | undefined, text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (o.sendBody === false) req.flushHeaders();
    else req.end(body);
  });
}

async function settled(budget: BodyBudget): Promise<void> {
  for (let i = 0; i < 500 && budget.inFlight().reads > 0; i++) await new Promise((r) => setTimeout(r, 10));
}

describe("the body budget", () => {
  it("a body that fits is read whole, and its reservation is given back once the response is closed", async () => {
    const r = await rig();
    const res = await post(r.url, { body: Buffer.alloc(1500, 1) });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ bytes: 1500 });
    await settled(r.budget);
    expect(r.budget.inFlight()).toEqual({ bytes: 0, reads: 0, clients: 0 });
  });

  it("a declared length over what is left is answered 503 with Retry-After before any byte of it is sent", async () => {
    const r = await rig();
    // headers only: the body is never sent, so the answer cannot have waited for it
    const res = await post(r.url, { declared: 2500, sendBody: false });
    expect(res.status).toBe(503);
    expect(res.retryAfter).toBe("3");
    expect(JSON.parse(res.text).error.code).toBe("HOOKLINE_SERVER_BUSY");
    expect(r.budget.inFlight().bytes).toBe(0);
  });

  it("one client gets its share, not the whole budget; another client still gets room", async () => {
    const r = await rig();
    r.hold = true;
    const first = post(r.url, { body: Buffer.alloc(1800, 1), from: "127.0.0.2" });
    await settledReads(r.budget, 1);
    r.hold = false;
    // 1800 of this client's 2000 are held: 500 more do not fit its share, though the total has 1200 left
    expect((await post(r.url, { body: Buffer.alloc(500, 1), from: "127.0.0.2" })).status).toBe(503);
    expect((await post(r.url, { body: Buffer.alloc(500, 1), from: "127.0.0.3" })).status).toBe(200);
    r.release();
    expect((await first).status).toBe(200);
  });

  it("one client reads at most perClientReads bodies at once", async () => {
    const r = await rig();
    r.hold = true;
    const held = [post(r.url, { body: Buffer.alloc(10, 1) }), post(r.url, { body: Buffer.alloc(10, 1) })];
    await settledReads(r.budget, 2);
    const third = await post(r.url, { body: Buffer.alloc(10, 1) });
    expect(third.status).toBe(503);
    r.hold = false;
    r.release();
    for (const h of held) expect((await h).status).toBe(200);
  });

  it("a chunked body that outgrows what is left is cut off with 503; one past the route's limit gets 413", async () => {
    const r = await rig();
    const busy = await post(r.url, { body: Buffer.alloc(2500, 1), chunked: true });
    expect(busy.status).toBe(503);
    expect(busy.retryAfter).toBe("3");
    const big = await rig({ totalBytes: 100_000, perClientBytes: 100_000, perClientReads: 2, retryAfterSeconds: 3 });
    expect((await post(big.url, { body: Buffer.alloc(LIMIT + 1, 1), chunked: true })).status).toBe(413);
    await settled(r.budget);
    await settled(big.budget);
    expect(r.budget.inFlight().bytes).toBe(0);
    expect(big.budget.inFlight().bytes).toBe(0);
  });

  it("a client that disconnects in the middle of its body gives its reservation back", async () => {
    const r = await rig();
    const u = new URL(r.url);
    const req = request({ host: u.hostname, port: u.port, method: "POST", path: "/", headers: { "content-length": "2000" } });
    req.on("error", () => undefined);
    req.write(Buffer.alloc(500, 1));
    await settledReads(r.budget, 1);
    expect(r.budget.inFlight().bytes).toBe(2000);
    req.destroy();
    await settled(r.budget);
    expect(r.budget.inFlight()).toEqual({ bytes: 0, reads: 0, clients: 0 });
    expect(r.results.at(-1)).toEqual({ ok: false, reason: "aborted" });
  });
});

async function settledReads(budget: BodyBudget, reads: number): Promise<void> {
  for (let i = 0; i < 500 && budget.inFlight().reads < reads; i++) await new Promise((r) => setTimeout(r, 10));
  expect(budget.inFlight().reads).toBe(reads);
}
