/**
 * Codes of the stores: the Action's state (a git ref), the server's SQL store, and the database it opens
 * (PostgreSQL at DATABASE_URL, or the embedded one in HOOKLINE_DATA_DIR).
 */
import type { CodeTable } from "./table.js";

export const STORE_CODES = {
  HOOKLINE_STATE_API: {
    summary: "Reading or writing the state ref through the GitHub API failed.",
    fix: "Re-run the job; if it persists, check the API status and the token's access to the repository.",
  },
  HOOKLINE_STATE_FORBIDDEN: {
    summary: "The workflow's token may not write the state ref.",
    fix: "Give the workflow `permissions: contents: write` (hookline keeps its state in a git ref).",
  },
  HOOKLINE_STATE_CONFLICT: {
    summary: "The state changed under this run too many times in a row (other runs kept writing it).",
    fix: "Re-run the job; if many runs start at once, give the workflow a `concurrency:` group.",
  },
  HOOKLINE_STATE_CORRUPT: {
    summary: "The stored state cannot be read.",
    fix: "Delete the ref to start over (it only holds hookline's state): `git push origin :refs/hookline/state`.",
  },
  HOOKLINE_STATE_NEWER: {
    summary: "The state was written by a newer hookline.",
    fix: "Use the same hookline version in every workflow of the repository.",
  },
  HOOKLINE_STATE_TOO_LARGE: {
    summary: "The state is larger than the limit.",
    fix: "Shorten the automations' windows (`within`) or use fewer automations that keep state per resource.",
  },
  HOOKLINE_STORE_BAD_CURSOR: {
    summary: "A paging cursor is not valid.",
    fix: "Pass the `next` value of the previous page unchanged, or omit it to start over.",
  },
  HOOKLINE_STORE_BAD_EVENT: {
    summary: "An event cannot be stored (it was not validated).",
    fix: "Validate events with `validateEvent()` before ingesting them.",
  },
  HOOKLINE_STORE_BAD_QUERY: {
    summary: "A store query got an argument out of range (a limit, a time, a filter).",
    fix: "Pass the arguments the message asks for.",
  },
  HOOKLINE_STORE_CORRUPT: {
    summary: "The database holds rows hookline did not write (it was changed outside hookline).",
    fix: "Restore the database from a backup, or start with a fresh one.",
  },
  HOOKLINE_DB_URL_INVALID: {
    summary: "DATABASE_URL is not a postgres:// URL.",
    fix: "Use a postgres:// (or postgresql://) URL, or unset it to use the embedded database.",
  },
  HOOKLINE_DB_UNREACHABLE: {
    summary: "PostgreSQL cannot be reached.",
    fix: "Check that PostgreSQL is running and that the host and port in the URL are right.",
  },
  HOOKLINE_DB_AUTH: {
    summary: "PostgreSQL refused the login.",
    fix: "Check the user and password in the URL.",
  },
  HOOKLINE_DB_NOT_FOUND: {
    summary: "The database named in the URL does not exist.",
    fix: "Create it (`createdb <name>`) or fix the database name in the URL.",
  },
  HOOKLINE_DB_DATA_DIR: {
    summary: "The embedded database cannot be opened in its folder.",
    fix: "Check that the folder is writable and not used by another hookline process, or pick another --data-dir.",
  },
  HOOKLINE_DB_MIGRATION_MISMATCH: {
    summary: "The database was migrated by another hookline build.",
    fix: "Use that build, or a fresh database.",
  },
} as const satisfies CodeTable;
