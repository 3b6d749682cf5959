/**
 * Clicks on the buttons of hookline's Slack notifications (src/executors/notify.ts): `Re-run failed jobs`,
 * `Cancel run`, `Pause this automation`. Each click is authorized like a slash command (verbs rerun, cancel,
 * pause), executed through the same executors as an automation's action (`executeAction`, which the server
 * wires to src/executors with the scope's ports), and the message is then updated with who did what and how it
 * went. A denied click changes nothing and answers only the user who clicked.
 */
import { z } from "zod";
import { ACTION_DEFAULTS, type ActionSpec, type Automation } from "../../src/automations/types.js";
import { isoOf } from "../../src/events/event-schema.js";
import { uuidv5 } from "../../src/events/uuid.js";
import type { Invocation, Outcome } from "../../src/executors/types.js";
import { SLACK_BUTTONS } from "../../src/executors/notify.js";
import { listAutomations, qualified, resolveName, SERVER_SCOPE } from "./catalog.js";
import { actorOf, describeOutcome, type CommandDeps, type Requester } from "./commands.js";
import { authorize, type SlackVerb } from "./policy.js";
import { esc } from "./views.js";

export type ExecuteAction = (scope: string, invocation: Invocation) => Promise<Outcome>;

const ButtonValue = z.strictObject({
  automation: z.string().min(1).max(500),
  scope: z
    .string()
    .regex(/^(server|repo:[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100})$/)
    .optional(),
  repo: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/)
    .optional(),
  run_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});
export type ButtonValue = z.infer<typeof ButtonValue>;

export const VERB_OF: Record<string, SlackVerb> = {
  [SLACK_BUTTONS.rerun]: "rerun",
  [SLACK_BUTTONS.cancel]: "cancel",
  [SLACK_BUTTONS.pause]: "pause",
};

