import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/fixtures';

describe('npm start (the embedded default)', () => {
  it('creates a station on the demo conference, and reopens it without importing twice', () => {
    const t = tempDir();
    try {
      const env = { ...process.env, LANYARD_HOME: t.dir };
      const first = spawnSync('npm', ['start', '--silent'], { encoding: 'utf8', env, timeout: 120_000 });
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain('Loaded the demo conference: 40 sessions, 2000 registrants.');
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
