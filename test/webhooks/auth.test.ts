import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { missingWebhookSecrets, receiveWebhook, timingSafeEqualText } from "../../src/webhooks/index.js";
import { bytes, hook, hooks, request } from "./helpers.js";

const EVENT = `template:\n  event: acme.order.created\n  resource: { prefect.resource.id: "acme.order.{{ body.id }}" }`;
const secretHook = hook(`slug: orders\nsecret_env: ORDERS_SECRET\n${EVENT}`);
const sigHook = hook(`slug: orders\nsignature: { header: X-Acme-Signature, secret_env: ORDERS_HMAC }\n${EVENT}`);
const env = { ORDERS_SECRET: "s3cret-value", ORDERS_HMAC: "hmac-key" };
const BODY = '{"id": "A-1"}';
const sign = (body: string, key = "hmac-key", algo = "sha256") => createHmac(algo, key).update(body).digest("hex");

describe("shared secret", () => {
  it("is accepted from X-Hookline-Secret or Authorization: Bearer", () => {
    expect(receiveWebhook(secretHook, request({ json: { id: "A-1" }, headers: { "X-Hookline-Secret": "s3cret-value" } }), env).ok).toBe(
      true,
    );
    expect(receiveWebhook(secretHook, request({ json: { id: "A-1" }, headers: { authorization: "Bearer s3cret-value" } }), env).ok).toBe(
      true,
    );
    expect(receiveWebhook(secretHook, request({ json: { id: "A-1" }, headers: { Authorization: "bearer   s3cret-value " } }), env).ok).toBe(
      true,
    );
  });

  it("a missing secret answers 401, a wrong one 403 (also a prefix, a longer value or another scheme)", () => {
    expect(receiveWebhook(secretHook, request({ json: { id: "A-1" } }), env)).toMatchObject({
      ok: false,
      status: 401,
      code: "HOOKLINE_WEBHOOK_AUTH_MISSING",
    });
    expect(receiveWebhook(secretHook, request({ json: { id: "A-1" }, headers: { authorization: "Basic czNjcmV0" } }), env)).toMatchObject({
      status: 401,
    });
    for (const wrong of ["s3cret", "s3cret-value-and-more", "S3CRET-VALUE", "x"]) {
      expect(
        receiveWebhook(secretHook, request({ json: { id: "A-1" }, headers: { "x-hookline-secret": wrong } }), env),
        wrong,
      ).toMatchObject({
        ok: false,
        status: 403,
        code: "HOOKLINE_WEBHOOK_AUTH_WRONG",
      });
    }
  });

  it("authentication runs before the body is looked at: an unauthenticated caller learns nothing about it", () => {
    const r = receiveWebhook(secretHook, request({ headers: { "content-type": "application/xml" }, text: "<x" }), env);
    expect(r).toMatchObject({ ok: false, status: 401 });
  });

  it("an unset or empty secret variable fails closed (403) without naming the variable", () => {
    for (const e of [{}, { ORDERS_SECRET: "" }]) {
      const r = receiveWebhook(secretHook, request({ json: { id: "A-1" }, headers: { "x-hookline-secret": "" } }), e);
      expect(r).toMatchObject({ ok: false, status: 403, code: "HOOKLINE_WEBHOOK_SECRET_NOT_SET" });
      expect(JSON.stringify(r)).not.toContain("ORDERS_SECRET");
    }
  });

  it("credentials never reach the template, so they cannot be copied into an event", () => {
    const h = hook(
      `slug: orders\nsecret_env: ORDERS_SECRET\ntemplate:\n  event: acme.order.created\n  resource: { prefect.resource.id: x }\n  payload: { headers: "{{ headers }}" }`,
    );
    const r = receiveWebhook(h, request({ headers: { "x-hookline-secret": "s3cret-value", cookie: "a=b", "x-other": "kept" } }), env);
    if (!r.ok) throw new Error(r.reason);
    expect(r.event.payload.headers).toEqual({ "x-other": "kept" });
    expect(JSON.stringify(r.event)).not.toContain("s3cret-value");
  });

  it("missingWebhookSecrets lists the webhooks whose secret variable is unset", () => {
    const defs = hooks(
      `webhooks:\n  - slug: a\n    secret_env: A_SECRET\n    ${EVENT.replace(/\n/g, "\n    ")}\n  - slug: b\n    auth: none\n    ${EVENT.replace(/\n/g, "\n    ")}\n  - slug: c\n    signature: { header: X-Sig, secret_env: C_KEY }\n    ${EVENT.replace(/\n/g, "\n    ")}`,
    );
    expect(missingWebhookSecrets(defs, { A_SECRET: "x", C_KEY: "" })).toEqual([{ slug: "c", env: "C_KEY" }]);
  });
});

