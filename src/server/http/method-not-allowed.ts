// Next.js answers a method a route module does not export with a bare `405` and an empty body, before any
// of our code runs. For /api/ paths the web server (src/bin/start.ts) turns that into the API's error
// shape, so a client always gets {error: {code, message}} (issue 11 item 6).
import type http from 'node:http';
import { REQUEST_ID_HEADER } from './request-id';
import { API_SECURITY_HEADERS } from './security-headers';

/** Makes an empty 405 on this response carry `{error: {code: 'METHOD_NOT_ALLOWED', message}}`. */
export function answerMethodNotAllowedAsJson(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  requestId: () => string,
): void {
  const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  res.end = ((...args: unknown[]) => {
    const empty = args.length === 0 || args[0] == null || typeof args[0] === 'function';
    if (res.statusCode === 405 && empty && !res.headersSent && !res.hasHeader('content-type')) {
      const path = (req.url ?? '').split('?')[0];
      const body = JSON.stringify({
        error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not supported on ${path}` },
      });
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('content-length', Buffer.byteLength(body));
      if (!res.hasHeader(REQUEST_ID_HEADER)) res.setHeader(REQUEST_ID_HEADER, requestId());
      for (const [k, v] of Object.entries(API_SECURITY_HEADERS)) res.setHeader(k, v);
      const callback = args.find((a) => typeof a === 'function');
      return end(body, callback);
    }
    return end(...args);
  }) as typeof res.end;
}