export function parseButtonValue(text: unknown): ButtonValue | null {
  if (typeof text !== "string" || text.length > 2000) return null;
  try {
    const parsed = ButtonValue.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The rerun/cancel action of a click, as an invocation for the executors (no templates: values are data). */
export function buttonInvocation(args: {
  verb: "rerun" | "cancel";
  value: Required<Pick<ButtonValue, "repo" | "run_id">> & ButtonValue;
  clickId: string;
  now: number;
}): Invocation {
  const type = args.verb === "rerun" ? "rerun-workflow-run" : "cancel-workflow-run";
  const params: Record<string, unknown> = { source: "selected", run_id: args.value.run_id, repository: args.value.repo };
  if (args.verb === "rerun") params.failed_jobs_only = true;
  // one retry, soon: the person who clicked is waiting for the message to change
  const action: ActionSpec = {
    type,
    params,
    only_states: null,
    ignore_states: null,
    ...ACTION_DEFAULTS,
    max_retries: 1,
    retry_interval: 2,
    timeout: 20,
  };
  const automation: Automation = {
    name: args.value.automation,
    description: "",
    enabled: true,
    trigger: {
      type: "event",
      match: {},
      match_related: [],
      after: [],
      expect: [],
      for_each: [],
      posture: "Reactive",
      threshold: 1,
      within: 0,
      repeat: null,
    },
    actions: [action],
    actions_on_trigger: [],
    actions_on_resolve: [],
  };
  const id = uuidv5(`slack-click\n${args.clickId}\n${type}\n${args.value.repo}\n${args.value.run_id}`);
  const firing = {
    id,
    automation: automation.name,
    state: "Triggered" as const,
    at: isoOf(args.now),
    triggering_event: null,
    labels: {},
    child_firings: [],
    events: [],
  };
  return { firing, automation, index: 0, action, idempotencyKey: `${id}:0` };
}

export interface ClickResult {
  /** the line to add to the message; null when the message must not change (denied, invalid) */
  outcome: string | null;
  /** a private answer to the user who clicked */
  ephemeral: string | null;
}

export interface Click {
  actionId: string;
  value: unknown;
  who: Requester;
  /** unique per click (Slack's trigger_id or action_ts) */
  clickId: string;
}

async function scopeOf(value: ButtonValue, deps: CommandDeps): Promise<{ scope: string } | { error: string }> {
  if (value.scope) return { scope: value.scope };
  const catalog = await listAutomations(deps.store, deps.configOf, deps.now(), value.repo ? [`repo:${value.repo}`] : []);
  // a run's own repository is the likely home of the automation that notified about it
  if (value.repo) {
    const home = catalog.find((c) => c.scope === `repo:${value.repo}`);
    if (home?.automations.some((a) => a.name === value.automation)) return { scope: home.scope };
  }
  const found = resolveName(value.automation, catalog);
  if (found.ok) return { scope: found.scope };
  return { error: `${found.reason}${found.suggestions.length ? ` (${found.suggestions.join(", ")})` : ""}` };
}

export async function handleClick(click: Click, deps: CommandDeps, executeAction: ExecuteAction): Promise<ClickResult> {
  const verb = VERB_OF[click.actionId];
  const value = parseButtonValue(click.value);
  if (!verb || !value)
    return {
      outcome: null,
      ephemeral: "This button is not one hookline understands (it may come from an older version): nothing was done.",
    };
  const where = await scopeOf(value, deps);
  if ("error" in where) return { outcome: null, ephemeral: `Nothing was done: ${esc(where.error)}.` };
  const scope = where.scope;
  const decision = await authorize(
    deps.policy,
    { verb, scope, automation: value.automation, user: click.who.user, channel: click.who.channel },
    deps.members,
  );
  if (!decision.allowed) return { outcome: null, ephemeral: `:no_entry: ${esc(decision.reason)}` };
  const who = `<@${click.who.user}>`;
  const name = `\`${esc(qualified(scope, value.automation))}\``;
  if (verb === "pause") {
    const now = deps.now();
    try {
      const outcome = await deps.targets.apply({
        scope,
        automation: value.automation,
        paused: true,
        until: null,
        by: `slack:${click.who.user}`,
        actor: actorOf(click.who),
        origin: { kind: "slack", name: click.who.user },
        now,
      });
      return {
        outcome: `:double_vertical_bar: ${who} paused ${name} until resumed (${isoOf(now)}).${describeOutcome(outcome)}`,
        ephemeral: null,
      };
    } catch (err) {
      return { outcome: `:warning: ${who} tried to pause ${name}: ${esc(messageOf(err))}`, ephemeral: null };
    }
  }
  if (verb !== "rerun" && verb !== "cancel")
    return { outcome: null, ephemeral: "This button is not one hookline understands: nothing was done." };
  if (!value.repo || value.run_id === undefined)
    return { outcome: null, ephemeral: "This button names no workflow run: nothing was done." };
  const run = `run ${value.run_id} of ${esc(value.repo)}`;
  const inv = buttonInvocation({
    verb,
    value: { ...value, repo: value.repo, run_id: value.run_id },
    clickId: click.clickId,
    now: deps.now(),
  });
  let outcome: Outcome;
  try {
    outcome = await executeAction(scope === SERVER_SCOPE ? SERVER_SCOPE : scope, inv);
  } catch (err) {
    outcome = { status: "failed", attempts: 0, code: "HOOKLINE_SLACK_EXECUTE", reason: messageOf(err) };
  }
  const did = verb === "rerun" ? "re-ran the failed jobs of" : "cancelled";
  const tried = verb === "rerun" ? "re-run the failed jobs of" : "cancel";
  if (outcome.status === "executed") return { outcome: `:white_check_mark: ${who} ${did} ${run}.`, ephemeral: null };
  return {
    outcome: `:warning: ${who} tried to ${tried} ${run}, and it failed: ${esc(outcome.reason.slice(0, 500))} (${esc(outcome.code)})`,
    ephemeral: null,
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const MAX_OUTCOME_BLOCKS = 10;

/** The message's blocks with the outcome appended as a context block (the oldest outcomes drop beyond 10). */
export function withOutcome(blocks: unknown, outcome: string, clickId: string): unknown[] {
  const list = Array.isArray(blocks) ? (blocks as { block_id?: unknown }[]).filter((b) => b && typeof b === "object") : [];
  const outcomes = list.filter((b) => typeof b.block_id === "string" && b.block_id.startsWith("hookline_outcome"));
  const others = list.filter((b) => !outcomes.includes(b));
  const kept = outcomes.slice(-(MAX_OUTCOME_BLOCKS - 1));
  const n = kept.length + 1;
  return [
    ...others,
    ...kept,
    {
      type: "context",
      block_id: `hookline_outcome_${n}_${uuidv5(clickId).slice(0, 8)}`,
      elements: [{ type: "mrkdwn", text: outcome.slice(0, 3000) }],
    },
  ];
}
