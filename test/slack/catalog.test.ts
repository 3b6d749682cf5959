import { describe, expect, it } from "vitest";
import { resolveName, type ScopeAutomations } from "../../bots/slack/catalog.js";

const auto = (name: string) => ({ name, description: "", enabled: true });
const catalog: ScopeAutomations[] = [
  { scope: "server", automations: [auto("nightly"), auto("recon-watch")] },
  { scope: "repo:acme/app", automations: [auto("deploy-alerts"), auto("nightly"), auto("a:b")] },
  { scope: "repo:acme/web", automations: [auto("deploy-alerts-web")] },
];

describe("automation names typed in Slack", () => {
  it("a plain name unique across scopes resolves to its scope", () => {
    expect(resolveName("deploy-alerts", catalog)).toEqual({ ok: true, scope: "repo:acme/app", name: "deploy-alerts" });
  });

  it("owner/repo:name and server:name pick the scope", () => {
    expect(resolveName("acme/app:nightly", catalog)).toEqual({ ok: true, scope: "repo:acme/app", name: "nightly" });
    expect(resolveName("server:nightly", catalog)).toEqual({ ok: true, scope: "server", name: "nightly" });
  });

  it("a plain name in several scopes is ambiguous and lists the qualified names", () => {
    expect(resolveName("nightly", catalog)).toEqual({
      ok: false,
      reason: "`nightly` exists in 2 scopes: name one of them",
      suggestions: ["server:nightly", "acme/app:nightly"],
    });
  });

  it("a typo gets the close match, qualified; a name in the wrong scope gets that scope's close match", () => {
    expect(resolveName("deploy-alert", catalog)).toMatchObject({ ok: false, suggestions: ["acme/app:deploy-alerts"] });
    expect(resolveName("acme/web:deploy-alerts", catalog)).toMatchObject({
      ok: false,
      reason: "no automation `deploy-alerts` in repo:acme/web",
      suggestions: ["acme/web:deploy-alerts-web"],
    });
    expect(resolveName("acme/nope:x", catalog)).toMatchObject({
      ok: false,
      reason: "there is no scope repo:acme/nope (no automations known there)",
    });
  });

  it("a plain name that contains a colon still resolves", () => {
    expect(resolveName("a:b", catalog)).toEqual({ ok: true, scope: "repo:acme/app", name: "a:b" });
  });

  it("hostile input (very long, control characters) resolves to nothing without throwing", () => {
    expect(resolveName("x".repeat(10_000), catalog)).toMatchObject({ ok: false, suggestions: [] });
    expect(resolveName("\u0000\u202e", catalog)).toMatchObject({ ok: false });
  });
});
