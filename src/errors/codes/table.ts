/** The shape of one area's table of codes: what happened and how to fix it, in the words the docs page shows. */
export interface CodeEntry {
  /** what happened, one sentence */
  readonly summary: string;
  /** how to fix it, one or two sentences */
  readonly fix: string;
}

export type CodeTable = Readonly<Record<`HOOKLINE_${string}`, CodeEntry>>;
