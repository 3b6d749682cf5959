/**
 * The size rule for row images (docs/database.md "Hostile values"): an event is at most 1.5 MB, and every
 * automation, webhook and feed reader pays for its size, so each image (old, new) is at most `maxBytes` of JSON
 * (UTF-8; `max_image_bytes`, 256 KiB by default). A larger image is cut, largest value first (ties by column
 * name), until it fits: a string keeps its first 1,024 characters, any other value (JSON, arrays) becomes null.
 * Each cut is listed in the payload (`hookline.truncated`: image, column, original size), so a receiver knows
 * to read the row itself. The same row always gives the same cuts (a re-read is the same event).
 */
import { utf8Length } from "../automations/yaml-source.js";

export const TRUNCATED_STRING_CHARS = 1024;

export interface Cut {
  image: "old" | "new";
  column: string;
  /** the value's size as JSON, in UTF-8 bytes, before the cut */
  bytes: number;
}

/** The first `chars` UTF-16 units of `text`, not ending inside a surrogate pair. */
export function prefixOf(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const end = chars > 0 && /[\ud800-\udbff]/.test(text[chars - 1]!) ? chars - 1 : chars;
  return text.slice(0, end);
}

/** `image` itself when its JSON fits `maxBytes`, else a copy with the largest values cut, and the cuts. */
export function fitImage(
  image: Record<string, unknown>,
  size: number,
  maxBytes: number,
  which: Cut["image"],
): { image: Record<string, unknown>; cuts: Cut[] } {
  if (size <= maxBytes) return { image, cuts: [] };
  const sizes = Object.keys(image).map((column) => ({ column, bytes: utf8Length(JSON.stringify(image[column]) ?? "null") }));
  sizes.sort((a, b) => b.bytes - a.bytes || (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
  const out: Record<string, unknown> = { ...image };
  const cuts: Cut[] = [];
  let total = size;
  for (const { column, bytes } of sizes) {
    if (total <= maxBytes) break;
    const value = image[column];
    const cut = typeof value === "string" ? prefixOf(value, TRUNCATED_STRING_CHARS) : null;
    const after = utf8Length(JSON.stringify(cut));
    if (after >= bytes) continue;
    Object.defineProperty(out, column, { value: cut, enumerable: true, writable: true, configurable: true });
    cuts.push({ image: which, column, bytes });
    total -= bytes - after;
  }
  return { image: out, cuts };
}
