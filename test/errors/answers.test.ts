/**
 * Where hookline answers with an error code it also names where the code is documented: the server's JSON
 * error answer gains `"docs": "docs/errors.md#<code>"` (the HTTP status is unchanged), the Action's failure ends
 * with `(see docs/errors.md#<code>)`, and `hookline serve` prints `See docs/errors.md#<code>.` after the code.
 */
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sendError, sendErrorAndClose } from "../../src/adapters/http-server/respond.js";
import { ROOT, runDist } from "../action/run-dist.js";

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

async function answer(handler: Parameters<typeof createServer>[1]): Promise<Response> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
}

describe("answers name the docs of their code", () => {
  it("the server's JSON error answer carries docs: docs/errors.md#<code>, with its status and fields unchanged", async () => {
    const res = await answer((_req, res) => sendError(res, 404, "HOOKLINE_NOT_FOUND", "no endpoint /x", { matches: [] }));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: "HOOKLINE_NOT_FOUND", message: "no endpoint /x", docs: "docs/errors.md#hookline_not_found", matches: [] },
    });
    const closed = await answer((_req, res) => sendErrorAndClose(res, 413, "HOOKLINE_BODY_TOO_LARGE", "too large"));
    expect(closed.status).toBe(413);
    expect(((await closed.json()) as { error: { docs: string } }).error.docs).toBe("docs/errors.md#hookline_body_too_large");
  });

  it("the Action's failure ends with the link to its code (dist/index.js)", async () => {
    const r = await runDist({ node: process.execPath, files: {}, inputs: { mode: "bogus" } });
    expect(r.code).toBe(1);
    expect(r.annotations.at(-1)?.message).toMatch(/^HOOKLINE_ACTION_INPUT: .* \(see docs\/errors\.md#hookline_action_input\)$/s);
  });

  it("hookline serve prints the link after the code of a bad setting", () => {
    const env = { ...process.env };
    delete env.PORT;
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "hookline.js"), "serve", "--port", "http"], {
      cwd: ROOT,
      env,
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("HOOKLINE_CONFIG_BAD_PORT");
    expect(r.stderr).toContain("See docs/errors.md#hookline_config_bad_port.");
  });
});
