/**
 * What share of the events at least one automation reacts to (an event trigger, at any depth, whose `expect` or
 * `after` names it and whose `match` / `match_related` hold), measured naively on a sample: a sanity figure for
 * the generated workload, not a timing.
 */
export function eventTriggers(automations) {
  const out = [];
  const walk = (t) => (t.type === "event" ? out.push(t) : t.triggers.forEach(walk));
  for (const a of automations) if (a.enabled) walk(a.trigger);
  return out;
}

export function coveredShare(lines, automations, { matchesEventName, matchesEvent }, every = 20) {
  const triggers = eventTriggers(automations);
  let sampled = 0;
  let covered = 0;
  let pairs = 0;
  for (let i = 0; i < lines.length; i += every) {
    const e = JSON.parse(lines[i]);
    sampled++;
    let hits = 0;
    for (const t of triggers) {
      const named =
        (t.expect.length === 0 && t.after.length === 0) ||
        (t.expect.length > 0 && matchesEventName(e.event, t.expect)) ||
        (t.after.length > 0 && matchesEventName(e.event, t.after));
      if (named && matchesEvent(e, t.match, t.match_related)) hits++;
    }
    if (hits > 0) covered++;
    pairs += hits;
  }
  return { sampled, covered: covered / sampled, triggersPerEvent: pairs / sampled, triggers: triggers.length };
}
