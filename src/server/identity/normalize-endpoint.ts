// One spelling per vCenter endpoint, so that the same vCenter entered twice is recognised (DESIGN §8b):
// scheme and host lower-cased, the scheme's default port dropped, a trailing /sdk and trailing slashes
// dropped (the plugin adds /sdk itself), no credentials, query or fragment. `https://VC.example:443/sdk/`
// and `https://vc.example` are one endpoint. Host names and addresses are not resolved: `localhost` and
// `127.0.0.1` stay two spellings, which the instance UUID check at run time catches.
const DEFAULT_PORTS: Record<string, string> = { 'https:': '443', 'http:': '80' };

export function normalizeEndpoint(endpoint: string): string {
  let u: URL;
  try {
    u = new URL(endpoint.trim());
  } catch {
    return endpoint.trim().toLowerCase();
  }
  const scheme = u.protocol.toLowerCase();
  const port = u.port && u.port !== DEFAULT_PORTS[scheme] ? `:${u.port}` : '';
  let path = u.pathname.replace(/\/+$/, '');
  if (/\/sdk$/i.test(path)) path = path.slice(0, -4).replace(/\/+$/, '');
  return `${scheme}//${u.hostname.toLowerCase()}${port}${path}`;
}
