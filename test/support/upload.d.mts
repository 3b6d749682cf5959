export interface UploadAnswer {
  /** the HTTP status, or `error <code>` when the connection was cut before the answer was read */
  status: number | string;
  retryAfter: string | null;
}
export function upload(o: {
  url: string;
  path: string;
  headers: Record<string, string>;
  bytes: number;
  chunked?: boolean;
  localAddress?: string;
}): Promise<UploadAnswer>;
