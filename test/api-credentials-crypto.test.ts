// Credentials at rest: the row id is bound into the AAD (a ciphertext moved to another row does not
// decrypt), and key rotation re-encrypts every row so the old key is no longer needed — through the
// service and through the `npm run rotate-key` command.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { decryptSecret, secretKeyFrom } from '@/server/credentials/crypto';
import { rotateCredentialKey } from '@/server/credentials/rotate';
import { createCredential, loadCredentialForPlugin } from '@/server/credentials/store';
import { setupApiTest } from './api';
import type { TestDatabase } from './db';

const run = promisify(execFile);
let t: TestDatabase;
beforeAll(async () => {
  t = await setupApiTest();
});
afterAll(async () => t?.drop());

const newKey = () => secretKeyFrom(randomBytes(32).toString('hex'));
async function row(id: string) {
  const r = await getDb().execute<{ key_id: string; ciphertext: Buffer }>(
    sql`select key_id, ciphertext from credentials where id = ${id}`,
  );
  return r.rows[0]!;
}

describe('credential encryption', () => {
  it('a ciphertext copied onto another row fails to decrypt', async () => {
    const k = newKey();
    const a = await createCredential(
      getDb(),
      { name: 'a', type: 'vcenter', publicData: { username: 'a' }, secret: { password: 'pw-a' } },
      k,
    );
    const b = await createCredential(
      getDb(),
      { name: 'b', type: 'vcenter', publicData: { username: 'b' }, secret: { password: 'pw-b' } },
      k,
    );
    expect(await loadCredentialForPlugin(getDb(), b.id, [k])).toEqual({ username: 'b', password: 'pw-b' });
    const ra = await row(a.id);
    await getDb().execute(sql`update credentials set ciphertext = ${ra.ciphertext} where id = ${b.id}`);
    await expect(loadCredentialForPlugin(getDb(), b.id, [k])).rejects.toMatchObject({
      code: 'CREDENTIAL_DECRYPT_FAILED',
    });
    // The original row still decrypts.
    expect(await loadCredentialForPlugin(getDb(), a.id, [k])).toEqual({ username: 'a', password: 'pw-a' });
    await getDb().execute(sql`delete from credentials`);
  });

  it('rotation re-encrypts every row; afterwards only the new key is needed', async () => {
    const k1 = newKey();
    const k0 = newKey(); // an even older key some rows were left under
    const k2 = newKey();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (
          await createCredential(
            getDb(),
            {
              name: `r${i}`,
              type: 'vcenter',
              publicData: { username: `u${i}` },
              secret: { password: `pw-${i}` },
            },
            i === 2 ? k0 : k1,
          )
        ).id,
      );
    }
    // Without every key in use, nothing changes.
    await expect(rotateCredentialKey(getDb(), [k1], k2)).rejects.toMatchObject({
      code: 'CREDENTIAL_KEY_UNKNOWN',
    });
    expect((await row(ids[0]!)).key_id).toBe(k1.keyId);

    const before = await row(ids[0]!);
    const result = await rotateCredentialKey(getDb(), [k1, k0], k2);
    expect(result).toMatchObject({ total: 3, reencrypted: 3, newKeyId: k2.keyId });
    for (const [i, id] of ids.entries()) {
      const r = await row(id);
      expect(r.key_id).toBe(k2.keyId);
      expect(await loadCredentialForPlugin(getDb(), id, [k2])).toEqual({
        username: `u${i}`,
        password: `pw-${i}`,
      });
      await expect(loadCredentialForPlugin(getDb(), id, [k1, k0])).rejects.toMatchObject({
        code: 'CREDENTIAL_KEY_UNKNOWN',
      });
    }
    // The old key cannot read the new ciphertext even when told to try.
    const after = await row(ids[0]!);
    expect(() => decryptSecret(k1, ids[0]!, before.ciphertext)).not.toThrow();
    expect(() => decryptSecret(k1, ids[0]!, after.ciphertext)).toThrow();
    // Running it again is a no-op.
    expect(await rotateCredentialKey(getDb(), [k1], k2)).toMatchObject({ total: 3, reencrypted: 0 });
    const audit = await getDb().execute(
      sql`select details from audit_events where action = 'credential.rotate_key'`,
    );
    expect(audit.rows.length).toBe(2);
    await getDb().execute(sql`delete from credentials`);
  });

  it('npm run rotate-key re-encrypts under ASSET_LEDGER_NEW_SECRET_KEY', async () => {
    const oldHex = randomBytes(32).toString('hex');
    const newHex = randomBytes(32).toString('hex');
    const k1 = secretKeyFrom(oldHex);
    const { id } = await createCredential(
      getDb(),
      { name: 'cli', type: 'vcenter', publicData: { username: 'c' }, secret: { password: 'pw-cli' } },
      k1,
    );
    const root = path.resolve(import.meta.dirname, '..');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/bin/rotate-key.ts'], {
      cwd: root,
      env: {
        NODE_ENV: 'test',
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        DATABASE_URL: t.url,
        ASSET_LEDGER_SECRET_KEY: oldHex,
        ASSET_LEDGER_NEW_SECRET_KEY: newHex,
        LOG_LEVEL: 'info',
      },
      timeout: 60_000,
    });
    expect(stdout).toContain('Re-encrypted 1 of 1');
    expect(stdout).not.toContain(newHex);
    expect(stdout).not.toContain(oldHex);
    expect(await loadCredentialForPlugin(getDb(), id, [secretKeyFrom(newHex)])).toEqual({
      username: 'c',
      password: 'pw-cli',
    });
  });
});
