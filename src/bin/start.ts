// `npm start`: everything on one machine in one process — configuration, the database (embedded PostgreSQL
// when DATABASE_URL is unset), migrations, the first admin, the web app (Next.js), the worker and scheduler
// loops. SIGINT/SIGTERM stop all of it, the database last.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDb, getDb } from '@/db/client';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@/db/embedded';
import { clientAddress, fromTrustedProxy, type TrustProxy } from '@/lib/client-address';
import { getConfig, resetConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { createLogger, errorFields } from '@/lib/logger';
import { ensureFirstAdmin } from '@/server/auth/bootstrap';
import { ensureSecretKey } from '@/server/auth/secret-key';
import { APP_VERSION } from '@/server/http/version';
import { ensureBuilt } from './build';
import { startScheduler } from './scheduler';
import { startWorker } from './worker';
import { checkDatabaseReachable, describeUrl, fatal, migrateWithLock } from './cli';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const EMBEDDED_PREFERRED_PORT = 5433;
const log = createLogger('start');

interface Stoppable {
  name: string;
  stop(): Promise<void>;
}

async function startWeb(
  host: string,
  port: number,
  trustProxy: TrustProxy,
): Promise<Stoppable & { server: http.Server }> {
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: ROOT, hostname: host, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    // The client address that login throttling and audit see is settled here, where the socket is known:
    // X-Forwarded-For is replaced by that one address (route() reads nothing else). What a client may
    // write about the host and scheme counts only when a trusted proxy forwarded the request.
    const peer = req.socket.remoteAddress;
    req.headers['x-forwarded-for'] = clientAddress(peer, req.headers['x-forwarded-for'], trustProxy) ?? '';
    delete req.headers['x-real-ip'];
    if (!fromTrustedProxy(peer, trustProxy)) {
      delete req.headers['x-forwarded-host'];
      delete req.headers['x-forwarded-proto'];
    }
    handle(req, res).catch((err) => {
      log.error('web_request_failed', errorFields(err));
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new AppError('CONFIG_INVALID', `Invalid configuration: PORT ${port} is already in use; set PORT`),
        );
      } else if (err.code === 'EACCES') {
        reject(
          new AppError('CONFIG_INVALID', `Invalid configuration: PORT ${port} needs privileges; set PORT`),
        );
      } else reject(err);
    });
    server.listen(port, host, () => resolve());
  });
  return {
    name: 'web',
    server,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests in flight get 5 s to finish.
      const force = setTimeout(() => server.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(force);
      await app.close().catch(() => {});
    },
  };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  let config = getConfig(); // a bad value throws CONFIG_INVALID naming the variable
  const stack: Stoppable[] = []; // stopped in reverse order
  let shuttingDown: Promise<void> | undefined;

  const shutdown = (reason: string, exitCode = 0) => {
    shuttingDown ??= (async () => {
      log.info('shutdown_started', { reason });
      for (const part of [...stack].reverse()) {
        try {
          await part.stop();
        } catch (err) {
          log.error('shutdown_step_failed', { part: part.name, ...errorFields(err) });
        }
      }
      log.info('shutdown_complete', { reason });
      process.exit(exitCode);
    })();
    return shuttingDown;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (shuttingDown) {
        // A second Ctrl-C: stop waiting. The embedded database still gets its signal on exit.
        process.exit(130);
      }
      void shutdown(signal);
    });
  }

  try {
    // An unreachable server fails fast (before any build); the embedded one is started after the build.
    if (config.DATABASE_URL) await checkDatabaseReachable(config.DATABASE_URL);
    // Secret key: from the environment, else (outside production) ./data/secret.key, generated once.
    const key = ensureSecretKey(config);
    if (key.generated) log.info('secret_key_generated', { file: key.file });
    process.env.ASSET_LEDGER_SECRET_KEY = key.value;
    // The build needs no database; doing it first means a failed build leaves nothing running.
    await ensureBuilt(ROOT);
    const tBuilt = performance.now();

    // Database: DATABASE_URL, else the embedded PostgreSQL under <data dir>/pg.
    let embedded: EmbeddedPostgresHandle | undefined;
    if (!config.DATABASE_URL) {
      embedded = await startEmbeddedPostgres({
        dataDir: path.join(config.dataDir, 'pg'),
        port: EMBEDDED_PREFERRED_PORT,
        log,
        onFailed: (err) => {
          log.error('embedded_postgres.failed', errorFields(err));
          void shutdown('embedded_postgres_failed', 1);
        },
      });
      stack.push({ name: 'embedded-postgres', stop: () => embedded!.stop() });
      process.env.DATABASE_URL = embedded.url;
    }
    // Next.js expects production when serving a build; our config keeps the caller's NODE_ENV semantics
    // (the secret key is already settled above).
    (process.env as Record<string, string | undefined>).NODE_ENV ??= 'production';
    resetConfig();
    config = getConfig();
    const tDb = performance.now();

    const db = getDb();
    stack.push({ name: 'database-pool', stop: () => closeDb(db) });
    await migrateWithLock(db);
    const tMigrated = performance.now();

    const web = await startWeb(config.HOST, config.PORT, config.TRUST_PROXY);
    stack.push(web);
    const tWeb = performance.now();
    // Last, so that a start that fails earlier never consumes the one-time display of the password.
    const admin = await ensureFirstAdmin(db, { password: config.ASSET_LEDGER_ADMIN_PASSWORD });

    // The loops stop before the web server and the database (the stack unwinds in reverse).
    const scheduler = startScheduler({ db });
    stack.push({ name: 'scheduler', stop: () => scheduler.stop() });
    const worker = startWorker({ db });
    stack.push({ name: 'worker', stop: () => worker.stop({ timeoutMs: 60_000 }) });

    const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
    const url = `http://${shownHost}:${config.PORT}`;
    log.info('started', {
      url,
      version: APP_VERSION,
      database: embedded ? 'embedded' : describeUrl(config.DATABASE_URL!),
      startup_ms: Math.round(performance.now() - t0),
      build_ms: Math.round(tBuilt - t0),
      database_ms: Math.round(tDb - tBuilt),
      migrate_ms: Math.round(tMigrated - tDb),
      web_ms: Math.round(tWeb - tMigrated),
    });
    const lines = [
      '',
      `Asset Ledger ${APP_VERSION} is running at ${url}`,
      embedded
        ? `  Database: embedded PostgreSQL on 127.0.0.1:${embedded.port}, data in ${embedded.dataDir}`
        : `  Database: ${describeUrl(config.DATABASE_URL!)}`,
    ];
    if (admin.created && admin.password) {
      lines.push(
        '',
        `  First start: sign in as "${admin.username}" with password: ${admin.password}`,
        '  (shown only this once; you will be asked to change it)',
      );
    } else if (admin.created) {
      lines.push('', `  First start: sign in as "${admin.username}" with ASSET_LEDGER_ADMIN_PASSWORD`);
    }
    lines.push('', '  Press Ctrl-C to stop.', '');
    console.log(lines.join('\n'));
  } catch (err) {
    // Stop whatever already started (the embedded database above all), then one line and exit 1.
    for (const part of [...stack].reverse()) await part.stop().catch(() => {});
    fatal(err);
  }
}

main().catch(fatal);
