/** Seeded randomness for the bench generators (mulberry32): same seed, same data. No Math.random. */

export function createRng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  /** picks a key of `table` ({key: weight}) in proportion to its weight */
  const weighted = (table) => {
    const entries = Object.entries(table);
    let total = 0;
    for (const [, w] of entries) total += w;
    let r = next() * total;
    for (const [k, w] of entries) {
      r -= w;
      if (r < 0) return k;
    }
    return entries[entries.length - 1][0];
  };
  const hex = (n) => {
    let out = "";
    while (out.length < n) out += ((next() * 0x100000000) >>> 0).toString(16).padStart(8, "0");
    return out.slice(0, n);
  };
  const uuid = () => {
    const h = hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  /** Zipf-like index in [0, n): a few items are picked often, most rarely */
  const skewed = (n, s = 1.1) => {
    const u = next();
    return Math.min(n - 1, Math.floor(n * Math.pow(u, 1 + s)));
  };
  return { next, int, pick, chance, weighted, hex, uuid, skewed };
}
