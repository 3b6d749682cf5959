/**
 * HOOKLINE_EGRESS_ALLOW: the targets the operator lets through the egress policy. Entries are host names
 * (`hooks.internal`), wildcards (`*.corp.example`: any name below it, not the name itself), IP addresses
 * (`10.0.0.7`, `::1`, `[::1]`) and CIDR ranges (`10.20.0.0/16`, `fd00::/8`). A host entry lets the name through
 * whatever it resolves to (the operator vouches for the name); IP and CIDR entries let a resolved or literal
 * address through. Host names are compared as the WHATWG URL parser writes them (lower case, punycode), so an
 * entry is checked by parsing it the same way.
 */
import { BlockList, isIP } from "node:net";
import { withoutZone } from "./address-rules.js";

export interface EgressAllowList {
  /** the entries as given (normalized), for logs */
  readonly entries: readonly string[];
  allowsHost(hostname: string): boolean;
  allowsAddress(address: string): boolean;
}

/** `[::1]` → `::1`; `Example.COM.` → `example.com` (URL hostnames carry brackets; DNS names may end with a dot) */
export function bareHost(hostname: string): string {
  const h = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return h.toLowerCase().replace(/\.$/, "");
}

const HINT =
  "write host names (hooks.example.com), wildcards (*.example.com), IP addresses (10.0.0.7) or CIDR ranges (10.0.0.0/8), comma-separated, without scheme, port or path";

/** The host name as the URL parser writes it, or null when `name` is not one (ports, paths, IDN not in punycode). */
function hostName(name: string): string | null {
  if (name === "" || /[\s/@:*?#[\]\\]/.test(name)) return null;
  try {
    const parsed = new URL(`http://${name}/`).hostname;
    return parsed === name.toLowerCase() && isIP(parsed) === 0 ? parsed : null;
  } catch {
    return null;
  }
}

/** An entry as it is matched: trimmed, lower case, IPv6 without brackets (`[fd00::]/8` → `fd00::/8`). */
function normalizeEntry(entry: string): string {
  return bareHost(entry.trim().replace(/^\[([^\]]*)\](?=\/)/, "$1"));
}

/** Why `entry` is not a valid allow-list entry, or null. */
export function egressAllowProblem(entry: string): string | null {
  const e = normalizeEntry(entry);
  const slash = e.indexOf("/");
  if (slash >= 0) {
    const address = e.slice(0, slash);
    const prefix = e.slice(slash + 1);
    const family = isIP(address);
    if (family === 0 || !/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128))
      return `${JSON.stringify(entry)} is not a CIDR range like 10.0.0.0/8 or fd00::/8`;
    return null;
  }
  if (isIP(e) !== 0) return null;
  const name = e.startsWith("*.") ? e.slice(2) : e;
  if (hostName(name) === null) {
    const idn = /[^\x20-\x7e]/.test(name) ? " (write international names in their xn-- form)" : "";
    return `${JSON.stringify(entry.slice(0, 100))} is not a host name, wildcard, IP address or CIDR range${idn}: ${HINT}`;
  }
  return null;
}

/** Parses the entries; throws an Error naming the first bad one (bots/server/config.ts turns it into a ServerConfigError). */
export function parseEgressAllow(entries: readonly string[]): EgressAllowList {
  const addresses = new BlockList();
  const names = new Set<string>();
  const suffixes: string[] = [];
  const normalized: string[] = [];
  for (const raw of entries) {
    const problem = egressAllowProblem(raw);
    if (problem !== null) throw new Error(`HOOKLINE_EGRESS_ALLOW: ${problem}`);
    const e = normalizeEntry(raw);
    normalized.push(e);
    const slash = e.indexOf("/");
    if (slash >= 0) {
      const address = e.slice(0, slash);
      addresses.addSubnet(address, Number(e.slice(slash + 1)), isIP(address) === 4 ? "ipv4" : "ipv6");
    } else if (isIP(e) !== 0) addresses.addAddress(e, isIP(e) === 4 ? "ipv4" : "ipv6");
    else if (e.startsWith("*.")) suffixes.push(e.slice(1));
    else names.add(e);
  }
  return {
    entries: normalized,
    allowsHost(hostname) {
      const h = bareHost(hostname);
      if (isIP(h) !== 0) return false;
      return names.has(h) || suffixes.some((s) => h.endsWith(s));
    },
    allowsAddress(address) {
      const ip = withoutZone(bareHost(address));
      const family = isIP(ip);
      return family !== 0 && addresses.check(ip, family === 4 ? "ipv4" : "ipv6");
    },
  };
}
