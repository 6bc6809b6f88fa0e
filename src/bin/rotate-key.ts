// `npm run rotate-key`: re-encrypts every credential under a new key, in one transaction.
//
//   ASSET_LEDGER_NEW_SECRET_KEY=<new key> DATABASE_URL=... npm run rotate-key
//   DATABASE_URL=... npm run rotate-key -- --generate     (makes a new key and prints it once)
//
// Rows may be under the current ASSET_LEDGER_SECRET_KEY (or the data directory's key file) or any key in
// ASSET_LEDGER_OLD_SECRET_KEYS. Afterwards set ASSET_LEDGER_SECRET_KEY to the new key and restart every
// process; the old key is no longer needed. (Session cookies are signed with the key: users sign in again.)
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { closeDb, createDb } from '@/db/client';
import { loadConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { createLogger } from '@/lib/logger';
import { getSecretKey, secretKeyPath } from '@/server/auth/secret-key';
import { keyIdOf, secretKeyFrom, type SecretKey } from '@/server/credentials/crypto';
import { rotateCredentialKey } from '@/server/credentials/rotate';
import { checkDatabaseReachable, fatal } from './cli';

async function main(): Promise<void> {
  const config = loadConfig();
  const generate = process.argv.includes('--generate');
  if (!config.DATABASE_URL) {
    throw new AppError('CONFIG_INVALID', 'Invalid configuration: DATABASE_URL must be set for rotate-key');
  }
  const newValue = generate ? randomBytes(32).toString('hex') : config.ASSET_LEDGER_NEW_SECRET_KEY;
  if (!newValue) {
    throw new AppError(
      'CONFIG_INVALID',
      'Invalid configuration: ASSET_LEDGER_NEW_SECRET_KEY must be set (32 bytes as 64 hex characters or base64), or pass --generate',
    );
  }
  const current = getSecretKey(config);
  const oldKeys: SecretKey[] = [{ key: current, keyId: keyIdOf(current) }];
  for (const k of (config.ASSET_LEDGER_OLD_SECRET_KEYS ?? '').split(',').filter(Boolean))
    oldKeys.push(secretKeyFrom(k));
  const newKey = secretKeyFrom(newValue);

  await checkDatabaseReachable(config.DATABASE_URL);
  const db = createDb(config.DATABASE_URL, { max: 2, applicationName: 'asset-ledger-rotate-key' });
  let result;
  try {
    result = await rotateCredentialKey(db, oldKeys, newKey);
  } finally {
    await closeDb(db);
  }
  createLogger('rotate-key').info('credentials_rotated', {
    total: result.total,
    reencrypted: result.reencrypted,
    already_current: result.alreadyCurrent,
    new_key_id: result.newKeyId,
  });
  // Without the variable the processes read the key file: replace it (atomically) so they pick up the new key.
  let wroteFile = false;
  if (!config.ASSET_LEDGER_SECRET_KEY && config.NODE_ENV !== 'production') {
    const file = secretKeyPath(config);
    fs.writeFileSync(`${file}.tmp`, newKey.key.toString('hex') + '\n', { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
    wroteFile = true;
  }
  console.log(
    [
      `Re-encrypted ${result.reencrypted} of ${result.total} credential(s) under key id ${result.newKeyId}.`,
      wroteFile
        ? `The key file ${secretKeyPath(config)} now holds the new key; restart every process.`
        : 'Now set ASSET_LEDGER_SECRET_KEY to the new key and restart every process; the old key is no longer needed.',
      ...(generate && !wroteFile ? [`New key (shown once): ${newValue}`] : []),
    ].join('\n'),
  );
}

main().catch(fatal);
