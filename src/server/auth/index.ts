// Auth core. Server pages import requirePageSession from '@/server/auth/page' (it uses next/headers).
export {
  SESSION_COOKIE,
  resolveSession,
  requireRole,
  roleAllows,
  createSession,
  deleteSession,
  generateApiToken,
  sha256,
  clearSessionCookie,
  type Role,
  type Session,
  type SessionUser,
} from './session';
export { hashPassword, verifyPassword, generatePassword, MIN_PASSWORD_LENGTH } from './password';
export { login, logout, changePassword } from './login';
export { ensureFirstAdmin, FIRST_ADMIN_USERNAME, type BootstrapResult } from './bootstrap';
export { ensureSecretKey, getSecretKey, deriveKey } from './secret-key';
