/** Types of fixture.mjs (the what-if fixture the tests and the bench share). */
export declare const LIVE_AUTOMATIONS: string;
export declare const PROPOSED_AUTOMATIONS: string;
export interface FixtureEvent {
  id: string;
  occurred: string;
  event: string;
  resource: Record<string, string>;
  related: Record<string, string>[];
  payload: Record<string, unknown>;
  follows: null;
}
export declare function fixtureEvents(count: number, startMs: number, gapMs?: number, seed?: number): FixtureEvent[];
