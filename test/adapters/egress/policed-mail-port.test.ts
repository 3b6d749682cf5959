/**
 * The policed MailPort (src/adapters/egress/policed-mail-port.ts) against an SMTP stand-in on loopback: a
 * refused host gets no connection at all, an allowed one gets the message over the socket the policy opened,
 * URL options that would connect elsewhere are refused, and `quoteAnswers: false` keeps the server's text out.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ACTION_CODES } from "../../../src/executors/index.js";
import { createEgressPolicy, createPolicedMailPort, EGRESS_CODES, type Resolver } from "../../../src/adapters/index.js";
import { startSmtp } from "../../executors/helpers.js";

type Smtp = Awaited<ReturnType<typeof startSmtp>>;
let smtp: Smtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

const MESSAGE = { from: "hookline@example.com", to: ["ops@example.com"], subject: "s", text: "body" };
const signal = () => new AbortController().signal;
const portOf = (url: string) => Number(new URL(url).port);

describe("SMTP under the egress policy", () => {
  it("smtp://127.0.0.1 and smtp://localhost are refused with HOOKLINE_EGRESS_LOOPBACK: the server saw no connection", async () => {
    smtp = await startSmtp();
    const mail = createPolicedMailPort();
    for (const host of ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]"]) {
      await expect(mail.send(`smtp://u:p@${host}:${portOf(smtp.url)}`, MESSAGE, signal()), host).rejects.toMatchObject({
        code: EGRESS_CODES.loopback,
        retryable: false,
      });
    }
    expect(smtp.connections()).toBe(0);
    expect(smtp.messages).toEqual([]);
  });

  it("an allowed host gets the message; a name is resolved once, by the policy", async () => {
    smtp = await startSmtp();
    const calls: string[] = [];
    const resolve: Resolver = async (host) => (calls.push(host), [{ address: "127.0.0.1", family: 4 }]);
    const mail = createPolicedMailPort({ policy: createEgressPolicy({ allow: ["127.0.0.1"], resolve }) });
    await mail.send(`smtp://mail.example:${portOf(smtp.url)}`, MESSAGE, signal());
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual(["ops@example.com"]);
    expect(calls).toEqual(["mail.example"]);
  });

  it("URL options that connect elsewhere or not over SMTP are refused with HOOKLINE_EGRESS_SMTP_OPTION, before any connection", async () => {
    smtp = await startSmtp();
    const mail = createPolicedMailPort({ policy: createEgressPolicy({ allow: ["127.0.0.1"] }) });
    for (const query of [
      `proxy=http://127.0.0.1:${portOf(smtp.url)}`,
      "service=gmail",
      "pool=true",
      "sendmail=true",
      "streamTransport=true",
      "getSocket=x",
      "localAddress=127.0.0.1",
      "tls.servername=other.example",
    ]) {
      await expect(mail.send(`${smtp.url}/?${query}`, MESSAGE, signal()), query).rejects.toMatchObject({
        code: EGRESS_CODES.smtpOption,
      });
    }
    expect(smtp.connections()).toBe(0);
    await mail.send(`${smtp.url}/?requireTLS=false&name=hookline.example&tls.rejectUnauthorized=true`, MESSAGE, signal());
    expect(smtp.messages).toHaveLength(1);
  });

  it("with quoteAnswers: false an SMTP refusal gives its reply code, never the server's text", async () => {
    smtp = await startSmtp({ rcptCode: 550 });
    const policy = createEgressPolicy({ allow: ["127.0.0.1"] });
    const quiet = await createPolicedMailPort({ policy, quoteAnswers: false })
      .send(smtp.url, MESSAGE, signal())
      .catch((e: Error) => e);
    expect(quiet).toMatchObject({ code: ACTION_CODES.smtp, retryable: false });
    expect((quiet as Error).message).toMatch(/^SMTP server answered 550 /);
    expect((quiet as Error).message).not.toContain("no such user");
    const quoted = await createPolicedMailPort({ policy })
      .send(smtp.url, MESSAGE, signal())
      .catch((e: Error) => e);
    expect((quoted as Error).message).toContain("no such user");
  });
});
