import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { localDay } from '../../core/calendar';
import { tempDir } from '../support/fixtures';

describe('npm start (the embedded default)', () => {
  it('creates a station on the demo conference, and reopens it without importing twice', () => {
    const t = tempDir();
    try {
      const env = { ...process.env, LANYARD_HOME: t.dir };
      const before = localDay(Date.now(), 'Europe/Lisbon');
      const first = spawnSync('npm', ['start', '--silent'], { encoding: 'utf8', env, timeout: 120_000 });
      const after = localDay(Date.now(), 'Europe/Lisbon');
      expect(first.status, first.stderr).toBe(0);
      // Day 1 of the demo is the venue's today (either side of midnight if the test straddles it).
      const day1 = /Loaded the demo conference: 40 sessions, 2000 registrants, day 1 is (\d{4}-\d{2}-\d{2})\./.exec(first.stdout)?.[1];
      expect([before, after]).toContain(day1);
      expect(first.stdout).toMatch(/Lanyard station "desk-1" — Lanyard Demo Conf 2026/);
      expect(first.stdout).toContain('HQ contact: unknown (never_synced)');
      const again = spawnSync('npm', ['start', '--silent'], { encoding: 'utf8', env, timeout: 120_000 });
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).not.toContain('Loaded the demo conference');
      expect(again.stdout).toContain('40 sessions, 2000 registrants, 0 sales');
    } finally {
      t.cleanup();
    }
  });
});
