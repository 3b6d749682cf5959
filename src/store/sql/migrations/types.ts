/** A numbered schema change. Append-only: once released, a migration's statements never change. */
export interface Migration {
  /** 1, 2, 3, … in order, no gaps */
  id: number;
  /** short kebab-case name, recorded next to the id (a mismatch means the code and the database disagree) */
  name: string;
  /** plain SQL, one statement each, run in order inside the migration transaction */
  statements: readonly string[];
}
