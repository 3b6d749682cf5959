/**
 * The policed HttpPort (src/adapters/egress/policed-http-port.ts) against receivers on loopback: every refusal
 * happens before a connection (the receiver saw NO request), names resolve once per connection and the checked
 * address is the one connected to (DNS rebinding), redirects are never followed, and an allowed target works.
 * Names other than `localhost` go through an injected resolver: nothing here leaves this machine.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createEgressPolicy, createPolicedHttpPort, EGRESS_CODES, type Resolver } from "../../../src/adapters/index.js";
import type { HttpPort } from "../../../src/executors/index.js";

interface Receiver {
  port: number;
  paths: string[];
  close(): Promise<void>;
}

const open: Receiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

/** An HTTP receiver on `host` (the given port, or any); answers `status` with `headers` and a body. */
async function receiver(host: string, o: { port?: number; status?: number; headers?: Record<string, string> } = {}): Promise<Receiver> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url ?? "");
    req.resume();
    res.writeHead(o.status ?? 200, { "content-type": "text/plain", ...o.headers });
    res.end("internal secret: hunter2");
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(o.port ?? 0, host, resolve));
  const r: Receiver = {
    port: (server.address() as AddressInfo).port,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(r);
  return r;
}

function post(port: HttpPort, url: string) {
  return port.request({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
    signal: new AbortController().signal,
  });
}

/** a resolver that answers each name's next address in turn (the last one repeats), counting its calls */
function sequence(answers: Record<string, string[]>) {
  const calls: string[] = [];
  const resolve: Resolver = async (host) => {
    calls.push(host);
    const list = answers[host] ?? [];
    const address = list[Math.min(calls.filter((c) => c === host).length, list.length) - 1];
    if (address === undefined) throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
    return [{ address, family: address.includes(":") ? 6 : 4 }];
  };
  return { calls, resolve };
}

describe("the policed HTTP port refuses before connecting", () => {
  it("http://127.0.0.1:<port> is refused with HOOKLINE_EGRESS_LOOPBACK and the receiver saw nothing", async () => {
    const r = await receiver("127.0.0.1");
    await expect(post(createPolicedHttpPort(), `http://127.0.0.1:${r.port}/hook`)).rejects.toMatchObject({
      code: EGRESS_CODES.loopback,
      retryable: false,
    });
    expect(r.paths).toEqual([]);
  });

  it("http://[::1]:<port> is refused with HOOKLINE_EGRESS_LOOPBACK and the receiver saw nothing", async () => {
    const r = await receiver("::1");
    await expect(post(createPolicedHttpPort(), `http://[::1]:${r.port}/hook`)).rejects.toMatchObject({ code: EGRESS_CODES.loopback });
    expect(r.paths).toEqual([]);
  });

  it("http://localhost:<port> (the system resolver: /etc/hosts) is refused with HOOKLINE_EGRESS_LOOPBACK", async () => {
    const r = await receiver("127.0.0.1");
    await expect(post(createPolicedHttpPort(), `http://localhost:${r.port}/hook`)).rejects.toMatchObject({ code: EGRESS_CODES.loopback });
    expect(r.paths).toEqual([]);
  });

  it("other spellings of loopback (0x7f.1, 2130706433, [::ffff:127.0.0.1], [64:ff9b::7f00:1]) are refused alike", async () => {
    const r = await receiver("127.0.0.1");
    for (const host of ["0x7f.1", "2130706433", "[::ffff:127.0.0.1]", "[64:ff9b::7f00:1]"]) {
      await expect(post(createPolicedHttpPort(), `http://${host}:${r.port}/`), host).rejects.toMatchObject({ code: EGRESS_CODES.loopback });
    }
    expect(r.paths).toEqual([]);
  });

  it("http://169.254.169.254/ (cloud metadata) is refused with HOOKLINE_EGRESS_LINK_LOCAL without a connection attempt", async () => {
    const err = await post(createPolicedHttpPort(), "http://169.254.169.254/latest/meta-data/iam/security-credentials/").catch(
      (e: Error) => e,
    );
    expect(err).toMatchObject({ code: EGRESS_CODES.linkLocal });
    expect((err as Error).message).not.toContain("latest/meta-data");
  });

  it("a refusal names the host, never the URL's path, query or credentials (webhook URLs carry tokens)", async () => {
    const err = await post(createPolicedHttpPort(), "http://user:pw@10.0.0.8/services/T000/B000/XXXXsecretXXXX?token=abc").catch(
      (e: Error) => e,
    );
    expect(err).toMatchObject({ code: EGRESS_CODES.private });
    expect((err as Error).message).not.toMatch(/secret|token|abc|T000|user|pw/);
  });
});

