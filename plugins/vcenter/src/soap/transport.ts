// HTTPS transport for the vCenter APIs: TLS policy (verify / CA bundle / SHA-256 pin / insecure),
// keep-alive with bounded concurrency, per-request inactivity timeout, retries with backoff on network
// errors and 5xx. Response bodies are streamed to a consumer so big pages never sit in memory whole.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { VcenterError } from './errors';

export interface TlsPolicy {
  /** PEM bundle of CAs to trust (instead of the system store). */
  caPem?: string;
  /** SHA-256 fingerprint of the server certificate to trust (hex, colons optional). */
  thumbprintSha256?: string;
  /** Skip verification entirely (explicit opt-out). */
  insecure?: boolean;
}

export interface TransportOptions extends TlsPolicy {
  /** Base URL, e.g. https://vc.example (paths are appended). */
  baseUrl: URL;
  /** No byte for this long (waiting for the response or in the middle of it) fails the request. */
  timeoutMs?: number;
  /** Requests in flight at most. */
  maxConcurrency?: number;
  /** Attempts for retryable failures (network errors, 5xx). */
  maxAttempts?: number;
  /** First backoff delay; doubles per attempt, with jitter. */
  backoffMs?: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What a consumer gets: the live response; it must read it to the end (or throw). */
export type ResponseConsumer<T> = (res: http.IncomingMessage) => Promise<T>;

export interface TransportStats {
  requests: number;
  bytesRead: number;
  retries: number;
}

export const normalizeThumbprint = (t: string): string => t.replace(/[^0-9a-fA-F]/g, '').toLowerCase();

const RETRYABLE_NET = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_VCENTER_THUMBPRINT_MISMATCH',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

export class Transport {
  readonly stats: TransportStats = { requests: 0, bytesRead: 0, retries: 0 };
  private readonly agent: http.Agent;
  private readonly isHttps: boolean;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly maxConcurrency: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly opts: TransportOptions) {
    this.isHttps = opts.baseUrl.protocol === 'https:';
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.maxAttempts = opts.maxAttempts ?? 3;
    this.backoffMs = opts.backoffMs ?? 500;
    this.maxConcurrency = opts.maxConcurrency ?? 4;
    const common = { keepAlive: true, maxSockets: this.maxConcurrency };
    if (!this.isHttps) {
      this.agent = new http.Agent(common);
    } else if (opts.thumbprintSha256 && !opts.insecure) {
      this.agent = new PinnedAgent(common, normalizeThumbprint(opts.thumbprintSha256));
    } else {
      this.agent = new https.Agent({
        ...common,
        rejectUnauthorized: !opts.insecure,
        ...(opts.caPem ? { ca: opts.caPem } : {}),
      });
    }
  }

  close(): void {
    this.agent.destroy();
  }

