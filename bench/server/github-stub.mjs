/** A GitHub API stand-in for the bench: installation tokens, no automations file (404), 201 for anything else. */
import { createServer } from "node:http";

export async function startGitHubStub() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url?.includes("/access_tokens")) {
        res
          .writeHead(201, { "content-type": "application/json" })
          .end(JSON.stringify({ token: "ghs_bench", expires_at: new Date(Date.now() + 3600e3).toISOString() }));
      } else if (req.url?.includes("/contents/")) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "Not Found" }));
      } else {
        res.writeHead(201, { "content-type": "application/json" }).end("{}");
      }
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}
