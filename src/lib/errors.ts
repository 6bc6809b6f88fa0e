// The one error type. `code` is stable and documented; `status` is the HTTP status an API answers with.
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  AUTH_REQUIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  // the vCenter is another live source's (src/server/identity/assert-source-unique.ts)
  SOURCE_DUPLICATE: 409,
  // A split of a link the asset did not gain by a merge (src/server/identity/split-asset.ts).
  SPLIT_NOT_MERGED: 409,
  // A write carried a stale version (optimistic concurrency); details.current is the current state.
  VERSION_CONFLICT: 409,
  // An import file that is not CSV text, or names no ledger field.
  IMPORT_FILE_INVALID: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // A stored raw payload that cannot be decoded.
  RECORD_RAW_UNREADABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
  CONFIG_INVALID: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS | (string & {});

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    options: { status?: number; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? (ERROR_STATUS as Record<string, number>)[code] ?? 500;
    this.details = options.details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
