/**
 * SEMANTICS.md §6: duplicate ids and `follows` ordering.
 * - Processed ids are remembered in a bounded ring: while the clock is less than `windowMs` past the moment
 *   each was processed, and at most `maxIds` of them (the oldest are forgotten first).
 * - Followers wait by leader id; each times out at `occurred + 15 min`.
 */
import type { HooklineEvent } from "../events/event-schema.js";
import { IndexedHeap, type HeapItem } from "./heap.js";

export const FOLLOW_TIMEOUT_MS = 15 * 60 * 1000;
export const MAX_FOLLOW_DEPTH = 20;

export class ProcessedIds {
  private readonly ids = new Set<string>();
  private ring: string[] = [];
  private times: number[] = [];
  private head = 0;

  constructor(
    private readonly windowMs: number,
    private readonly maxIds: number,
  ) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** marks `id` processed; false when it already was (one Set operation for check and insert) */
  mark(id: string): boolean {
    const n = this.ids.size;
    this.ids.add(id);
    return this.ids.size !== n;
  }

  /** undoes `mark` for an event that was not processed after all (it waits, or is invalid) */
  unmark(id: string): void {
    this.ids.delete(id);
  }

  /** records when a marked id was processed, and forgets the ids that left the window */
  record(id: string, clock: number): void {
    this.ring.push(id);
    this.times.push(clock);
    this.evict(clock);
  }

  private evict(clock: number): void {
    const limit = clock - this.windowMs;
    while (this.head < this.ring.length && (this.ring.length - this.head > this.maxIds || this.times[this.head]! < limit)) {
      this.ids.delete(this.ring[this.head]!);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.ring.length) {
      this.ring = this.ring.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  /** [id, clock when processed], oldest first */
  toJSON(): [string, number][] {
    const out: [string, number][] = [];
    for (let i = this.head; i < this.ring.length; i++) out.push([this.ring[i]!, this.times[i]!]);
    return out;
  }

  restore(entries: readonly [string, number][]): void {
    for (const [id, t] of entries) {
      if (this.ids.has(id)) continue;
      this.ids.add(id);
      this.ring.push(id);
      this.times.push(t);
    }
  }
}

export interface Waiting extends HeapItem {
  event: HooklineEvent;
  occ: number;
  /** arrival order */
  seq: number;
  timeoutAt: number;
}

function earlier(a: Waiting, b: Waiting): boolean {
  return a.timeoutAt < b.timeoutAt || (a.timeoutAt === b.timeoutAt && a.seq < b.seq);
}

export function byOccurred(a: Waiting, b: Waiting): number {
  return a.occ - b.occ || a.seq - b.seq;
}

export class Followers {
  readonly byId = new Map<string, Waiting>();
  private readonly byLeader = new Map<string, Waiting[]>();
  private readonly timeouts = new IndexedHeap<Waiting>(earlier);
  seq = 0;

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  wait(event: HooklineEvent, occ: number, seq: number = this.seq++): void {
    const w: Waiting = { event, occ, seq, timeoutAt: occ + FOLLOW_TIMEOUT_MS, heapIndex: -1 };
    if (seq >= this.seq) this.seq = seq + 1;
    this.byId.set(event.id, w);
    const leader = event.follows!;
    const list = this.byLeader.get(leader);
    if (list === undefined) this.byLeader.set(leader, [w]);
    else list.push(w);
    this.timeouts.upsert(w);
  }

  /** the next follower to time out, if any */
  nextTimeout(): Waiting | undefined {
    return this.timeouts.peek();
  }

  /** removes and returns the followers of `leaderId`, in `occurred` order */
  takeFollowers(leaderId: string): Waiting[] {
    const list = this.byLeader.get(leaderId);
    if (list === undefined) return [];
    this.byLeader.delete(leaderId);
    for (const w of list) this.forget(w, false);
    return list.sort(byOccurred);
  }

  /** removes one waiting follower (timed out or released) */
  take(w: Waiting): void {
    this.forget(w, true);
  }

  private forget(w: Waiting, fromLeader: boolean): void {
    this.byId.delete(w.event.id);
    this.timeouts.remove(w);
    if (!fromLeader) return;
    const leader = w.event.follows!;
    const list = this.byLeader.get(leader);
    if (list === undefined) return;
    const i = list.indexOf(w);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byLeader.delete(leader);
  }

  all(): Waiting[] {
    return [...this.byId.values()].sort(byOccurred);
  }
}
