/** The body budget's settings (HOOKLINE_BODY_*): defaults, a proxy's setting, and bad values refused with the fix. */
import { describe, expect, it } from "vitest";
import { readServerConfig } from "../../bots/server/config.js";

const MiB = 1024 * 1024;

function refusal(env: Record<string, string>): { code: string; message: string } | null {
  try {
    readServerConfig(env);
    return null;
  } catch (err) {
    return err as { code: string; message: string };
  }
}

describe("HOOKLINE_BODY_BUDGET_MB, HOOKLINE_BODY_CLIENT_MB, HOOKLINE_BODY_CLIENT_READS", () => {
  it("default: 128 MiB in total, 32 MiB and 32 bodies at once per client, Retry-After 2 s", () => {
    expect(readServerConfig({}).bodyBudget).toEqual({
      totalBytes: 128 * MiB,
      perClientBytes: 32 * MiB,
      perClientReads: 32,
      retryAfterSeconds: 2,
    });
  });

  it("a client's default share is a quarter of the total, never less than one GitHub delivery (25 MiB)", () => {
    expect(readServerConfig({ HOOKLINE_BODY_BUDGET_MB: "512" }).bodyBudget.perClientBytes).toBe(128 * MiB);
    expect(readServerConfig({ HOOKLINE_BODY_BUDGET_MB: "64" }).bodyBudget.perClientBytes).toBe(25 * MiB);
  });

  it("behind a reverse proxy (one client address) the share can be the whole budget", () => {
    const c = readServerConfig({ HOOKLINE_BODY_BUDGET_MB: "256", HOOKLINE_BODY_CLIENT_MB: "256", HOOKLINE_BODY_CLIENT_READS: "200" });
    expect(c.bodyBudget).toMatchObject({ totalBytes: 256 * MiB, perClientBytes: 256 * MiB, perClientReads: 200 });
  });

  it("bad values are refused with HOOKLINE_CONFIG_BAD_BODY_BUDGET and the accepted range", () => {
    const bad: Record<string, string>[] = [
      { HOOKLINE_BODY_BUDGET_MB: "16" },
      { HOOKLINE_BODY_BUDGET_MB: "1e3" },
      { HOOKLINE_BODY_BUDGET_MB: "99999" },
      { HOOKLINE_BODY_CLIENT_MB: "10" },
      { HOOKLINE_BODY_BUDGET_MB: "64", HOOKLINE_BODY_CLIENT_MB: "65" },
      { HOOKLINE_BODY_CLIENT_READS: "0" },
      { HOOKLINE_BODY_CLIENT_READS: "-1" },
    ];
    for (const env of bad) {
      const err = refusal(env);
      expect(err?.code, JSON.stringify(env)).toBe("HOOKLINE_CONFIG_BAD_BODY_BUDGET");
      expect(err?.message).toMatch(/must be a whole number from \d+ to \d+/);
    }
  });
});
