// ASSET_LEDGER_SECRET_KEY: encrypts credentials and signs session cookies. One source of truth for every
// process: the environment, else (outside production) the key file in the data directory.
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeKey, getConfig, type Config } from '@/lib/config';
import { AppError } from '@/lib/errors';

export const SECRET_KEY_FILE = 'secret.key';

export function secretKeyPath(config: Config): string {
  return path.join(config.dataDir, SECRET_KEY_FILE);
}

function readKeyFile(file: string): Buffer | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const key = decodeKey(text);
  if (!key) {
    throw new AppError(
      'CONFIG_INVALID',
      `Invalid configuration: ${file} must hold 32 bytes as 64 hex characters or base64`,
    );
  }
  return key;
}

/**
 * Start-up: returns the key (as the hex/base64 text to put into the environment) and whether it was just
 * generated. Production requires the variable; otherwise the key file is created once (mode 0600).
 */
export function ensureSecretKey(config: Config): { value: string; generated: boolean; file?: string } {
  if (config.ASSET_LEDGER_SECRET_KEY) return { value: config.ASSET_LEDGER_SECRET_KEY, generated: false };
  if (config.NODE_ENV === 'production') {
    throw new AppError(
      'CONFIG_INVALID',
      'Invalid configuration: ASSET_LEDGER_SECRET_KEY must be set when NODE_ENV=production (32 bytes as 64 hex characters or base64, e.g. `openssl rand -hex 32`)',
    );
  }
  const file = secretKeyPath(config);
  const existing = readKeyFile(file);
  if (existing) return { value: existing.toString('hex'), generated: false, file };
  // 0755: in embedded mode the postgres user must traverse it to reach pg/; the key file itself is 0600.
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  const value = randomBytes(32).toString('hex');
  // 'wx' never overwrites: a key another process wrote first wins, and we read that one.
  try {
    fs.writeFileSync(file, value + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return { value: readKeyFile(file)!.toString('hex'), generated: false, file };
  }
  return { value, generated: true, file };
}

/** The raw 32-byte key for this process. */
export function getSecretKey(config: Config = getConfig()): Buffer {
  if (config.ASSET_LEDGER_SECRET_KEY) return decodeKey(config.ASSET_LEDGER_SECRET_KEY)!;
  const fromFile = config.NODE_ENV === 'production' ? null : readKeyFile(secretKeyPath(config));
  if (fromFile) return fromFile;
  throw new AppError('CONFIG_INVALID', 'Invalid configuration: ASSET_LEDGER_SECRET_KEY is not set');
}

/** A purpose-bound key derived with HKDF, so the cookie key never equals the encryption key. */
export function deriveKey(purpose: string, config?: Config): Buffer {
  return Buffer.from(
    hkdfSync('sha256', getSecretKey(config), Buffer.alloc(0), `asset-ledger/${purpose}`, 32),
  );
}

export function hmac(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}
