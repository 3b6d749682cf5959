// The inputs of the README's pictures (scripts/pictures.mjs), built by the product itself, never copied by hand:
// the Slack message is what the notifier posts for the README's first automation on a recorded failed CI run;
// the job summary and the annotations are what the built Action (dist/index.js) writes for that automation.
// test/docs/pictures.test.ts checks that a change of the README's automation changes every picture's HTML.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { marked } from "marked";
import { loadAutomations } from "../build/src/automations/index.js";
import { createEngine, idempotencyKey, selectActions } from "../build/src/engine/index.js";
import { runInvocation, SLACK_TOKEN_FALLBACK_ENV } from "../build/src/executors/index.js";
import { translateWebhook } from "../build/src/github/index.js";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));
const AUTOMATIONS = ".github/automations.yaml";

/** The README's first automation: its YAML block that starts with `# .github/automations.yaml`. */
export function readmeAutomation(readme = readFileSync(join(ROOT, "README.md"), "utf8")) {
  const m = /```yaml\n(# \.github\/automations\.yaml\n[\s\S]*?)```/.exec(readme);
  if (!m) throw new Error("README.md has no ```yaml block starting with `# .github/automations.yaml`");
  return m[1];
}

/** The same automation with the two mistakes of issue 13 that `validate` catches: triggers that never fire. */
export function neverFiringVariant(yaml) {
  return yaml
    .replace(/expect: github\.workflow-run\.Failed/, "expect: github.workflow_run.failed")
    .replace(/github\.workflow:/, "github.workflw:");
}

/** A recorded delivery: CI failed on main (examples/notify-failed-runs, run 9005). */
export function failedRunDelivery() {
  const lines = readFileSync(join(ROOT, "examples/notify-failed-runs/webhooks.jsonl"), "utf8").trim().split("\n");
  return lines.map((l) => JSON.parse(l)).find((d) => d.payload.workflow_run?.id === 9005 && d.payload.action === "completed");
}

/** What the Slack notifier posts (chat.postMessage's arguments) when the automation fires on the delivery. */
export async function slackMessage(yaml) {
  const loaded = loadAutomations(yaml, AUTOMATIONS);
  if (!loaded.config) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
  const config = loaded.config;
  const engine = createEngine(config);
  const translated = translateWebhook(failedRunDelivery());
  const firings = translated.events.flatMap((e) => engine.ingest(e)).filter((o) => o.kind === "firing");
  const posted = [];
  for (const { firing } of firings) {
    const automation = config.automations.find((a) => a.name === firing.automation);
    for (const { index, action } of selectActions(firing, automation)) {
      const inv = { firing, automation, index, action, idempotencyKey: idempotencyKey(firing, index) };
      const outcome = await runInvocation(inv, config.notifiers, {
        slack: {
          call: async (method, _token, args) => {
            posted.push({ method, ...args });
            return { ok: true, channel: "C0PICTURE", ts: "1717400000.000100" };
          },
        },
        http: {
          request: async () => {
            throw new Error("the pictures call nothing");
          },
        },
        env: { [SLACK_TOKEN_FALLBACK_ENV]: "xoxb-picture" },
        clock: { now: () => Date.parse(firing.at), sleep: async () => {} },
        repository: { owner: "octo-org", repo: "octo-repo" },
      });
      if (outcome.status !== "executed") throw new Error(`${automation.name}[${index}]: ${outcome.reason}`);
    }
  }
  const message = posted.find((p) => p.method === "chat.postMessage");
  if (!message) throw new Error("the README's automation posted no Slack message on a failed CI run on main");
  return message;
}

