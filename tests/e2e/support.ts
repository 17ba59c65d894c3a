/**
 * E2E support: stations started with the real `npm run start:web` (each a process with its station host behind
 * it), the real renderer in Debian's Chromium (playwright-core), axe-core injected into each screen, screenshots
 * kept under tests/e2e/screenshots/ for a person to look at, and a small WebSocket client for setting the stage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { expect } from 'vitest';
import type { Bitmap } from '../../core/badge/bitmap';
import { runCli } from '../../main/station/cli';
import { stationSocket, type StationSocket } from '../support/browser';

export { launchBrowser } from '../support/browser';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const screenshots = join(root, 'tests', 'e2e', 'screenshots');

export interface WebStation {
  id: string;
  url: string;
  token: string;
  port: number;
  dataDir: string;
  output: string[];
  stop(): Promise<void>;
}

/** Adds staff to a station's database before it starts (the operator's CLI, as in the README). */
export async function addStaff(
  dataDir: string,
  stationId: string,
  staff: { id: string; name: string; role: 'desk' | 'supervisor'; pin: string }[],
): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const io = { out: () => {}, err: (l: string) => console.error(l) };
  const [first, ...rest] = staff;
  const db = ['--db', join(dataDir, 'station.db'), '--station', stationId];
  expect(
    await runCli(
      [...db, 'staff-add', '--id', first!.id, '--name', first!.name, '--role', first!.role, '--pin', first!.pin],
      io,
    ),
  ).toBe(0);
  for (const s of rest) {
    expect(
      await runCli(
        [
          ...db,
          'staff-add',
          '--id',
          s.id,
          '--name',
          s.name,
          '--role',
          s.role,
          '--pin',
          s.pin,
          '--supervisor',
          first!.id,
          '--supervisor-pin',
          first!.pin,
        ],
        io,
      ),
    ).toBe(0);
  }
}

/** `npm run start:web -- --port 0 --config FILE`, waiting for the address it prints. */
/**
 * Starts a station in browser mode in its own process. `startsAt` (an ISO instant) runs that process's clock from
 * then on (libfaketime, as tests/calendar.sh uses): a door that checks people into sessions must be on the
 * conference's day, whatever the day the test runs.
 */
export async function startWeb(
  id: string,
  configFile: string,
  dataDir: string,
  timeoutMs = 60_000,
  startsAt?: string,
): Promise<WebStation> {
  const web = ['npm', 'run', '-s', 'start:web', '--', '--port', '0', '--config', configFile];
  const argv = startsAt ? ['faketime', '-f', `@${startsAt.slice(0, 19).replace('T', ' ')}`, ...web] : web;
  const env = startsAt ? { ...process.env, TZ: 'UTC', FAKETIME_DONT_FAKE_MONOTONIC: '1' } : { ...process.env };
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${id} did not start within ${timeoutMs} ms:\n${output.join('\n')}`)),
      timeoutMs,
    );
    const onData = (d: Buffer): void => {
      for (const line of d.toString().split('\n').filter(Boolean)) {
        output.push(line);
        const m = /Open (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${id} exited with ${code}:\n${output.join('\n')}`));
    });
  });
  const u = new URL(url);
  let stopped: Promise<void> | null = null;
  return {
    id,
    url,
    token: u.hash.replace('#token=', ''),
    port: Number(u.port),
    dataDir,
    output,
    // SIGTERM to the whole tree (npm, its shell, tsx, the server, the station host), as Ctrl-C would; done when
    // every one of them has let go of the output, or killed after 15 s.
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        const kill = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 15_000);
        child.stdout!.once('close', () => (clearTimeout(kill), resolve()));
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          clearTimeout(kill);
          resolve();
        }
      })),
  };
}

/** A screen's-eye client over the station's WebSocket (to set the stage without clicking). */
export const wsClient = (s: WebStation): Promise<StationSocket> => stationSocket(s);

