/**
 * The last step of GitHub's manifest flow: GitHub redirected the browser back with `?code=`; the code is exchanged
 * (once, within an hour) for the new App's id, private key and webhook secret with `POST
 * /app-manifests/{code}/conversions`, an unauthenticated call made through Probot's Octokit (baseUrl:
 * GITHUB_API_URL, so GitHub Enterprise Server works). The answer is checked before anything is written.
 */
import { z } from "zod";
import { HooklineOctokit } from "./octokit.js";

export const ManifestConversion = z.object({
  id: z.number().int().positive(),
  slug: z.string().min(1),
  name: z.string().min(1),
  html_url: z.string().url(),
  owner: z
    .object({ login: z.string().min(1) })
    .passthrough()
    .nullable()
    .optional(),
  pem: z.string().regex(/^-----BEGIN ([A-Z ]+ )?PRIVATE KEY-----/, "not a PEM private key"),
  webhook_secret: z.string().min(1, "GitHub returned no webhook secret"),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
});
export type ManifestConversion = z.infer<typeof ManifestConversion>;

/** A manifest code as GitHub issues it (short, URL-safe); anything else is refused before a request is made. */
export const MANIFEST_CODE = /^[A-Za-z0-9_-]{1,200}$/;

export class ManifestConversionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function convertManifestCode(code: string, baseUrl: string): Promise<ManifestConversion> {
  if (!MANIFEST_CODE.test(code))
    throw new ManifestConversionError("HOOKLINE_APP_SETUP_BAD_CODE", "the code GitHub sent back is malformed: start the setup again");
  const octokit = new HooklineOctokit({ baseUrl: baseUrl.replace(/\/+$/, "") });
  let data: unknown;
  try {
    ({ data } = await octokit.request("POST /app-manifests/{code}/conversions", { code }));
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    throw new ManifestConversionError(
      "HOOKLINE_APP_SETUP_CONVERSION_FAILED",
      status === 404 || status === 422
        ? `GitHub refused the manifest code (HTTP ${String(status)}): codes work once and expire after an hour, start the setup again`
        : `the manifest code could not be exchanged at ${baseUrl} (${(err as Error).message}): check GITHUB_API_URL (GitHub Enterprise Server: https://HOST/api/v3) and start the setup again`,
    );
  }
  const parsed = ManifestConversion.safeParse(data);
  if (!parsed.success)
    throw new ManifestConversionError(
      "HOOKLINE_APP_SETUP_BAD_CONVERSION",
      `GitHub's answer to the manifest conversion is not an App with credentials (${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})`,
    );
  return parsed.data;
}
