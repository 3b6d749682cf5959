/** Codes of the command line (`hookline --help`): exit 2 for bad usage. */
import type { CodeTable } from "./table.js";

export const CLI_CODES = {
  HOOKLINE_USAGE: {
    summary: "The command line is not valid (an unknown flag, a missing argument, a file that cannot be read).",
    fix: "Run `hookline <command> --help` for the usage.",
  },
} as const satisfies CodeTable;
