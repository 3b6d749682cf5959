import { afterEach, describe, expect, it } from "vitest";
import { startFakeGitServer, type FakeGitServer } from "../store/fake-git-server.js";
import { octokitFor, startHarness, waitFor, type Harness, type HarnessOptions } from "./harness.js";

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!();
});
async function harness(opts: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness(opts);
  open.push(h.close);
  return h;
}
async function gitServer(): Promise<FakeGitServer> {
  const g = await startFakeGitServer("acme", "app");
  open.push(g.close);
  return g;
}
const text = (a: Record<string, unknown> | undefined) => String(a?.text ?? "");

async function pauseEvents(h: Harness) {
  const res = await h.store.listEvents({ name: "hookline.automation.*", limit: 100 });
  return res.events
    .map((e) => e.event)
    .filter((e) => e.event === "hookline.automation.paused" || e.event === "hookline.automation.resumed");
}

describe("/hookline help, list and unknown input", () => {
  it("help (and an empty command) lists every sub-command, only to the user", async () => {
    const h = await harness();
    for (const t of ["help", ""]) {
      const { answer } = await h.command(t);
      for (const sub of ["list", "status", "pause", "resume", "history", "help"]) expect(text(answer)).toContain(`/hookline ${sub}`);
      expect(answer?.response_type).toBe("ephemeral");
    }
  });

  it("list shows every scope's automations qualified by scope, and which are paused", async () => {
    const h = await harness();
    await h.command("pause deploy-alerts");
    const { answer } = await h.command("list");
    expect(text(answer)).toContain("*server*");
    expect(text(answer)).toContain("`server:reconciliation-watch`");
    expect(text(answer)).toContain("`acme/app:deploy-alerts` _(paused)_");
    expect(text(answer)).toContain("tell ops when a deploy fails");
  });

  it("an unknown sub-command gets the closest one", async () => {
    const h = await harness();
    const { answer } = await h.command("pasue deploy-alerts");
    expect(text(answer)).toContain("Unknown sub-command `pasue`");
    expect(text(answer)).toContain("Did you mean `/hookline pause`?");
  });

  it("an unknown automation gets close matches, qualified", async () => {
    const h = await harness();
    const { answer } = await h.command("status deploy-alert");
    expect(text(answer)).toContain("no automation `deploy-alert`");
    expect(text(answer)).toContain("`acme/app:deploy-alerts`");
  });

  it("a name in several scopes is ambiguous: the answer lists the qualified names and nothing is paused", async () => {
    const h = await harness();
    const { answer } = await h.command("pause nightly");
    expect(text(answer)).toContain("exists in 2 scopes");
    expect(text(answer)).toContain("`server:nightly`");
    expect(text(answer)).toContain("`acme/app:nightly`");
    expect(await h.store.listPauses("repo:acme/app", Date.now())).toEqual([]);
  });

  it("hostile input is escaped, not echoed as Slack markup, and over-long commands are refused", async () => {
    const h = await harness();
    const { answer } = await h.command("status <!channel>");
    expect(text(answer)).not.toContain("<!channel>");
    expect(text(answer)).toContain("&lt;!channel&gt;");
    const long = await h.command(`status ${"x".repeat(600)}`);
    expect(text(long.answer)).toContain("too long");
  });

  it("a bad duration is refused with the accepted forms", async () => {
    const h = await harness();
    const { answer } = await h.command("pause deploy-alerts for soon");
    expect(text(answer)).toContain("`soon` is not a duration");
    expect(await h.store.listPauses("repo:acme/app", Date.now())).toEqual([]);
  });
});

