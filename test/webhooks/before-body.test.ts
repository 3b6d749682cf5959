/**
 * What is refused before a webhook's body is read (issue 12, item 6): an unauthenticated sender must not make
 * the server hold its body. The method, the shared secret, an unset secret and a missing signature header are
 * decided from the headers; an HMAC signature needs the body, and then receiveWebhook decides.
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { receiveWebhook, refuseBeforeBody } from "../../src/webhooks/index.js";
import { hook, request } from "./helpers.js";

const EVENT = `template:\n  event: acme.order.created\n  resource: { prefect.resource.id: "acme.order.{{ body.id }}" }`;
const secretHook = hook(`slug: orders\nsecret_env: ORDERS_SECRET\n${EVENT}`);
const sigHook = hook(`slug: orders\nsignature: { header: X-Acme-Signature, secret_env: ORDERS_HMAC }\n${EVENT}`);
const openHook = hook(`slug: orders\nmethods: [POST]\nauth: none\n${EVENT}`);
const env = { ORDERS_SECRET: "s3cret-value", ORDERS_HMAC: "hmac-key" };

describe("refused from the headers alone", () => {
  it("a shared-secret webhook: a missing secret is 401, a wrong one 403, the right one is let through to the body", () => {
    expect(refuseBeforeBody(secretHook, "POST", {}, env)).toMatchObject({ status: 401, code: "HOOKLINE_WEBHOOK_AUTH_MISSING" });
    expect(refuseBeforeBody(secretHook, "POST", { "X-Hookline-Secret": "wrong" }, env)).toMatchObject({
      status: 403,
      code: "HOOKLINE_WEBHOOK_AUTH_WRONG",
    });
    expect(refuseBeforeBody(secretHook, "POST", { authorization: "Bearer s3cret-value" }, env)).toBeNull();
  });

  it("a secret that is not configured on the server refuses every request (403) before the body", () => {
    expect(refuseBeforeBody(secretHook, "POST", { "x-hookline-secret": "s3cret-value" }, {})).toMatchObject({
      status: 403,
      code: "HOOKLINE_WEBHOOK_SECRET_NOT_SET",
    });
    expect(refuseBeforeBody(sigHook, "POST", { "x-acme-signature": "sha256=00" }, {})).toMatchObject({ status: 403 });
  });

  it("a signature webhook without its header is 401 before the body; with it, the body decides", () => {
    expect(refuseBeforeBody(sigHook, "POST", {}, env)).toMatchObject({ status: 401, code: "HOOKLINE_WEBHOOK_AUTH_MISSING" });
    expect(refuseBeforeBody(sigHook, "POST", { "X-Acme-Signature": "sha256=00" }, env)).toBeNull();
    const body = '{"id":"A-1"}';
    const wrong = request({ text: body, headers: { "content-type": "application/json", "x-acme-signature": "sha256=00" } });
    expect(receiveWebhook(sigHook, wrong, env)).toMatchObject({ status: 403 });
    const signature = `sha256=${createHmac("sha256", "hmac-key").update(body).digest("hex")}`;
    const right = request({ text: body, headers: { "content-type": "application/json", "x-acme-signature": signature } });
    expect(receiveWebhook(sigHook, right, env).ok).toBe(true);
  });

  it("a method the webhook does not accept is 405 with Allow; a webhook without auth reads its body", () => {
    expect(refuseBeforeBody(openHook, "DELETE", {}, env)).toMatchObject({ status: 405, allow: ["POST"] });
    expect(refuseBeforeBody(openHook, "post", {}, env)).toBeNull();
  });
});
