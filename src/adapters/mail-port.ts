/**
 * MailPort on nodemailer: one transport per SMTP URL (`smtp://user:pass@host:587`, `smtps://...:465`).
 * SMTP 4xx answers and connection problems are retried; 5xx answers (bad recipient, auth) are not.
 * nodemailer is imported on the first email only (in the Action's bundle: a chunk of its own, not loaded
 * at start). The egress policy's port (egress/policed-mail-port.ts) is this one with checked transport options
 * and `quoteAnswers: false` for repository scopes.
 */
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { ACTION_CODES, ActionError } from "../executors/errors.js";
import type { MailPort } from "../executors/types.js";

export interface MailPortOptions {
  timeoutMs?: number;
  /**
   * false: a failure says the SMTP reply code or the error code only, never the server's text (whatever a
   * repository points the URL at must not be read back through its failure events). Default true.
   */
  quoteAnswers?: boolean;
  /** the transport options for an SMTP URL (default: the URL as nodemailer reads it); may reject with an ActionError */
  transportOptions?: (smtpUrl: string) => Promise<SMTPTransport.Options>;
}

export function smtpError(err: unknown, quoteAnswers = true): ActionError {
  if (err instanceof ActionError) return err;
  const e = err as { responseCode?: unknown; code?: unknown; message?: unknown };
  const message = typeof e?.message === "string" ? e.message.replace(/\/\/[^@\s]*@/g, "//***@") : String(err);
  const code = typeof e?.code === "string" && /^[A-Z0-9_]{1,40}$/.test(e.code) ? e.code : undefined;
  if (typeof e?.responseCode === "number") {
    const text = quoteAnswers ? `: ${message.slice(0, 300)}` : " (the server's text is not recorded for repository automations)";
    return new ActionError(ACTION_CODES.smtp, `SMTP server answered ${e.responseCode}${text}`, e.responseCode < 500);
  }
  if (e?.code === "EAUTH")
    return new ActionError(ACTION_CODES.smtp, `SMTP authentication failed: check the user and password in the SMTP URL`, false);
  const detail = quoteAnswers ? `: ${message.slice(0, 300)}` : code ? ` (${code})` : "";
  return new ActionError(ACTION_CODES.network, `SMTP connection failed${detail}`, true);
}

export function createMailPort(options: MailPortOptions = {}): MailPort {
  const quote = options.quoteAnswers ?? true;
  return {
    async send(smtpUrl, message) {
      const { default: nodemailer } = await import("nodemailer");
      const timeout = options.timeoutMs ?? 30_000;
      const limits = { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout };
      let transport: ReturnType<typeof nodemailer.createTransport> | undefined;
      try {
        transport = options.transportOptions
          ? nodemailer.createTransport({ ...(await options.transportOptions(smtpUrl)), ...limits })
          : nodemailer.createTransport(smtpUrl, limits as never);
        const info = await transport.sendMail({ from: message.from, to: message.to, subject: message.subject, text: message.text });
        return { ...(typeof info.messageId === "string" ? { messageId: info.messageId } : {}) };
      } catch (err) {
        throw smtpError(err, quote);
      } finally {
        transport?.close();
      }
    },
  };
}
