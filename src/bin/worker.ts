// The worker process: `npm run worker`. Run as many as you like, on as many machines as you like, against
// the same PostgreSQL: the runs table is the queue. SIGTERM finishes (or, after 60 s, requeues) in-flight runs.
import { startWorker, type WorkerHandle, type WorkerOptions } from '@/collector/worker';
import { isMainModule, runLoopProcess } from './cli';

export { startWorker, type WorkerHandle, type WorkerOptions };

if (isMainModule(import.meta.url)) {
  void runLoopProcess('worker', (db, log) => {
    const handle = startWorker({ db, log });
    return { stop: () => handle.stop({ timeoutMs: 60_000 }) };
  });
}
