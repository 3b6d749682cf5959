// What importing smee-client (the WEBHOOK_PROXY_URL relay) costs a server start: fresh node processes, one importing
// nothing and one importing smee-client, interleaved N times; medians of import ms and RSS. Usage: node bench/server/proxy-import.mjs [N]
import { execFileSync } from "node:child_process";

const n = Number(process.argv[2] ?? 15);
const probe = (what) =>
  `const t=performance.now();${what};console.log(JSON.stringify({ms:performance.now()-t,rss:process.memoryUsage().rss}))`;
const code = { nothing: probe(""), "smee-client": probe("await import('smee-client')") };
const runs = { nothing: [], "smee-client": [] };
for (let i = 0; i < n; i++)
  for (const k of Object.keys(code))
    runs[k].push(JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", code[k]], { encoding: "utf8" })));
const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
for (const k of Object.keys(code))
  console.log(
    `${k}: import ${med(runs[k].map((r) => r.ms)).toFixed(1)} ms, RSS ${(med(runs[k].map((r) => r.rss)) / 1048576).toFixed(1)} MB`,
  );
