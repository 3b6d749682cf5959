/**
 * HOOKLINE_EGRESS_ALLOW entries and the policy's one decision (the address to connect to for a host), with an
 * injected resolver: nothing here opens a connection.
 */
import { describe, expect, it } from "vitest";
import { ACTION_CODES } from "../../../src/executors/index.js";
import { createEgressPolicy, EGRESS_CODES, egressAllowProblem, parseEgressAllow, type Resolver } from "../../../src/adapters/index.js";

/** a resolver answering from a table, counting its calls */
function table(answers: Record<string, string[]>) {
  const calls: string[] = [];
  const resolve: Resolver = async (host) => {
    calls.push(host);
    const found = answers[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { calls, resolve };
}

describe("HOOKLINE_EGRESS_ALLOW entries", () => {
  it("accepts host names, wildcards, IPv4/IPv6 addresses (bracketed too) and CIDR ranges", () => {
    for (const entry of [
      "hooks.internal",
      "Hooks.Example.COM",
      "*.corp.example",
      "localhost",
      "10.0.0.7",
      "::1",
      "[::1]",
      "10.0.0.0/8",
      "fd00::/8",
      "0.0.0.0/0",
    ])
      expect(egressAllowProblem(entry), entry).toBeNull();
  });

  it("refuses schemes, ports, paths, bare wildcards, bad prefixes and non-ASCII names, saying what to write", () => {
    for (const entry of [
      "https://hooks.example.com",
      "hooks.example.com:8443",
      "hooks.example.com/x",
      "*",
      "*.",
      "a.*.com",
      "10.0.0.0/33",
      "::/129",
      "10.0.0.0/x",
      "bücher.example",
      "a b",
      "user@host",
      "1.2.3",
    ]) {
      expect(egressAllowProblem(entry), entry).toMatch(/is not/);
    }
    expect(egressAllowProblem("bücher.example")).toMatch(/xn--/);
    expect(() => parseEgressAllow(["ok.example", "http://x"])).toThrow(/HOOKLINE_EGRESS_ALLOW: "http:\/\/x" is not/);
  });

  it("a wildcard matches names below it at any depth, not the name itself nor a name that merely ends alike", () => {
    const allow = parseEgressAllow(["*.corp.example"]);
    expect(allow.allowsHost("a.corp.example")).toBe(true);
    expect(allow.allowsHost("a.b.CORP.example.")).toBe(true);
    expect(allow.allowsHost("corp.example")).toBe(false);
    expect(allow.allowsHost("evilcorp.example")).toBe(false);
  });

  it("IP and CIDR entries match addresses (the IPv4-mapped form too), never host names", () => {
    const allow = parseEgressAllow(["127.0.0.1", "10.20.0.0/16", "[fd00::]/8"]);
    expect(allow.allowsAddress("127.0.0.1")).toBe(true);
    expect(allow.allowsAddress("::ffff:127.0.0.1")).toBe(true);
    expect(allow.allowsAddress("127.0.0.2")).toBe(false);
    expect(allow.allowsAddress("10.20.255.1")).toBe(true);
    expect(allow.allowsAddress("10.21.0.1")).toBe(false);
    expect(allow.allowsAddress("fd12::1")).toBe(true);
    expect(allow.allowsHost("127.0.0.1")).toBe(false);
  });
});

describe("the address a connection may use", () => {
  it("a name is resolved once and the address returned is a checked one", async () => {
    const r = table({ "hooks.example.com": ["10.0.0.5", "93.184.216.34"] });
    const policy = createEgressPolicy({ resolve: r.resolve });
    expect(await policy.addressFor("hooks.example.com")).toEqual({ address: "93.184.216.34", family: 4 });
    expect(r.calls).toEqual(["hooks.example.com"]);
  });

  it("a name with only refused addresses is refused with the first one's rule, naming the host but not the address", async () => {
    const r = table({ "db.internal": ["10.1.2.3", "127.0.0.1"] });
    const err = await createEgressPolicy({ resolve: r.resolve })
      .addressFor("db.internal")
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: EGRESS_CODES.private, retryable: false });
    expect((err as Error).message).toMatch(/db\.internal: it resolves to a private address/);
    expect((err as Error).message).not.toContain("10.1.2.3");
    expect((err as Error).message).toContain("HOOKLINE_EGRESS_ALLOW=db.internal");
  });

  it("IP literals are checked without resolving (bracketed IPv6 included)", async () => {
    const r = table({});
    const policy = createEgressPolicy({ resolve: r.resolve });
    await expect(policy.addressFor("[::1]")).rejects.toMatchObject({ code: EGRESS_CODES.loopback });
    await expect(policy.addressFor("169.254.169.254")).rejects.toMatchObject({ code: EGRESS_CODES.linkLocal });
    expect(await policy.addressFor("8.8.8.8")).toEqual({ address: "8.8.8.8", family: 4 });
    expect(r.calls).toEqual([]);
  });

  it("an allowed name may resolve anywhere; an allowed address or range lets just that through", async () => {
    const r = table({ "hooks.internal": ["10.9.9.9"], "other.internal": ["10.9.9.9"], "lab.internal": ["192.168.5.5"] });
    const policy = createEgressPolicy({ allow: ["hooks.internal", "192.168.5.0/24"], resolve: r.resolve });
    expect((await policy.addressFor("hooks.internal")).address).toBe("10.9.9.9");
    expect((await policy.addressFor("lab.internal")).address).toBe("192.168.5.5");
    await expect(policy.addressFor("other.internal")).rejects.toMatchObject({ code: EGRESS_CODES.private });
  });

  it("a name that does not resolve is a network error (retried), not a refusal", async () => {
    const r = table({});
    await expect(createEgressPolicy({ resolve: r.resolve }).addressFor("gone.example")).rejects.toMatchObject({
      code: ACTION_CODES.network,
      retryable: true,
      message: "could not resolve gone.example (ENOTFOUND)",
    });
  });
});
