/**
 * docs/configuration.md, generated from the JSON Schemas so that the two cannot drift
 * (test/automations/reference-doc.test.ts compares the page with this output; every field has a description).
 */
type Node = Record<string, unknown>;

const COMMON_ACTION_FIELDS = ["type", "only_states", "ignore_states", "max_retries", "retry_interval", "timeout"];

function refName(ref: string): string {
  return ref.replace("#/$defs/", "");
}

function typeOf(node: Node | undefined): string {
  if (!node) return "any";
  if (typeof node.$ref === "string") {
    const name = refName(node.$ref);
    return name === "Duration" ? "duration" : name === "PatternSet" ? "pattern(s)" : name === "ResourceMatch" ? "label → pattern(s)" : name;
  }
  if (node.const !== undefined) return `\`${String(node.const)}\``;
  if (Array.isArray(node.enum)) return node.enum.map((v) => `\`${String(v)}\``).join(" | ");
  for (const k of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(node[k])) {
      const parts = (node[k] as Node[]).map(typeOf);
      // "string or list of string" reads better as one phrase
      return [...new Set(parts)].join(" or ");
    }
  }
  if (node.type === "array") return `list of ${typeOf(node.items as Node)}`;
  if (node.type === "object")
    return node.additionalProperties && typeof node.additionalProperties === "object" && Object.keys(node.additionalProperties).length
      ? `map of ${typeOf(node.additionalProperties as Node)}`
      : "mapping";
  if (node.type === "integer" || node.type === "number") {
    const min = node.minimum;
    return typeof min === "number" ? `${node.type} ≥ ${min}` : String(node.type);
  }
  return typeof node.type === "string" ? node.type : "any";
}

/** a table cell: pipes escaped, and `<...>` outside code spans escaped so that GitHub does not take it for HTML */
function cell(text: string): string {
  const safe = text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith("`") ? part : part.replace(/</g, "&lt;").replace(/>/g, "&gt;")))
    .join("");
  return safe.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function fieldTable(def: Node, skip: readonly string[] = []): string[] {
  const props = (def.properties ?? {}) as Record<string, Node>;
  const required = new Set((def.required ?? []) as string[]);
  const rows = ["| field | type | default | description |", "|---|---|---|---|"];
  for (const [name, node] of Object.entries(props)) {
    if (skip.includes(name)) continue;
    const dflt = required.has(name) ? "**required**" : node.default !== undefined ? `\`${JSON.stringify(node.default)}\`` : "";
    rows.push(`| \`${name}\` | ${cell(typeOf(node))} | ${dflt} | ${cell(String(node.description ?? ""))} |`);
  }
  return rows;
}

/** Markdown for every section of automations.yaml, from `automationsJsonSchema()`. */
export function configReferenceMarkdown(schema: Node): string {
  const defs = (schema.$defs ?? {}) as Record<string, Node>;
  const out: string[] = [];
  const section = (title: string, def: Node | undefined, skip: readonly string[] = [], intro?: string) => {
    if (!def) return;
    out.push(`#### ${title}`, "");
    if (intro) out.push(intro, "");
    out.push(...fieldTable(def, skip), "");
  };
  section("Top level", schema);
  section("Automation (`automations[]`)", defs.Automation);
  section("Event trigger (`type: event`, the default)", defs.EventTrigger);
  section("Compound trigger (`type: compound`)", defs.CompoundTrigger);
  section("Sequence trigger (`type: sequence`)", defs.SequenceTrigger);
  section(
    "Workflow trigger (`workflows.<file>.triggers[]`)",
    defs.WorkflowTrigger,
    [],
    "Expands to an automation with one `run-workflow` action; every event-trigger field is accepted.",
  );
  const firstAction = defs["Action:do-nothing"];
  if (firstAction) {
    const common: Node = {
      ...firstAction,
      properties: Object.fromEntries(
        Object.entries((firstAction.properties ?? {}) as Record<string, Node>).filter(([k]) => COMMON_ACTION_FIELDS.includes(k)),
      ),
    };
    section("Fields every action takes", common, [], "`type` selects the action; the other fields control when and how it runs.");
  }
  for (const [key, def] of Object.entries(defs)) {
    if (!key.startsWith("Action:")) continue;
    const own = Object.keys((def.properties ?? {}) as Node).filter((k) => !COMMON_ACTION_FIELDS.includes(k));
    if (own.length === 0) {
      out.push(`#### Action \`${key.slice(7)}\``, "", "No fields of its own.", "");
      continue;
    }
    section(`Action \`${key.slice(7)}\``, def, COMMON_ACTION_FIELDS);
  }
  const notifiers = (defs.Notifier?.oneOf ?? defs.Notifier?.anyOf ?? []) as Node[];
  for (const n of notifiers) {
    const t = ((n.properties as Record<string, Node> | undefined)?.type?.const as string | undefined) ?? "?";
    section(`Notifier \`type: ${t}\``, n, ["type"]);
  }
  out.push(
    "Durations: seconds (`30`), ISO-8601 (`PT30M`, `P1D`), or `30s` / `5m` / `2h` / `1d`. Patterns: globs (`*`, `?`, `[abc]`, leading `!` negates), one or a list (any may hold).",
  );
  return out.join("\n");
}

/**
 * Markdown for a list file (webhooks.yaml, database.yaml, slack.yaml) from its JSON Schema: one table per
 * mapping, titled by its path in the file (`webhooks[]`, `webhooks[].signature`), top level first.
 */
export function listFileReferenceMarkdown(schema: Node): string {
  const defs = (schema.$defs ?? {}) as Record<string, Node>;
  const resolve = (node: Node): Node => (typeof node.$ref === "string" ? (defs[refName(node.$ref)] ?? node) : node);
  const out: string[] = [];
  const queue: { path: string; def: Node }[] = [{ path: "top level", def: schema }];
  while (queue.length) {
    const { path, def } = queue.shift()!;
    out.push(`#### ${path === "top level" ? "Top level" : `\`${path}\``}`, "", ...fieldTable(def), "");
    for (const [name, raw] of Object.entries((def.properties ?? {}) as Record<string, Node>)) {
      const at = path === "top level" ? name : `${path}.${name}`;
      const node = resolve(raw);
      if (node.type === "object" && node.properties) queue.push({ path: at, def: node });
      const items = node.type === "array" && node.items ? resolve(node.items as Node) : undefined;
      if (items?.type === "object" && items.properties) queue.push({ path: `${at}[]`, def: items });
    }
  }
  return out.join("\n").trimEnd();
}
