// A worker process for the half-ingested SIGKILL test: it runs the streaming stand-in plugin slowly, so the
// test can kill it while assets are still arriving and being staged by ingest.
import { createDb } from '@/db/client';
import { startWorker } from '@/collector/worker';
import { TEST_KEY } from './pipeline-helpers';

const [url, vms] = process.argv.slice(2);
const db = createDb(url!, { max: 3 });
startWorker({
  db,
  secretKeys: [TEST_KEY],
  pollMs: 100,
  heartbeatSeconds: 1,
  pluginCommand: {
    command: process.execPath,
    args: ['test/stream-fake-plugin.mjs'],
    env: { STREAM: 'slow', STREAM_VMS: vms ?? '2000' },
  },
});