describe("HMAC signature of the raw body", () => {
  it("accepts sha256=<hex> of the exact bytes received (hex in either case)", () => {
    const r = receiveWebhook(
      sigHook,
      request({ headers: { "content-type": "application/json", "x-acme-signature": `sha256=${sign(BODY)}` }, body: bytes(BODY) }),
      env,
    );
    expect(r.ok).toBe(true);
    const upper = receiveWebhook(
      sigHook,
      request({
        headers: { "content-type": "application/json", "x-acme-signature": `sha256=${sign(BODY).toUpperCase()}` },
        body: bytes(BODY),
      }),
      env,
    );
    expect(upper.ok).toBe(true);
  });

  it("a signature of other bytes (re-serialized JSON, another key, a truncated digest) answers 403", () => {
    const cases = [
      `sha256=${sign('{"id":"A-1"}')}`,
      `sha256=${sign(BODY, "other-key")}`,
      `sha256=${sign(BODY).slice(0, 40)}`,
      sign(BODY),
      `sha1=${sign(BODY, "hmac-key", "sha1")}`,
    ];
    for (const sig of cases) {
      const r = receiveWebhook(
        sigHook,
        request({ headers: { "content-type": "application/json", "x-acme-signature": sig }, body: bytes(BODY) }),
        env,
      );
      expect(r, sig).toMatchObject({ ok: false, status: 403, code: "HOOKLINE_WEBHOOK_AUTH_WRONG" });
    }
  });

  it("a missing signature header answers 401", () => {
    expect(receiveWebhook(sigHook, request({ json: { id: "A-1" } }), env)).toMatchObject({
      ok: false,
      status: 401,
      code: "HOOKLINE_WEBHOOK_AUTH_MISSING",
    });
  });

  it("sha1 with a custom (or empty) prefix", () => {
    const h = hook(`slug: orders\nsignature: { header: X-Sig, algorithm: sha1, secret_env: ORDERS_HMAC, prefix: "" }\n${EVENT}`);
    expect(h.auth).toEqual({ kind: "signature", header: "x-sig", algorithm: "sha1", secretEnv: "ORDERS_HMAC", prefix: "" });
    const good = receiveWebhook(
      h,
      request({ headers: { "content-type": "application/json", "X-SIG": sign(BODY, "hmac-key", "sha1") }, body: bytes(BODY) }),
      env,
    );
    expect(good.ok).toBe(true);
    const sha256 = receiveWebhook(
      h,
      request({ headers: { "content-type": "application/json", "X-SIG": sign(BODY) }, body: bytes(BODY) }),
      env,
    );
    expect(sha256).toMatchObject({ status: 403 });
  });

  it("the default prefix is <algorithm>=", () => {
    expect(sigHook.auth).toMatchObject({ algorithm: "sha256", prefix: "sha256=" });
  });
});

describe("timingSafeEqualText", () => {
  it("compares values of different lengths without throwing (node's timingSafeEqual would)", () => {
    expect(timingSafeEqualText("a", "ab")).toBe(false);
    expect(timingSafeEqualText("", "x".repeat(10_000))).toBe(false);
    expect(timingSafeEqualText("same", "same")).toBe(true);
    expect(timingSafeEqualText(bytes("same"), "same")).toBe(true);
    expect(timingSafeEqualText("é", "e\u0301")).toBe(false);
  });
});
