import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { userPreferences } from '@/db/schema';
import { getPreferences } from './get-preferences';
import type { Preferences } from './schemas';

/**
 * Saves the given choices (fields left out keep their value). Not audited: these are a person's view
 * of the data, not configuration.
 */
export async function setPreferences(
  db: Db | Tx,
  userId: string,
  patch: Partial<Preferences>,
): Promise<Preferences> {
  if (patch.assetColumns !== undefined) {
    const assetColumns = patch.assetColumns ? [...new Set(patch.assetColumns)] : null;
    await db
      .insert(userPreferences)
      .values({ userId, assetColumns })
      .onConflictDoUpdate({
        target: userPreferences.userId,
        set: { assetColumns, updatedAt: sql`now()` },
      });
  }
  return getPreferences(db, userId);
}