describe("DNS rebinding: the address checked is the address connected to", () => {
  // 127.0.0.2 stands in for a public address (allowed for this test): nothing may leave this machine
  it("each new connection resolves once and is checked; when the name rebinds to loopback, the loopback receiver sees nothing", async () => {
    const pub = await receiver("127.0.0.2", { headers: { connection: "close" } });
    const loop = await receiver("127.0.0.1", { port: pub.port, headers: { connection: "close" } });
    const dns = sequence({ "rebind.example": ["127.0.0.2", "127.0.0.1"] });
    const port = createPolicedHttpPort({ policy: createEgressPolicy({ allow: ["127.0.0.2"], resolve: dns.resolve }) });

    expect((await post(port, `http://rebind.example:${pub.port}/first`)).status).toBe(200);
    expect(dns.calls).toEqual(["rebind.example"]); // resolved once: no second lookup between check and connect
    expect(pub.paths).toEqual(["/first"]);

    await expect(post(port, `http://rebind.example:${pub.port}/second`)).rejects.toMatchObject({ code: EGRESS_CODES.loopback });
    expect(dns.calls).toHaveLength(2);
    expect(loop.paths).toEqual([]);
  });

  it("a resolver answering a refused address first and an allowed one after: the first connection is refused, nothing reached", async () => {
    const loop = await receiver("127.0.0.1");
    const dns = sequence({ "flip.example": ["127.0.0.1"] });
    const port = createPolicedHttpPort({ policy: createEgressPolicy({ resolve: dns.resolve }) });
    await expect(post(port, `http://flip.example:${loop.port}/`)).rejects.toMatchObject({ code: EGRESS_CODES.loopback });
    expect(loop.paths).toEqual([]);
  });
});

describe("redirects are never followed", () => {
  it("an allowed target answering 302 to loopback fails with HOOKLINE_EGRESS_REDIRECT; the loopback receiver saw nothing", async () => {
    const inner = await receiver("127.0.0.1");
    const outer = await receiver("127.0.0.2", { status: 302, headers: { location: `http://127.0.0.1:${inner.port}/admin` } });
    const port = createPolicedHttpPort({ policy: createEgressPolicy({ allow: ["127.0.0.2"] }) });
    const err = await post(port, `http://127.0.0.2:${outer.port}/hook`).catch((e: Error) => e);
    expect(err).toMatchObject({ code: EGRESS_CODES.redirect, retryable: false });
    expect((err as Error).message).not.toContain("/admin");
    expect(outer.paths).toEqual(["/hook"]);
    expect(inner.paths).toEqual([]);
  });
});

describe("the operator's allow list", () => {
  it("with HOOKLINE_EGRESS_ALLOW=127.0.0.1 the same call reaches the local receiver and succeeds", async () => {
    const r = await receiver("127.0.0.1");
    const port = createPolicedHttpPort({ policy: createEgressPolicy({ allow: ["127.0.0.1"] }) });
    const res = await post(port, `http://127.0.0.1:${r.port}/hook`);
    expect(res).toMatchObject({ status: 200, body: "internal secret: hunter2" });
    expect(r.paths).toEqual(["/hook"]);
  });

  it("a CIDR (127.0.0.0/8) lets localhost through; a host entry lets a name through whatever it resolves to", async () => {
    const r = await receiver("127.0.0.1");
    const byCidr = createPolicedHttpPort({ policy: createEgressPolicy({ allow: ["127.0.0.0/8"] }) });
    expect((await post(byCidr, `http://localhost:${r.port}/a`)).status).toBe(200);
    const dns = sequence({ "hooks.internal": ["127.0.0.1"] });
    const byName = createPolicedHttpPort({ policy: createEgressPolicy({ allow: ["*.internal"], resolve: dns.resolve }) });
    expect((await post(byName, `http://hooks.internal:${r.port}/b`)).status).toBe(200);
    expect(r.paths).toEqual(["/a", "/b"]);
  });
});
