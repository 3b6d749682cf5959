/**
 * The automations.yaml format as written by users (before defaults and normalization), in zod 4. It is both
 * the validator (issues are mapped back to YAML positions) and the source of the JSON Schema for editors,
 * so it holds no transforms. Cross-field rules live in validate-*.ts.
 */
import { z } from "zod";
import { DURATION_HELP, DURATION_PATTERN, parseDuration } from "./duration.js";
import { ACTION_TYPES, STATE_NAMES } from "./types.js";

const durationError = `expected ${DURATION_HELP}; negative durations are not allowed`;
export const Duration = z
  .union(
    [
      z.number().min(0, durationError),
      z
        .string()
        .regex(new RegExp(DURATION_PATTERN), durationError)
        .refine((s) => parseDuration(s) !== null, durationError),
    ],
    { error: durationError },
  )
  .meta({ id: "Duration", description: `${DURATION_HELP}` });

const wholeNumber = (what: string) => z.int({ error: `${what} must be a whole number` });

const Pattern = z.string({ error: "expected a pattern string" });
/** one glob pattern or a list of them (OR); a leading `!` negates */
export const PatternSet = z
  .union([Pattern, z.array(Pattern).min(1, "an empty list matches nothing: remove the key or add a pattern")], {
    error: "expected a pattern or a list of patterns",
  })
  .meta({ id: "PatternSet", description: "a glob (`*`, `?`, `[abc]`; leading `!` negates) or a list of them (OR)" });

export const ResourceMatch = z
  .record(z.string(), PatternSet)
  .meta({ id: "ResourceMatch", description: "label → pattern(s); every label must match (AND)" });

const StringOrList = (what: string) => z.union([z.string(), z.array(z.string())], { error: `expected ${what} or a list of them` });

export const eventTriggerFields = {
  match: ResourceMatch.optional().describe("labels of the event's primary resource"),
  match_related: z
    .union([ResourceMatch, z.array(ResourceMatch)], { error: "expected a label → pattern mapping or a list of them" })
    .optional()
    .describe("each mapping must be satisfied by some related resource"),
  after: StringOrList("an event-name pattern").optional().describe("event names that arm the trigger"),
  expect: StringOrList("an event-name pattern").optional().describe("event names that count (empty: any event)"),
  for_each: StringOrList("a label name").optional().describe("labels whose values key separate buckets"),
  posture: z
    .enum(["Reactive", "Proactive"])
    .default("Reactive")
    .describe("Reactive: fire when `threshold` events arrive within `within`; Proactive: fire when fewer arrive in time"),
  threshold: wholeNumber("threshold")
    .min(0, "threshold must be ≥ 0")
    .default(1)
    .describe("how many expected events make the trigger fire (Proactive: fewer than this in `within` fires)"),
  within: Duration.optional().describe("window length; Reactive default 0 (no limit), Proactive default 10 s (≥ 10 s)"),
  repeat: Duration.optional().describe("Proactive only: fire again every `repeat` while in alarm"),
};

export const EventTrigger = z
  .strictObject({ type: z.literal("event").optional().describe("`event` (may be left out)"), ...eventTriggerFields })
  .meta({ id: "EventTrigger" });

const Require = z.union([z.enum(["all", "any"]), wholeNumber("require").min(1, "require must be at least 1")], {
  error: "require must be `all`, `any` or a number of triggers",
});

export const CompoundTrigger = z
  .strictObject({
    type: z.literal("compound").describe("fires when enough of its triggers fired within `within`"),
    get triggers() {
      return z.array(Trigger).min(1, "a compound trigger needs at least one trigger").describe("the triggers it combines (any kind)");
    },
    require: Require.default("all").describe("how many triggers must fire: `all`, `any` or a number"),
    within: Duration.nullable().optional().describe("null or 0: unlimited"),
  })
  .meta({ id: "CompoundTrigger" });

export const SequenceTrigger = z
  .strictObject({
    type: z.literal("sequence").describe("fires when its triggers fired in this order within `within`"),
    get triggers() {
      return z.array(Trigger).min(1, "a sequence trigger needs at least one trigger").describe("the triggers, in the order they must fire");
    },
    within: Duration.nullable().optional().describe("null or 0: unlimited"),
  })
  .meta({ id: "SequenceTrigger" });

