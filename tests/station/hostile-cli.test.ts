/**
 * Keep it that way (issue 11): the command line as a hostile new user meets it, as real processes. Every case runs
 * `node --import tsx main/station/cli.ts` (or HQ's, or the emulator's) against hostile arguments, files, databases,
 * configs and printers that stall or drop, and checks the exit code (0 done, 1 failed, 2 usage, 3 needs a look), that
 * stderr is one readable line, and that the database digest is unchanged where nothing should be written.
 *
 * Cases run a few at a time (process start-up is most of their cost); each has its own folder and database copy.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStation } from '../../main/station/create-station';
import { startEmulator, type RunningEmulator } from '../../tools/servicebus-emulator/index';
import { VirtualPrinter, type PrinterFaults } from '../../tools/virtual-printer/virtual-printer';
import { dbDigest, rawAll, rawExec } from '../support/db-snapshot';
import { lanyardTopology } from '../support/bus';
import { demoConference, hq, must, tempDir } from '../support/fixtures';

const root = fileURLToPath(new URL('../../', import.meta.url));
const programs = {
  station: 'main/station/cli.ts',
  hq: 'hq/cli.ts',
  emulator: 'tools/servicebus-emulator/cli.ts',
} as const;
const CONCURRENCY = 2; // two cores, and another test file runs beside this one

let t: ReturnType<typeof tempDir>;
let template: string;
const printers: Record<string, VirtualPrinter> = {};
let heldEmulator: RunningEmulator;

interface Ctx {
  /** The case's own folder, and its copy of the template station database (the demo, HQ heard from, a supervisor). */
  dir: string;
  db: string;
  printer(name: keyof typeof printerFaults): string;
}

interface Case {
  kind: 'arguments' | 'files' | 'databases' | 'configs' | 'printers';
  name: string;
  program?: keyof typeof programs;
  /** Sets the stage; returns a cleanup (e.g. a process holding a lock) to run after the command. */
  prepare?(c: Ctx): void | Promise<void | (() => Promise<void>)>;
  args(c: Ctx): string[];
  exit: number;
  /** What the one stderr line says (exit ≠ 0); exit 0 means an empty stderr. */
  says?: RegExp;
  /** A file whose contents must be the same after the command (the station database, by default for failures). */
  unchanged?: ((c: Ctx) => string) | false;
  /** More checks on the outcome. */
  then?(c: Ctx, r: Outcome): void;
}

interface Outcome {
  exit: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const printerFaults = {
  good: {},
  stalled: { slowMs: 1500 }, // answers long after the station's 400 ms status timeout
  drops: { dropAfterBytes: 2000 },
  offline: { offline: true },
} satisfies Record<string, Partial<PrinterFaults>>;

const csv = (rows: string[]) => ['Order Ref,Given Name,Family Name,Email', ...rows].join('\n');
const csvMap = [
  '--map',
  'confirmationCode=Order Ref,firstName=Given Name,lastName=Family Name,email=Email',
  '--ticket-type',
  'day-2',
];
// A full pass (valid every day) into a day-1 session of a conference that starts tomorrow: nothing has ended yet, whatever the hour.
const sellArgs = ['sell', '--session', 's-d1-talk-qr-codes', '--registrant', 'r-00043'];
/** The operator acts as the station's supervisor; with the PIN where a supervisor is needed (imports, audit). */
const asSup = ['--staff', 'sup'];
const asSupPin = ['--staff', 'sup', '--pin', '2468'];

function corrupt(file: string): void {
  let x = 0x2545f491;
  const noise = Buffer.alloc(8192, 0).map(() => (x = (x * 1103515245 + 12345) >>> 0) >>> 24);
  const fd = openSync(file, 'r+');
  writeSync(fd, noise, 0, noise.length, Math.floor(statSync(file).size / 2));
  closeSync(fd);
}

/** The bytes of a file and its WAL: for databases dbDigest cannot read (damaged, not a database). */
function fileDigest(file: string): string {
  const h = createHash('sha256').update(readFileSync(file));
  if (existsSync(`${file}-wal`)) h.update(readFileSync(`${file}-wal`));
  return h.digest('hex');
}
const digest = (file: string) => {
  try {
    return dbDigest(file);
  } catch {
    return fileDigest(file);
  }
};

/** Another process holds the database's write lock until the returned function lets go (tests/support/db-writer-child.ts). */
async function holdLock(db: string): Promise<() => Promise<void>> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/support/db-writer-child.ts', '--db', db, '--mode', 'hold', '--ms', '60000'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => l.includes('"ready"') && resolve());
    child.on('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
  });
  return async () => {
    child.kill('SIGTERM'); // exits without committing: its transaction wrote nothing anyway
    await exited;
  };
}

