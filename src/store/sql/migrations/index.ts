/** Every migration, in order. Append new ones at the end (`002-….ts`); never edit or reorder released ones. */
import { migration001 } from "./001-initial.js";
import { migration002 } from "./002-event-follows.js";
import { migration003 } from "./003-pending-without-foreign-keys.js";
import { migration004 } from "./004-event-body-text.js";
import { migration005 } from "./005-pending-by-seq.js";
import { migration006 } from "./006-console-indexes.js";
import { migration007 } from "./007-outbox-attempts.js";
import { migration008 } from "./008-event-related-index.js";
import type { Migration } from "./types.js";

export type { Migration } from "./types.js";

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
];
