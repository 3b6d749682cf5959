/** Request bodies: media type, charset, decoding (JSON, form, text), with limits on hostile input. */

/** JSON bodies nested deeper than this are refused (400) before they are parsed. */
export const MAX_BODY_JSON_DEPTH = 64;

export type BodyKind = "json" | "form" | "text" | "cloudevent" | "cloudevent-batch" | "other";

export interface MediaType {
  /** lower-case `type/subtype`, "" when there is no Content-Type */
  type: string;
  charset: string | undefined;
  kind: BodyKind;
}

export function mediaTypeOf(contentType: string | undefined): MediaType {
  if (contentType === undefined || contentType.trim() === "") return { type: "", charset: undefined, kind: "other" };
  const [head, ...params] = contentType.split(";");
  const type = head!.trim().toLowerCase();
  let charset: string | undefined;
  for (const p of params) {
    const eq = p.indexOf("=");
    if (eq < 0) continue;
    if (p.slice(0, eq).trim().toLowerCase() === "charset")
      charset = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .toLowerCase();
  }
  let kind: BodyKind = "other";
  if (type === "application/cloudevents+json") kind = "cloudevent";
  else if (type === "application/cloudevents-batch+json") kind = "cloudevent-batch";
  else if (type === "application/json" || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type)) kind = "json";
  else if (type === "application/x-www-form-urlencoded") kind = "form";
  else if (/^text\/[a-z0-9.+!#$&^_-]+$/.test(type)) kind = "text";
  return { type, charset, kind };
}

export type Parsed = { ok: true; value: unknown; text: string } | { ok: false; status: 400 | 415; reason: string };

const UTF8_NAMES = new Set(["utf-8", "utf8", "us-ascii", "ascii"]);

/** Decodes a body of a supported kind; an empty body is `null`. */
export function parseBody(media: MediaType, bytes: Uint8Array): Parsed {
  if (bytes.byteLength === 0) return { ok: true, value: null, text: "" };
  if (media.charset !== undefined && !UTF8_NAMES.has(media.charset)) {
    return { ok: false, status: 415, reason: `charset ${JSON.stringify(media.charset.slice(0, 40))} is not supported: send UTF-8` };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, status: 400, reason: "the body is not valid UTF-8" };
  }
  switch (media.kind) {
    case "json":
    case "cloudevent":
      return parseJson(text);
    case "form":
      return { ok: true, value: parseForm(text), text };
    case "text":
      return { ok: true, value: text, text };
    default:
      return { ok: false, status: 415, reason: unsupported(media) };
  }
}

export function unsupported(media: MediaType): string {
  const what = media.type === "" ? "a body without Content-Type" : `Content-Type ${JSON.stringify(media.type.slice(0, 80))}`;
  return `${what} is not supported: send application/json, application/x-www-form-urlencoded or text/*`;
}

export function parseJson(text: string): Parsed {
  const depth = jsonDepth(text);
  if (depth > MAX_BODY_JSON_DEPTH) {
    return { ok: false, status: 400, reason: `the JSON body is nested deeper than ${MAX_BODY_JSON_DEPTH} levels` };
  }
  try {
    // JSON.parse defines `__proto__` as an ordinary own key: it cannot change a prototype
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch (e) {
    return { ok: false, status: 400, reason: `the body is not valid JSON: ${(e as Error).message.slice(0, 200)}` };
  }
}

/** Deepest `[`/`{` nesting outside strings (a linear scan; malformed text is left to JSON.parse). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped char
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** `a=1&b=2&b=3` → `{a: "1", b: ["2", "3"]}`; every key an own data property (even `__proto__`). */
export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined;
    const value = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Lower-cased header names; a name given twice in different cases is joined with ", " (as node does). */
export function normalizeHeaders(headers: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(headers ?? {})) {
    const raw = headers[key];
    const value = Array.isArray(raw)
      ? raw.map(String).join(", ")
      : typeof raw === "string"
        ? raw
        : raw === undefined || raw === null
          ? undefined
          : String(raw);
    if (value === undefined) continue;
    const name = key.toLowerCase();
    const prev = Object.prototype.hasOwnProperty.call(out, name) ? out[name] : undefined;
    Object.defineProperty(out, name, {
      value: prev === undefined ? value : `${prev}, ${value}`,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * A short excerpt of a text for failure events: at most `max` characters, control and non-ASCII characters
 * escaped (`\n`, `\u001b`), so it cannot forge log lines or terminal output.
 */
export function excerpt(text: string, max = 120): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  const escaped = JSON.stringify(cut)
    .slice(1, -1)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return text.length > max ? `${escaped}...` : escaped;
}
