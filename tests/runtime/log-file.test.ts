import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogConfig } from '../../core/logging';
import { openLogFile } from '../../main/runtime/log';
import { tempDir } from '../support/fixtures';

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

describe('the station log file', () => {
  it('a log file that cannot be written never stops the station: it carries on, says so once, and closes', async () => {
    const t = tempDir('lanyard-log-');
    cleanup = t.cleanup;
    const dir = join(t.dir, 'logs');
    const log = await openLogFile({ dir, name: 'station', config: LogConfig.parse({ maxFileMb: 1, keepFiles: 2 }) });
    log.logger.info('first line');
    await new Promise((r) => setTimeout(r, 50));
    // The folder replaced by a file: the next log file cannot be created (as on a full or read-only disk).
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, 'not a folder');
    const said: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (
      said.push(String(chunk)),
      true
    )) as typeof process.stderr.write;
    try {
      // Past 1 MB the file rolls over: opening the next file fails.
      const line = 'x'.repeat(1000);
      for (let i = 0; i < 1500; i++) log.logger.info({ i }, line);
      // The roll waits for the writes to drain; a bounded wait for it to be tried.
      for (let i = 0; i < 50 && said.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      log.logger.info('still logging after the failure');
      const started = Date.now();
      await log.close();
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      process.stderr.write = write;
    }
    expect(statSync(dir).isFile()).toBe(true);
    expect(said.filter((s) => s.includes('the station log cannot be written'))).toHaveLength(1);
  });
});
