/**
 * Which IP addresses an outbound call chosen by an automation may not reach (issue 12, "SSRF with read-back"),
 * one rule per kind of address, each with the stable code a refusal carries. Ranges are Node's `net.BlockList`;
 * IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is checked against the IPv4 rules by BlockList itself, and each refused
 * IPv4 range is also added in the other IPv6 forms that carry an IPv4 address inside (IPv4-compatible `::a.b.c.d`,
 * NAT64 `64:ff9b::a.b.c.d`, 6to4 `2002:AABB:CCDD::`), so `64:ff9b::7f00:1` is loopback like `127.0.0.1`.
 *
 * IPv6 outside global unicast (2000::/3) is refused as reserved, except the mapped and NAT64 forms of a public
 * IPv4 address. Sources: the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and updates).
 * Pure: no resolution here (see egress-policy.ts), no clock.
 */
import { BlockList, isIP } from "node:net";

export const EGRESS_CODES = {
  loopback: "HOOKLINE_EGRESS_LOOPBACK",
  private: "HOOKLINE_EGRESS_PRIVATE",
  linkLocal: "HOOKLINE_EGRESS_LINK_LOCAL",
  cgnat: "HOOKLINE_EGRESS_CGNAT",
  uniqueLocal: "HOOKLINE_EGRESS_UNIQUE_LOCAL",
  multicast: "HOOKLINE_EGRESS_MULTICAST",
  unspecified: "HOOKLINE_EGRESS_UNSPECIFIED",
  broadcast: "HOOKLINE_EGRESS_BROADCAST",
  reserved: "HOOKLINE_EGRESS_RESERVED",
  /** a policed call answered 3xx: redirects are never followed */
  redirect: "HOOKLINE_EGRESS_REDIRECT",
  /** an SMTP URL option that would connect elsewhere (proxy) or not over SMTP (sendmail, pool, ...) */
  smtpOption: "HOOKLINE_EGRESS_SMTP_OPTION",
} as const;

export type EgressCode = (typeof EGRESS_CODES)[keyof typeof EGRESS_CODES];

export interface AddressRule {
  code: EgressCode;
  /** what the address is, for the refusal's reason: "a loopback address" */
  what: string;
}

type Range = readonly [address: string, prefix: number];

interface RuleSpec extends AddressRule {
  v4: readonly Range[];
  v6: readonly Range[];
}

/**
 * In order: the first rule that holds names the refusal (::1 is loopback before the IPv4-compatible form of
 * 0.0.0.0/8 claims it; 255.255.255.255 is broadcast before reserved 240/4).
 */
const RULES: readonly RuleSpec[] = [
  { code: EGRESS_CODES.loopback, what: "a loopback address", v4: [["127.0.0.0", 8]], v6: [["::1", 128]] },
  { code: EGRESS_CODES.unspecified, what: "an unspecified address (this host)", v4: [["0.0.0.0", 8]], v6: [["::", 128]] },
  {
    code: EGRESS_CODES.private,
    what: "a private address",
    v4: [
      ["10.0.0.0", 8],
      ["172.16.0.0", 12],
      ["192.168.0.0", 16],
    ],
    // site-local (deprecated by RFC 3879) and the local-use NAT64 prefix (RFC 8215): both lead into a private network
    v6: [
      ["fec0::", 10],
      ["64:ff9b:1::", 48],
    ],
  },
  {
    code: EGRESS_CODES.linkLocal,
    what: "a link-local address (169.254.169.254 is the cloud metadata service)",
    v4: [["169.254.0.0", 16]],
    v6: [["fe80::", 10]],
  },
  { code: EGRESS_CODES.cgnat, what: "a carrier-grade NAT (shared) address", v4: [["100.64.0.0", 10]], v6: [] },
  { code: EGRESS_CODES.uniqueLocal, what: "a unique-local address", v4: [], v6: [["fc00::", 7]] },
  { code: EGRESS_CODES.broadcast, what: "the broadcast address", v4: [["255.255.255.255", 32]], v6: [] },
  { code: EGRESS_CODES.multicast, what: "a multicast address", v4: [["224.0.0.0", 4]], v6: [["ff00::", 8]] },
  {
    code: EGRESS_CODES.reserved,
    what: "a reserved address",
    v4: [
      ["192.0.0.0", 24], // IETF protocol assignments (incl. 192.0.0.170/171, NAT64 discovery)
      ["192.0.2.0", 24], // TEST-NET-1 (documentation)
      ["198.51.100.0", 24], // TEST-NET-2
      ["203.0.113.0", 24], // TEST-NET-3
      ["192.88.99.0", 24], // 6to4 relay anycast (deprecated)
      ["198.18.0.0", 15], // benchmarking; also the "fake IP" range of some DNS proxies
      ["240.0.0.0", 4], // reserved for future use
    ],
    v6: [
      ["100::", 64], // discard-only
      ["2001::", 23], // IETF protocol assignments (Teredo 2001::/32 carries an obfuscated IPv4 address)
      ["2001:db8::", 32], // documentation
      ["3fff::", 20], // documentation (RFC 9637)
    ],
  },
];

/** `a.b.c.d` → the 6to4 prefix `2002:AABB:CCDD::` */
function sixToFour(v4: string): string {
  const [a, b, c, d] = v4.split(".").map(Number) as [number, number, number, number];
  return `2002:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}::`;
}

interface CompiledRule extends AddressRule {
  list: BlockList;
}

const COMPILED: readonly CompiledRule[] = RULES.map((rule) => {
  const list = new BlockList();
  for (const [address, prefix] of rule.v4) {
    list.addSubnet(address, prefix, "ipv4"); // also holds for ::ffff:a.b.c.d (BlockList maps it)
    list.addSubnet(`::${address}`, 96 + prefix, "ipv6"); // IPv4-compatible (deprecated)
    list.addSubnet(`64:ff9b::${address}`, 96 + prefix, "ipv6"); // NAT64 well-known prefix (RFC 6052)
    list.addSubnet(sixToFour(address), 16 + prefix, "ipv6"); // 6to4 (RFC 3056)
  }
  for (const [address, prefix] of rule.v6) list.addSubnet(address, prefix, "ipv6");
  return { code: rule.code, what: rule.what, list };
});

/** IPv6 that may be a public destination: global unicast, and IPv4 in the mapped or NAT64 form (checked above). */
const ROUTABLE_V6 = new BlockList();
ROUTABLE_V6.addSubnet("2000::", 3, "ipv6");
ROUTABLE_V6.addSubnet("::ffff:0:0", 96, "ipv6");
ROUTABLE_V6.addSubnet("64:ff9b::", 96, "ipv6");

const NOT_ROUTABLE_V6: AddressRule = { code: EGRESS_CODES.reserved, what: "an IPv6 address outside global unicast (2000::/3)" };

/** The address without an IPv6 zone (`fe80::1%eth0`); BlockList answers false for a zoned address. */
export function withoutZone(address: string): string {
  const i = address.indexOf("%");
  return i < 0 ? address : address.slice(0, i);
}

/** The rule that refuses `address` (an IP literal), or null when it may be reached. Not an IP: refused as reserved. */
export function addressRule(address: string): AddressRule | null {
  const ip = withoutZone(address);
  const family = isIP(ip);
  if (family === 0) return { code: EGRESS_CODES.reserved, what: "not an IP address" };
  const type = family === 4 ? "ipv4" : "ipv6";
  for (const rule of COMPILED) if (rule.list.check(ip, type)) return { code: rule.code, what: rule.what };
  if (family === 6 && !ROUTABLE_V6.check(ip, "ipv6")) return NOT_ROUTABLE_V6;
  return null;
}
