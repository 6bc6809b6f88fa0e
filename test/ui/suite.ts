// What every browser suite starts with: its describe, skipped where Chromium is missing — except in CI,
// which sets REQUIRE_CHROMIUM=1 so that a missing browser fails the run instead — and a poll for what the
// page shows once it has caught up. Kept apart from ./harness.ts, which processes outside Vitest import.
import { describe, expect } from 'vitest';
import { chromiumAvailable } from './harness';

type Suite = (name: string, fn: () => void) => void;

/** `base` (describe, or describeWithVcsim for a suite that needs the simulator) when Chromium is here. */
export function browserSuite(base: Suite = describe): Suite {
  if (!chromiumAvailable() && process.env.REQUIRE_CHROMIUM === '1')
    throw new Error('REQUIRE_CHROMIUM=1 but /usr/bin/chromium is missing (apt-get install chromium)');
  return chromiumAvailable() ? base : describe.skip;
}

// Page updates go through the server (router.refresh): give them time, not vitest's default 1 s.
export const eventually = <T>(fn: () => T | Promise<T>, timeout = 20_000, interval = 250) =>
  expect.poll(fn, { timeout, interval });
