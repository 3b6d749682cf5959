/**
 * A digest in one call: `crypto.hash` (Node >= 20.12: no Hash object per digest) where the platform has it, else
 * `createHash`. For the paths that hash once per item: UUIDv5 ids (uuid.ts, once per firing) and the
 * related-resource index keys (src/store/sql/related-keys.ts, once per related resource at ingest).
 */
import * as crypto from "node:crypto";

type OneShot = (algorithm: string, data: string | Buffer, outputEncoding: "buffer" | "hex") => Buffer | string;
/** `crypto.hash` is typed only in newer @types/node; read it as an optional function */
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

export const digestBuffer: (algorithm: string, data: Buffer) => Buffer =
  typeof oneShot === "function"
    ? (algorithm, data) => oneShot(algorithm, data, "buffer") as Buffer
    : (algorithm, data) => crypto.createHash(algorithm).update(data).digest();

export const digestHex: (algorithm: string, data: string) => string =
  typeof oneShot === "function"
    ? (algorithm, data) => oneShot(algorithm, data, "hex") as string
    : (algorithm, data) => crypto.createHash(algorithm).update(data).digest("hex");
