/**
 * `npm start` on a build machine (no Electron binary): the browser mode on the embedded default — demo conference
 * moved to the venue's today, demo staff — saying why there is no window and where to point a browser; it stops
 * cleanly on SIGTERM, and a second start reopens the same station without importing again.
 */
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { describe, expect, it } from 'vitest';
import { localDay } from '../../core/calendar';
import { tempDir } from '../support/fixtures';

/** Stopped like Ctrl-C in a terminal: SIGTERM to the process group (npm itself does not pass it through `sh`). */
function start(home: string): Promise<{ lines: string[]; url: string; stop(): Promise<void> }> {
  const child = spawn('npm', ['start', '--silent'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANYARD_HOME: home },
  });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => (process.kill(-child.pid!, 'SIGKILL'), reject(new Error(`no address within 90 s:\n${lines.join('\n')}`))),
      90_000,
    );
    const onData = (d: Buffer): void => {
      for (const l of d.toString().split('\n').filter(Boolean)) {
        lines.push(l);
        const m = /^Open (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)$/.exec(l);
        if (m) {
          clearTimeout(timer);
          resolve({
            lines,
            url: m[1]!,
            stop: () =>
              new Promise((done) => {
                const kill = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
                // Done when every process of the tree has let go of the output (npm itself may end first).
                child.stdout!.once('close', () => (clearTimeout(kill), done()));
                process.kill(-child.pid!, 'SIGTERM'); // the whole tree, as a terminal's Ctrl-C would
              }),
          });
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once(
      'exit',
      (code) => (
        clearTimeout(timer),
        reject(new Error(`npm start exited (${code}) before it was ready:\n${lines.join('\n')}`))
      ),
    );
  });
}

const fetchText = (url: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject);
  });

describe('npm start (the embedded default, no Electron binary here)', () => {
  it('starts the browser mode on the demo conference, says why, stops on SIGTERM, and reopens without importing twice', async () => {
    const t = tempDir();
    try {
      const before = localDay(Date.now(), 'Europe/Lisbon');
      const first = await start(t.dir);
      const text = first.lines.join('\n');
      const day1 = /Loaded the demo conference: 40 sessions, 2000 registrants, day 1 is (\d{4}-\d{2}-\d{2})\./.exec(
        text,
      )?.[1];
      expect([before, localDay(Date.now(), 'Europe/Lisbon')]).toContain(day1);
      expect(text).toMatch(/Starting in browser mode: the Electron binary is not/);
      expect(text).toContain('Demo staff: Sam Supervisor (supervisor, PIN 2468) and Dee Desk (desk, PIN 1357).');
      expect(text).toContain('Lanyard desk station "desk-1" in browser mode (no desktop window on this machine).');
      const page = await fetchText(first.url.replace(/#.*/, ''));
      expect(page.status).toBe(200);
      expect(page.body).toContain('<div id="root">');
      await first.stop();
      expect(first.lines).toContain('Stopped: the station closed cleanly.');

      const again = await start(t.dir);
      expect(again.lines.join('\n')).not.toContain('Loaded the demo conference');
      await again.stop();
      expect(again.lines).toContain('Stopped: the station closed cleanly.');
    } finally {
      t.cleanup();
    }
  }, 240_000);
});
