/**
 * The 50 live feed readers of ingest-feeds.mjs, in their own child process (forked; BENCH_READERS_NICE renices
 * it): real readers are browsers on other machines, not code in the ingest clients' event loop; the bench checks
 * that each received every event (none cut for falling behind).
 *
 * Messages (IPC): { open: count, url, query, token } -> { opened }; { drain: expected } -> { counts, bytes } once
 * every feed has `expected` events or 30 s passed; { close } -> { closed }.
 */
import { connect } from "node:net";

const MARK = Buffer.from("\nevent: hookline\n");
let feeds = [];

/**
 * one feed on a raw socket, counting `event: hookline` messages in the bytes as they come (across chunk
 * boundaries: the last bytes of one chunk are joined to the first of the next). No HTTP parser and no copy of
 * the chunks: these readers share the machine's cores with the server, and stand for browsers on other
 * machines, so they take as little as they can. The chunked framing never splits a message: the server writes
 * whole messages
 */
function reader(url, path, token) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const f = { count: 0, bytes: 0, status: null, closed: false, socket };
  let tail = Buffer.alloc(0);
  const opened = new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.on("data", (c) => {
      f.bytes += c.length;
      if (f.status === null) {
        f.status = Number(c.subarray(9, 12).toString());
        if (f.status === 200) resolve(f);
        else reject(new Error(`feed answered ${f.status}`));
      }
      // a mark that straddles the boundary: the previous chunk's last bytes and this one's first
      if (tail.length > 0) {
        const seam = Buffer.concat([tail, c.subarray(0, MARK.length - 1)]);
        if (seam.indexOf(MARK) !== -1) f.count++;
      }
      for (let i = c.indexOf(MARK); i !== -1; i = c.indexOf(MARK, i + MARK.length)) f.count++;
      tail = c.subarray(Math.max(0, c.length - MARK.length + 1));
    });
  });
  socket.on("error", () => {});
  socket.on("close", () => (f.closed = true));
  socket.write(`GET ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\nauthorization: Bearer ${token}\r\n\r\n`);
  return opened;
}

process.on("message", async (m) => {
  if (m.open) {
    for (let i = 0; i < m.open; i++) feeds.push(await reader(m.url, `/api/events/stream${m.query}`, m.token));
    process.send({ opened: feeds.length });
  } else if (m.drain !== undefined) {
    const until = Date.now() + 30_000;
    while (Date.now() < until && feeds.some((f) => f.count < m.drain && !f.closed)) await new Promise((r) => setTimeout(r, 50));
    process.send({ counts: feeds.map((f) => f.count), bytes: feeds.reduce((n, f) => n + f.bytes, 0) });
  } else if (m.close) {
    feeds.forEach((f) => f.socket.destroy());
    feeds = [];
    process.send({ closed: true });
  } else if (m.exit) process.exit(0);
});
