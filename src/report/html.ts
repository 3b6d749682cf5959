/** HTML for GitHub job summaries and check-run output (both render this subset): cells and paragraphs escaped. */
const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "|": "&#124;", "`": "&#96;" };

/** Text for an HTML cell: no markup, no Markdown table breaks, one line. */
export function escapeCell(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ");
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return cut.replace(/[&<>"'|`]/g, (c) => HTML[c]!);
}

/** An HTML table (what `core.summary.addTable` writes), cells escaped. */
export function htmlTable(header: string[], rows: string[][]): string {
  const tr = (cells: string[], tag: "th" | "td") => `<tr>${cells.map((c) => `<${tag}>${escapeCell(c)}</${tag}>`).join("")}</tr>`;
  return `<table>${tr(header, "th")}${rows.map((r) => tr(r, "td")).join("")}</table>`;
}

/** A paragraph of escaped text. */
export function paragraph(text: string): string {
  return `<p>${escapeCell(text, 2000)}</p>`;
}
