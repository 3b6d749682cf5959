/** Codes of the egress policy (docs/egress.md): where the server's actions may connect. */
import type { CodeTable } from "./table.js";

const REFUSED = "The action's URL resolves to an address the egress policy refuses";
const ALLOW = "If the address is yours and meant to be reached, list it in HOOKLINE_EGRESS_ALLOW (docs/egress.md).";

export const EGRESS_CODES = {
  HOOKLINE_EGRESS_LOOPBACK: { summary: `${REFUSED}: loopback (127.0.0.0/8, ::1).`, fix: ALLOW },
  HOOKLINE_EGRESS_PRIVATE: { summary: `${REFUSED}: a private network (10/8, 172.16/12, 192.168/16).`, fix: ALLOW },
  HOOKLINE_EGRESS_LINK_LOCAL: {
    summary: `${REFUSED}: link-local (169.254/16, fe80::/10), where cloud metadata services live.`,
    fix: ALLOW,
  },
  HOOKLINE_EGRESS_CGNAT: { summary: `${REFUSED}: carrier-grade NAT (100.64/10).`, fix: ALLOW },
  HOOKLINE_EGRESS_UNIQUE_LOCAL: { summary: `${REFUSED}: IPv6 unique-local (fc00::/7).`, fix: ALLOW },
  HOOKLINE_EGRESS_MULTICAST: { summary: `${REFUSED}: multicast.`, fix: "Use a unicast address." },
  HOOKLINE_EGRESS_UNSPECIFIED: { summary: `${REFUSED}: unspecified (0.0.0.0, ::).`, fix: "Use the host's real address." },
  HOOKLINE_EGRESS_BROADCAST: { summary: `${REFUSED}: broadcast.`, fix: "Use a unicast address." },
  HOOKLINE_EGRESS_RESERVED: { summary: `${REFUSED}: a reserved or documentation range.`, fix: ALLOW },
  HOOKLINE_EGRESS_REDIRECT: {
    summary: "A policed call answered with a redirect; redirects are never followed.",
    fix: "Use the final URL in the action.",
  },
  HOOKLINE_EGRESS_SMTP_OPTION: {
    summary: "The SMTP URL has an option that would connect elsewhere or not over SMTP (a proxy, sendmail, ...).",
    fix: "Remove the option from the smtp:// URL.",
  },
} as const satisfies CodeTable;