export async function openScreen(browser: Browser, s: WebStation, name: string): Promise<Page> {
  // bypassCSP only so that the test can inject axe-core; the app itself runs under its CSP (checked in tests/web).
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    bypassCSP: true,
    ...(s.id.startsWith('door') ? { permissions: ['camera'] } : {}),
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`${name}: ${e.message}`));
  page.on(
    'console',
    (m) => m.type() === 'error' && !m.text().includes('favicon') && problems.push(`${name}: console: ${m.text()}`),
  );
  (page as Page & { problems: string[] }).problems = problems;
  await page.goto(s.url);
  return page;
}

export const pageProblems = (p: Page): string[] => (p as Page & { problems?: string[] }).problems ?? [];

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the screen as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const r = await (
      window as unknown as {
        axe: {
          run(): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run();
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `${label}: ${JSON.stringify(bad, null, 1)}`).toEqual([]);
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false });
}

/** The QR code in a printed bitmap (the virtual printer's decoding of the job's raster). */
export function qrOf(bmp: Bitmap): { data: string; box: { x: number; y: number; size: number } } | null {
  const rgba = new Uint8ClampedArray(bmp.width * bmp.height * 4);
  for (let i = 0; i < bmp.width * bmp.height; i++) {
    const v = bmp.data[i] ? 0 : 255;
    rgba.set([v, v, v, 255], i * 4);
  }
  const q = jsQR(rgba, bmp.width, bmp.height);
  if (!q) return null;
  const xs = [
    q.location.topLeftCorner.x,
    q.location.topRightCorner.x,
    q.location.bottomLeftCorner.x,
    q.location.bottomRightCorner.x,
  ];
  const ys = [
    q.location.topLeftCorner.y,
    q.location.topRightCorner.y,
    q.location.bottomLeftCorner.y,
    q.location.bottomRightCorner.y,
  ];
  const size = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  return { data: q.data, box: { x: Math.min(...xs), y: Math.min(...ys), size } };
}

/**
 * A video of a printed badge's QR code held up to the door's camera: the printed raster, cropped around the code
 * with a quiet zone, scaled into 640×480 grey frames, written as YUV4MPEG2 (Chromium's fake camera plays it).
 */
export function badgeVideo(bmp: Bitmap, file: string, frames = 15): void {
  const q = qrOf(bmp);
  if (!q) throw new Error('no QR code in the printed badge');
  const W = 640;
  const H = 480;
  const margin = Math.round(q.box.size * 0.25);
  const x0 = Math.max(0, Math.floor(q.box.x - margin));
  const y0 = Math.max(0, Math.floor(q.box.y - margin));
  const side = Math.min(bmp.width - x0, bmp.height - y0, Math.ceil(q.box.size + 2 * margin));
  const target = 420;
  const scale = target / side;
  const ox = Math.floor((W - target) / 2);
  const oy = Math.floor((H - target) / 2);
  const y = Buffer.alloc(W * H, 235);
  for (let j = 0; j < target; j++) {
    for (let i = 0; i < target; i++) {
      const sx = x0 + Math.floor(i / scale);
      const sy = y0 + Math.floor(j / scale);
      y[(oy + j) * W + ox + i] = bmp.data[sy * bmp.width + sx] ? 16 : 235;
    }
  }
  const uv = Buffer.alloc((W / 2) * (H / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`);
  const parts: Buffer[] = [header];
  for (let f = 0; f < frames; f++) parts.push(Buffer.from('FRAME\n'), y, uv, uv);
  writeFileSync(file, Buffer.concat(parts));
}

export function pngOf(bmp: Bitmap): Buffer {
  const png = new PNG({ width: bmp.width, height: bmp.height });
  for (let i = 0; i < bmp.width * bmp.height; i++) {
    const v = bmp.data[i] ? 0 : 255;
    png.data.set([v, v, v, 255], i * 4);
  }
  return PNG.sync.write(png);
}
