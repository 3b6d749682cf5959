// demo.sh's stand-in for the billing service and the alert channel: prints each request it receives as one JSON
// line ({"path", "body"}) and answers 204. `node receiver.mjs PORT` (127.0.0.1 only).
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 9099);
createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    let parsed = body;
    try {
      parsed = JSON.parse(body);
    } catch {
      // not JSON: printed as text
    }
    process.stdout.write(`${JSON.stringify({ path: req.url, body: parsed })}\n`);
    res.writeHead(204).end();
  });
}).listen(port, "127.0.0.1");
