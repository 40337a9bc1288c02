/**
 * File storage on Cloudflare Workers: an R2 bucket binding (`FILES` in wrangler.toml). The content
 * type travels with the object (`httpMetadata`). See docs/decisions/017-file-storage.md.
 */
import type { FileStorage } from '../lib/context.ts';
import { isStorageKey } from '../lib/storage-keys.ts';

/** The part of the R2 bucket binding this module uses (the full types clash with the DOM ones). */
export interface R2BucketBinding {
  put(
    key: string,
    value: Uint8Array | ArrayBuffer,
    options?: { httpMetadata?: { contentType?: string } },
  ): Promise<unknown>;
  get(key: string): Promise<{
    arrayBuffer(): Promise<ArrayBuffer>;
    size: number;
    httpMetadata?: { contentType?: string };
  } | null>;
  delete(key: string | string[]): Promise<void>;
}

export function r2Storage(bucket: R2BucketBinding): FileStorage {
  const checked = (key: string) => {
    if (!isStorageKey(key)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
    return key;
  };
  return {
    async put(key, body, { contentType }) {
      // One PUT is atomic in R2: readers see the previous object or the whole new one.
      await bucket.put(checked(key), body, { httpMetadata: { contentType } });
    },
    async get(key) {
      const object = await bucket.get(checked(key));
      if (!object) return null;
      const body = new Uint8Array(await object.arrayBuffer());
      return {
        body,
        contentType: object.httpMetadata?.contentType ?? 'application/octet-stream',
        size: body.length,
      };
    },
    async delete(key) {
      await bucket.delete(checked(key));
    },
  };
}
