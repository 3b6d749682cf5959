/** Console test helpers on top of test/server/http/helpers.ts: sign in for a cookie, read a live feed. */
import { call, TEST_API_TOKEN } from "../server/http/helpers.js";

/** webhooks.yaml with an open `orders` webhook: `{action, id}` becomes `acme.order.<action>` of `acme.order.<id>` */
export const ORDERS_WEBHOOK = `webhooks:
  - slug: orders
    auth: none
    template:
      event: "acme.order.{{ body.action }}"
      resource:
        prefect.resource.id: "acme.order.{{ body.id }}"
`;

export async function signIn(url: string, token = TEST_API_TOKEN): Promise<{ cookie: string; csrf: string; actor: string }> {
  const r = await call(`${url}/api/session`, { json: { token } });
  if (r.status !== 201) throw new Error(`sign-in failed: ${r.status} ${r.text}`);
  const setCookie = r.headers.get("set-cookie")!;
  return { cookie: setCookie.split(";")[0]!, csrf: r.json.csrf as string, actor: r.json.actor as string };
}

export interface Feed {
  status: number;
  headers: Headers;
  /** the `data:` of each `event: hookline` message so far, parsed */
  events: { id: string; event: string; [k: string]: unknown }[];
  /** everything read so far */
  text(): string;
  ended(): boolean;
  close(): void;
}

/** opens GET /api/events/stream (with the given headers) and collects what arrives */
export async function openFeed(url: string, headers: Record<string, string>): Promise<Feed> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  let raw = "";
  let done = false;
  const events: Feed["events"] = [];
  if (res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      try {
        for (;;) {
          const { value, done: end } = await reader.read();
          if (end) break;
          raw += value;
          const blocks = raw.split("\n\n");
          events.length = 0;
          for (const b of blocks.slice(0, -1)) {
            if (!/^event: hookline$/m.test(b)) continue;
            const data = /^data: (.*)$/m.exec(b)?.[1];
            if (data) events.push(JSON.parse(data));
          }
        }
      } catch {
        /* aborted */
      }
      done = true;
    })();
  } else done = true;
  return { status: res.status, headers: res.headers, events, text: () => raw, ended: () => done, close: () => abort.abort() };
}
