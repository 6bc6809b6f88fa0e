// Where to go after sign-in (`?next=`): only a path on this site, never another host (no open redirect).
//
// The value is judged the way a browser would read it: the WHATWG URL parser drops tabs and newlines and
// reads `\` as `/`, so `/\t/evil.example` or `/\evil.example` are `//evil.example` to it and are refused
// here for the same reason. Control characters and backslashes are refused outright (they never belong
// in a path we link to, and CR/LF would break the Location header), as are paths that become
// protocol-relative once percent-decoded (`/%2F%2Fevil.example`), in case something decodes them again.
// Pure and dependency-free: it runs in server pages and in the browser.

const BASE = 'http://same-origin.invalid';
// C0 controls, DEL and the backslash.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;
const FALLBACK = '/';

/** A same-origin path (with its query and fragment) to redirect to, or '/' when `next` is not one. */
export function safeNext(next: string | null | undefined): string {
  if (typeof next !== 'string' || next === '' || next.length > 2048) return FALLBACK;
  if (FORBIDDEN.test(next)) return FALLBACK;
  if (!next.startsWith('/') || next.startsWith('//')) return FALLBACK;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== BASE) return FALLBACK;
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return FALLBACK;
  }
  if (/^[/\\]{2}/.test(decoded) || FORBIDDEN.test(decoded)) return FALLBACK;
  // Rebuilt from the parsed URL: percent-encoded as the browser would send it, safe in a header.
  return `${url.pathname}${url.search}${url.hash}`;
}
