// The worker process: `npm run worker`. Run as many as you like, on as many machines as you like, against
// the same PostgreSQL: the runs table is the queue. SIGTERM finishes (or, after 60 s, requeues) in-flight runs.
import { pathToFileURL } from 'node:url';
import { closeDb, getDb } from '@/db/client';
import { createLogger, errorFields } from '@/lib/logger';
import { startWorker, type WorkerHandle, type WorkerOptions } from '@/collector/worker';

export { startWorker, type WorkerHandle, type WorkerOptions };

async function main(): Promise<void> {
  const log = createLogger('worker');
  const db = getDb();
  const handle = startWorker({ db, log });
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await handle.stop({ timeoutMs: 60_000 });
    await closeDb(db);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    createLogger('worker').error('worker.crashed', errorFields(err));
    process.exit(1);
  });
}
