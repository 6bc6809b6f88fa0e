// The worker process of the plugin rows: src/bin/worker.ts's loop (same main, same config, same database
// layer), with test/reliability/fault-plugin.mjs as every source's plugin.
import { runLoopProcess } from '@/bin/cli';
import { startWorker } from '@/collector/worker';

void runLoopProcess('worker', (db, log) => {
  const handle = startWorker({
    db,
    log,
    pluginCommand: { command: process.execPath, args: ['test/reliability/fault-plugin.mjs'] },
  });
  return { stop: () => handle.stop({ timeoutMs: 5_000 }) };
});