const cases: Case[] = [
  // ---- arguments ----
  {
    kind: 'arguments',
    name: 'an unknown command',
    args: (c) => ['--db', c.db, 'frobnicate'],
    exit: 2,
    says: /^error: unknown command "frobnicate"; --help lists the commands$/,
  },
  { kind: 'arguments', name: 'no command', args: (c) => ['--db', c.db], exit: 2, says: /no command given/ },
  {
    kind: 'arguments',
    name: '--limit 0',
    args: (c) => ['--db', c.db, 'search', 'jose', '--limit', '0'],
    exit: 2,
    says: /--limit must be a whole number from 1 to 200, got "0"/,
  },
  {
    kind: 'arguments',
    name: '--limit in words',
    args: (c) => ['--db', c.db, 'search', 'jose', '--limit', 'lots'],
    exit: 2,
    says: /--limit must be a whole number/,
  },
  {
    kind: 'arguments',
    name: '--db :memory:',
    args: () => ['--db', ':memory:', 'import', 'assets/demo-conference.json'],
    exit: 2,
    says: /--db needs a file name \(":memory:" would keep nothing\)/,
    unchanged: false,
  },
  {
    kind: 'arguments',
    name: '--db a folder',
    args: (c) => ['--db', c.dir, 'status'],
    exit: 2,
    says: /is a folder; give the station database file/,
  },
  {
    kind: 'arguments',
    name: '--db in a folder that does not exist',
    args: (c) => ['--db', join(c.dir, 'nope', 's.db'), 'status'],
    exit: 2,
    says: /does not exist/,
    then: (c) => expect(existsSync(join(c.dir, 'nope'))).toBe(false),
  },
  {
    kind: 'arguments',
    name: 'a bad --station for a new database',
    args: (c) => ['--db', join(c.dir, 'new.db'), '--station', 'Desk 9!', 'status'],
    exit: 2,
    says: /is not a station id/,
    then: (c) => expect(existsSync(join(c.dir, 'new.db'))).toBe(false),
  },
  {
    kind: 'arguments',
    name: "another station's database",
    args: (c) => ['--db', c.db, '--station', 'desk-9', 'status'],
    exit: 1,
    says: /belongs to station "desk-1", not "desk-9"/,
  },
  {
    kind: 'arguments',
    name: 'an actor who does not exist',
    args: (c) => ['--db', c.db, '--staff', 'nobody-real', ...sellArgs],
    exit: 1,
    says: /^error \(unauthorized\): No staff member "nobody-real"/,
  },
  {
    kind: 'arguments',
    name: 'an option without its value',
    args: (c) => ['--db', c.db, 'sell', '--session', 's-d1-talk-qr-codes', '--registrant'],
    exit: 2,
    says: /argument missing/,
  },
  {
    kind: 'arguments',
    name: 'SQL in an id',
    args: (c) => ['--db', c.db, 'registrant', "r-00001' OR '1'='1"],
    exit: 1,
    says: /^error \(invalid_input\): Invalid registrant.get request: id: may contain only/,
  },
  {
    kind: 'arguments',
    name: 'a sale that does not exist',
    args: (c) => ['--db', c.db, ...asSup, 'release', '--sale', 'ghost', '--reason', 'x'],
    exit: 1,
    says: /No sale with id "ghost"/,
  },
  // ---- files ----
  {
    kind: 'files',
    name: 'a CSV whose code-derived id would hit r-00003 (issue 11)',
    prepare: (c) => writeFileSync(join(c.dir, 'c.csv'), csv(['00003,Pat,Newcomer,pat@other.example'])),
    args: (c) => ['--db', c.db, ...asSupPin, 'import-csv', join(c.dir, 'c.csv'), ...csvMap],
    exit: 0,
    unchanged: false,
    then: (c, r) => {
      expect(JSON.parse(r.stdout)).toMatchObject({ registrants: { inserted: 1, updated: 0 }, rejected: [] });
      expect(rawAll(c.db, `SELECT first_name, last_name FROM registrant WHERE id = 'r-00003'`)).toEqual([
        { first_name: 'Jakub', last_name: 'Černý' },
      ]);
      expect(rawAll(c.db, `SELECT count(*) AS n FROM entitlement WHERE registrant_id = 'r-00003'`)).toEqual([{ n: 2 }]);
      expect(rawAll(c.db, `SELECT first_name FROM registrant WHERE id = 'csv-00003'`)).toEqual([{ first_name: 'Pat' }]);
    },
  },
  {
    kind: 'files',
    name: 'a CSV that names a column twice',
    prepare: (c) =>
      writeFileSync(
        join(c.dir, 'c.csv'),
        'Order Ref,Given Name,Family Name,Email,Email\nX-1,A,B,a@x.example,b@x.example\n',
      ),
    args: (c) => ['--db', c.db, ...asSupPin, 'import-csv', join(c.dir, 'c.csv'), ...csvMap],
    exit: 1,
    says: /header names "Email" twice/,
  },
  {
    kind: 'files',
    name: 'a CSV with one bad row',
    prepare: (c) =>
      writeFileSync(join(c.dir, 'c.csv'), csv(['N-1,Ana,Nova,ana@new.example', 'N-2,Bo,Bad,not-an-email'])),
    args: (c) => ['--db', c.db, ...asSupPin, 'import-csv', join(c.dir, 'c.csv'), ...csvMap],
    exit: 3,
    says: /^warning: 1 row was rejected and not imported \(line 3: email: .*\); 1 imported\.$/,
    unchanged: false,
    then: (c) =>
      expect(rawAll(c.db, `SELECT id FROM registrant WHERE confirmation_code IN ('N-1', 'N-2')`)).toEqual([
        { id: 'csv-N-1' },
      ]),
  },
  {
    kind: 'files',
    name: 'a CSV that does not exist',
    args: (c) => ['--db', c.db, ...asSupPin, 'import-csv', join(c.dir, 'none.csv'), ...csvMap],
    exit: 2,
    says: /cannot read .*none\.csv: no such file/,
  },
  {
    kind: 'files',
    name: 'a binary file as CSV',
    prepare: (c) =>
      writeFileSync(join(c.dir, 'c.csv'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256))),
    args: (c) => ['--db', c.db, ...asSupPin, 'import-csv', join(c.dir, 'c.csv'), ...csvMap],
    exit: 1,
    says: /^error \(invalid_input\): /,
  },
  {
    kind: 'files',
    name: 'a conference file with two registrants on one code',
    prepare: (c) => {
      const data = demoConference();
      data.registrants[7]!.confirmationCode = data.registrants[3]!.confirmationCode;
      writeFileSync(join(c.dir, 'conf.json'), JSON.stringify(data));
    },
    args: (c) => ['--db', c.db, ...asSupPin, 'import', join(c.dir, 'conf.json')],
    exit: 1,
    says: /is used by both "r-00004" and "r-00008"/,
  },
  {
    kind: 'files',
    name: 'a conference file with a UTF-8 BOM (a new station)',
    prepare: async (c) => {
      writeFileSync(
        join(c.dir, 'conf.json'),
        '\ufeff' + readFileSync(join(root, 'assets/demo-conference.json'), 'utf8'),
      );
      // A new station's first member of staff, as its operator adds them (staff-add needs no PIN on a fresh station).
      const st = await createStation({ dbPath: join(c.dir, 'fresh.db'), stationId: 'desk-1' });
      must(await st.call('staff.add', { id: 'sup', name: 'Sam Supervisor', role: 'supervisor', pin: '2468' }));
      await st.close();
    },
    args: (c) => [
      '--db',
      join(c.dir, 'fresh.db'),
      ...asSupPin,
      'import',
      join(c.dir, 'conf.json'),
      '--shift-to',
      'today',
    ],
    exit: 0,
    unchanged: false,
    then: (_c, r) =>
      expect(JSON.parse(r.stdout)).toMatchObject({ conferenceId: 'ldc26', registrants: { inserted: 2000 } }),
  },
  {
    kind: 'files',
    name: 'a file that is not JSON',
    prepare: (c) => writeFileSync(join(c.dir, 'conf.json'), '{ "format": "lanyard.conference/1", '),
    args: (c) => ['--db', c.db, ...asSupPin, 'import', join(c.dir, 'conf.json')],
    exit: 2,
    says: /is not valid JSON/,
  },
  {
    kind: 'files',
    name: 'a folder as the file',
    args: (c) => ['--db', c.db, ...asSupPin, 'import', c.dir],
    exit: 2,
    says: /cannot read .*: it is a folder/,
  },
  {
    kind: 'files',
    name: 'a malformed HQ feed message',
    prepare: (c) =>
      writeFileSync(
        join(c.dir, 'feed.json'),
        JSON.stringify({ ...hq('Heartbeat', { hqTime: 'yesterday' }, { conferenceId: 'ldc26' }) }),
      ),
    args: (c) => ['--db', c.db, 'apply', join(c.dir, 'feed.json')],
    exit: 1,
    says: /^error \(invalid_input\): /,
  },
  // ---- databases ----
  ...(['status', 'sessions', 'audit-verify', 'sell'] as const).map((command): Case => ({
    kind: 'databases',
    name: `a corrupted copy: ${command}`,
    prepare: (c) => corrupt(c.db),
    args: (c) => ['--db', c.db, ...asSupPin, ...(command === 'sell' ? sellArgs : [command])],
    exit: 1,
    says: /^error \(damaged\): The station database is damaged .*restore the last backup/,
  })),
  {
    kind: 'databases',
    name: "an audit log altered behind the app's back",
    prepare: (c) => {
      rawExec(c.db, 'DROP TRIGGER audit_log_no_update');
      rawExec(c.db, `UPDATE audit_log SET actor = 'mallory' WHERE seq = 1`);
    },
    args: (c) => ['--db', c.db, ...asSupPin, 'audit-verify'],
    exit: 1,
    says: /^error \(audit\): the audit log was altered: row 1 was altered\.$/,
  },
  {
    kind: 'databases',
    name: 'a database from a newer Lanyard',
    prepare: (c) =>
      rawExec(
        c.db,
        `INSERT INTO kysely_migration (name, timestamp) VALUES ('0099-from-the-future', '2030-01-01T00:00:00.000Z')`,
      ),
    args: (c) => ['--db', c.db, 'status'],
    exit: 1,
    says: /written by a newer version of Lanyard \(migration 0099-from-the-future\); it is not corrupted — use the newer version/,
  },
  {
    kind: 'databases',
    name: 'a file that is not a database',
    prepare: (c) => writeFileSync(c.db, 'not a database '.repeat(500)),
    args: (c) => ['--db', c.db, 'status'],
    exit: 1,
    says: /is not a Lanyard station database/,
  },
  {
    kind: 'databases',
    name: 'a database another process holds past the busy timeout',
    prepare: (c) => holdLock(c.db),
    args: (c) => ['--db', c.db, ...asSup, ...sellArgs],
    exit: 1,
    says: /^error \(busy\): The station database is busy: another program is writing to it\. Nothing was saved; try again in a moment\.$/,
    then: (_c, r) => expect(r.ms).toBeGreaterThanOrEqual(4500),
  },
  // A supervisor's override: it does not depend on how long ago this process's clock says HQ was heard from
  // (under test:calendar every child process's faked clock starts afresh).
  {
    kind: 'databases',
    name: 'a healthy database (the baseline: a sale goes through)',
    args: (c) => ['--db', c.db, ...asSup, ...sellArgs, '--supervisor', 'sup', '--pin', '2468'],
    exit: 0,
    unchanged: false,
    then: (_c, r) => expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'proceed', sale: { status: 'pending' } }),
  },
  // ---- printers ----
  {
    kind: 'printers',
    name: 'nothing listening',
    args: (c) => [
      '--db',
      c.db,
      ...asSup,
      'print',
      '--registrant',
      'r-00001',
      '--printer',
      'tcp://127.0.0.1:9?connectMs=500',
    ],
    exit: 1,
    says: /^error \(print failed\): print job \S+ failed \(.*\)\. Fix the printer, then print again\.$/,
    unchanged: false,
  },
  {
    kind: 'printers',
    name: 'a printer that stalls',
    args: (c) => ['--db', c.db, ...asSup, 'print', '--registrant', 'r-00001', '--printer', c.printer('stalled')],
    exit: 1,
    says: /^error \(print failed\): .*no status answer/,
    unchanged: false,
  },
  {
    kind: 'printers',
    name: 'a printer that drops the connection mid-job',
    args: (c) => ['--db', c.db, ...asSup, 'print', '--registrant', 'r-00001', '--printer', c.printer('drops')],
    exit: 3,
    says: /^warning: print job \S+ may or may not have printed \(.*(dropped|closed the connection).*\)\. Look at the printer, then confirm the job or reprint with a reason\.$/,
    unchanged: false,
  },
  {
    kind: 'printers',
    name: 'an offline printer',
    args: (c) => ['--db', c.db, ...asSup, 'print', '--registrant', 'r-00001', '--printer', c.printer('offline')],
    exit: 1,
    says: /print failed.*offline/,
    unchanged: false,
  },
  {
    kind: 'printers',
    name: 'a good printer (the baseline)',
    args: (c) => ['--db', c.db, ...asSup, 'print', '--registrant', 'r-00001', '--printer', c.printer('good')],
    exit: 0,
    unchanged: false,
    then: (_c, r) => expect(JSON.parse(r.stdout)).toMatchObject({ status: 'printed' }),
  },
  // ---- configs (HQ and the emulator) ----
  {
    kind: 'configs',
    name: 'HQ: a config with a BOM whose dbPath is a folder',
    program: 'hq',
    prepare: (c) => {
      mkdirSync(join(c.dir, 'ledger'));
      copyFileSync(join(root, 'assets/demo-conference.json'), join(c.dir, 'conf.json'));
      writeFileSync(
        join(c.dir, 'hq.json'),
        '\ufeff' +
          JSON.stringify({
            connectionString: 'Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k;SharedAccessKey=secret',
            dbPath: 'ledger',
            conferenceFile: 'conf.json',
          }),
      );
    },
    args: (c) => ['--config', join(c.dir, 'hq.json')],
    exit: 2,
    says: /^hq: invalid HQ configuration: dbPath: .*ledger is a folder/,
    unchanged: false,
    then: (_c, r) => expect(r.stderr + r.stdout).not.toContain('secret'),
  },
  {
    kind: 'configs',
    name: 'HQ: a misspelt field',
    program: 'hq',
    prepare: (c) =>
      writeFileSync(
        join(c.dir, 'hq.json'),
        JSON.stringify({
          connectionString: 'Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k;SharedAccessKey=secret',
          dbPath: 'hq.db',
          conferenceFile: 'conf.json',
          heartbeatSecs: 5,
        }),
      ),
    args: (c) => ['--config', join(c.dir, 'hq.json')],
    exit: 2,
    says: /^hq: invalid HQ configuration: .*heartbeatSecs/,
    unchanged: false,
  },
  {
    kind: 'configs',
    name: 'emulator: an unknown entity property',
    program: 'emulator',
    prepare: (c) =>
      writeFileSync(
        join(c.dir, 'Config.json'),
        '\ufeff' +
          JSON.stringify({
            UserConfig: { Namespaces: [{ Name: 'n', Queues: [{ Name: 'q', Properties: { LockDurationz: 'PT1M' } }] }] },
          }),
      ),
    args: (c) => ['--config', join(c.dir, 'Config.json'), '--port', '0'],
    exit: 2,
    says: /^servicebus-emulator: .*LockDurationz/,
    unchanged: false,
  },
  {
    kind: 'configs',
    name: 'emulator: a --data folder another emulator holds',
    program: 'emulator',
    args: () => [
      '--config',
      join(root, 'tools/servicebus-emulator/lanyard.config.json'),
      '--port',
      '0',
      '--data',
      join(t.dir, 'held-emulator'),
    ],
    exit: 1,
    says: new RegExp(
      `^servicebus-emulator: the data folder .*held-emulator is in use by another emulator \\(pid ${process.pid}\\)`,
    ),
    unchanged: false,
  },
];

