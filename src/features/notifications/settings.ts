import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type EMAIL_FREQUENCIES, notificationSettings } from '../../db/schema.ts';

export type EmailFrequency = (typeof EMAIL_FREQUENCIES)[number];

export const FREQUENCY_LABELS: Record<EmailFrequency, string> = {
  immediate: 'À chaque nouveau message',
  daily: 'Un récapitulatif par jour',
  never: 'Jamais',
};

/** The user's email settings (no row: immediate). */
export async function getNotificationSettings(db: Db, userId: number): Promise<{ messages: EmailFrequency }> {
  const [row] = await db
    .select({ messages: notificationSettings.messages })
    .from(notificationSettings)
    .where(eq(notificationSettings.userId, userId));
  return { messages: row?.messages ?? 'immediate' };
}

export async function setMessageFrequency(db: Db, userId: number, messages: EmailFrequency, now: Date) {
  const updatedAt = now.toISOString();
  await db
    .insert(notificationSettings)
    .values({ userId, messages, updatedAt })
    .onConflictDoUpdate({ target: notificationSettings.userId, set: { messages, updatedAt } });
}
