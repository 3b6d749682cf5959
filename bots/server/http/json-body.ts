/** Reads a JSON request body for /api: content type, size cap and parse errors become JSON errors. */
import type { RequestContext } from "./context.js";
import { readBody } from "../../../src/adapters/http-server/read-body.js";
import { sendBusy, sendError, sendErrorAndClose } from "../../../src/adapters/http-server/respond.js";

export const API_BODY_LIMIT = 10 * 1024 * 1024;

/** The parsed body (at most `limit` bytes), `undefined` for an empty body when `optional`, or null after an error answer was sent. */
export async function readJson(ctx: RequestContext, optional = false, limit = API_BODY_LIMIT): Promise<{ value: unknown } | null> {
  const { req, res } = ctx;
  const type = String(req.headers["content-type"] ?? "")
    .split(";")[0]!
    .trim()
    .toLowerCase();
  const hasBody =
    req.headers["content-length"] !== undefined ? req.headers["content-length"] !== "0" : req.headers["transfer-encoding"] !== undefined;
  if (optional && !hasBody) return { value: undefined };
  if (type !== "application/json" && !type.endsWith("+json")) {
    sendErrorAndClose(
      res,
      415,
      "HOOKLINE_UNSUPPORTED_MEDIA_TYPE",
      `send JSON with \`Content-Type: application/json\` (got ${type ? JSON.stringify(type.slice(0, 80)) : "none"})`,
    );
    return null;
  }
  const read = await readBody(req, limit);
  if (!read.ok) {
    if (read.reason === "busy") sendBusy(res, read.retryAfterSeconds);
    else if (read.reason === "too-large")
      sendErrorAndClose(
        res,
        413,
        "HOOKLINE_BODY_TOO_LARGE",
        `the body is over ${limit} bytes: send ${limit === API_BODY_LIMIT ? "smaller batches" : "less"}`,
      );
    else req.destroy();
    return null;
  }
  if (optional && read.body.length === 0) return { value: undefined };
  try {
    return { value: JSON.parse(read.body.toString("utf8")) };
  } catch (err) {
    sendError(res, 400, "HOOKLINE_MALFORMED_JSON", `the body is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
    return null;
  }
}
