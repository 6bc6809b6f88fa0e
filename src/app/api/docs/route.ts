// /api/docs: Swagger UI for /api/openapi.json, served from the pinned swagger-ui-dist package — nothing is
// loaded from the internet (the online validator is switched off). Public like the document it renders.
// The page and its assets share this one route: /api/docs?asset=<file>.
import fs from 'node:fs/promises';
import path from 'node:path';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

// The initializer is a file of its own (no inline script), so a strict Content-Security-Policy can apply.
const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    withCredentials: true,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Asset Ledger API</title>
<link rel="icon" type="image/png" href="/api/docs?asset=favicon-32x32.png">
<link rel="stylesheet" href="/api/docs?asset=swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs?asset=swagger-ui-bundle.js"></script>
<script src="/api/docs?asset=init.js"></script>
</body>
</html>
`;

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

function distDir(): string {
  return path.join(process.cwd(), 'node_modules', 'swagger-ui-dist');
}

export async function GET(request: Request): Promise<Response> {
  const asset = new URL(request.url).searchParams.get('asset');
  if (!asset) {
    return new Response(PAGE, {
      headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS },
    });
  }
  if (asset === 'init.js') {
    return new Response(INIT, {
      headers: { 'content-type': 'text/javascript; charset=utf-8', ...SECURITY_HEADERS },
    });
  }
  const type = ASSETS[asset];
  if (!type) return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  try {
    const body = await fs.readFile(path.join(distDir(), asset));
    return new Response(new Uint8Array(body), {
      headers: { 'content-type': type, 'cache-control': 'public, max-age=86400', ...SECURITY_HEADERS },
    });
  } catch {
    return new Response('swagger-ui-dist is not installed (npm install)', {
      status: 500,
      headers: { 'content-type': 'text/plain' },
    });
  }
}
