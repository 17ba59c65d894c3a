/**
 * badge.render: p99 ms to render one badge to ESC/POS as one raster: the layout fitted with the real fonts, the text
 * shaped and drawn by Skia, thresholded, the QR code's modules put in, GS v 0 strips. A Korean name (the CJK font),
 * the standard template on 80 mm / 203 dpi; each badge has its own payload and name, so neither the QR matrix, the
 * name's measured width nor its dots are reused (the conference, ticket, company and session lines are the same on
 * every badge, as on a kiosk morning, and their dots are kept: see raster.ts). Baseline, same run: the same badge in text mode (the printer's own font and code pages).
 * Goal: <= 10 ms per badge (absolute; a kiosk prints within a second anyway).
 *
 * print.jobs: badge jobs per second through the station's durable queue (SQLite transitions, DLE EOT before and
 * after, one connection per job) to the virtual printer on loopback. Baseline, same run: raw TCP writes of the same
 * bytes, one connection per job, no status and no database. ratio = queue rate / raw rate (the share of raw speed
 * left once every job is durable and checked).
 */
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { mediaProfiles } from '../core/badge/printer';
import { generateStationKey, signBadge } from '../main/printing/badge-keys';
import { composeBadge } from '../main/printing/badges';
import { loadBadgeFonts } from '../main/printing/fonts';
import { DLE_EOT_QUERY } from '../main/printing/status';
import { loadBadgeAssets } from '../main/printing/templates';
import { must, openStation, smallConference, tempDir } from '../tests/support/fixtures';
import { VirtualPrinter } from '../tools/virtual-printer/virtual-printer';
import { type Benchmark, type BenchResult, percentile, round } from './harness';

const env = { assets: loadBadgeAssets(), fonts: loadBadgeFonts() };
const key = generateStationKey();
const media = mediaProfiles['escpos-80-203']!;
const template = env.assets.template('standard');
const HANGUL = '가나다라마바사아자차카타파하';
const bytesOf: Record<string, number> = {};

/** Per badge, in ms: wall time, the main thread's time on a core, and the process's system time. */
interface Times {
  wall: number[];
  cpu: number[];
  sys: number[];
}

/**
 * The calling thread's time on a core so far, in ms: Linux's schedstat (its first field, ns), so that waiting for a
 * core while other programs run is not counted, nor other threads' work; elsewhere the process's user + system time.
 */
function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const u = process.resourceUsage();
    return (u.userCPUTime + u.systemCPUTime) / 1000;
  }
}

async function renderTimes(mode: 'raster' | 'text', n: number): Promise<Times> {
  const times: Times = { wall: [], cpu: [], sys: [] };
  for (let i = 0; i < n; i++) {
    // A different registrant and name each time: nothing is served from the QR or the width cache.
    const code = signBadge({ conferenceId: 'ldc26', registrantId: `r-${String(i).padStart(5, '0')}`, version: 1 }, key);
    const given = `${HANGUL[i % 14]}${HANGUL[Math.floor(i / 14) % 14]}`;
    const sys0 = process.resourceUsage().systemCPUTime;
    const cpu0 = threadCpuMs();
    const started = performance.now();
    const badge = composeBadge(
      {
        // Dates are formatted and compared with `now`, which the content carries.
        conference: {
          name: 'Lanyard Demo Conf 2026',
          timezone: 'Europe/Lisbon',
          startsOn: '2026-12-01',
          endsOn: '2026-12-03',
          hasLogo: false,
        },
        person: { firstName: given, lastName: '김', company: 'Sunflower Learning' },
        ticket: { name: 'Full Pass' },
        sessions: [
          {
            title: 'Panel: AI Pair Programmers, One Year In',
            startsAt: '2026-12-01T14:00:00Z',
            endsAt: '2026-12-01T15:00:00Z',
          },
        ],
        qrCode: code,
        now: '2026-12-01T08:00:00Z',
      },
      null,
      template,
      { language: 'escpos', media, mode, qr: 'raster' },
      env,
    );
    const bytes = await badge.bytes();
    times.wall.push(performance.now() - started);
    times.cpu.push(threadCpuMs() - cpu0);
    times.sys.push((process.resourceUsage().systemCPUTime - sys0) / 1000);
    bytesOf[mode] = bytes.length;
  }
  for (const t of [times.wall, times.cpu, times.sys]) t.sort((a, b) => a - b);
  return times;
}

