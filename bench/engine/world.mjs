/**
 * The simulated GitHub estate both generators share: ~200 repositories in a few organizations, their workflows,
 * branches and people. Deterministic for a seed.
 */
import { createRng } from "./prng.mjs";

const ORGS = ["acme", "globex", "initech", "umbrella"];
const KINDS = ["svc", "web", "lib", "infra", "tool", "data"];
const WORDS = [
  "billing",
  "auth",
  "search",
  "ledger",
  "gateway",
  "catalog",
  "orders",
  "payments",
  "notify",
  "reports",
  "profile",
  "checkout",
  "inventory",
  "shipping",
  "metrics",
  "audit",
  "sso",
  "pricing",
  "cart",
  "media",
  "export",
  "import",
  "scheduler",
  "mailer",
  "webhooks",
  "portal",
  "console",
  "admin",
  "docs",
  "sdk",
];
/** [file, display name, relative weight of runs, typical minutes] */
export const WORKFLOWS = [
  ["ci.yml", "CI", 10, 8],
  ["lint.yml", "Lint", 6, 2],
  ["test.yml", "Tests", 6, 12],
  ["build.yml", "Build", 5, 6],
  ["e2e.yml", "E2E", 3, 25],
  ["codeql.yml", "CodeQL", 2, 15],
  ["docs.yml", "Docs", 1, 3],
  ["deploy.yml", "Deploy", 2, 10],
  ["release.yml", "Release", 1, 12],
  ["nightly.yml", "Nightly", 1, 40],
];
const JOB_NAMES = ["build", "test (node 20)", "test (node 22)", "lint", "typecheck", "e2e", "package", "deploy", "analyze", "docs"];
const PEOPLE = [
  "alice",
  "bob",
  "carol",
  "dave",
  "erin",
  "frank",
  "grace",
  "heidi",
  "ivan",
  "judy",
  "mallory",
  "niaj",
  "olivia",
  "peggy",
  "rupert",
  "sybil",
  "trent",
  "victor",
  "walter",
  "yolanda",
  "zoe",
  "amir",
  "bea",
  "chen",
  "dara",
  "eli",
  "fatima",
  "gus",
  "hana",
  "igor",
  "jin",
  "kai",
  "lena",
  "milo",
  "nora",
  "oscar",
  "pia",
  "quinn",
  "raj",
  "sana",
];
const BOTS = ["dependabot[bot]", "renovate[bot]", "github-actions[bot]"];
export const PR_LABELS = ["bug", "enhancement", "dependencies", "release", "security", "skip-ci", "needs-review", "hotfix"];

export function buildWorld(seed) {
  const r = createRng(seed ^ 0x5eed);
  const actors = [...PEOPLE, ...BOTS].map((login, i) => ({ login, id: 1000 + i, type: login.endsWith("[bot]") ? "Bot" : "User" }));
  const orgs = ORGS.map((login, i) => ({ login, id: 9000 + i }));
  const repos = [];
  const seen = new Set();
  let workflowId = 160000;
  while (repos.length < 200) {
    const org = orgs[r.skewed(orgs.length, 0.6)];
    const name = `${r.pick(KINDS)}-${r.pick(WORDS)}${r.chance(0.3) ? `-${r.pick(WORDS)}` : ""}`;
    const full = `${org.login}/${name}`;
    if (seen.has(full)) continue;
    seen.add(full);
    const workflows = [];
    for (const [file, label, weight, minutes] of WORKFLOWS) {
      // every repo has CI; the others with a probability that falls with rarity
      if (file !== "ci.yml" && !r.chance(Math.min(0.9, weight / 7 + 0.1))) continue;
      workflows.push({ id: workflowId++, file, name: label, weight, minutes });
    }
    const features = Array.from({ length: r.int(2, 8) }, () => `feature/${r.pick(WORDS)}-${r.int(10, 999)}`);
    repos.push({
      id: 500000 + repos.length,
      name,
      full_name: full,
      owner: org,
      private: r.chance(0.7),
      default_branch: "main",
      workflows,
      branches: ["main", ...(r.chance(0.4) ? ["develop"] : []), ...(r.chance(0.3) ? ["release/1.x"] : []), ...features],
      team: `team-${"abcdefgh"[r.int(0, 7)]}`,
      flakiness: r.chance(0.15) ? 0.25 : 0.08, // share of runs that fail
    });
  }
  return {
    repos,
    orgs,
    actors,
    people: actors.filter((a) => a.type === "User"),
    bots: actors.filter((a) => a.type === "Bot"),
    jobNames: JOB_NAMES,
  };
}
