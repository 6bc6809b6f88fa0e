// The lifeline (DESIGN §5, issue 11 item 9): the worker starts the plugin with an extra pipe on the file
// descriptor named by ASSET_LEDGER_LIFELINE_FD and keeps its end open for the run's life. The kernel closes
// that end when the worker dies, however it dies (SIGKILL included), so end-of-file on the lifeline means
// "nobody will read your answer": the plugin stops at once instead of talking to vCenter for another minute.
import { readFileSync } from 'node:fs';
import net from 'node:net';

export const LIFELINE_FD_ENV = 'ASSET_LEDGER_LIFELINE_FD';

/** True when this process leads its own process group (the worker spawns plugins detached). */
function leadsProcessGroup(): boolean {
  try {
    // /proc/self/stat: "pid (comm) state ppid pgrp ..."; comm may contain spaces, so split after ')'.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    return pgrp === process.pid;
  } catch {
    return false;
  }
}

/**
 * Exits the process (and, when it leads its own group, everything it started) as soon as the lifeline
 * closes. Without the variable (a plugin run by hand) it does nothing. The socket is unref'd: it never
 * keeps a finished plugin alive.
 */
export function watchLifeline(env: NodeJS.ProcessEnv = process.env, exit = defaultExit): void {
  const fd = Number(env[LIFELINE_FD_ENV]);
  if (!Number.isInteger(fd) || fd < 3) return;
  let socket: net.Socket;
  try {
    socket = new net.Socket({ fd, readable: true, writable: false });
  } catch {
    return; // not open in this process (e.g. a wrapper did not pass it on): nothing to watch
  }
  let fired = false;
  const lost = () => {
    if (fired) return;
    fired = true;
    exit();
  };
  socket.on('end', lost);
  socket.on('close', lost);
  socket.on('error', lost);
  socket.resume(); // nothing is ever written; reading is how end-of-file is seen
  socket.unref();
}

function defaultExit(): never {
  process.stderr.write('lifeline closed: the worker is gone, stopping\n');
  if (leadsProcessGroup()) {
    try {
      process.kill(-process.pid, 'SIGKILL'); // the plugin and anything it started
    } catch {
      // fall through to exit
    }
  }
  process.exit(70);
}
