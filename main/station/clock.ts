import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';
import type { Clock } from '../../core/staleness';

/**
 * The real clock. The monotonic reading is the operating system's (CLOCK_MONOTONIC through process.hrtime), which
 * is shared by every process of one machine boot, so a restarted app or a CLI call can still trust the time since
 * the last HQ contact; the boot id stops a reading from one boot being compared with another.
 */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    monotonic: () => Number(process.hrtime.bigint() / 1_000_000n),
    bootId: machineBootId(),
  };
}

function machineBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(); // Linux
  } catch {
    // Elsewhere: the boot time to the minute. A wall-clock change alters it, which only makes Δ unknown (safe).
    return `boot-${Math.round((Date.now() / 1000 - uptime()) / 60)}`;
  }
}
