/**
 * Rig for the server's database change tests: a config folder with database.yaml (and automations.yaml),
 * the capture's readiness through `GET /api/database/sources`, and the stored database events of a server.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { API_AUTH, configDir, listAll, waitFor, type ApiEvent } from "../durability/harness.js";

export { API_AUTH };

export const ORDERS_SQL = `CREATE TABLE public.orders (
  id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'new', customer text, total numeric(12,2), secret text, note text)`;

export function databaseConfig(files: { database: string; automations?: string }): string {
  const dir = configDir(files.automations !== undefined ? { automations: files.automations } : {});
  writeFileSync(join(dir, "database.yaml"), files.database);
  return dir;
}

interface SourceView {
  name: string;
  status: { installed: boolean; backlog: number; tables: { table: string; captured: boolean }[] } | null;
  error: { code: string; message: string } | null;
}

export async function sources(url: string): Promise<SourceView[]> {
  const res = await fetch(`${url}/api/database/sources`, { headers: API_AUTH });
  if (res.status !== 200) throw new Error(`GET /api/database/sources: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { sources: SourceView[] }).sources;
}

/** waits until every configured table of every source is captured (install: true runs in the reader loop) */
export async function captured(url: string): Promise<void> {
  await waitFor("the capture to be installed", async () => {
    const all = await sources(url);
    return all.length > 0 && all.every((s) => s.status?.installed && s.status.tables.every((t) => t.captured));
  });
}

/** the stored events named postgres.* (oldest first) */
export const databaseEvents = (url: string): Promise<ApiEvent[]> => listAll(url, "postgres.*");

/** the server's counter of database events stored (inserted) and dropped as duplicates */
export async function ingestedCounts(url: string): Promise<{ inserted: number; duplicate: number }> {
  const text = await (await fetch(`${url}/metrics`, { headers: API_AUTH })).text();
  const read = (result: string) => {
    const m = new RegExp(`^hookline_events_ingested_total\\{source="database",result="${result}"\\} (\\d+)`, "m").exec(text);
    return m ? Number(m[1]) : 0;
  };
  return { inserted: read("inserted"), duplicate: read("duplicate") };
}