/** Runs the built Action (dist/index.js) as a runner would; returns its job summary and its stdout. */
export function runAction(inputs, yaml, delivery = failedRunDelivery()) {
  const dir = mkdtempSync(join(tmpdir(), "hookline-pictures-"));
  try {
    mkdirSync(join(dir, "ws/.github"), { recursive: true });
    writeFileSync(join(dir, "ws", AUTOMATIONS), yaml);
    writeFileSync(join(dir, "event.json"), JSON.stringify(delivery.payload));
    for (const f of ["summary.md", "output.txt"]) writeFileSync(join(dir, f), "");
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: delivery.name,
      GITHUB_EVENT_PATH: join(dir, "event.json"),
      GITHUB_WORKSPACE: join(dir, "ws"),
      GITHUB_REPOSITORY: "octo-org/octo-repo",
      GITHUB_RUN_ID: "77",
      GITHUB_RUN_ATTEMPT: "1",
      GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
      GITHUB_OUTPUT: join(dir, "output.txt"),
      GITHUB_API_URL: "http://127.0.0.1:9", // nothing listens: the pictures' runs call no API
      "INPUT_GITHUB-TOKEN": "picture",
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    };
    const r = spawnSync(process.execPath, [join(ROOT, "dist/index.js")], { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`dist/index.js exited ${r.status}: ${r.stdout}${r.stderr}`);
    return { summary: readFileSync(join(dir, "summary.md"), "utf8"), stdout: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const escape = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Slack mrkdwn (already &-escaped by the sender) to HTML: <url|text> links, *bold*, _italic_, `code`, newlines. */
function mrkdwn(text) {
  const parts = text.split(/(<[^>\s]+>)/);
  return parts
    .map((part) => {
      const link = /^<([^|>]+)(?:\|([^>]*))?>$/.exec(part);
      if (link) return `<a href="#">${escape(link[2] ?? link[1])}</a>`;
      return part
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/\*([^*\n]+)\*/g, "<b>$1</b>")
        .replace(/(^|\s)_([^_\n]+)_/g, "$1<i>$2</i>")
        .replace(/`([^`\n]+)`/g, "<code>$1</code>")
        .replace(/\n/g, "<br>");
    })
    .join("");
}

const PAGE = (title, css, body) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title><style>${css}</style></head><body><div id="shot">${body}</div></body></html>`;

/** The posted message as Slack shows it: the app's name, the section's mrkdwn, the buttons of the actions block. */
export function slackHtml(message) {
  const blocks = message.blocks.map((b) => {
    if (b.type === "section") return `<div class="section">${mrkdwn(b.text.text)}</div>`;
    if (b.type === "actions")
      return `<div class="actions">${b.elements
        .map((e) => `<span class="button ${e.style ?? ""}">${escape(e.text.text)}${e.url ? " ↗" : ""}</span>`)
        .join("")}</div>`;
    return `<div class="section">(${escape(b.type)})</div>`;
  });
  const css = `body{margin:0;background:#fff;font:15px/1.46 -apple-system,"Segoe UI",Lato,Helvetica,Arial,sans-serif;color:#1d1c1d}
#shot{display:flex;gap:8px;padding:16px 20px;width:680px}
.avatar{width:36px;height:36px;border-radius:6px;background:#1f2937;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center;flex:none}
.name{font-weight:900}.app{font-size:10px;background:#e8e8e8;color:#616061;border-radius:2px;padding:1px 3px;margin-left:4px;font-weight:700}
.time{color:#616061;font-size:12px;margin-left:6px}.section{margin-top:2px;word-break:break-word}a{color:#1264a3;text-decoration:none}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}
.button{border:1px solid #bbb;border-radius:4px;padding:3px 12px;font-weight:700;font-size:13px;line-height:24px}
.button.primary{background:#007a5a;border-color:#007a5a;color:#fff}.button.danger{color:#e01e5a;border-color:#e01e5a}`;
  const body = `<div class="avatar">h</div><div><div><span class="name">hookline</span><span class="app">APP</span><span class="time">11:14 AM</span></div>${blocks.join("")}</div>`;
  return PAGE("Slack message", css, body);
}

const GITHUB_CSS = `body{margin:0;background:#fff;font:14px/1.5 -apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;color:#1f2328}
#shot{padding:16px 24px;width:920px}table{border-collapse:collapse;margin:12px 0;display:block;overflow:auto}
th,td{border:1px solid #d1d9e0;padding:6px 13px;text-align:left;vertical-align:top}th{font-weight:600}tr:nth-child(2n){background:#f6f8fa}
h3{font-size:1.25em;margin:8px 0}code{background:#eff1f3;border-radius:6px;padding:.2em .4em;font-size:85%}
.box{border:1px solid #d1d9e0;border-radius:6px}.head{background:#f6f8fa;border-bottom:1px solid #d1d9e0;padding:8px 16px;font-weight:600}`;

/** The job summary as GitHub renders it (GitHub-flavoured Markdown with HTML), in the run page's summary box. */
export function summaryHtml(summary) {
  return PAGE(
    "Job summary",
    GITHUB_CSS,
    `<div class="box"><div class="head">evaluate summary</div><div style="padding:8px 16px">${marked.parse(summary, { gfm: true })}</div></div>`,
  );
}

/** `::warning file=…,line=…,col=…::message` workflow commands, as GitHub reads them from the step's output. */
export function annotationsOf(stdout) {
  const out = [];
  for (const line of stdout.split("\n")) {
    const m = /^::(error|warning|notice) (.*?)::(.*)$/.exec(line);
    if (!m) continue;
    const props = Object.fromEntries(m[2].split(",").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
    out.push({ level: m[1], file: props.file, line: Number(props.line), col: Number(props.col), title: props.title ?? "", message: m[3] });
  }
  return out;
}

/** The pull request's "Files changed" view: the file's lines, each annotation under the line it names. */
export function annotationsHtml(fileText, annotations) {
  const file = annotations[0]?.file ?? AUTOMATIONS;
  const rows = fileText
    .replace(/\n$/, "")
    .split("\n")
    .map((text, i) => {
      const notes = annotations
        .filter((a) => a.line === i + 1)
        .map(
          (a) =>
            `<tr><td colspan="2"><div class="note ${a.level}"><div class="nt">${a.level === "error" ? "✖" : "⚠"} Check ${a.level === "error" ? "failure" : "warning"} on line ${a.line} in ${escape(a.file)}</div><div class="nk">${escape(a.title)}</div><div>${escape(a.message)}</div></div></td></tr>`,
        )
        .join("");
      return `<tr><td class="ln">${i + 1}</td><td class="code">${escape(text) || " "}</td></tr>${notes}`;
    });
  const css = `${GITHUB_CSS}
table.diff{display:table;width:100%;margin:0;font:12px/20px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.diff td{border:0;padding:0 10px;background:#fff}.ln{color:#59636e;text-align:right;width:1%;user-select:none;background:#e6ffec!important}
.code{white-space:pre;background:#e6ffec!important}.note{margin:6px 10px;border:1px solid #d1d9e0;border-radius:6px;padding:8px 12px;font:13px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;white-space:normal}
.note.warning{border-left:4px solid #9a6700}.note.error{border-left:4px solid #d1242f}.nt{font-weight:600}.nk{color:#59636e;font-size:12px}`;
  return PAGE(
    "PR annotations",
    css,
    `<div class="box"><div class="head">${escape(file)}</div><table class="diff">${rows.join("")}</table></div>`,
  );
}

/** Every picture: its file under docs/images/ and the HTML it is a screenshot of. */
export async function pictures(readme = readFileSync(join(ROOT, "README.md"), "utf8")) {
  const yaml = readmeAutomation(readme);
  const evaluated = runAction({ "dry-run": "true", "slack-token": "xoxb-picture" }, yaml);
  const bad = neverFiringVariant(yaml);
  const validated = runAction({ mode: "validate" }, bad);
  return [
    { file: "slack-message.png", html: slackHtml(await slackMessage(yaml)) },
    { file: "job-summary.png", html: summaryHtml(evaluated.summary) },
    { file: "pr-annotations.png", html: annotationsHtml(bad, annotationsOf(validated.stdout)) },
  ];
}
