import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../core/staleness';

/** The real clock: wall time, a monotonic reading, and a boot id that changes with every process start. */
export function systemClock(): Clock {
  return { now: () => Date.now(), monotonic: () => performance.now(), bootId: randomUUID() };
}
