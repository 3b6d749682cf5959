/**
 * The executor contract (DESIGN.md "Delivery and failure", SEMANTICS.md §5): one call runs ONE action
 * invocation of a firing, with retries, behind ports. Ports are small so tests (and other runtimes) can stand
 * in for GitHub, Slack, HTTP and SMTP; the real adapters are in *-port.ts.
 */
import type { ActionSpec, Automation, Notifier } from "../automations/types.js";
import type { Firing } from "../engine/types.js";
import type { HooklineEvent } from "../events/event-schema.js";

/** One action of one firing. `idempotencyKey` = engine `idempotencyKey(firing, index)`. */
export interface Invocation {
  firing: Firing;
  automation: Automation;
  /** the engine's stable action index (see engine `selectActions`) */
  index: number;
  action: ActionSpec;
  idempotencyKey: string;
}

/** A GitHub REST call. Resolves for 2xx; rejects with an ActionError (status-classified) otherwise. */
export interface GitHubPort {
  /** the REST root the calls go to (api.github.com, or a GitHub Enterprise Server's): the delivery log shows it */
  readonly apiUrl?: string;
  request(route: string, params: Record<string, unknown>, signal: AbortSignal): Promise<{ status: number; data: unknown }>;
}

/** A Slack Web API method call with the given bot token. Rejects with an ActionError. */
export interface SlackPort {
  /** the Web API root the calls go to (https://slack.com/api/ unless configured): the delivery log shows it */
  readonly apiUrl?: string;
  call(
    method: "chat.postMessage" | "chat.update",
    token: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>>;
}

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** text, cut at 64 KB */
  body: string;
}
/**
 * Plain HTTP. Resolves with ANY status (the executor classifies it); rejects on network errors / abort, and
 * under the egress policy (src/adapters/egress) on a refused address or a redirect, with an ActionError.
 */
export interface HttpPort {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export interface MailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
}
/** Sends one message through the SMTP server at `smtpUrl`. Rejects with an ActionError. */
export interface MailPort {
  send(smtpUrl: string, message: MailMessage, signal: AbortSignal): Promise<{ messageId?: string }>;
}

/** Run-time pause flags (pause-automation / resume-automation). */
export interface PauseStore {
  setPaused(automation: string, paused: boolean): Promise<void>;
}

/** The first Slack message posted for a run, so later states update it and reply in its thread. */
export interface SlackThread {
  channel: string;
  ts: string;
}
/** Keyed by `<notifier>\n<run resource id>` (the triggering event's primary resource id). */
export interface ThreadStore {
  get(key: string): Promise<SlackThread | undefined>;
  set(key: string, thread: SlackThread): Promise<void>;
}

export interface ActionClock {
  /** epoch ms (Retry-After dates, emitted events' `occurred`) */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** uniform in [0, 1): the jitter of the backoff. Default Math.random. */
  random?(): number;
}

export interface ActionPorts {
  github?: GitHubPort;
  slack?: SlackPort;
  http: HttpPort;
  mail?: MailPort;
  pauses?: PauseStore;
  threads?: ThreadStore;
  /** secrets are read only through the `*_env` names of notifiers (and HOOKLINE_SMTP_URL / SLACK_BOT_TOKEN) */
  env: Readonly<Record<string, string | undefined>>;
  clock: ActionClock;
  /** default target repository (from the runner); an action's `repository: owner/name` overrides it */
  repository: { owner: string; repo: string };
  /** the scope the action belongs to when the runtime has scopes (the server: `server` / `repo:<owner>/<name>`); notification buttons carry it */
  scope?: string;
  /**
   * false: a failed call's reason gives the HTTP status and a fixed text, never an excerpt of the answer. The
   * server sets it for repository scopes: their `hookline.action.failed` events can be forwarded anywhere by
   * their own automations, which would read back whatever the target answered. Default true.
   */
  quoteAnswers?: boolean;
}

export type Outcome =
  | { status: "executed"; attempts: number; result?: unknown; /** emit-event: the event to evaluate */ emitted?: HooklineEvent }
  | { status: "failed"; attempts: number; reason: string; code: string };

export type Notifiers = Readonly<Record<string, Notifier>>;
