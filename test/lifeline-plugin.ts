// A plugin for the lifeline test: watches the lifeline like the vCenter plugin, starts a grandchild
// (`sleep 300`, its pid written to LIFELINE_TEST_PIDFILE) and then waits forever. Both must be gone soon
// after the worker is killed.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { watchLifeline } from '../plugins/vcenter/src/lifeline';

watchLifeline();
const child = spawn('sleep', ['300'], { stdio: 'ignore' });
writeFileSync(process.env.LIFELINE_TEST_PIDFILE!, `${process.pid} ${child.pid}`);
setInterval(() => {}, 60_000);
