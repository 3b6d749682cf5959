/**
 * Reads, for one captured table, the column types and casts through which another role could run code as the
 * capture's SECURITY DEFINER functions (src/database/json-cast-hazards.ts says why), one line each (describeHazard).
 * The install refuses on any; the status reports them as drift; `db invoke` refuses on any (asConnection). Run
 * after the table's triggers exist: their functions' owner is who they run as.
 */
import type { Db } from "../../store/sql/db.js";
import { describeHazard, JSON_CAST_HAZARDS_SQL, TRIGGER_OPS, triggerName, type TablePlan } from "../../database/index.js";

interface HazardRow {
  kind: "type" | "cast";
  column_name: string;
  column_type: string;
  type_name: string;
  owner: string;
  runner: string;
  cast_target: string | null;
  cast_function: string | null;
  via_connection: boolean;
}

/** `asConnection`: also for the connection's own role, which `db invoke` turns the row into JSON as */
export async function readJsonCastHazards(
  db: Db,
  cs: string,
  plan: Pick<TablePlan, "schema" | "table" | "imageColumns">,
  asConnection = false,
): Promise<string[]> {
  const { rows } = await db.query<HazardRow>(JSON_CAST_HAZARDS_SQL, [
    plan.schema,
    plan.table,
    plan.imageColumns,
    TRIGGER_OPS.map((op) => triggerName(cs, op)),
    asConnection,
  ]);
  return rows.map((r) =>
    describeHazard(`${plan.schema}.${plan.table}`, {
      kind: r.kind,
      column: r.column_name,
      columnType: r.column_type,
      type: r.type_name,
      owner: r.owner,
      runner: r.runner,
      viaConnection: r.via_connection,
      castTarget: r.cast_target,
      castFunction: r.cast_function,
    }),
  );
}
