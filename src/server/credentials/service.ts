// Credential CRUD for the API. The secret part is write-only: it is encrypted by ./store + ./crypto and no
// function here ever returns it (rows are selected column by column, never `select *`).
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { AppError } from '@/lib/errors';
import { typeSpec, parsePayload } from '@/server/sources/types';
import { changesOf } from '@/server/audit/changes';
import { audit, rethrowUnique, type Actor } from '@/server/users/actor';
import { currentKey, decryptSecret, encryptSecret } from './crypto';
import { createCredential } from './store';

export type CredentialView = {
  id: string;
  name: string;
  type: string;
  publicData: Record<string, unknown>;
  secretSet: boolean;
  usedBySources: number;
  createdAt: Date;
  updatedAt: Date;
};

const VIEW = sql`select c.id, c.name, c.type, c.public_data as "publicData", true as "secretSet",
    (select count(*)::int from sources s where s.credential_id = c.id and s.deleted_at is null) as "usedBySources",
    c.created_at as "createdAt", c.updated_at as "updatedAt" from credentials c`;

function split(type: string, data: Record<string, unknown>) {
  const spec = typeSpec(type);
  const pub: Record<string, unknown> = {};
  const secret: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) (spec.secretFields.includes(k) ? secret : pub)[k] = v;
  return { pub, secret };
}

export async function listCredentials(db: Db, p: { limit: number; offset: number }) {
  const [items, total] = await Promise.all([
    db.execute<CredentialView>(sql`${VIEW} order by lower(c.name), c.id limit ${p.limit} offset ${p.offset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from credentials`),
  ]);
  return { items: items.rows, total: total.rows[0]!.n, limit: p.limit, offset: p.offset };
}

export async function getCredential(db: Db, id: string): Promise<CredentialView> {
  const r = await db.execute<CredentialView>(sql`${VIEW} where c.id = ${id}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND', 'credential not found');
  return r.rows[0];
}

export async function createCredentialFromApi(
  db: Db,
  actor: Actor,
  input: { name: string; type: string; data: unknown },
): Promise<CredentialView> {
  const data = parsePayload(typeSpec(input.type).credential, input.data, 'body.data');
  const { pub, secret } = split(input.type, data);
  const id = await db.transaction(async (tx) => {
    let created: { id: string };
    try {
      created = await createCredential(tx, { name: input.name, type: input.type, publicData: pub, secret });
    } catch (err) {
      rethrowUnique(err, 'body.name', `a credential named '${input.name}'`);
    }
    await audit(
      tx,
      actor,
      'credential.create',
      { type: 'credential', id: created.id },
      {
        name: input.name,
        type: input.type,
      },
    );
    return created.id;
  });
  return getCredential(db, id);
}

/**
 * Name and/or payload. A payload without its secret fields keeps the stored secret (so an admin can fix a
 * username without retyping the password); given secret fields are re-encrypted under the current key.
 */
export async function updateCredential(
  db: Db,
  actor: Actor,
  id: string,
  input: { name?: string; data?: unknown },
): Promise<CredentialView> {
  await db.transaction(async (tx) => {
    const r = await tx.execute<{
      name: string;
      type: string;
      public_data: Record<string, unknown>;
      key_id: string;
      ciphertext: Buffer;
    }>(sql`select name, type, public_data, key_id, ciphertext from credentials where id = ${id} for update`);
    const row = r.rows[0];
    if (!row) throw new AppError('NOT_FOUND', 'credential not found');
    const sets = [sql`updated_at = now()`];
    const changed: string[] = [];
    if (input.name !== undefined) {
      sets.push(sql`name = ${input.name}`);
      changed.push('name');
    }
    if (input.data !== undefined) {
      const spec = typeSpec(row.type);
      const given = (input.data && typeof input.data === 'object' ? input.data : {}) as Record<
        string,
        unknown
      >;
      const missingSecret = spec.secretFields.filter((f) => !(f in given));
      let oldSecret: Record<string, unknown> = {};
      if (missingSecret.length) {
        const key = currentKey();
        if (key.keyId !== row.key_id) {
          throw new AppError(
            'CONFLICT',
            'body.data: the stored secret is under an old key; give the secret too',
            {
              details: { field: `body.data.${missingSecret[0]}` },
            },
          );
        }
        oldSecret = decryptSecret<Record<string, unknown>>(key, id, row.ciphertext);
      }
      const merged = parsePayload(
        spec.credential,
        { ...row.public_data, ...oldSecret, ...given },
        'body.data',
      );
      const { pub, secret } = split(row.type, merged);
      const key = currentKey();
      sets.push(sql`public_data = ${JSON.stringify(pub)}::jsonb`);
      sets.push(sql`key_id = ${key.keyId}`);
      sets.push(sql`ciphertext = ${encryptSecret(key, id, secret)}`);
      // Field names only: values (even public ones) stay out of the audit trail's secret-adjacent details.
      changed.push(...Object.keys(given).map((k) => `data.${k}`));
    }
    try {
      await tx.execute(sql`update credentials set ${sql.join(sets, sql`, `)} where id = ${id}`);
    } catch (err) {
      rethrowUnique(err, 'body.name', `a credential named '${input.name}'`);
    }
    // The name's old and new values; of the payload only which fields changed (see above).
    const changes = changesOf({ name: row.name }, { name: input.name });
    await audit(tx, actor, 'credential.update', { type: 'credential', id }, { changed, changes });
  });
  return getCredential(db, id);
}

/** Refused (409) while a source uses it; soft-deleted sources let go of it. */
export async function deleteCredential(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const r = await tx.execute<{ name: string }>(
      sql`select name from credentials where id = ${id} for update`,
    );
    if (!r.rows[0]) throw new AppError('NOT_FOUND', 'credential not found');
    const users = await tx.execute<{ id: string; name: string }>(sql`
      select id, name from sources where credential_id = ${id} and deleted_at is null order by name limit 20 for update`);
    if (users.rows.length) {
      throw new AppError(
        'CONFLICT',
        `credential is used by source(s): ${users.rows.map((s) => s.name).join(', ')}`,
        {
          details: { sources: users.rows },
        },
      );
    }
    await tx.execute(
      sql`update sources set credential_id = null where credential_id = ${id} and deleted_at is not null`,
    );
    await tx.execute(sql`delete from credentials where id = ${id}`);
    await audit(tx, actor, 'credential.delete', { type: 'credential', id }, { name: r.rows[0].name });
  });
}
