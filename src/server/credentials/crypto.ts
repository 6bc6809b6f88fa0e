// Credential secrets at rest (DESIGN §10): AES-256-GCM; the AAD binds the key id and the row id so a
// ciphertext copied onto another row, or decrypted with another key, fails authentication.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { decodeKey, getConfig, type Config } from '@/lib/config';
import { getSecretKey } from '@/server/auth/secret-key';
import { AppError } from '@/lib/errors';

export interface SecretKey {
  key: Buffer;
  keyId: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export function secretKeyFrom(value: string): SecretKey {
  const key = decodeKey(value);
  if (!key) throw new AppError('CONFIG_INVALID', 'ASSET_LEDGER_SECRET_KEY must be 32 bytes (hex or base64)');
  return { key, keyId: keyIdOf(key) };
}

/** The key new secrets are written with. */
export function currentKey(): SecretKey {
  // One source of truth with the session signer: the environment, else the data directory's key file.
  const key = getSecretKey();
  return { key, keyId: keyIdOf(key) };
}

/**
 * Every key a stored secret may be under: the current one, then ASSET_LEDGER_OLD_SECRET_KEYS (so a worker
 * keeps decrypting while a rotation is rolled out).
 */
export function keyring(config: Config = getConfig()): SecretKey[] {
  const keys = [currentKey()];
  for (const k of (config.ASSET_LEDGER_OLD_SECRET_KEYS ?? '').split(',').filter(Boolean)) {
    const sk = secretKeyFrom(k);
    if (!keys.some((x) => x.keyId === sk.keyId)) keys.push(sk);
  }
  return keys;
}

const aad = (keyId: string, rowId: string) => Buffer.from(`asset-ledger:credential:v1:${keyId}:${rowId}`);

/** Returns iv | tag | ciphertext. */
export function encryptSecret(k: SecretKey, rowId: string, plaintextJson: unknown): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', k.key, iv);
  cipher.setAAD(aad(k.keyId, rowId));
  const body = Buffer.concat([cipher.update(JSON.stringify(plaintextJson), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function decryptSecret<T = unknown>(k: SecretKey, rowId: string, blob: Buffer): T {
  if (blob.length < IV_BYTES + TAG_BYTES)
    throw new AppError('CREDENTIAL_DECRYPT_FAILED', 'ciphertext too short');
  const iv = blob.subarray(0, IV_BYTES);
  const tag = blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', k.key, iv);
  decipher.setAAD(aad(k.keyId, rowId));
  decipher.setAuthTag(tag);
  try {
    const text = Buffer.concat([decipher.update(blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    return JSON.parse(text.toString('utf8')) as T;
  } catch (err) {
    throw new AppError('CREDENTIAL_DECRYPT_FAILED', 'credential could not be decrypted with this key', {
      cause: err,
    });
  }
}
