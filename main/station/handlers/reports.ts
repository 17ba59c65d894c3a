/**
 * CSV exports of reconciliation (DESIGN §8): the contact/refund list, and the cases report per session, per
 * station and per sale tier. Written with csv-stringify (the csv-parse project's writer: quoting, embedded commas,
 * quotes and line breaks done right), UTF-8 with a byte order mark and CRLF rows, so spreadsheet programs open
 * accents right. Every station holds every case, so every station exports the same lists.
 */
import { stringify } from 'csv-stringify/sync';
import type { CsvExport } from '../../../core/api';
import { getConference } from '../../store/catalog';
import { caseReportRows, contactRows } from '../../store/cases';
import type { StationContext } from '../context';
import type { Handlers } from '../serve';

type Column<T> = { header: string; value: (row: T) => string | number | null };

/** A cell a spreadsheet would run as a formula (=, +, -, @) is kept as text (OWASP's CSV injection advice). */
const safe = (v: string | number | null): string | number =>
  typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : (v ?? '');

function csv<T>(rows: T[], columns: Column<T>[]): string {
  return stringify(
    rows.map((r) => columns.map((c) => safe(c.value(r)))),
    { bom: true, header: true, columns: columns.map((c) => c.header), record_delimiter: 'windows' },
  );
}

const tierWords: Record<string, string> = {
  online: 'online (waited for HQ)',
  allotment: 'allotment',
  overdraft: 'overdraft (offline)',
  override: 'supervisor override',
  unknown: 'unknown',
};

export function reportHandlers(ctx: StationContext): Pick<Handlers, 'reports.export'> {
  return {
    'reports.export': async ({ report }): Promise<CsvExport> => {
      const conference = (await getConference(ctx.db))?.id ?? 'lanyard';
      const day = new Date(ctx.clock.now()).toISOString().slice(0, 10);
      if (report === 'contacts') {
        const rows = await contactRows(ctx.db);
        const text = csv(rows, [
          { header: 'Registrant', value: (r) => r.registrantId },
          { header: 'First name', value: (r) => r.firstName },
          { header: 'Last name', value: (r) => r.lastName },
          { header: 'Email', value: (r) => r.email },
          { header: 'Company', value: (r) => r.company },
          { header: 'Confirmation code', value: (r) => r.confirmationCode },
          { header: 'Session', value: (r) => r.sessionId },
          { header: 'Session title', value: (r) => r.sessionTitle },
          { header: 'Action', value: (r) => r.action },
          { header: 'Refund', value: (r) => (r.refund ? 'yes' : 'no') },
          { header: 'What to tell them', value: (r) => r.reason },
          { header: 'Case', value: (r) => r.caseId },
          { header: 'Sold at', value: (r) => r.soldBy },
          { header: 'Resolved by', value: (r) => r.resolvedBy },
          { header: 'Resolved at', value: (r) => r.resolvedAt },
          { header: 'Updated at', value: (r) => r.updatedAt },
        ]);
        return { report, filename: `${conference}-contacts-${day}.csv`, rows: rows.length, csv: text };
      }
      const cases = await caseReportRows(ctx.db);
      const now = ctx.clock.now();
      type Line = {
        group: string;
        key: string;
        label: string;
        cases: number;
        open: number;
        overdue: number;
        honor: number;
        reverse: number;
        move: number;
        waitlist: number;
        refuse: number;
        byDeadline: number;
      };
      const lines = new Map<string, Line>();
      const add = (group: string, key: string, label: string, c: (typeof cases)[number]) => {
        const id = `${group}\u0000${key}`;
        const l = lines.get(id) ?? {
          group,
          key,
          label,
          cases: 0,
          open: 0,
          overdue: 0,
          honor: 0,
          reverse: 0,
          move: 0,
          waitlist: 0,
          refuse: 0,
          byDeadline: 0,
        };
        l.cases++;
        if (c.status === 'open') {
          l.open++;
          if (c.due_at && Date.parse(c.due_at) <= now) l.overdue++;
        } else if (c.resolution) l[c.resolution]++;
        if (c.decided_by === 'deadline') l.byDeadline++;
        lines.set(id, l);
      };
      for (const c of cases) {
        add('session', c.session_id, c.session_title ?? c.session_id, c);
        add('station', c.station, c.station.replace(/^station:/, ''), c);
        add('tier', c.tier ?? 'unknown', tierWords[c.tier ?? 'unknown'] ?? c.tier ?? 'unknown', c);
      }
      const order = { session: 0, station: 1, tier: 2 } as Record<string, number>;
      const rows = [...lines.values()].sort((a, b) => order[a.group]! - order[b.group]! || a.key.localeCompare(b.key));
      const text = csv(rows, [
        { header: 'Per', value: (r) => r.group },
        { header: 'Key', value: (r) => r.key },
        { header: 'Name', value: (r) => r.label },
        { header: 'Cases', value: (r) => r.cases },
        { header: 'Open', value: (r) => r.open },
        { header: 'Overdue', value: (r) => r.overdue },
        { header: 'Honored', value: (r) => r.honor },
        { header: 'Reversed', value: (r) => r.reverse },
        { header: 'Moved', value: (r) => r.move },
        { header: 'Waitlisted', value: (r) => r.waitlist },
        { header: 'Refused', value: (r) => r.refuse },
        { header: 'Decided by the deadline', value: (r) => r.byDeadline },
      ]);
      return { report, filename: `${conference}-cases-${day}.csv`, rows: rows.length, csv: text };
    },
  };
}