export const Trigger: z.ZodType<unknown> = z
  .discriminatedUnion("type", [EventTrigger, CompoundTrigger, SequenceTrigger])
  .meta({ id: "Trigger" });

const State = z.enum(STATE_NAMES);
const States = z.union([State, z.array(State)]);

export const COMMON_ACTION_FIELDS = ["type", "only_states", "ignore_states", "max_retries", "retry_interval", "timeout"];

const common = {
  only_states: States.optional().describe("run only when the triggering event's state is one of these"),
  ignore_states: States.optional().describe("skip when the triggering event's state is one of these"),
  max_retries: wholeNumber("max_retries").min(0).max(100).optional().describe("retries after a failed attempt (0..100)"),
  retry_interval: Duration.optional().describe("the wait before the first retry; it grows with each attempt"),
  timeout: Duration.optional().describe("an attempt that takes longer fails (and is retried if retries remain)"),
};

const text = z.string();
const repo = () => text.optional().describe("`owner/name`; default: the repository of the triggering event");
const source = () =>
  Source.optional().describe("`inferred`: the run or automation of the triggering event (default); `selected`: the one named here");
const runId = () => RunId.optional().describe("with `source: selected`: the run id (a number or a template)");
const json = z.unknown();
const Source = z.enum(["inferred", "selected"]);
const RunId = z.union([z.int().min(1), z.string().min(1)], { error: "run_id must be a number or a template" });

const action = <T extends z.ZodRawShape>(type: (typeof ACTION_TYPES)[number], shape: T) =>
  z.strictObject({ type: z.literal(type).describe("the action type"), ...common, ...shape }).meta({ id: `Action:${type}` });

export const Action = z
  .discriminatedUnion("type", [
    action("do-nothing", {}),
    action("run-workflow", {
      workflow: z.string().min(1).describe("the workflow file name (`deploy.yml`) or id; it must declare `workflow_dispatch`"),
      ref: text.optional().describe("branch or tag to run on; default: the repository's default branch"),
      repository: repo(),
      inputs: z.record(z.string(), json).optional().describe("workflow_dispatch inputs (values may be templates)"),
    }),
    action("repository-dispatch", {
      repository: repo(),
      event_type: z.string().min(1).describe("the dispatch's `event_type` (workflows filter on it)"),
      client_payload: json.optional().describe("the dispatch's `client_payload` (values may be templates)"),
    }),
    action("cancel-workflow-run", { source: source(), run_id: runId() }),
    action("rerun-workflow-run", {
      source: source(),
      run_id: runId(),
      failed_jobs_only: z.boolean().optional().describe("re-run only the failed jobs (default: the whole run)"),
    }),
    action("enable-workflow", { workflow: z.string().min(1).describe("the workflow file name or id"), repository: repo() }),
    action("disable-workflow", { workflow: z.string().min(1).describe("the workflow file name or id"), repository: repo() }),
    action("pause-automation", {
      source: source(),
      automation: z.string().min(1).optional().describe("with `source: selected`: the automation's name"),
    }),
    action("resume-automation", {
      source: source(),
      automation: z.string().min(1).optional().describe("with `source: selected`: the automation's name"),
    }),
    action("send-notification", {
      notifier: z.string().min(1).describe("the name of a notifier under `notifiers:`"),
      subject: text.optional().describe("a first line in bold (Slack) or the mail subject (template)"),
      body: text.describe("the message (template)"),
    }),
    action("call-webhook", {
      url: z.string().min(1).describe("the URL to call (template); private addresses are refused unless allowed (docs/egress.md)"),
      method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).optional().describe("the HTTP method; default POST"),
      headers: z.record(z.string(), z.string()).optional().describe("request headers (values may be templates)"),
      body: json.optional().describe("the request body: text, or JSON (values may be templates)"),
    }),
    action("emit-event", {
      event: z.string().min(1).describe("the new event's name (template)"),
      resource: z.record(z.string(), z.string()).optional().describe("its resource labels; default: the triggering event's resource id"),
      related: z.array(z.record(z.string(), z.string())).optional().describe("its related resources, each with a role"),
      payload: json.optional().describe("its payload (values may be templates)"),
    }),
    action("create-issue", {
      title: z.string().min(1).describe("the issue's title (template)"),
      body: text.optional().describe("the issue's body (template)"),
      labels: z.array(z.string()).optional().describe("labels to add"),
    }),
    action("comment", { body: z.string().min(1).describe("the comment, on the pull request or issue of the triggering event (template)") }),
  ])
  .meta({ id: "Action" });

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected the NAME of an environment variable (letters, digits, _)");