async function rawRate(port: number, jobs: Buffer[]): Promise<number> {
  const started = performance.now();
  for (const bytes of jobs) {
    await new Promise<void>((resolve, reject) => {
      const s = new Socket();
      s.once('error', reject);
      s.connect(port, '127.0.0.1', () => s.end(bytes));
      s.resume();
      s.once('close', () => resolve());
    });
  }
  return jobs.length / ((performance.now() - started) / 1000);
}

function stripStatus(b: Buffer): Buffer {
  let out = b;
  if (out.subarray(0, DLE_EOT_QUERY.length).equals(DLE_EOT_QUERY)) out = out.subarray(DLE_EOT_QUERY.length);
  if (out.subarray(out.length - DLE_EOT_QUERY.length).equals(DLE_EOT_QUERY))
    out = out.subarray(0, out.length - DLE_EOT_QUERY.length);
  return out;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'badge.render',
    async run(): Promise<BenchResult> {
      await renderTimes('raster', 50); // warm-up
      await renderTimes('text', 50);
      const raster = await renderTimes('raster', 400);
      const text = await renderTimes('text', 400);
      const value = percentile(raster.wall, 99);
      const baseline = percentile(text.wall, 99);
      return {
        name: 'badge.render',
        value: round(value, 3),
        unit: 'ms (p99)',
        baseline: round(baseline, 3),
        ratio: round(value / baseline, 2),
        goal: '<= 10 ms',
        pass: value <= 10,
        detail: {
          p50: round(percentile(raster.wall, 50), 3),
          textModeP50: round(percentile(text.wall, 50), 3),
          // Time on a core tells work from waiting for one on a loaded machine; system time shows the kernel's part.
          cpuP99: round(percentile(raster.cpu, 99), 3),
          sysP99: round(percentile(raster.sys, 99), 3),
          textModeCpuP99: round(percentile(text.cpu, 99), 3),
          badges: raster.wall.length,
          bytesRaster: bytesOf.raster ?? 0,
          bytesText: bytesOf.text ?? 0,
        },
      };
    },
  },
  {
    name: 'print.jobs',
    async run(): Promise<BenchResult> {
      const t = tempDir('lanyard-bench-');
      const vp = new VirtualPrinter({ png: false });
      const port = await vp.start();
      const station = await openStation(t.dir, { printing: { healthPollMs: 0 } });
      try {
        const conf = smallConference();
        const N = 60;
        conf.registrants = Array.from({ length: N }, (_, i) => ({
          id: `b${i}`,
          confirmationCode: `B-${i}`,
          firstName: '지우',
          lastName: `김${HANGUL[i % 14]}`,
          email: '',
          company: 'Sunflower Learning',
          ticketTypeId: 'full',
          sessions: [],
        }));
        must(await station.call('conference.import', { data: conf }));
        must(await station.call('badge.stationKey', {}));
        const uri = vp.uri();
        const started = performance.now();
        const jobs = await Promise.all(
          conf.registrants.map((r) => station.call('badge.print', { registrantId: r.id, printer: uri })),
        );
        const value = N / ((performance.now() - started) / 1000);
        const printed = jobs.filter((j) => j.ok && j.value.status === 'printed').length;
        await vp.settled();
        // The job bytes without Lanyard's status requests (DLE EOT 1, 2, 4 before and after).
        const bytes = vp.jobs.slice(0, N).map((j) => stripStatus(j.bytes));
        const baseline = await rawRate(port, bytes);
        return {
          name: 'print.jobs',
          value: round(value, 1),
          unit: 'jobs/s',
          baseline: round(baseline, 1),
          ratio: round(value / baseline, 3),
          goal: 'all printed, once',
          pass: printed === N && vp.jobs.filter((j) => j.complete && j.cut).length === 2 * N,
          detail: { jobs: N, printed, avgBytes: Math.round(bytes.reduce((n, b) => n + b.length, 0) / bytes.length) },
        };
      } finally {
        await station.close();
        await vp.stop();
        t.cleanup();
      }
    },
  },
];
