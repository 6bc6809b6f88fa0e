import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

// An incoming id is kept (so a proxy's id follows the request) only if it is short and harmless in logs.
const SANE = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(headers: Headers): string {
  const incoming = headers.get(REQUEST_ID_HEADER);
  return incoming && SANE.test(incoming) ? incoming : randomUUID();
}
