/**
 * `--restore FILE`: how a venue PC puts its station back from a backup. The packaged app has no source tree and no
 * CLI, so the app itself does it before the station starts: it asks once more (the current database is kept beside
 * it, never deleted), lets a station host of its own do the restore (the station's code and SQLite stay out of the
 * shell), and says what happened in words. A refused backup changes nothing. After a restore the app starts as
 * usual, on the restored database, and a station that syncs waits for HQ before it sells again (DESIGN §3).
 */
import type { Dialog } from 'electron';
import { basename } from 'node:path';
import type { RuntimeConfig } from '../runtime/config';
import { restoreWithHost, type HostLink } from '../runtime/remote';

export type RestoreOutcome = 'restored' | 'cancelled' | 'refused';

export async function restoreOnStart(o: {
  from: string;
  config: RuntimeConfig;
  dialog: Pick<Dialog, 'showMessageBox' | 'showErrorBox'>;
  fork: () => HostLink;
  at: string;
  log: (line: string) => void;
}): Promise<RestoreOutcome> {
  const { response } = await o.dialog.showMessageBox({
    type: 'warning',
    title: 'Restore this station from a backup?',
    message: `Restore station "${o.config.stationId}" from ${basename(o.from)}?`,
    detail:
      'Everything this station recorded after the backup was taken is replaced by the backup. The current ' +
      'database is kept beside it (station.db.replaced-…), not deleted.' +
      (o.config.sync
        ? ' After the restore the station asks HQ what it sold since the backup and does not sell until HQ answers.'
        : ''),
    buttons: ['Restore', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
  });
  if (response !== 0) {
    o.log('restore cancelled; nothing was changed');
    return 'cancelled';
  }
  const result = await restoreWithHost(o.fork(), o.config, o.from, o.at, o.log);
  if (!result.ok) {
    o.log(`restore refused: ${result.error.message}`);
    o.dialog.showErrorBox('The backup was not restored', result.error.message);
    return 'refused';
  }
  const r = result.value;
  o.log(`restored station "${r.stationId}" from ${r.restoredFrom}`);
  await o.dialog.showMessageBox({
    type: 'info',
    title: 'Station restored',
    message: `Station "${r.stationId}" is restored from ${basename(r.restoredFrom)}.`,
    detail: [
      r.replacedKeptAt ? `The database it replaced is kept at ${r.replacedKeptAt}.` : null,
      r.waitsForHq
        ? 'The station will not sell until HQ has told it what it sold since this backup; connect it to the network.'
        : null,
    ]
      .filter(Boolean)
      .join(' '),
    buttons: ['Start the station'],
  });
  return 'restored';
}
