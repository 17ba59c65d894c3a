import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeXml, renderChart, sqrtTicks } from './chart';
import { parseCli } from './options';
import { lanyardDefault, neverOffline, seedRule } from './policies';
import { csvField, toCsv } from './report';
import { defaultSimulationConfig, runSimulation } from './simulation';

describe('parseCli', () => {
  it('defaults', () => {
    const r = parseCli([]);
    expect(r).toEqual({
      kind: 'ok',
      options: { config: defaultSimulationConfig, outDir: 'out/simulate', quiet: false },
    });
  });
  it('reads every option', () => {
    const r = parseCli([
      '--days',
      '3',
      '--seed=9',
      '--desks',
      '4',
      '--sessions',
      '12',
      '--outage-rate',
      '1.5',
      '--outage-minutes',
      '30',
      '--venue-outage-rate',
      '0.2',
      '--venue-outage-minutes',
      '10',
      '--restart-share',
      '0',
      '--lan-failure-rate',
      '0.05',
      '--lan-failure-minutes',
      '12',
      '--allotment-ask',
      '4',
      '--out',
      'x',
      '--quiet',
    ]);
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.options.config).toMatchObject({
      days: 3,
      seed: 9,
      day: {
        desks: 4,
        sessions: 12,
        outageRatePerHour: 1.5,
        outageMeanMin: 30,
        venueOutageRatePerHour: 0.2,
        venueOutageMeanMin: 10,
        restartShare: 0,
        lanFailureRatePerHour: 0.05,
        lanFailureMeanMin: 12,
      },
      model: { allotmentAsk: 4 },
    });
    expect(r.options).toMatchObject({ outDir: 'x', quiet: true });
  });
  it('--help', () => expect(parseCli(['--help'])).toEqual({ kind: 'help' }));
  it.each([
    [['--days', 'ten'], '--days must be a number'],
    [['--days', '0'], '--days must be at least 1'],
    [['--days', '2.5'], '--days must be a whole number'],
    [['--seed', '99999999999'], '--seed must be <= 4294967295'],
    [['--outage-rate', '-1'], 'ambiguous'],
    [['--outage-rate=-1'], '--outage-rate must be >= 0'],
    [['--outage-minutes', '0'], '--outage-minutes must be > 0'],
    [['--lan-failure-minutes', '0'], '--lan-failure-minutes must be > 0'],
    [['--lan-failure-rate', 'often'], '--lan-failure-rate must be a number'],
    [['--desks', ''], '--desks must be a number'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
    [['positional'], 'positional'],
  ])('%j is refused: %s', (argv, message) => {
    const r = parseCli(argv);
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.message).toContain(message);
  });
});

describe('outputs', () => {
  const result = runSimulation({ ...defaultSimulationConfig, days: 3 }, [neverOffline, seedRule, lanyardDefault]);
  it('CSV: a header and one row per policy; labels with commas are quoted; the default is marked', () => {
    const lines = toCsv(result).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^policy,label,kind,default,days,arrivals_mean,/);
    expect(lines.filter((l) => l.startsWith('lanyard,'))[0]).toMatch(/^lanyard,[^,]+,station,yes,3,/);
    expect(lines.filter((l) => l.includes(',yes,'))).toHaveLength(1);
    expect(lines[1]!.split(',').length).toBe(lines[0]!.split(',').length);
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField(1.23456)).toBe('1.2346');
  });
  it('SVG: one point per policy, the default ringed and named, labels escaped', () => {
    const svg = renderChart(result.policies, 'x < y & z');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<g class="policy[ "]/g)).toHaveLength(3);
    expect(svg.match(/<g class="policy default" data-policy="lanyard">/g)).toHaveLength(1);
    expect(svg).toContain('Lanyard default (adaptive allotments) <tspan font-weight="bold">(default)</tspan>');
    expect(svg).toContain('x &lt; y &amp; z');
    expect(escapeXml('<a href="&">')).toBe('&lt;a href=&quot;&amp;&quot;&gt;');
  });
  it('√-axis ticks', () => {
    expect(sqrtTicks(60)).toEqual([0, 1, 2, 5, 10, 20, 50]);
    expect(sqrtTicks(0.5)).toEqual([0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5]);
  });
});

describe('cli', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lanyard-sim-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });
  it('writes results.json, results.csv and chart.svg and prints the table', () => {
    const r = run(['--days', '2', '--sessions', '8', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Lanyard default (adaptive allotments) [default]');
    expect(r.stdout).toMatch(/goal \(lanyard against seed, paired per day, 95% CI\): (MET|NOT MET)/);
    for (const f of ['results.json', 'results.csv', 'chart.svg']) expect(existsSync(join(dir, f))).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
      format: string;
      policies: { id: string; default: boolean }[];
      goal: { policy: string; met: boolean };
    };
    expect(json.format).toBe('lanyard.simulation/1');
    expect(json.policies.map((p) => p.id)).toContain('seed');
    expect(json.policies.filter((p) => p.default).map((p) => p.id)).toEqual(['lanyard']);
    expect(json.goal).toMatchObject({ policy: 'lanyard', against: 'seed', met: expect.any(Boolean) });
  });
  it('bad options: a readable message and exit code 2', () => {
    const r = run(['--days', 'lots']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--days must be a number');
    expect(r.stdout).toBe('');
  });
  it('--help prints the options', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--outage-minutes');
  });
});
