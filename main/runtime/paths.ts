/** Where a station keeps its data when its configuration names no folder: the user's data directory. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * `LANYARD_HOME` when set (tests, kiosks that keep data elsewhere); otherwise the platform's per-user data folder:
 * `%APPDATA%\Lanyard`, `~/Library/Application Support/Lanyard`, or `$XDG_DATA_HOME/lanyard` (`~/.local/share`).
 * The desktop app passes Electron's own `userData` path instead.
 */
export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.LANYARD_HOME) return env.LANYARD_HOME;
  if (platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'Lanyard');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Lanyard');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'lanyard');
}