function run(program: keyof typeof programs, args: string[]): Promise<Outcome> {
  const started = Date.now();
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  const child = spawn(process.execPath, ['--import', 'tsx', programs[program], ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (exit) => (clearTimeout(timer), resolve({ exit, stdout, stderr, ms: Date.now() - started }))),
  );
}

interface Ran {
  ctx: Ctx;
  outcome: Outcome;
  /** Digests of the watched file before and after the command (null: not watched). */
  before: string | null;
  after: string | null;
}
/** Every case's run, by name; started in beforeAll, CONCURRENCY at a time. */
const results = new Map<string, Promise<Ran>>();

beforeAll(async () => {
  t = tempDir('lanyard-hostile-');
  template = join(t.dir, 'template.db');
  const st = await createStation({ dbPath: template, stationId: 'desk-1' });
  must(await st.call('conference.import', { data: demoConference() }));
  must(
    await st.call('feed.apply', {
      envelope: hq(
        'Heartbeat',
        { hqTime: new Date().toISOString() },
        { conferenceId: 'ldc26', at: new Date().toISOString() },
      ),
    }),
  );
  must(await st.call('staff.add', { id: 'sup', name: 'Sam Supervisor', role: 'supervisor', pin: '2468' }));
  await st.close();
  for (const [name, faults] of Object.entries(printerFaults)) {
    printers[name] = new VirtualPrinter({ port: 0, faults });
    await printers[name].start();
  }
  heldEmulator = await startEmulator({
    config: lanyardTopology(['desk-a']),
    port: 0,
    dataDir: join(t.dir, 'held-emulator'),
  });

  let next = 0;
  const settle = new Map<string, { resolve(r: Ran): void; reject(e: unknown): void }>();
  for (const c of cases)
    results.set(c.name, new Promise<Ran>((resolve, reject) => settle.set(c.name, { resolve, reject })));
  const runCase = async (c: Case, i: number): Promise<Ran> => {
    const dir = join(t.dir, `case-${i}`);
    mkdirSync(dir);
    const ctx: Ctx = {
      dir,
      db: join(dir, 'station.db'),
      // The printers answer from this (busy) test process: generous timeouts, except where a stall is the point.
      printer: (name) =>
        `tcp://127.0.0.1:${printers[name]!.port}?connectMs=3000&statusMs=${name === 'stalled' ? 400 : 3000}&writeMs=5000`,
    };
    copyFileSync(template, ctx.db);
    const cleanup = await c.prepare?.(ctx);
    const watched = c.unchanged === false ? null : (c.unchanged ?? (() => ctx.db))(ctx);
    const before = watched && existsSync(watched) ? digest(watched) : null;
    const outcome = await run(c.program ?? 'station', c.args(ctx));
    if (typeof cleanup === 'function') await cleanup();
    const after = watched && existsSync(watched) ? digest(watched) : null;
    return { ctx, outcome, before, after };
  };
  const worker = async () => {
    for (let i = next++; i < cases.length; i = next++) {
      const c = cases[i]!;
      await runCase(c, i).then(settle.get(c.name)!.resolve, settle.get(c.name)!.reject);
    }
  };
  void Promise.all(Array.from({ length: CONCURRENCY }, worker));
}, 60_000);

