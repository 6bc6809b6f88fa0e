import { eq } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { userPreferences } from '@/db/schema';
import type { Preferences } from './schemas';

/** A user's saved UI choices; defaults (null) for a user who never saved any. */
export async function getPreferences(db: Db | Tx, userId: string): Promise<Preferences> {
  const [row] = await db
    .select({ assetColumns: userPreferences.assetColumns })
    .from(userPreferences)
    .where(eq(userPreferences.userId, userId));
  return { assetColumns: row?.assetColumns ?? null };
}
