// A worker process for the lifeline test: claims runs with the real plugin of each source type, or with
// the command given as JSON in argv[3]. The test SIGKILLs it while its plugin runs.
import { createDb } from '@/db/client';
import { startWorker } from '@/collector/worker';
import type { PluginCommand } from '@/collector/runner';
import { TEST_KEY } from './pipeline-helpers';

const [url, command] = process.argv.slice(2);
startWorker({
  db: createDb(url!, { max: 3 }),
  secretKeys: [TEST_KEY],
  pollMs: 100,
  heartbeatSeconds: 1,
  pluginCommand: command ? (JSON.parse(command) as PluginCommand) : undefined,
});
