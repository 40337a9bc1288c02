import { eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { appMeta } from './schema.ts';

const DEMO_KEY = 'demo_data_loaded_at';

/**
 * Loads the demonstration data once per database (remembered in app_meta), so a restart keeps
 * whatever users changed. Returns true when it loaded them now.
 */
export async function loadDemoDataOnce(db: Db, now: Date): Promise<boolean> {
  const [done] = await db.select().from(appMeta).where(eq(appMeta.key, DEMO_KEY));
  if (done) return false;
  await db.insert(appMeta).values({ key: DEMO_KEY, value: now.toISOString() });
  return true;
}
