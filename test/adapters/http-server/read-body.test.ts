/**
 * readBody keeps a body byte for byte however it arrives: small (node's chunks, joined once), declared large
 * (one resizable buffer from the start), or chunked and growing past SMALL_BODY_BYTES (moved into the resizable
 * buffer mid-way); `onChunk` sees every byte once, in order; a body past the limit is refused.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBody, SMALL_BODY_BYTES } from "../../../src/adapters/http-server/read-body.js";

const LIMIT = 3 * SMALL_BODY_BYTES;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const seen = createHash("sha256");
    const read = await readBody(req, LIMIT, (c) => seen.update(c));
    if (!read.ok) {
      // read the rest, then answer: the client gets the 413 instead of a reset while it still writes
      req.resume();
      req.on("end", () => res.writeHead(413).end(read.reason));
      return;
    }
    const body = createHash("sha256").update(read.body).digest("hex");
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ body, seen: seen.digest("hex"), bytes: read.body.length }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** POSTs `body` declared (content-length) or chunked in 64 KiB writes */
function post(body: Buffer, chunked: boolean): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: chunked ? {} : { "content-length": String(body.length) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    for (let at = 0; at < body.length; at += 65536) req.write(body.subarray(at, at + 65536));
    req.end();
  });
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("readBody", () => {
  it.each([
    ["small, declared", 17_000, false],
    ["small, chunked", 200_000, true],
    ["large, declared", SMALL_BODY_BYTES + 12_345, false],
    ["chunked past SMALL_BODY_BYTES", 2 * SMALL_BODY_BYTES + 7, true],
  ] as const)("keeps a %s body byte for byte, and onChunk sees each byte once", async (_, size, chunked) => {
    const body = randomBytes(size);
    const r = await post(body, chunked);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ body: sha(body), seen: sha(body), bytes: size });
  });
  it("refuses a chunked body past the limit", async () => {
    const r = await post(randomBytes(LIMIT + 1), true);
    expect([r.status, r.text]).toEqual([413, "too-large"]);
  });
});
