/**
 * MailPort on nodemailer: one transport per SMTP URL (`smtp://user:pass@host:587`, `smtps://...:465`).
 * SMTP 4xx answers and connection problems are retried; 5xx answers (bad recipient, auth) are not.
 * nodemailer is imported on the first email only (in the Action's bundle: a chunk of its own, not loaded
 * at start).
 */
import { ACTION_CODES, ActionError } from "../executors/errors.js";
import type { MailPort } from "../executors/types.js";

export function smtpError(err: unknown): ActionError {
  const e = err as { responseCode?: unknown; code?: unknown; message?: unknown };
  const message = typeof e?.message === "string" ? e.message.replace(/\/\/[^@\s]*@/g, "//***@") : String(err);
  if (typeof e?.responseCode === "number") {
    return new ActionError(ACTION_CODES.smtp, `SMTP server answered ${e.responseCode}: ${message.slice(0, 300)}`, e.responseCode < 500);
  }
  if (e?.code === "EAUTH")
    return new ActionError(ACTION_CODES.smtp, `SMTP authentication failed: check the user and password in the SMTP URL`, false);
  return new ActionError(ACTION_CODES.network, `SMTP connection failed: ${message.slice(0, 300)}`, true);
}

export function createMailPort(options: { timeoutMs?: number } = {}): MailPort {
  return {
    async send(smtpUrl, message) {
      const { default: nodemailer } = await import("nodemailer");
      const timeout = options.timeoutMs ?? 30_000;
      const transport = nodemailer.createTransport(smtpUrl, {
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
      } as never);
      try {
        const info = await transport.sendMail({ from: message.from, to: message.to, subject: message.subject, text: message.text });
        return { ...(typeof info.messageId === "string" ? { messageId: info.messageId } : {}) };
      } catch (err) {
        throw smtpError(err);
      } finally {
        transport.close();
      }
    },
  };
}