// Generous: a stalled printer finishes its queued, delayed chunks before it stops.
afterAll(async () => {
  for (const p of Object.values(printers)) await p.stop();
  await heldEmulator?.stop();
  t.cleanup();
}, 120_000);

describe('the command line against hostile input (real processes)', () => {
  it('covers every kind of input the issue names', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(
      new Set(['arguments', 'files', 'databases', 'configs', 'printers']),
    );
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const c of cases) {
    it(`${c.kind}: ${c.name} → exit ${c.exit}`, async () => {
      const { ctx, outcome, before, after } = await results.get(c.name)!;
      const report = `stderr: ${outcome.stderr}\nstdout: ${outcome.stdout.slice(0, 400)}`;
      expect(outcome.exit, report).toBe(c.exit);
      if (c.exit === 0) {
        expect(outcome.stderr, report).toBe('');
      } else {
        const lines = outcome.stderr.replace(/\n$/, '').split('\n');
        expect(lines, report).toHaveLength(1);
        const line = lines[0]!;
        expect(line).toMatch(/^(error|warning|hq|servicebus-emulator)\b/);
        expect(line.length).toBeLessThan(700);
        expect(line).not.toMatch(/\s+at \S+ \(|\u001b|\ufeff|\u0000/); // no stack trace, escape codes or invisible characters
        expect(line).toMatch(c.says!);
      }
      if (before !== null) expect(after, `${c.name} wrote to the database`).toBe(before);
      c.then?.(ctx, outcome);
    }, 90_000);
  }
});
