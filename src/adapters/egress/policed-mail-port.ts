/**
 * The MailPort under the egress policy (email notifiers of repository scopes, and of the server's own scope
 * under HOOKLINE_EGRESS_SCOPES=all). nodemailer's `getSocket` hook opens the connection: the SMTP host is
 * resolved once by the policy and the socket connects to that checked address, so nodemailer never resolves the
 * name itself (its DNS cache included); TLS (smtps:// or STARTTLS) still verifies the certificate against the
 * name, which stays the connection's `host` and server name.
 *
 * The SMTP URL is read with nodemailer's own parser, and only options that keep the connection an SMTP
 * connection to that host are accepted: `?proxy=` (connects to the proxy instead), `?service=`, `?pool=`,
 * `?sendmail=`, `?getSocket=` and the like are refused with HOOKLINE_EGRESS_SMTP_OPTION.
 */
import { connect } from "node:net";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { ActionError } from "../../executors/errors.js";
import type { MailPort } from "../../executors/types.js";
import { createMailPort } from "../mail-port.js";
import { EGRESS_CODES } from "./address-rules.js";
import { createEgressPolicy, type EgressPolicy } from "./egress-policy.js";

const OPTIONS = new Set(["secure", "port", "host", "auth", "requireTLS", "ignoreTLS", "opportunisticTLS", "name", "authMethod", "tls"]);
const TLS_OPTIONS = new Set(["rejectUnauthorized", "minVersion", "maxVersion", "ciphers"]);

export interface PolicedMailOptions {
  policy?: EgressPolicy;
  /** false for repository scopes: failures carry SMTP reply codes, never the server's text */
  quoteAnswers?: boolean;
  timeoutMs?: number;
}

function optionRefused(key: string): ActionError {
  return new ActionError(
    EGRESS_CODES.smtpOption,
    `the SMTP URL sets ${JSON.stringify(key.slice(0, 40))}, which policed mail does not accept: keep to smtp(s)://user:pass@host:port with requireTLS, ignoreTLS, name, authMethod or tls.rejectUnauthorized/minVersion/maxVersion/ciphers`,
    false,
  );
}

/** nodemailer's options for `smtpUrl`, checked, with the policy's `getSocket`. */
export async function policedTransportOptions(smtpUrl: string, policy: EgressPolicy, timeoutMs: number): Promise<SMTPTransport.Options> {
  const { parseConnectionUrl } = await import("nodemailer/lib/shared");
  const options = parseConnectionUrl(smtpUrl) as SMTPTransport.Options & Record<string, unknown>;
  for (const key of Object.keys(options)) if (!OPTIONS.has(key)) throw optionRefused(key);
  for (const key of Object.keys(options.tls ?? {})) if (!TLS_OPTIONS.has(key)) throw optionRefused(`tls.${key}`);
  const host = options.host;
  if (typeof host !== "string" || host === "") throw optionRefused("host");
  const port = Number(options.port) || (options.secure ? 465 : 587);
  return {
    ...options,
    getSocket(_opts, callback) {
      policy.addressFor(host).then(
        ({ address }) => {
          const socket = connect({ host: address, port, timeout: timeoutMs });
          const fail = (err: Error) => {
            socket.destroy();
            callback(err, false);
          };
          const timedOut = () => fail(Object.assign(new Error(`connection to ${host} timed out`), { code: "ETIMEDOUT" }));
          socket.once("error", fail);
          socket.once("timeout", timedOut);
          socket.once("connect", () => {
            socket.removeListener("error", fail);
            socket.removeListener("timeout", timedOut);
            socket.setTimeout(0);
            callback(null, { connection: socket });
          });
        },
        (err: Error) => callback(err, false),
      );
    },
  };
}

export function createPolicedMailPort(options: PolicedMailOptions = {}): MailPort {
  const policy = options.policy ?? createEgressPolicy();
  const timeoutMs = options.timeoutMs ?? 30_000;
  return createMailPort({
    timeoutMs,
    quoteAnswers: options.quoteAnswers ?? true,
    transportOptions: (url) => policedTransportOptions(url, policy, timeoutMs),
  });
}
