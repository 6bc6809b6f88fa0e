// One error type for everything the vCenter client can fail with; `code` is the contract's error code.
export type VcenterErrorCode =
  | 'VCENTER_CONFIG_INVALID'
  | 'VCENTER_AUTH_FAILED'
  | 'VCENTER_PERMISSION_DENIED'
  | 'VCENTER_TLS_ERROR'
  | 'VCENTER_NETWORK_ERROR'
  | 'VCENTER_TIMEOUT'
  | 'VCENTER_API_ERROR'
  | 'VCENTER_PARSE_ERROR';

const CATEGORY: Record<VcenterErrorCode, string> = {
  VCENTER_CONFIG_INVALID: 'config',
  VCENTER_AUTH_FAILED: 'auth',
  VCENTER_PERMISSION_DENIED: 'permission',
  VCENTER_TLS_ERROR: 'tls',
  VCENTER_NETWORK_ERROR: 'network',
  VCENTER_TIMEOUT: 'timeout',
  VCENTER_API_ERROR: 'api',
  VCENTER_PARSE_ERROR: 'request',
};

export class VcenterError extends Error {
  readonly code: VcenterErrorCode;
  readonly retryable: boolean;
  readonly context?: Record<string, unknown>;
  /** SOAP fault type (local name of the detail's xsi:type), when the error is a fault. */
  readonly faultType?: string;

  constructor(
    code: VcenterErrorCode,
    message: string,
    opts: { retryable?: boolean; context?: Record<string, unknown>; faultType?: string } = {},
  ) {
    super(message);
    this.name = 'VcenterError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.context = opts.context;
    this.faultType = opts.faultType;
  }

  get category(): string {
    return CATEGORY[this.code];
  }
}

/** The contract's `errors[]` entry for any thrown value. */
export function toCollectorError(err: unknown): {
  code: string;
  category: string;
  message: string;
  retryable: boolean;
  context?: Record<string, unknown>;
} {
  if (err instanceof VcenterError) {
    return {
      code: err.code,
      category: err.category,
      message: err.message,
      retryable: err.retryable,
      ...(err.context ? { context: err.context } : {}),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'VCENTER_API_ERROR', category: 'api', message, retryable: false };
}
