import { buildOpenApiDocument } from '@/server/http/openapi';
import { requestIdFrom, REQUEST_ID_HEADER } from '@/server/http/request-id';
import { APP_VERSION } from '@/server/http/version';
import { routeModules } from '../v1/routes';

// Public, like the health check: the document describes the API, it holds no data.
export async function GET(request: Request): Promise<Response> {
  // Referencing the modules keeps the bundler from dropping them; loading them recorded their operations.
  void routeModules;
  const doc = buildOpenApiDocument({ version: APP_VERSION });
  return Response.json(doc, {
    headers: { [REQUEST_ID_HEADER]: requestIdFrom(request.headers), 'cache-control': 'no-store' },
  });
}
