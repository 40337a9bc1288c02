/** The R2 storage of the Workers entry over the `FILES` bucket binding of wrangler.toml (local in workerd). */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { type R2BucketBinding, r2Storage } from '../../src/entry/r2-storage.ts';

describe('r2Storage (FILES binding)', () => {
  it('puts, gets back with its content type, and deletes', async () => {
    const storage = r2Storage(env.FILES as R2BucketBinding);
    const key = 'listings/1/0123456789abcdef.png';
    await storage.put(key, new Uint8Array([1, 2, 3]), { contentType: 'image/png' });
    expect(await storage.get(key)).toEqual({
      body: new Uint8Array([1, 2, 3]),
      contentType: 'image/png',
      size: 3,
    });
    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
    await expect(storage.get('../x.png')).rejects.toThrow(/storage key/);
  });
});
