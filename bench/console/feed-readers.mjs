/**
 * The 50 live feed readers of ingest-feeds.mjs, in their own child process (forked; BENCH_READERS_NICE renices
 * it): real readers are browsers on other machines, not code in the ingest clients' event loop; the bench checks
 * that each received every event (none cut for falling behind).
 *
 * Messages (IPC): { open: count, url, query, token } -> { opened }; { drain: expected } -> { counts, bytes } once
 * every feed has `expected` events or 30 s passed; { close } -> { closed }.
 */
import { get } from "node:http";

const MARK = Buffer.from("\nevent: hookline\n");
let feeds = [];

/** counts `event: hookline` messages across chunk boundaries */
function reader(res) {
  const f = { count: 0, bytes: 0, tail: Buffer.alloc(0), req: null };
  res.on("data", (c) => {
    f.bytes += c.length;
    const b = f.tail.length ? Buffer.concat([f.tail, c]) : c;
    for (let i = b.indexOf(MARK); i !== -1; i = b.indexOf(MARK, i + MARK.length)) f.count++;
    f.tail = b.subarray(Math.max(0, b.length - MARK.length + 1));
  });
  res.on("error", () => {});
  res.on("close", () => (f.closed = true));
  return f;
}

process.on("message", async (m) => {
  if (m.open) {
    for (let i = 0; i < m.open; i++) {
      const req = get(`${m.url}/api/events/stream${m.query}`, { headers: { authorization: `Bearer ${m.token}` } });
      const res = await new Promise((resolve, reject) => req.once("response", resolve).once("error", reject));
      if (res.statusCode !== 200) throw new Error(`feed answered ${res.statusCode}`);
      const f = reader(res);
      f.req = req;
      feeds.push(f);
    }
    process.send({ opened: feeds.length });
  } else if (m.drain !== undefined) {
    const until = Date.now() + 30_000;
    while (Date.now() < until && feeds.some((f) => f.count < m.drain && !f.closed)) await new Promise((r) => setTimeout(r, 50));
    process.send({ counts: feeds.map((f) => f.count), bytes: feeds.reduce((n, f) => n + f.bytes, 0) });
  } else if (m.close) {
    feeds.forEach((f) => f.req.destroy());
    feeds = [];
    process.send({ closed: true });
  } else if (m.exit) process.exit(0);
});
