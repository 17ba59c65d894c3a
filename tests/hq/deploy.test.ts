/**
 * HQ as a service, as it is deployed: the bundle `npm run -s build:hq` makes (what the Dockerfile and the systemd
 * unit run) started with plain `node`, with its own least-privilege key, its health endpoint asked over HTTP, and
 * stopped by SIGTERM; the systemd unit checked by systemd-analyze; the Dockerfile and the unit checked against the
 * bundle, the example configuration and the files the bundle is built from. (No image is built here: no registry.)
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHqConfig } from '../../hq/config';
import type { HealthReport } from '../../hq/health';
import { hqConnectionString } from '../../tools/servicebus-emulator/lanyard-topology';
import { startBus, waitFor } from '../support/bus';
import { smallConference, tempDir } from '../support/fixtures';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(root, 'dist/hq/cli.js');
const dockerfile = readFileSync(join(root, 'hq/Dockerfile'), 'utf8');
const unit = readFileSync(join(root, 'hq/deploy/lanyard-hq.service'), 'utf8');
const example = JSON.parse(readFileSync(join(root, 'hq/deploy/hq.config.example.json'), 'utf8')) as Record<
  string,
  unknown
>;
let t: ReturnType<typeof tempDir>;
let inputs: string[] = [];

beforeAll(async () => {
  t = tempDir('lanyard-hq-deploy-');
  const meta = join(t.dir, 'meta.json');
  await run('npm', ['run', '-s', 'build:hq', '--', `--metafile=${meta}`], { cwd: root });
  inputs = Object.keys((JSON.parse(readFileSync(meta, 'utf8')) as { inputs: Record<string, unknown> }).inputs);
}, 120_000);
afterAll(() => t.cleanup());

describe('the HQ bundle', () => {
  it('is built from core/, hq/ and migrations/ only (what the Dockerfile copies), with packages left to node_modules', () => {
    expect(existsSync(bundle)).toBe(true);
    expect(inputs.length).toBeGreaterThan(10);
    const tops = new Set(inputs.map((i) => relative(root, join(root, i)).split(/[\\/]/)[0]));
    expect([...tops].sort()).toEqual(['core', 'hq', 'migrations']);
    for (const dir of tops) expect(dockerfile).toMatch(new RegExp(`^COPY ${dir} ${dir}$`, 'm'));
  });

  it("runs under plain node: health over HTTP on 127.0.0.1, HQ's own key, a clean stop on SIGTERM", async () => {
    const bus = await startBus(['desk-a']);
    try {
      writeFileSync(join(t.dir, 'conference.json'), JSON.stringify(smallConference()));
      const config = join(t.dir, 'hq.config.json');
      writeFileSync(
        config,
        JSON.stringify({
          connectionString: hqConnectionString(bus),
          dbPath: 'hq.db',
          conferenceFile: 'conference.json',
          healthPort: 0,
        }),
      );
      const child = spawn(process.execPath, [bundle, '--config', config], {
        cwd: t.dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const io = { out: '', err: '' };
      child.stdout.on('data', (d: Buffer) => (io.out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (io.err += d.toString()));
      const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      try {
        await waitFor(
          () => /health endpoint on http:\/\/127\.0\.0\.1:\d+\/health/.test(io.out),
          20_000,
          `the health line (${io.err})`,
        );
        const port = Number(/127\.0\.0\.1:(\d+)\/health/.exec(io.out)![1]);
        const report = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as HealthReport;
        expect(report).toMatchObject({ up: true, service: 'lanyard-hq', lag: { parked: { count: 0 } } });
        expect(io.out).toContain('HQ listening on station-events/hq');
        expect(io.out + io.err).not.toContain(hqConnectionString(bus).split('SharedAccessKey=')[1]!.split(';')[0]!);
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exit).toBe(0);
      expect(io.out).toContain('SIGTERM: stopping');
    } finally {
      await bus.stop();
    }
  });

  it('exits 2 on a bad configuration, the code the systemd unit does not restart on', async () => {
    const bad = join(t.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...example, healthPort: 'soon' }));
    const r = await run(process.execPath, [bundle, '--config', bad]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid HQ configuration: healthPort');
    expect(unit).toMatch(/^RestartPreventExitStatus=2$/m);
  });
});

describe('deployment files', () => {
  it('the example configuration is valid and turns the health endpoint on', () => {
    const c = parseHqConfig(example, '/etc/lanyard');
    expect(c.healthPort).toBe(8089);
    expect(c.dbPath).toBe('/var/lib/lanyard-hq/hq.db');
    expect(c.conferenceFile).toBe('/etc/lanyard/conference.json');
  });

  it('the systemd unit passes systemd-analyze verify and runs the bundle with the documented config', async () => {
    const { stdout, stderr } = await run('systemd-analyze', ['verify', join(root, 'hq/deploy/lanyard-hq.service')]);
    expect(stdout + stderr).toBe('');
    expect(unit).toMatch(
      /^ExecStart=\/usr\/bin\/node \/opt\/lanyard\/dist\/hq\/cli\.js --config \/etc\/lanyard\/hq\.config\.json$/m,
    );
    expect(unit).toMatch(/^StateDirectory=lanyard-hq$/m); // → /var/lib/lanyard-hq, the example's dbPath
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
  });

  it('the Dockerfile runs the bundle, checks the health endpoint on the example port, and stops with SIGTERM', () => {
    expect(dockerfile).toContain('RUN npm run -s build:hq');
    expect(dockerfile).toMatch(/^COPY --from=build \/src\/dist\/hq dist\/hq$/m);
    expect(dockerfile).toMatch(
      /^CMD \["node", "dist\/hq\/cli\.js", "--config", "\/etc\/lanyard\/hq\.config\.json"\]$/m,
    );
    expect(dockerfile).toContain(`process.env.LANYARD_HQ_HEALTH_PORT || ${example.healthPort as number}`);
    expect(dockerfile).toMatch(/^STOPSIGNAL SIGTERM$/m);
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json'])
      expect(existsSync(join(root, file))).toBe(true);
  });
});
