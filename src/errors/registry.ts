/**
 * The one registry of hookline's error codes (issue 14 item 5): every `HOOKLINE_*` code a message, problem or
 * answer carries, grouped by area, with what happened and how to fix it. docs/errors.md is generated from it
 * (scripts/errors-doc.mjs) and test/errors/registry.test.ts fails on a code used but not registered, or
 * registered but not used. `HooklineCode` is the union of the codes, so a literal that is not registered is a
 * type error where an error is constructed.
 */
import { ACTION_CODES } from "./codes/action.js";
import { APP_CODES } from "./codes/app.js";
import { CLI_CODES } from "./codes/cli.js";
import { CONFIG_CODES } from "./codes/config.js";
import { DATABASE_CODES } from "./codes/database.js";
import { EGRESS_CODES } from "./codes/egress.js";
import { EVENTS_CODES } from "./codes/events.js";
import { SERVER_CODES } from "./codes/server.js";
import { SLACK_CODES } from "./codes/slack.js";
import { STORE_CODES } from "./codes/store.js";
import { TEMPLATES_CODES } from "./codes/templates.js";
import { WEBHOOKS_CODES } from "./codes/webhooks.js";
import type { CodeEntry, CodeTable } from "./codes/table.js";

export type { CodeEntry } from "./codes/table.js";

/** The areas in the order docs/errors.md shows them. */
export const ERROR_AREAS = [
  { id: "config", title: "Configuration files", codes: CONFIG_CODES },
  { id: "events", title: "Events and the engine", codes: EVENTS_CODES },
  { id: "templates", title: "Templates", codes: TEMPLATES_CODES },
  { id: "webhooks", title: "Custom webhooks", codes: WEBHOOKS_CODES },
  { id: "egress", title: "Egress policy", codes: EGRESS_CODES },
  { id: "store", title: "State and stores", codes: STORE_CODES },
  { id: "action", title: "Actions and the GitHub Action", codes: ACTION_CODES },
  { id: "slack", title: "Slack bot", codes: SLACK_CODES },
  { id: "app", title: "GitHub App", codes: APP_CODES },
  { id: "database", title: "Database sources", codes: DATABASE_CODES },
  { id: "server", title: "Server and its HTTP API", codes: SERVER_CODES },
  { id: "cli", title: "Command line", codes: CLI_CODES },
] as const satisfies readonly { id: string; title: string; codes: CodeTable }[];

export type ErrorArea = (typeof ERROR_AREAS)[number]["id"];

export const ERROR_CODES = {
  ...CONFIG_CODES,
  ...EVENTS_CODES,
  ...TEMPLATES_CODES,
  ...WEBHOOKS_CODES,
  ...EGRESS_CODES,
  ...STORE_CODES,
  ...ACTION_CODES,
  ...SLACK_CODES,
  ...APP_CODES,
  ...DATABASE_CODES,
  ...SERVER_CODES,
  ...CLI_CODES,
} as const;

/** Every registered code. */
export type HooklineCode = keyof typeof ERROR_CODES;

/** The page the codes are documented on, relative to the repository root. */
export const ERRORS_DOC = "docs/errors.md";

export function isHooklineCode(code: unknown): code is HooklineCode {
  return typeof code === "string" && Object.hasOwn(ERROR_CODES, code);
}

/** `HOOKLINE_SECRET_MISSING` → `hookline_secret_missing`: the heading's anchor on docs/errors.md. */
export function errorAnchor(code: HooklineCode): string {
  return code.toLowerCase();
}

/** `docs/errors.md#hookline_secret_missing` */
export function errorDocsLink(code: HooklineCode): string {
  return `${ERRORS_DOC}#${errorAnchor(code)}`;
}

export interface ErrorInfo extends CodeEntry {
  code: HooklineCode;
  area: ErrorArea;
  anchor: string;
  docs: string;
}

const AREA_OF = new Map<string, ErrorArea>(ERROR_AREAS.flatMap((a) => Object.keys(a.codes).map((c) => [c, a.id] as const)));

/** What the registry says of a code; undefined for a string that is not a registered code. */
export function errorInfo(code: string): ErrorInfo | undefined {
  if (!isHooklineCode(code)) return undefined;
  const entry: CodeEntry = ERROR_CODES[code];
  return { code, area: AREA_OF.get(code)!, summary: entry.summary, fix: entry.fix, anchor: errorAnchor(code), docs: errorDocsLink(code) };
}
