/** Request header src/proxy.ts sets on page requests: the path and query the browser asked for. */
export const REQUESTED_URL_HEADER = 'x-asset-ledger-requested-url';