describe("/hookline pause and resume: authorization", () => {
  it("an unauthorized user trying to pause is denied, told which rule would allow it, and nothing changes", async () => {
    const h = await harness({ sql: true });
    const { answer } = await h.command("pause deploy-alerts", { user: "UINTRUDER" });
    expect(text(answer)).toContain("you may not pause `deploy-alerts` in repo:acme/app");
    expect(text(answer)).toContain("slack.yaml:3:5");
    expect(text(answer)).toContain("users UOPS1");
    expect(answer?.response_type).toBe("ephemeral");
    expect(await h.store.listPauses("repo:acme/app", Date.now())).toEqual([]);
    expect(await pauseEvents(h)).toEqual([]);
  });

  it("with no slack.yaml rule for the scope at all, the denial says what rule to add", async () => {
    const h = await harness({ policy: "rules: []" });
    const { answer } = await h.command("pause deploy-alerts");
    expect(text(answer)).toContain("no rule in slack.yaml allows `pause` there");
    expect(await pauseEvents(h)).toEqual([]);
  });

  it("an authorized pause pauses the automation in the store and records the event with the Slack user as actor", async () => {
    const h = await harness({ sql: true });
    const before = Date.now();
    const { answer } = await h.command("pause acme/app:deploy-alerts", { user: "UOPS1", team: "TACME" });
    expect(text(answer)).toContain("<@UOPS1> paused `acme/app:deploy-alerts` until resumed");
    expect(answer?.response_type).toBe("in_channel");
    const pauses = await h.store.listPauses("repo:acme/app", Date.now());
    expect(pauses).toMatchObject([{ scope: "repo:acme/app", automation: "deploy-alerts", paused: true, until: null, by: "slack:UOPS1" }]);
    expect(pauses[0]!.at).toBeGreaterThanOrEqual(before);
    const [event] = await pauseEvents(h);
    expect(event).toMatchObject({
      event: "hookline.automation.paused",
      resource: { "prefect.resource.id": "hookline.automation.deploy-alerts", "hookline.scope": "repo:acme/app" },
      related: [
        { "prefect.resource.id": "slack.user.UOPS1", "prefect.resource.role": "actor", "slack.team": "TACME" },
        { "prefect.resource.id": "hookline.origin.slack.UOPS1", "prefect.resource.role": "origin" },
      ],
      payload: { paused: true, until: null, by: "slack:UOPS1" },
    });
  });

  it("`for 30m` sets until to 30 minutes after the pause", async () => {
    const h = await harness({ sql: true });
    await h.command("pause deploy-alerts for 30m");
    const [p] = await h.store.listPauses("repo:acme/app", Date.now());
    expect(p!.until! - p!.at).toBe(30 * 60 * 1000);
    const [event] = await pauseEvents(h);
    expect((event!.payload as { until: string }).until).toBe(new Date(p!.until!).toISOString());
  });

  it("resume lifts the pause and records a resumed event with the actor; status and history show both with who", async () => {
    const h = await harness({ sql: true });
    await h.command("pause deploy-alerts for 2h");
    const { answer } = await h.command("resume deploy-alerts");
    expect(text(answer)).toContain("<@UOPS1> resumed `acme/app:deploy-alerts`");
    expect((await h.store.listPauses("repo:acme/app", Date.now())).filter((p) => p.paused)).toEqual([]);
    const events = await pauseEvents(h);
    expect(events.map((e) => e.event)).toEqual(["hookline.automation.paused", "hookline.automation.resumed"]);
    expect(events[1]!.related).toEqual([
      expect.objectContaining({ "prefect.resource.id": "slack.user.UOPS1", "prefect.resource.role": "actor" }),
      expect.objectContaining({ "prefect.resource.id": "hookline.origin.slack.UOPS1", "prefect.resource.role": "origin" }),
    ]);
    const history = text((await h.command("history deploy-alerts")).answer);
    expect(history).toMatch(/resumed by <@UOPS1>[\s\S]*paused until .* by <@UOPS1>/);
    const status = text((await h.command("status deploy-alerts")).answer);
    expect(status).toContain("running (not paused)");
  });

  it("status shows the pause, windows and alarms, the next deadline and last firings", async () => {
    const h = await harness();
    await h.command("pause deploy-alerts for 1h");
    const status = text((await h.command("status deploy-alerts")).answer);
    expect(status).toContain("*acme/app:deploy-alerts* — tell ops when a deploy fails");
    expect(status).toMatch(/\*paused\* by slack:UOPS1 at .*, until /);
    expect(status).toContain("armed windows: 0, alarms: 0");
    expect(status).toContain("next deadline: never");
    expect(status).toContain("no firings yet");
  });

  it("user-group members may change the scopes their rule names, only from the rule's channels; membership is cached", async () => {
    const h = await harness({ groups: { SONCALL: ["UPAGER"] } });
    const elsewhere = await h.command("pause server:nightly", { user: "UPAGER", channel: "CRANDOM" });
    expect(text(elsewhere.answer)).toContain("you may not pause");
    const ok = await h.command("pause server:nightly", { user: "UPAGER", channel: "COPS" });
    expect(text(ok.answer)).toContain("paused `server:nightly`");
    const notMember = await h.command("resume server:nightly", { user: "UOTHER", channel: "COPS" });
    expect(text(notMember.answer)).toContain("you may not resume");
    expect((await h.store.listPauses("server", Date.now())).map((p) => p.automation)).toEqual(["nightly"]);
    expect(h.slack.requests.filter((r) => r.path === "/api/usergroups.users.list")).toHaveLength(1);
    expect(h.slack.requests.find((r) => r.path === "/api/usergroups.users.list")!.args.usergroup).toBe("SONCALL");
  });

  it("a user group Slack will not list denies (and says the app may lack usergroups:read)", async () => {
    const h = await harness({ groups: {} });
    const res = await h.command("pause server:nightly", { user: "UPAGER", channel: "COPS" });
    expect(text(res.answer)).toContain("could not be read from Slack");
    expect(await h.store.listPauses("server", Date.now())).toEqual([]);
  });
});

