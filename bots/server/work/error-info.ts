/** Any thrown value as a small loggable object: its stable `code` when it has one, and its message. */
export function errorInfo(err: unknown): { code?: string; message: string } {
  const code = err && typeof err === "object" && "code" in err && typeof err.code === "string" ? err.code : undefined;
  return { ...(code ? { code } : {}), message: err instanceof Error ? err.message : String(err) };
}
