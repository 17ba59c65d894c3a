import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('../../tests/support/emulator-exit-child.ts', import.meta.url));

describe('stopping the emulator', () => {
  it('leaves nothing running: a process that stopped it exits by itself', () => {
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('stopped');
    expect(r.status, 'the process had to be killed: something kept it alive').toBe(0);
    expect(Date.now() - started).toBeLessThan(25_000);
  });
});
