/**
 * One emulator per data folder. Two brokers writing one SQLite journal both accept messages, and after a restart
 * one's rows replace the other's (`INSERT OR REPLACE` on (queue, seq)): acknowledged messages are lost. So durable
 * mode takes `DIR/emulator.lock` (the owner's pid) before it opens the journal; a second emulator refuses the
 * folder, and a lock left by a process that is no longer running (kill -9, a crash) is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {}

export interface DataDirLock {
  release(): void;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, but someone else's
  }
}

export function lockDataDir(dir: string, log: (line: string) => void): DataDirLock {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'emulator.lock');
  // Two rounds: the second follows taking over a stale lock (another starter may win that race; then we refuse).
  for (let round = 0; round < 2; round++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          if (ownerOf(file) === process.pid) rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = ownerOf(file);
    if (owner !== null && running(owner)) {
      throw new DataDirInUseError(
        `the data folder ${dir} is in use by another emulator (pid ${owner}); stop it, or give another --data folder (if no emulator is running, delete ${file})`,
      );
    }
    log(`taking over the data folder ${dir}: the emulator that locked it (pid ${owner ?? 'unknown'}) is not running`);
    rmSync(file, { force: true });
  }
  throw new DataDirInUseError(`the data folder ${dir} was locked by another emulator starting at the same time`);
}

function ownerOf(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
