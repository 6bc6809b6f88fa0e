// The scheduler process: `npm run scheduler`. The first tick on start-up is the catch-up (within the grace).
import type { Db } from '@/db/client';
import { getConfig } from '@/lib/config';
import { createOutageLog } from '@/db/outage-log';
import { createLogger, type Logger } from '@/lib/logger';
import { isMainModule, runLoopProcess } from './cli';
import { tick, type Clock } from '@/server/scheduler/scheduler';

export interface SchedulerHandle {
  stop(): Promise<void>;
  /** Resolves after the tick in progress (if any); for tests. */
  tickNow(): Promise<void>;
}

export function startScheduler(options: {
  db: Db;
  log?: Logger;
  clock?: Clock;
  tickSeconds?: number;
  graceMinutes?: number;
}): SchedulerHandle {
  const log = options.log ?? createLogger('scheduler');
  const clock = options.clock ?? (() => new Date());
  const intervalMs = (options.tickSeconds ?? getConfig().SCHEDULER_TICK_SECONDS) * 1000;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const tickLog = createOutageLog(log, 'scheduler', 'scheduler.tick_failed');
  const runTick = () => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        await tick(options.db, clock(), { log, graceMinutes: options.graceMinutes });
        tickLog.ok();
      } catch (err) {
        tickLog.failed(err);
      }
    });
    return running;
  };
  const loop = () => {
    void runTick().then(() => {
      if (!stopped) timer = setTimeout(loop, intervalMs);
    });
  };
  log.info('scheduler.started', { tick_seconds: intervalMs / 1000 });
  loop();
  return {
    tickNow: runTick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      log.info('scheduler.stopped');
    },
  };
}

if (isMainModule(import.meta.url)) {
  void runLoopProcess('scheduler', (db, log) => startScheduler({ db, log }));
}