export const Notifier = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("slack"),
      channel: z.string().min(1).describe("`#name` or a channel id; invite the bot to it"),
      token_env: EnvName.optional().describe("environment variable holding a bot token"),
      webhook_url_env: EnvName.optional().describe("environment variable holding an incoming-webhook URL"),
      mention_on_failure: z.array(z.string()).optional().describe("Slack user or group ids mentioned when the state is Failed"),
    }),
    z.strictObject({
      type: z.literal("teams"),
      webhook_url_env: EnvName.describe("environment variable holding the Teams incoming-webhook URL"),
    }),
    z.strictObject({
      type: z.literal("email"),
      to: z
        .array(z.string().regex(/^[^@\s]+@[^@\s]+$/, "expected an email address"))
        .min(1)
        .describe("recipients' addresses"),
      from: z.string().optional().describe("the sender's address"),
      smtp_url_env: EnvName.optional().describe("environment variable holding the smtp(s):// URL; default HOOKLINE_SMTP_URL"),
    }),
    z.strictObject({
      type: z.literal("webhook"),
      url_env: EnvName.describe("environment variable holding the URL the notification is POSTed to as JSON"),
    }),
  ])
  .meta({ id: "Notifier" });

export const Automation = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1, "name must not be empty")
      .describe("unique in the file; names the automation in events, Slack and the API"),
    description: z.string().default("").describe("free text for people"),
    enabled: z.boolean().default(true).describe("false: evaluates nothing and keeps no state"),
    trigger: Trigger.describe("when it fires: an event, compound or sequence trigger"),
    actions: z.array(Action).default([]).describe("run when it fires (Triggered), before `actions_on_trigger`"),
    actions_on_trigger: z.array(Action).default([]).describe("run when it fires, after `actions`"),
    actions_on_resolve: z
      .array(Action)
      .default([])
      .describe("run when it resolves (a proactive alarm whose expected event came after all)"),
  })
  .meta({ id: "Automation" });

export const WorkflowTrigger = z
  .strictObject({
    name: z.string().trim().min(1).optional().describe("default: `<workflow>#<n>`"),
    description: z.string().optional().describe("free text for people"),
    enabled: z.boolean().default(true).describe("false: this trigger evaluates nothing"),
    inputs: z.record(z.string(), json).optional().describe("workflow_dispatch inputs"),
    ref: z.string().optional().describe("branch or tag to run on; default: the default branch"),
    type: z.literal("event").optional().describe("`event` (may be left out)"),
    ...eventTriggerFields,
  })
  .meta({ id: "WorkflowTrigger" });

export const AutomationsFile = z
  .strictObject({
    automations: z.array(Automation).optional().describe("the automations, evaluated in file order"),
    notifiers: z.record(z.string().min(1), Notifier).optional().describe("name → where `send-notification` posts"),
    workflows: z
      .record(z.string().min(1), z.strictObject({ triggers: z.array(WorkflowTrigger).min(1) }))
      .optional()
      .describe("workflow file → triggers that run it (like Prefect deployment triggers)"),
  })
  .meta({
    title: "hookline automations",
    description: "hookline automations file (.github/automations.yaml)",
  });

export type RawFile = z.output<typeof AutomationsFile>;
export type RawAutomation = z.output<typeof Automation>;
export type RawAction = z.output<typeof Action>;
export type RawEventTrigger = z.output<typeof EventTrigger>;
export type RawCompound = z.output<typeof CompoundTrigger>;
export type RawSequence = z.output<typeof SequenceTrigger>;
export type RawTrigger = RawEventTrigger | RawCompound | RawSequence;
export type RawWorkflowTrigger = z.output<typeof WorkflowTrigger>;
