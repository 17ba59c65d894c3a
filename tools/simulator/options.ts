/** Command-line options of `npm run simulate`, parsed and validated into a SimulationConfig. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { defaultSimulationConfig, type SimulationConfig } from './simulation';

export const usage = `Usage: npm run simulate -- [options]

Simulates conference days with walk-up demand and network outages, and compares sale policies
(never / always sell offline, the seed's rule, Lanyard before and after issue 17, the venue LAN)
on the same days, and checks issue 17's goal: the station's default against the seed's rule.

Options:
  --days N                   simulated days (default ${defaultSimulationConfig.days})
  --seed S                   seed, an integer 0..4294967295 (default ${defaultSimulationConfig.seed})
  --desks N                  selling desks (default ${defaultSimulationConfig.day.desks})
  --sessions N               sessions per day (default ${defaultSimulationConfig.day.sessions})
  --outage-rate R            outages per desk per hour (default ${defaultSimulationConfig.day.outageRatePerHour})
  --outage-minutes M         mean outage length in minutes (default ${defaultSimulationConfig.day.outageMeanMin})
  --venue-outage-rate R      venue-wide outages per hour, all desks at once (default ${defaultSimulationConfig.day.venueOutageRatePerHour})
  --venue-outage-minutes M   mean venue-wide outage length in minutes (default ${defaultSimulationConfig.day.venueOutageMeanMin})
  --restart-share P          share of desk outages in which the station restarts (default ${defaultSimulationConfig.day.restartShare})
  --lan-failure-rate R       failures of the venue LAN per hour, cutting desks from HQ and each other (default ${defaultSimulationConfig.day.lanFailureRatePerHour})
  --lan-failure-minutes M    mean length of a LAN failure in minutes (default ${defaultSimulationConfig.day.lanFailureMeanMin})
  --allotment-ask N          seats per fixed block (Lanyard before issue 17; default ${defaultSimulationConfig.model.allotmentAsk})
  --out DIR                  where results.json, results.csv and chart.svg go (default out/simulate)
  --quiet                    no table on stdout
  --help                     this text
`;

export interface CliOptions {
  config: SimulationConfig;
  outDir: string;
  quiet: boolean;
}

export type ParseOutcome = { kind: 'help' } | { kind: 'ok'; options: CliOptions } | { kind: 'error'; message: string };

const num = (name: string, schema: z.ZodNumber) =>
  z
    .string()
    .trim()
    .refine((s) => s !== '' && Number.isFinite(Number(s)), { message: `--${name} must be a number` })
    .transform(Number)
    .pipe(schema);

const Options = z.object({
  days: num(
    'days',
    z
      .number()
      .int('--days must be a whole number')
      .min(1, '--days must be at least 1')
      .max(100_000, '--days must be at most 100000'),
  ).optional(),
  seed: num(
    'seed',
    z
      .number()
      .int('--seed must be a whole number')
      .min(0, '--seed must be >= 0')
      .max(0xffffffff, '--seed must be <= 4294967295'),
  ).optional(),
  desks: num(
    'desks',
    z
      .number()
      .int('--desks must be a whole number')
      .min(1, '--desks must be at least 1')
      .max(200, '--desks must be at most 200'),
  ).optional(),
  sessions: num(
    'sessions',
    z
      .number()
      .int('--sessions must be a whole number')
      .min(1, '--sessions must be at least 1')
      .max(2000, '--sessions must be at most 2000'),
  ).optional(),
  'outage-rate': num(
    'outage-rate',
    z.number().min(0, '--outage-rate must be >= 0').max(60, '--outage-rate must be <= 60 per hour'),
  ).optional(),
  'outage-minutes': num(
    'outage-minutes',
    z.number().gt(0, '--outage-minutes must be > 0').max(540, '--outage-minutes must be <= 540'),
  ).optional(),
  'venue-outage-rate': num(
    'venue-outage-rate',
    z.number().min(0, '--venue-outage-rate must be >= 0').max(60, '--venue-outage-rate must be <= 60 per hour'),
  ).optional(),
  'venue-outage-minutes': num(
    'venue-outage-minutes',
    z.number().gt(0, '--venue-outage-minutes must be > 0').max(540, '--venue-outage-minutes must be <= 540'),
  ).optional(),
  'restart-share': num(
    'restart-share',
    z.number().min(0, '--restart-share must be between 0 and 1').max(1, '--restart-share must be between 0 and 1'),
  ).optional(),
  'lan-failure-rate': num(
    'lan-failure-rate',
    z.number().min(0, '--lan-failure-rate must be >= 0').max(60, '--lan-failure-rate must be <= 60 per hour'),
  ).optional(),
  'lan-failure-minutes': num(
    'lan-failure-minutes',
    z.number().gt(0, '--lan-failure-minutes must be > 0').max(540, '--lan-failure-minutes must be <= 540'),
  ).optional(),
  'allotment-ask': num(
    'allotment-ask',
    z
      .number()
      .int('--allotment-ask must be a whole number')
      .min(0, '--allotment-ask must be >= 0')
      .max(1000, '--allotment-ask must be <= 1000'),
  ).optional(),
  out: z.string().trim().min(1, '--out needs a directory').optional(),
  quiet: z.boolean().optional(),
  help: z.boolean().optional(),
});

const stringOptions = [
  'days',
  'seed',
  'desks',
  'sessions',
  'outage-rate',
  'outage-minutes',
  'venue-outage-rate',
  'venue-outage-minutes',
  'restart-share',
  'lan-failure-rate',
  'lan-failure-minutes',
  'allotment-ask',
  'out',
] as const;

export function parseCli(argv: readonly string[]): ParseOutcome {
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(stringOptions.map((o) => [o, { type: 'string' as const }])),
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    values = parsed.values as Record<string, string | boolean | undefined>;
  } catch (e) {
    // node's messages name the offending option; drop the internal error-code suffix hints.
    const message = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
    return { kind: 'error', message };
  }
  if (values.help) return { kind: 'help' };
  const r = Options.safeParse(values);
  if (!r.success) return { kind: 'error', message: r.error.issues.map((i) => i.message).join('; ') };
  const v = r.data;
  const d = defaultSimulationConfig;
  const config: SimulationConfig = {
    days: v.days ?? d.days,
    seed: v.seed ?? d.seed,
    day: {
      ...d.day,
      desks: v.desks ?? d.day.desks,
      sessions: v.sessions ?? d.day.sessions,
      outageRatePerHour: v['outage-rate'] ?? d.day.outageRatePerHour,
      outageMeanMin: v['outage-minutes'] ?? d.day.outageMeanMin,
      venueOutageRatePerHour: v['venue-outage-rate'] ?? d.day.venueOutageRatePerHour,
      venueOutageMeanMin: v['venue-outage-minutes'] ?? d.day.venueOutageMeanMin,
      restartShare: v['restart-share'] ?? d.day.restartShare,
      lanFailureRatePerHour: v['lan-failure-rate'] ?? d.day.lanFailureRatePerHour,
      lanFailureMeanMin: v['lan-failure-minutes'] ?? d.day.lanFailureMeanMin,
    },
    model: { ...d.model, allotmentAsk: v['allotment-ask'] ?? d.model.allotmentAsk },
  };
  return { kind: 'ok', options: { config, outDir: v.out ?? 'out/simulate', quiet: v.quiet ?? false } };
}
