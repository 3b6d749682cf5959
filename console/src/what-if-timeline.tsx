/**
 * The what-if page's timeline: Triggered firings of the live and the proposed configuration over the replayed
 * range, in equal time bins, as plain SVG bars. Geometry is SVG attributes (x, y, width, height), colours come
 * from style.css classes: the CSP allows no inline styles and no chart library is needed for two bar series.
 */
import { localTime } from "./time";
export interface TimelineFiring {
  automation: string;
  state: string;
  at: string;
}

const BINS = 56;
const W = 840;
const H = 120;
const BAR = W / BINS;

/** counts of Triggered firings per bin of [since, until) */
export function binFirings(firings: readonly TimelineFiring[], since: number, until: number, bins = BINS): number[] {
  const out = new Array<number>(bins).fill(0);
  const span = until - since;
  if (span <= 0) return out;
  for (const f of firings) {
    if (f.state !== "Triggered") continue;
    const t = Date.parse(f.at);
    if (!(t >= since && t < until)) continue;
    out[Math.min(bins - 1, Math.floor(((t - since) / span) * bins))]! += 1;
  }
  return out;
}

/** a bin's length in words: "2.5 h", "12 min", "16 s" */
function binWords(ms: number): string {
  if (ms >= 3_600_000) return `${Math.round(ms / 360_000) / 10} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}

export function WhatIfTimeline(props: { since: string; until: string; live: TimelineFiring[]; proposed: TimelineFiring[] }) {
  const since = Date.parse(props.since);
  const until = Date.parse(props.until);
  const live = binFirings(props.live, since, until);
  const proposed = binFirings(props.proposed, since, until);
  const max = Math.max(1, ...live, ...proposed);
  const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const binMs = (until - since) / BINS;
  const label = `Triggered firings over time: ${total(live)} live, ${total(proposed)} proposed`;
  const h = (n: number) => (n / max) * (H - 4);
  return (
    <figure class="timeline">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="none">
        <line x1={0} y1={H - 0.5} x2={W} y2={H - 0.5} class="axis" />
        {live.map((n, i) => {
          const from = localTime(since + i * binMs);
          return (
            <g key={i}>
              <title>{`${from}: ${n} live, ${proposed[i]} proposed`}</title>
              <rect class="bar live" x={i * BAR + 1} y={H - h(n)} width={BAR / 2 - 1} height={h(n)} />
              <rect class="bar proposed" x={i * BAR + BAR / 2} y={H - h(proposed[i]!)} width={BAR / 2 - 1} height={h(proposed[i]!)} />
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span class="key live">live</span> and <span class="key proposed">proposed</span>: Triggered firings per {binWords(binMs)}, from{" "}
        <time dateTime={props.since}>{localTime(since)}</time> to <time dateTime={props.until}>{localTime(until)}</time> (max {max} in a
        bin).
      </figcaption>
    </figure>
  );
}