describe("pause/resume reach the Action's state ref of repositories that use it", () => {
  it("a repository with refs/hookline/state gets the pause (by, at, until) and then the resume in its state.json", async () => {
    const git = await gitServer();
    git.writeRaw("refs/hookline/state", {
      "state.json": JSON.stringify({ version: 1, engine: null, threads: {}, dedupe: {}, paused: {} }),
    });
    const h = await harness({ gitHubFor: async () => octokitFor(git.baseUrl) });
    const { answer } = await h.command("pause deploy-alerts for 30m");
    expect(text(answer)).toContain("refs/hookline/state");
    const state = JSON.parse(git.readRaw("refs/hookline/state")!);
    const [p] = await h.store.listPauses("repo:acme/app", Date.now());
    expect(state.paused["deploy-alerts"]).toEqual({
      by: "slack:UOPS1",
      at: new Date(p!.at).toISOString(),
      until: new Date(p!.until!).toISOString(),
    });
    await h.command("resume deploy-alerts");
    expect(JSON.parse(git.readRaw("refs/hookline/state")!).paused).toEqual({});
  });

  it("a repository without the ref (it does not use the Action) is left alone; the server pause still holds", async () => {
    const git = await gitServer();
    const h = await harness({ gitHubFor: async () => octokitFor(git.baseUrl) });
    const { answer } = await h.command("pause deploy-alerts");
    expect(text(answer)).not.toContain("refs/hookline/state");
    expect(git.refs.size).toBe(0);
    expect(git.log.filter((l) => !l.startsWith("GET"))).toEqual([]);
    expect(await h.store.listPauses("repo:acme/app", Date.now())).toHaveLength(1);
  });

  it("a configured Action repository gets the ref created even before it exists", async () => {
    const git = await gitServer();
    const h = await harness({ gitHubFor: async () => octokitFor(git.baseUrl), actionRepositories: ["acme/app"] });
    await h.command("pause deploy-alerts");
    expect(JSON.parse(git.readRaw("refs/hookline/state")!).paused["deploy-alerts"]).toMatchObject({ by: "slack:UOPS1" });
  });

  it("a ref that cannot be written is reported in the answer, and the server pause stays", async () => {
    const git = await gitServer();
    git.writeRaw("refs/hookline/state", {
      "state.json": JSON.stringify({ version: 1, engine: null, threads: {}, dedupe: {}, paused: {} }),
    });
    git.readOnly = true;
    const h = await harness({ gitHubFor: async () => octokitFor(git.baseUrl) });
    const { answer } = await h.command("pause deploy-alerts");
    expect(text(answer)).toContain("Could not write acme/app's `refs/hookline/state`");
    expect(await h.store.listPauses("repo:acme/app", Date.now())).toHaveLength(1);
    await waitFor(() => true, "nothing");
  });
});
