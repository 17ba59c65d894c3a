/** Badge printing rows: station keys, badge versions, printers, the durable print queue and the print log. */
import type { Selectable } from 'kysely';
import type { BadgeWarning } from '../../core/badge/views';
import type { RegistrantProfile } from './catalog';
import type { Db, Tx } from './db';
import type { BadgeRow, PrintJobRow, PrintJobStatus, PrinterRow, StationKeyRow } from './schema';

type Q = Db | Tx;

// ---- keys ----------------------------------------------------------------------------------------------------------

export async function activeStationKey(q: Q): Promise<Selectable<StationKeyRow> | undefined> {
  return q
    .selectFrom('station_key')
    .selectAll()
    .where('retired_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

export async function insertStationKey(
  q: Q,
  k: { keyId: string; publicKey: string; privateKey: string; at: string },
): Promise<void> {
  await q
    .insertInto('station_key')
    .values({ key_id: k.keyId, public_key: k.publicKey, private_key: k.privateKey, created_at: k.at, retired_at: null })
    .execute();
}

/** Every key this station ever used (public halves only). */
export async function ownPublicKeys(q: Q): Promise<{ keyId: string; publicKey: string }[]> {
  const rows = await q.selectFrom('station_key').select(['key_id', 'public_key']).execute();
  return rows.map((r) => ({ keyId: r.key_id, publicKey: r.public_key }));
}

/** Raw bodies of recorded HQ feed messages of one type (StationKeys, BadgeRevoked), oldest first. */
export async function inboxBodies(q: Q, type: string): Promise<string[]> {
  const rows = await q
    .selectFrom('inbox')
    .select('body')
    .where('type', '=', type)
    .where('status', '!=', 'quarantined')
    .orderBy('received_at')
    .execute();
  return rows.map((r) => r.body);
}

// ---- badges --------------------------------------------------------------------------------------------------------

export async function latestBadge(q: Q, registrantId: string): Promise<Selectable<BadgeRow> | undefined> {
  return q
    .selectFrom('badge')
    .selectAll()
    .where('registrant_id', '=', registrantId)
    .orderBy('version', 'desc')
    .executeTakeFirst();
}

export async function getBadge(q: Q, registrantId: string, version: number): Promise<Selectable<BadgeRow> | undefined> {
  return q
    .selectFrom('badge')
    .selectAll()
    .where('registrant_id', '=', registrantId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function insertBadge(
  q: Q,
  b: { registrantId: string; version: number; templateId: string; code: string; keyId: string; at: string },
): Promise<void> {
  await q
    .insertInto('badge')
    .values({
      registrant_id: b.registrantId,
      version: b.version,
      status: 'issued',
      template_id: b.templateId,
      code: b.code,
      key_id: b.keyId,
      created_at: b.at,
      printed_at: null,
      voided_at: null,
      void_reason: null,
    })
    .execute();
}

export async function markBadgePrinted(q: Q, registrantId: string, version: number, at: string): Promise<void> {
  await q
    .updateTable('badge')
    .set({ status: 'printed', printed_at: at })
    .where('registrant_id', '=', registrantId)
    .where('version', '=', version)
    .where('status', '=', 'issued')
    .execute();
}

export async function voidBadge(
  q: Q,
  registrantId: string,
  version: number,
  reason: string,
  at: string,
): Promise<boolean> {
  const r = await q
    .updateTable('badge')
    .set({ status: 'voided', voided_at: at, void_reason: reason })
    .where('registrant_id', '=', registrantId)
    .where('version', '=', version)
    .where('status', '!=', 'voided')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Voided versions and the newest version per registrant, for door scanning. */
export async function badgeRevocations(
  q: Q,
  registrantId: string,
): Promise<{ voided: number[]; latest: number | null }> {
  const rows = await q
    .selectFrom('badge')
    .select(['version', 'status'])
    .where('registrant_id', '=', registrantId)
    .execute();
  return {
    voided: rows.filter((r) => r.status === 'voided').map((r) => r.version),
    latest: rows.length ? Math.max(...rows.map((r) => r.version)) : null,
  };
}

// ---- printers ------------------------------------------------------------------------------------------------------

export async function upsertPrinter(q: Q, p: { uri: string; language: string; media: string }): Promise<void> {
  await q
    .insertInto('printer')
    .values({
      uri: p.uri,
      language: p.language,
      media: p.media,
      state: null,
      words: null,
      checked_at: null,
      last_job_at: null,
    })
    .onConflict((oc) => oc.column('uri').doUpdateSet({ language: p.language, media: p.media }))
    .execute();
}

export async function recordPrinterStatus(
  q: Q,
  uri: string,
  s: { state: string; words: string; paperLow: boolean; at: string },
): Promise<void> {
  await q
    .updateTable('printer')
    .set({ state: s.state, words: s.words, paper_low: s.paperLow ? 1 : 0, checked_at: s.at })
    .where('uri', '=', uri)
    .execute();
}

export async function listPrinters(q: Q): Promise<Selectable<PrinterRow>[]> {
  return q.selectFrom('printer').selectAll().orderBy('uri').execute();
}

// ---- jobs ----------------------------------------------------------------------------------------------------------

export type JobMeta = Omit<Selectable<PrintJobRow>, 'bytes'> & { byte_count: number };

const metaColumns = [
  'id',
  'printer_uri',
  'kind',
  'registrant_id',
  'badge_version',
  'status',
  'words',
  'reason',
  'reprint_of',
  'staff_id',
  'created_at',
  'sending_at',
  'finished_at',
  'warnings_json',
] as const;

export async function insertJob(
  q: Q,
  j: {
    id: string;
    printerUri: string;
    kind: 'badge' | 'test' | 'receipt' | 'divider';
    registrantId: string | null;
    badgeVersion: number | null;
    reason: string | null;
    reprintOf: string | null;
    staffId: string | null;
    bytes: Uint8Array;
    at: string;
    warnings?: BadgeWarning[];
  },
): Promise<void> {
  await q
    .insertInto('print_job')
    .values({
      id: j.id,
      printer_uri: j.printerUri,
      kind: j.kind,
      registrant_id: j.registrantId,
      badge_version: j.badgeVersion,
      status: 'queued',
      words: null,
      reason: j.reason,
      reprint_of: j.reprintOf,
      staff_id: j.staffId,
      bytes: j.bytes,
      created_at: j.at,
      sending_at: null,
      finished_at: null,
      warnings_json: j.warnings && j.warnings.length > 0 ? JSON.stringify(j.warnings) : null,
    })
    .execute();
}

export async function getJob(q: Q, id: string): Promise<JobMeta | undefined> {
  const r = await q
    .selectFrom('print_job')
    .select([...metaColumns, (eb) => eb.fn<number>('length', ['bytes']).as('byte_count')])
    .where('id', '=', id)
    .executeTakeFirst();
  return r;
}

export async function listJobs(
  q: Q,
  f: { status?: PrintJobStatus; registrantId?: string; limit: number },
): Promise<JobMeta[]> {
  let query = q
    .selectFrom('print_job')
    .select([...metaColumns, (eb) => eb.fn<number>('length', ['bytes']).as('byte_count')]);
  if (f.status) query = query.where('status', '=', f.status);
  if (f.registrantId) query = query.where('registrant_id', '=', f.registrantId);
  return query.orderBy('id', 'desc').limit(f.limit).execute();
}

export async function jobsOfRegistrant(q: Q, registrantId: string): Promise<JobMeta[]> {
  return listJobs(q, { registrantId, limit: 1000 });
}

/** The oldest queued job of a printer, with its bytes. */
export async function nextQueuedJob(
  q: Q,
  printerUri: string,
): Promise<{ id: string; bytes: Uint8Array; createdAt: string } | undefined> {
  const r = await q
    .selectFrom('print_job')
    .select(['id', 'bytes', 'created_at'])
    .where('printer_uri', '=', printerUri)
    .where('status', '=', 'queued')
    .orderBy('id')
    .executeTakeFirst();
  return r ? { id: r.id, bytes: r.bytes, createdAt: r.created_at } : undefined;
}

export async function printersWithQueuedJobs(q: Q): Promise<string[]> {
  const rows = await q
    .selectFrom('print_job')
    .select('printer_uri')
    .distinct()
    .where('status', '=', 'queued')
    .execute();
  return rows.map((r) => r.printer_uri);
}

export async function jobsInStatus(q: Q, status: PrintJobStatus): Promise<JobMeta[]> {
  return listJobs(q, { status, limit: 100_000 });
}

/** Conditional transition: only from one of `from`; returns whether the row changed. */
export async function transitionJob(
  q: Q,
  id: string,
  from: PrintJobStatus[],
  set: { status: PrintJobStatus; words?: string | null; sending_at?: string; finished_at?: string },
): Promise<boolean> {
  const r = await q
    .updateTable('print_job')
    .set(set)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function touchPrinterJob(q: Q, uri: string, at: string): Promise<void> {
  await q.updateTable('printer').set({ last_job_at: at }).where('uri', '=', uri).execute();
}

// ---- print log -----------------------------------------------------------------------------------------------------

export async function appendPrintLog(
  q: Q,
  e: {
    at: string;
    jobId: string | null;
    printerUri: string;
    event: string;
    status: string | null;
    words: string | null;
    actor: string;
  },
): Promise<void> {
  await q
    .insertInto('print_log')
    .values({
      at: e.at,
      job_id: e.jobId,
      printer_uri: e.printerUri,
      event: e.event,
      status: e.status,
      words: e.words,
      actor: e.actor,
    })
    .execute();
}

export async function listPrintLog(q: Q, f: { jobId?: string; limit: number }) {
  let query = q.selectFrom('print_log').selectAll();
  if (f.jobId) query = query.where('job_id', '=', f.jobId);
  return query.orderBy('seq', 'desc').limit(f.limit).execute();
}

// ---- what goes on a badge ------------------------------------------------------------------------------------------

export interface RegistrantBadgeData {
  conference: { id: string; name: string; timezone: string; startsOn: string; endsOn: string; logo: string | null };
  registrant: {
    id: string;
    firstName: string;
    lastName: string;
    company: string;
    profile: Omit<RegistrantProfile, 'sessionRoles'>;
  };
  ticketType: { id: string; name: string; badgeTemplate: string; badgeLabel: string | null; days: number[] | null };
  /** Seats held and sessions they speak at or moderate (`role`), by start. */
  sessions: { title: string; startsAt: string; endsAt: string; role: 'speaker' | 'moderator' | null }[];
}

export async function registrantBadgeData(q: Q, registrantId: string): Promise<RegistrantBadgeData | undefined> {
  const r = await q
    .selectFrom('registrant')
    .innerJoin('ticket_type', 'ticket_type.id', 'registrant.ticket_type_id')
    .innerJoin('conference', 'conference.id', 'registrant.conference_id')
    .select([
      'registrant.id as id',
      'registrant.first_name',
      'registrant.last_name',
      'registrant.company',
      'registrant.profile_json',
      'ticket_type.id as tt_id',
      'ticket_type.name as tt_name',
      'ticket_type.badge_template',
      'ticket_type.badge_label',
      'ticket_type.days_json',
      'conference.id as conf_id',
      'conference.name as conf_name',
      'conference.timezone',
      'conference.starts_on',
      'conference.ends_on',
      'conference.logo',
    ])
    .where('registrant.id', '=', registrantId)
    .executeTakeFirst();
  if (!r) return undefined;
  const { sessionRoles, ...profile } = parseJson<RegistrantProfile>(r.profile_json) ?? {};
  const roleOf = new Map((sessionRoles ?? []).map((s) => [s.sessionId, s.role]));
  const seats = await q
    .selectFrom('entitlement')
    .select('session_id')
    .where('registrant_id', '=', registrantId)
    .execute();
  const ids = [...new Set([...seats.map((s) => s.session_id), ...roleOf.keys()])];
  const sessions =
    ids.length === 0
      ? []
      : await q
          .selectFrom('session')
          .select(['id', 'title', 'starts_at', 'ends_at'])
          .where('id', 'in', ids)
          .orderBy('starts_at')
          .execute();
  return {
    conference: {
      id: r.conf_id,
      name: r.conf_name,
      timezone: r.timezone,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      logo: r.logo,
    },
    registrant: { id: r.id, firstName: r.first_name, lastName: r.last_name, company: r.company, profile },
    ticketType: {
      id: r.tt_id,
      name: r.tt_name,
      badgeTemplate: r.badge_template,
      badgeLabel: r.badge_label,
      days: parseJson<number[]>(r.days_json),
    },
    sessions: sessions.map((s) => ({
      title: s.title,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      role: roleOf.get(s.id) ?? null,
    })),
  };
}

/** JSON this station wrote itself (validated on the way in); null for NULL. */
function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

// ---- prints known anywhere -----------------------------------------------------------------------------------------

export interface BadgePrintRecord {
  station: string;
  jobId: string;
  registrantId: string;
  version: number;
  printedAt: string;
}

/** Records a print (this station's or another's); false if it was already known. */
export async function recordPrint(q: Q, p: BadgePrintRecord): Promise<boolean> {
  const r = await q
    .insertInto('badge_print')
    .values({
      station: p.station,
      job_id: p.jobId,
      registrant_id: p.registrantId,
      version: p.version,
      printed_at: p.printedAt,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  const fresh = Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  // The newest version printed: a change that called for a reprint is on paper now.
  if (fresh) {
    await q
      .updateTable('registrant')
      .set({ needs_reprint: 0 })
      .where('id', '=', p.registrantId)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('badge_print')
              .select('job_id')
              .where('registrant_id', '=', p.registrantId)
              .where('version', '>', p.version),
          ),
        ),
      )
      .execute();
  }
  return fresh;
}

/** Every print of a registrant's badges known here, oldest first. */
export async function printsOf(q: Q, registrantId: string): Promise<BadgePrintRecord[]> {
  const rows = await q
    .selectFrom('badge_print')
    .selectAll()
    .where('registrant_id', '=', registrantId)
    .orderBy('printed_at')
    .orderBy('station')
    .execute();
  return rows.map((r) => ({
    station: r.station,
    jobId: r.job_id,
    registrantId: r.registrant_id,
    version: r.version,
    printedAt: r.printed_at,
  }));
}

/**
 * Badges printed by two stations with the same version (neither knew of the other), not yet settled by a newer
 * version printed since.
 */
export async function duplicatePrints(q: Q): Promise<{ registrantId: string; version: number }[]> {
  return q
    .selectFrom('badge_print as p')
    .select(['p.registrant_id as registrantId', 'p.version'])
    .groupBy(['p.registrant_id', 'p.version'])
    .having((eb) => eb.fn.count<number>('p.station').distinct(), '>', 1)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('badge_print as n')
            .select('n.job_id')
            .whereRef('n.registrant_id', '=', 'p.registrant_id')
            .whereRef('n.version', '>', 'p.version'),
        ),
      ),
    )
    .orderBy('p.registrant_id')
    .execute();
}

/** Badge versions voided here (reprints, reversals), newest first, with the person's name when known. */
export async function voidedBadges(
  q: Q,
  limit: number,
): Promise<
  {
    registrant_id: string;
    version: number;
    voided_at: string;
    void_reason: string | null;
    first_name: string | null;
    last_name: string | null;
  }[]
> {
  return q
    .selectFrom('badge')
    .leftJoin('registrant', 'registrant.id', 'badge.registrant_id')
    .select([
      'badge.registrant_id',
      'badge.version',
      'badge.voided_at',
      'badge.void_reason',
      'registrant.first_name',
      'registrant.last_name',
    ])
    .where('badge.status', '=', 'voided')
    .where('badge.voided_at', 'is not', null)
    .orderBy('badge.voided_at', 'desc')
    .limit(limit)
    .execute() as Promise<
    {
      registrant_id: string;
      version: number;
      voided_at: string;
      void_reason: string | null;
      first_name: string | null;
      last_name: string | null;
    }[]
  >;
}

export async function jobBytes(q: Q, id: string): Promise<Uint8Array | undefined> {
  return (await q.selectFrom('print_job').select('bytes').where('id', '=', id).executeTakeFirst())?.bytes;
}
