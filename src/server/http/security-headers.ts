// Response headers against framing (clickjacking), MIME sniffing and caching (issue 11 item 8). One list,
// used by next.config.ts (every page and file Next serves) and by route() (every API response, which
// tests also see when they call a handler directly). No imports: next.config.ts loads this file.

/** Every response: never sniffed as another type, never framed by another site. */
export const PAGE_SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'",
  'referrer-policy': 'same-origin',
};

/** API responses besides: nothing to run or load, and never stored (they may hold another user's data). */
export const API_SECURITY_HEADERS: Record<string, string> = {
  ...PAGE_SECURITY_HEADERS,
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
};
