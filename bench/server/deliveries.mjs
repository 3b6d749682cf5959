/** One signed GitHub delivery (workflow_run completed, failure) for the load generator; ids differ per request. */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples");

export const WEBHOOK_SECRET = "bench-secret";

export function appCredentials() {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { APP_ID: "1", PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(), WEBHOOK_SECRET };
}

/**
 * `emoji`: the head commit's message starts with one (U+1F680), as many real ones do: the body is then no longer
 * Latin-1, so V8 holds its text, and the event text made from it, two bytes per character.
 */
export function workflowRunDelivery({ emoji = false } = {}) {
  const run = examples.find((x) => x.name === "workflow_run").examples.find((e) => e.action === "completed");
  // times of now (the example's are of 2021): a Proactive automation's timer would otherwise be long overdue at
  // the evaluator's wall clock and fire for every delivery
  const now = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace(".000Z", "Z");
  const workflowRun = {
    ...run.workflow_run,
    conclusion: "failure",
    status: "completed",
    created_at: now,
    run_started_at: now,
    updated_at: now,
  };
  if (emoji) workflowRun.head_commit = { ...workflowRun.head_commit, message: `\u{1F680} ${workflowRun.head_commit.message}` };
  const payload = { ...run, workflow_run: workflowRun, installation: { id: 42 } };
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
  return { body, signature, event: "workflow_run" };
}
