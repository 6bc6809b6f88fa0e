// Unknown /api/v1 paths answer in the API's error shape (not Next's HTML 404). Specific routes win over
// this catch-all, so it only sees paths no endpoint serves. Not an operation: not in the OpenAPI document.
import { AppError } from '@/lib/errors';
import { errorResponse } from '@/server/http/route';
import { requestIdFrom } from '@/server/http/request-id';

function notFound(request: Request): Response {
  const { pathname } = new URL(request.url);
  return errorResponse(
    new AppError('NOT_FOUND', `No API endpoint at ${request.method} ${pathname}`),
    requestIdFrom(request.headers),
  );
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
