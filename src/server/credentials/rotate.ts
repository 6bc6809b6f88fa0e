// Key rotation: every credential row is decrypted with whichever known key it names and re-encrypted under
// the new key, in one transaction (all or nothing). Afterwards the old key is no longer needed.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { AppError } from '@/lib/errors';
import { audit, systemActor, type Actor } from '@/server/users/actor';
import { decryptSecret, encryptSecret, type SecretKey } from './crypto';

export interface RotationResult {
  total: number;
  reencrypted: number;
  alreadyCurrent: number;
  newKeyId: string;
}

export async function rotateCredentialKey(
  db: Db,
  oldKeys: SecretKey[],
  newKey: SecretKey,
  actor: Actor = systemActor('rotate-key'),
): Promise<RotationResult> {
  return db.transaction(async (tx) => {
    const rows = await tx.execute<{ id: string; key_id: string; ciphertext: Buffer }>(
      sql`select id, key_id, ciphertext from credentials order by id for update`,
    );
    const known = new Map([...oldKeys, newKey].map((k) => [k.keyId, k]));
    const unknown = rows.rows.filter((r) => !known.has(r.key_id));
    if (unknown.length) {
      throw new AppError(
        'CREDENTIAL_KEY_UNKNOWN',
        `${unknown.length} credential(s) are encrypted with a key that was not given (key ids: ${[
          ...new Set(unknown.map((r) => r.key_id)),
        ].join(', ')}); nothing was changed`,
      );
    }
    let reencrypted = 0;
    for (const row of rows.rows) {
      if (row.key_id === newKey.keyId) continue;
      const secret = decryptSecret(known.get(row.key_id)!, row.id, row.ciphertext);
      await tx.execute(sql`update credentials set key_id = ${newKey.keyId},
        ciphertext = ${encryptSecret(newKey, row.id, secret)}, updated_at = now() where id = ${row.id}`);
      reencrypted++;
    }
    await audit(
      tx,
      actor,
      'credential.rotate_key',
      { type: 'credential', id: null },
      {
        new_key_id: newKey.keyId,
        reencrypted,
        total: rows.rows.length,
      },
    );
    return {
      total: rows.rows.length,
      reencrypted,
      alreadyCurrent: rows.rows.length - reencrypted,
      newKeyId: newKey.keyId,
    };
  });
}
