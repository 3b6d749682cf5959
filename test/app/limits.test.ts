import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { example, forRepo, harness, sign, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("oversized deliveries are refused before they are buffered", () => {
  it("a Content-Length over the limit answers 413 and stores nothing, even when signed", async () => {
    h = await harness({ maxBodyBytes: 2_000 });
    const payload = forRepo(example("issues", "opened"), "acme/web");
    const res = await h.deliver("issues", payload);
    expect(JSON.stringify(payload).length).toBeGreaterThan(2_000);
    expect(res.status).toBe(413);
    expect(h.ingest.calls).toHaveLength(0);
  });

  it("a chunked body (no Content-Length) is cut at the limit and stores nothing", async () => {
    h = await harness({ maxBodyBytes: 2_000 });
    const body = JSON.stringify(forRepo(example("issues", "opened"), "acme/web"));
    const url = new URL(`${h.url}/api/github/webhooks`);
    const status = await new Promise<number | "reset">((resolve) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-github-event": "issues",
            "x-github-delivery": "chunked-1",
            "x-hub-signature-256": sign(body),
            "transfer-encoding": "chunked",
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", () => resolve("reset"));
      for (let i = 0; i < body.length; i += 500) req.write(body.slice(i, i + 500));
      req.end();
    });
    expect([413, "reset"]).toContain(status);
    await h.app.idle();
    expect(h.ingest.calls).toHaveLength(0);
  });

  it("a delivery within the limit is unaffected", async () => {
    h = await harness({ maxBodyBytes: 1_000_000 });
    const res = await h.deliver("issues", forRepo(example("issues", "opened"), "acme/web"));
    expect(res.status).toBe(200);
    expect(h.ingest.calls).toHaveLength(1);
  });
});
