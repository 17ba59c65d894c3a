/**
 * The station's migrations: numbered, append-only, statically imported (no file-system scanning, so the
 * packaged app and the bundler see them). Never edit a landed migration; add the next number.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001-catalog';
import * as m0002 from './0002-sales';
import * as m0003 from './0003-sync';
import * as m0004 from './0004-staff-audit';
import * as m0005 from './0005-printing';
import * as m0007 from './0007-badges';
import * as m0008 from './0008-reconciliation';
import * as m0010 from './0010-badge-prints';
import * as m0011 from './0011-desk-day';
import * as m0013 from './0013-print-batches';
import * as m0015 from './0015-stream-recovery';
import * as m0016 from './0016-outbox-sent-through';
import * as m0017 from './0017-allotment-seat-order';

export const stationMigrations: Record<string, Migration> = {
  '0001-catalog': m0001,
  '0002-sales': m0002,
  '0003-sync': m0003,
  '0004-staff-audit': m0004,
  '0005-printing': m0005,
  '0007-badges': m0007,
  '0008-reconciliation': m0008,
  '0010-badge-prints': m0010,
  '0011-desk-day': m0011,
  '0013-print-batches': m0013,
  '0015-stream-recovery': m0015,
  '0016-outbox-sent-through': m0016,
  '0017-allotment-seat-order': m0017,
};
