/**
 * The GitHub and Slack ports say which API root their client calls, so the delivery log shows where an attempt's
 * calls went (a GitHub Enterprise Server, a configured Slack URL) instead of the public roots.
 */
import { getOctokit } from "@actions/github";
import { describe, expect, it } from "vitest";
import { createSlackPort, gitHubPortFrom } from "../../src/adapters/index.js";

describe("API roots of the ports", () => {
  it("gitHubPortFrom reports the Octokit's baseUrl (api.github.com by default)", () => {
    expect(gitHubPortFrom(getOctokit("t", { baseUrl: "https://ghe.example.test/api/v3" }), Date.now).apiUrl).toBe(
      "https://ghe.example.test/api/v3",
    );
    expect(gitHubPortFrom(getOctokit("t"), Date.now).apiUrl).toBe("https://api.github.com");
  });
  it("gitHubPortFrom on a stand-in without Octokit's defaults reports none", () => {
    expect(gitHubPortFrom({ request: async () => ({ status: 200, data: null }) }, Date.now).apiUrl).toBeUndefined();
  });
  it("createSlackPort reports the Web API root it calls", () => {
    expect(createSlackPort({ slackApiUrl: "http://127.0.0.1:9/api/" }).apiUrl).toBe("http://127.0.0.1:9/api/");
    expect(createSlackPort().apiUrl).toBe("https://slack.com/api/");
  });
});
