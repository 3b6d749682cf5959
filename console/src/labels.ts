/**
 * A firing's or a bucket's key in words: its `for_each` labels, "pipeline.tracking_id=T-1002" (several joined by
 * ", "; "" when it has none). The same text the PR check's backtest prints, so firings at one second stay apart.
 */
export const labelsText = (labels: Record<string, string> | undefined): string =>
  Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
