/**
 * `electron . --restore BACKUP.db` (issue 16): a packaged app on a venue PC puts its station back from a backup —
 * asked once more, done by a station host of its own, answered in words, then the app starts on the restored
 * database. A refused backup and a cancelled dialog change nothing. `electron` is mocked (the binary cannot run
 * here); the station host, its database and the backup are real.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStation } from '../../main/station/create-station';
import { dbDigest, rawAll } from '../support/db-snapshot';
import { must, smallConference, tempDir } from '../support/fixtures';
import { electron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { startDesktop } = await import('../../main/electron/main');
const logs: string[] = [];

let t: ReturnType<typeof tempDir> | null = null;
afterEach(() => {
  t?.cleanup();
  t = null;
});

/** A desk's data folder with a backup taken after one walk-up, and a second walk-up registered after it. */
async function deskWithBackup(dir: string) {
  const dataDir = join(dir, 'data');
  const dbPath = join(dataDir, 'station.db');
  mkdirSync(dataDir);
  const s = await createStation({ dbPath, stationId: 'desk-r', mode: 'desk' });
  try {
    must(await s.call('conference.import', { data: smallConference() }));
    const walkUp = (lastName: string) =>
      s.call('registrant.registerWalkUp', { firstName: 'Walk', lastName, ticketTypeId: 'full' }).then(must);
    await walkUp('Before');
    const backup = must(await s.call('backup.create', {}));
    await walkUp('After');
    const config = join(dir, 'station.json');
    writeFileSync(config, JSON.stringify({ stationId: 'desk-r', mode: 'desk', dataDir: 'data' }));
    return { dataDir, dbPath, backup: backup.file, config };
  } finally {
    await s.close();
  }
}

const walkUps = (dbPath: string) =>
  rawAll<{ last_name: string }>(dbPath, `SELECT last_name FROM registrant WHERE first_name = 'Walk' ORDER BY 1`).map(
    (r) => r.last_name,
  );

const desktop = (config: string, from: string, dir: string) =>
  startDesktop({
    argv: ['electron', '.', '--config', config, '--restore', from],
    env: {},
    dir: join(dir, 'out'),
    log: (l) => logs.push(l),
  });

// Each test forks real station hosts (a restore host, then the station's): generous under a loaded CI machine.
describe('restoring a station from the packaged app', { timeout: 120_000 }, () => {
  it('asks first, restores, keeps the replaced database, says so, and starts on the restored one', async () => {
    t = tempDir('lanyard-app-restore-');
    const d = await deskWithBackup(t.dir);
    expect(walkUps(d.dbPath)).toEqual(['After', 'Before']);
    electron.dialog.showMessageBox.mockClear();

    const app = await desktop(d.config, d.backup, t.dir);
    expect(app).not.toBeNull();
    const [confirm, done] = electron.dialog.showMessageBox.mock.calls.map((c) => c[0]);
    expect(confirm).toMatchObject({ buttons: ['Restore', 'Cancel'], cancelId: 1 });
    expect(confirm!.message).toContain('desk-r');
    expect(done!.message).toMatch(/restored from station-desk-r-.*\.db/);
    expect(done!.detail).toMatch(/kept at .*station\.db\.replaced-/);

    // The station that started is the restored one: the walk-up after the backup is gone, the restore is audited.
    expect(app!.host.settings.stationId).toBe('desk-r');
    electron.app.quit();
    await app!.host.exited;
    expect(walkUps(d.dbPath)).toEqual(['Before']);
    expect(
      rawAll<{ action: string }>(d.dbPath, `SELECT action FROM audit_log WHERE action = 'station.restored'`),
    ).toHaveLength(1);
    const kept = readdirSync(d.dataDir).find((f) => f.startsWith('station.db.replaced-'));
    expect(kept).toBeDefined();
    expect(walkUps(join(d.dataDir, kept!))).toEqual(['After', 'Before']);
  });

  it('refuses a damaged backup in words, changes nothing, and does not start', async () => {
    t = tempDir('lanyard-app-restore-');
    const d = await deskWithBackup(t.dir);
    const bad = join(t.dir, 'station-desk-r-20260101T000000000Z.db');
    writeFileSync(bad, 'not a database, only a name that looks like a backup'.repeat(100));
    const before = dbDigest(d.dbPath);
    electron.dialog.showMessageBox.mockClear();
    electron.dialog.showErrorBox.mockClear();
    electron.app.exit.mockClear();

    expect(await desktop(d.config, bad, t.dir)).toBeNull();
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'The backup was not restored',
      expect.stringMatching(/integrity check.*nothing was changed/),
    );
    expect(electron.app.exit).toHaveBeenCalledWith(1);
    expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(1); // the question, no "restored"
    expect(dbDigest(d.dbPath)).toBe(before);
    expect(readdirSync(d.dataDir).some((f) => f.startsWith('station.db.replaced-'))).toBe(false);
  });

  it('changes nothing when the person answers Cancel', async () => {
    t = tempDir('lanyard-app-restore-');
    const d = await deskWithBackup(t.dir);
    const before = dbDigest(d.dbPath);
    electron.dialog.showMessageBox.mockClear();
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    electron.app.exit.mockClear();
    const forks = electron.utilityProcess.fork.mock.calls.length;

    expect(await desktop(d.config, d.backup, t.dir)).toBeNull();
    expect(electron.app.exit).toHaveBeenCalledWith(0);
    expect(electron.utilityProcess.fork.mock.calls.length).toBe(forks); // no station host was even started
    expect(dbDigest(d.dbPath)).toBe(before);
    expect(existsSync(d.backup)).toBe(true);
  });
});
