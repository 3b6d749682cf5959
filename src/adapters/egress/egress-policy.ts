/**
 * The egress policy's one decision: which address a connection to `host` may use. The name is resolved ONCE,
 * here, and the address returned is the address the caller connects to (policed-http-port.ts, policed-mail-port.ts),
 * so there is no window between the check and the connection for DNS rebinding. IP literals are checked as
 * they are (Node's `net.connect` never calls `lookup` for them). A host the operator allows by name may resolve
 * anywhere; otherwise only addresses no rule refuses (or that HOOKLINE_EGRESS_ALLOW lists) are used, and when
 * none is left the call is refused with the code of the rule that refused the first address.
 *
 * A refusal names the host only: never the URL's path or query (webhook URLs carry tokens), and not the address
 * a name resolved to (a repository would learn the operator's internal DNS from its failure events).
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { ACTION_CODES, ActionError } from "../../executors/errors.js";
import { addressRule, type AddressRule } from "./address-rules.js";
import { bareHost, parseEgressAllow, type EgressAllowList } from "./allow-list.js";

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to its addresses (default: the system resolver, as `net.connect` would). Injectable for tests. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export interface EgressPolicyOptions {
  /** HOOKLINE_EGRESS_ALLOW entries, or a parsed list */
  allow?: EgressAllowList | readonly string[];
  resolve?: Resolver;
}

export interface EgressPolicy {
  readonly allow: EgressAllowList;
  /** The checked address to connect to for `host` (a name or an IP literal, brackets allowed); rejects with an ActionError. */
  addressFor(host: string): Promise<ResolvedAddress>;
}

/** The refusal of `host` by `rule`: not retried (the same address is refused again). */
export function egressRefusal(host: string, rule: AddressRule, literal: boolean): ActionError {
  const shown = host.includes(":") ? `[${host}]` : host;
  return new ActionError(
    rule.code,
    `the egress policy refuses ${shown}: ${literal ? "it is" : "it resolves to"} ${rule.what}. ` +
      `If this target is meant to be reached, the server's operator can allow it with HOOKLINE_EGRESS_ALLOW=${shown.replace(/^\[|\]$/g, "")}`,
    false,
  );
}

function resolveError(host: string, err: unknown): ActionError {
  const code = (err as { code?: unknown })?.code;
  const why = typeof code === "string" && /^[A-Z_]{1,40}$/.test(code) ? code : "no address";
  return new ActionError(ACTION_CODES.network, `could not resolve ${host} (${why})`, true);
}

export function createEgressPolicy(options: EgressPolicyOptions = {}): EgressPolicy {
  const given = options.allow ?? [];
  const list: EgressAllowList = "allowsHost" in given ? given : parseEgressAllow(given);
  const resolve = options.resolve ?? systemResolver;
  return {
    allow: list,
    async addressFor(rawHost) {
      const host = bareHost(rawHost);
      const family = isIP(host);
      if (family !== 0) {
        const rule = list.allowsAddress(host) ? null : addressRule(host);
        if (rule) throw egressRefusal(host, rule, true);
        return { address: host, family };
      }
      let found: readonly ResolvedAddress[];
      try {
        found = await resolve(host);
      } catch (err) {
        throw resolveError(host, err);
      }
      if (found.length === 0) throw resolveError(host, undefined);
      if (list.allowsHost(host)) return found[0]!;
      let refused: AddressRule | null = null;
      for (const a of found) {
        const rule = list.allowsAddress(a.address) ? null : addressRule(a.address);
        if (rule === null) return a;
        refused ??= rule;
      }
      throw egressRefusal(host, refused!, false);
    },
  };
}
