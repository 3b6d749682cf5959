/**
 * Strings read from a configuration file that holds one character above U+00FF (an emoji in a Slack message, a
 * `→` in a comment) are all two-byte in V8: the file's text is, and every slice of it stays so. Used as object
 * keys (label names in `match`, `for_each`), such strings become the process's one interned copy of that name,
 * and the label keys hookline's own code writes afterwards (`github.repository`, …) are that copy too. Then
 * `JSON.stringify` of any event turns the whole ~20 KB text two-byte, and its UTF-8 length and encoding for the
 * database go character by character (bench/server, whose config has a `→`: the PostgreSQL client's bind took
 * 35 µs per delivery instead of 16, and the server used 12 % more CPU per delivery).
 *
 * The readers therefore hand out one-byte copies of the strings they read whenever the text is wide. Nothing
 * here changes a value: the copies are equal strings.
 */

const WIDE = /[^\u0000-\u00ff]/;

/** whether `text` holds a character that V8 cannot store one byte per character */
export function hasWideChars(text: string): boolean {
  return WIDE.test(text);
}

/**
 * An equal string, stored one byte per character when its own characters allow it (JSON.parse builds its strings
 * that way, whatever the text it parses). Only worth its cost for strings sliced from a wide text.
 */
export function oneByteCopy(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
