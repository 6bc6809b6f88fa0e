// Minimal credential store: create (the id is generated first so it can be bound into the AAD) and
// load-and-decrypt for the worker. Secrets never leave through here except to the worker.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { credentials } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { currentKey, decryptSecret, encryptSecret, type SecretKey } from './crypto';

export interface NewCredential {
  name: string;
  type: string; // e.g. 'vcenter'
  publicData: Record<string, unknown>; // vCenter: {username}
  secret: Record<string, unknown>; // vCenter: {password}
}

export async function createCredential(
  db: Db | Tx,
  input: NewCredential,
  key: SecretKey = currentKey(),
): Promise<{ id: string }> {
  const id = randomUUID();
  await db.insert(credentials).values({
    id,
    name: input.name,
    type: input.type,
    publicData: input.publicData,
    keyId: key.keyId,
    ciphertext: encryptSecret(key, id, input.secret),
  });
  return { id };
}

/**
 * The credential as the plugin receives it: public data merged with the decrypted secret
 * (vCenter: {username, password}). `keys` lists every key that may still be in use (rotation).
 */
export async function loadCredentialForPlugin(
  db: Db | Tx,
  id: string,
  keys: SecretKey[] = [currentKey()],
): Promise<Record<string, unknown> | null> {
  const [row] = await db.select().from(credentials).where(eq(credentials.id, id));
  if (!row) return null;
  const key = keys.find((k) => k.keyId === row.keyId);
  if (!key) {
    throw new AppError(
      'CREDENTIAL_KEY_UNKNOWN',
      `credential ${id} is encrypted with an unknown key ${row.keyId}`,
    );
  }
  const secret = decryptSecret<Record<string, unknown>>(key, row.id, row.ciphertext);
  return { ...row.publicData, ...secret };
}
