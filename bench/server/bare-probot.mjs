/**
 * The ceiling: Probot receiving the same signed deliveries and doing no work (verify the signature, parse,
 * dispatch to an empty handler, answer). `node bench/server/bare-probot.mjs [port]` (default $PORT, else any); prints "ready <url>".
 */
import { createServer } from "node:http";
import { createNodeMiddleware, createProbot } from "probot";
import { readFileSync } from "node:fs";

const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
const env = process.env;
const probot = createProbot({
  overrides: {
    appId: env.APP_ID,
    privateKey: env.PRIVATE_KEY ?? readFileSync(env.PRIVATE_KEY_PATH, "utf8"),
    secret: env.WEBHOOK_SECRET,
    logLevel: "warn",
  },
});
const middleware = await createNodeMiddleware((app) => app.onAny(async () => {}), { probot, webhooksPath: "/api/github/webhooks" });
const server = createServer((req, res) =>
  middleware(req, res, () => {
    res.writeHead(404).end();
  }),
);
server.listen(port, "127.0.0.1", () => console.log(`ready http://127.0.0.1:${server.address().port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