  /** Sends a request (retrying network errors and retryable statuses) and hands the response to `consume`. */
  async request<T>(
    req: HttpRequest,
    consume: ResponseConsumer<T>,
    opts: { retryStatus?: (status: number) => boolean } = {},
  ): Promise<T> {
    const retryStatus = opts.retryStatus ?? ((s: number) => s === 502 || s === 503 || s === 504);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(req, consume, retryStatus);
      } catch (err) {
        const e = err instanceof VcenterError ? err : await this.classify(err);
        if (!e.retryable || attempt >= this.maxAttempts || e.code === 'VCENTER_TIMEOUT') throw e;
        this.stats.retries++;
        const delay = this.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < this.maxConcurrency) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }

  private async once<T>(
    req: HttpRequest,
    consume: ResponseConsumer<T>,
    retryStatus: (s: number) => boolean,
  ): Promise<T> {
    await this.acquire();
    try {
      return await new Promise<T>((resolve, reject) => {
        const url = new URL(req.path, this.opts.baseUrl);
        const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
        const headers: Record<string, string | number> = { ...req.headers };
        if (body) headers['content-length'] = body.length;
        this.stats.requests++;
        const mod = this.isHttps ? https : http;
        const r = mod.request(url, { method: req.method, headers, agent: this.agent }, (res) => {
          res.on('data', (chunk: Buffer) => {
            this.stats.bytesRead += chunk.length;
          });
          const status = res.statusCode ?? 0;
          if (retryStatus(status)) {
            res.resume();
            reject(
              new VcenterError(
                'VCENTER_API_ERROR',
                `vCenter answered HTTP ${status} ${res.statusMessage ?? ''}`.trim(),
                {
                  retryable: true,
                  context: { http_status: status },
                },
              ),
            );
            return;
          }
          consume(res).then(resolve, reject);
        });
        r.setTimeout(this.timeoutMs, () => {
          r.destroy(
            new VcenterError(
              'VCENTER_TIMEOUT',
              `vCenter did not answer within ${this.timeoutMs} ms (${req.method} ${url.pathname})`,
              {
                retryable: true,
              },
            ),
          );
        });
        r.on('error', reject);
        r.end(body);
      });
    } finally {
      this.release();
    }
  }

  /** Maps a low-level error to a VcenterError; TLS failures name the server's thumbprint so it can be pinned. */
  private async classify(err: unknown): Promise<VcenterError> {
    const e = err as NodeJS.ErrnoException & { reason?: string };
    const code = e?.code ?? '';
    const host = this.opts.baseUrl.host;
    if (TLS_CODES.has(code) || /certificate|SSL|TLS/i.test(e?.message ?? '')) {
      const thumb = this.isHttps
        ? await probeThumbprint(this.opts.baseUrl).catch(() => undefined)
        : undefined;
      const hint = thumb
        ? ` The server's certificate SHA-256 thumbprint is ${thumb}; to trust it, set thumbprint_sha256 (or give its CA as ca_pem).`
        : '';
      return new VcenterError(
        'VCENTER_TLS_ERROR',
        `TLS verification of ${host} failed (${code || e.message}).${hint}`,
        {
          context: { tls_code: code || undefined, ...(thumb ? { server_thumbprint_sha256: thumb } : {}) },
        },
      );
    }
    if (
      RETRYABLE_NET.has(code) ||
      code === 'ETIMEDOUT' ||
      code === 'ENOTFOUND' ||
      /socket hang up/i.test(e?.message ?? '')
    ) {
      return new VcenterError(
        'VCENTER_NETWORK_ERROR',
        `network error talking to ${host}: ${code || e.message}`,
        {
          retryable: code !== 'ENOTFOUND',
          context: { errno_code: code || undefined },
        },
      );
    }
    return new VcenterError(
      'VCENTER_NETWORK_ERROR',
      `request to ${host} failed: ${e?.message ?? String(err)}`,
      {
        retryable: false,
      },
    );
  }
}

/** Formats a fingerprint as colon-separated upper-case hex, the way browsers and vSphere show it. */
function formatThumb(fp: string): string {
  return normalizeThumbprint(fp)
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}

/** Connects without verification only to read the certificate's SHA-256 thumbprint (for error messages). */
export function probeThumbprint(url: URL, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = tls.connect({
      host: url.hostname,
      port: Number(url.port || 443),
      servername: net.isIP(url.hostname) ? undefined : url.hostname,
      rejectUnauthorized: false,
    });
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error('timeout')));
    sock.once('secureConnect', () => {
      const fp = sock.getPeerCertificate().fingerprint256;
      sock.end();
      if (fp) resolve(formatThumb(fp));
      else reject(new Error('no certificate'));
    });
    sock.once('error', reject);
  });
}

/**
 * Trusts exactly one certificate by SHA-256 thumbprint. The socket is handed to the request only after the
 * handshake and the pin check, so no request byte (e.g. a Login with the password) reaches an unpinned peer.
 */
class PinnedAgent extends https.Agent {
  constructor(
    opts: https.AgentOptions,
    private readonly pin: string,
  ) {
    super({ ...opts, rejectUnauthorized: false });
  }

  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const done = (err: Error | null, sock?: tls.TLSSocket) => callback?.(err, sock as Duplex);
    const sock = tls.connect({ ...(options as tls.ConnectionOptions), rejectUnauthorized: false });
    sock.once('secureConnect', () => {
      const fp = normalizeThumbprint(sock.getPeerCertificate().fingerprint256 ?? '');
      if (fp !== this.pin) {
        const err = Object.assign(
          new Error(`server certificate thumbprint ${formatThumb(fp)} does not match the pinned thumbprint`),
          { code: 'ERR_VCENTER_THUMBPRINT_MISMATCH' },
        );
        sock.destroy();
        done(err);
        return;
      }
      done(null, sock);
    });
    sock.once('error', (err) => done(err));
    return undefined;
  }
}
