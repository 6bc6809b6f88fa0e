// A worker process for the SIGKILL test: it announces when it is inside the ingest transaction (all rows
// written, not committed) and then hangs there until it is killed.
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
    args: ['test/pipeline-fake-plugin.mjs'],
    env: { FAKE: 'ok', FAKE_VMS: vms ?? '5' },
  },
  beforeCommit: async () => {
    process.stdout.write('IN_INGEST\n');
    await new Promise(() => {});
  },
});
