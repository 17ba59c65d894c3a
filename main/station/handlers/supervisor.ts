/**
 * The supervisor console's reads and its few setup commands (issue 14): the availability board, the sync engine in
 * detail, the station's setup, a connection string tried before anyone relies on it, a new PIN, the CSV mapping
 * preview, and badges that no longer open doors. The reconciliation actions are `cases.*` (handlers/cases.ts).
 */
import {
  restartFields,
  type BoardSession,
  type ConnectionCheck,
  type CsvPreview,
  type SettingsField,
  type SettingsSaved,
  type PolicyParamName,
  type PolicySetting,
  type SessionBoard,
  type StationSetup,
  type SyncDetails,
} from '../../../core/api';
import { parsePrinterUri } from '../../../core/badge/printer';
import { defaultPolicy, registrantCsvFields } from '../../../core/conference';
import { csvFieldNeed, suggestCsvMapping, unmappedRequired, type CsvColumnMapping } from '../../../core/csv-mapping';
import { boardVerdict } from '../../../core/board';
import { decideSale } from '../../../core/policy';
import { DomainError } from '../../../core/result';
import { catalogIds, getConference } from '../../store/catalog';
import { upsertPrinter, voidedBadges } from '../../store/printing';
import { outboxSeqs, quarantinedMessages } from '../../store/queues';
import { allotmentsInHand, boardRows } from '../../store/sales';
import { findStaff, hashPin, setPinHash } from '../../store/staff';
import { checkConnection } from '../../sync/connection-check';
import { parseConnectionString, redactConnectionString } from '../../sync/config';
import { planCsvImport, readCsvHead } from '../csv-import';
import {
  audit,
  inTx,
  integrityView,
  nowIso,
  policyOf,
  staleness,
  type SettingsChange,
  type StationContext,
} from '../context';
import type { Handlers } from '../serve';
import { checkSupervisor } from './staff';
import { syncHandlers } from './sync';

/** The sync screen's window of link history. */
export const HISTORY_WINDOW_MS = 60 * 60_000;

type SupervisorChannels =
  | 'sessions.board'
  | 'sync.details'
  | 'settings.get'
  | 'settings.testConnection'
  | 'settings.save'
  | 'staff.setPin'
  | 'registrants.previewCsv'
  | 'badge.voids';

/**
 * Records a connectivity change for the sync screen; when the link comes back with events waiting, notes the
 * backlog so the screen can show it draining (read outside any transaction: a snapshot is enough for a bar).
 */
export function watchLink(ctx: StationContext, state: SyncDetails['status']['state'], reason: string): void {
  const watch = ctx.sync.watch;
  watch.record(state, reason, ctx.clock.now());
  if (!watch.comesBack(state)) return;
  const at = ctx.clock.now();
  void outboxSeqs(ctx.db)
    .then(({ oldestUnsent, last }) =>
      watch.setDrainStart(oldestUnsent === null ? null : { firstSeq: oldestUnsent, lastSeq: last, since: at }),
    )
    .catch(() => {}); // a closing station: the bar is only a picture
}

export function supervisorHandlers(ctx: StationContext): Pick<Handlers, SupervisorChannels> {
  const syncStatus = syncHandlers(ctx)['sync.status'];
  const iso = (ms: number) => new Date(ms).toISOString();

  async function setup(): Promise<StationSetup> {
    const conference = await getConference(ctx.db);
    const conferencePolicy = conference
      ? (JSON.parse(conference.policy_json ?? '{}') as Partial<typeof defaultPolicy>)
      : {};
    const policy: PolicySetting[] = (Object.keys(defaultPolicy) as PolicyParamName[]).map((name) => {
      const c = conferencePolicy[name] ?? null;
      const s = ctx.policyOverrides[name] ?? null;
      return {
        name,
        value: s ?? c ?? defaultPolicy[name],
        defaultValue: defaultPolicy[name],
        conference: c,
        station: s,
        source: s !== null ? 'station' : c !== null ? 'conference' : 'default',
      };
    });
    const cs = ctx.sync.config?.connectionString ?? null;
    const parsed = cs === null ? null : parseConnectionString(cs);
    return {
      stationId: ctx.stationId,
      mode: ctx.settings.mode,
      connection: {
        configured: cs !== null,
        masked: cs === null ? null : redactConnectionString(cs),
        endpoint: parsed?.ok ? parsed.value.endpoint : null,
        keyName: parsed?.ok ? parsed.value.keyName : null,
      },
      printers: ctx.settings.printers,
      policy,
      integrity: integrityView(ctx),
      pendingRestart: [...ctx.pendingRestart],
    };
  }

  /** A connection string tried against this station's topics (send and listen). */
  function tryConnection(connectionString: string, stationId = ctx.stationId): Promise<ConnectionCheck> {
    const c = ctx.sync.config;
    return checkConnection(
      {
        connectionString,
        eventsTopic: c?.eventsTopic ?? 'station-events',
        feedTopic: c?.feedTopic ?? 'station-feed',
        ...(c?.feedSubscription ? { feedSubscription: c.feedSubscription } : {}),
      },
      stationId,
    );
  }

  return {
    'sessions.board': async () => {
      const now = ctx.clock.now();
      const conference = await getConference(ctx.db);
      const conferencePolicy = conference
        ? (JSON.parse(conference.policy_json ?? '{}') as Partial<typeof defaultPolicy>)
        : {};
      const s = await staleness(ctx, ctx.db);
      const online = ctx.isOnline();
      const phaseRank = { upcoming: 0, running: 1, over: 2 } as const;
      const sessions = (await boardRows(ctx.db)).map((r): BoardSession => {
        const starts = Date.parse(r.starts_at);
        const phase = now < starts ? 'upcoming' : now < Date.parse(r.ends_at) ? 'running' : 'over';
        const d =
          r.sellable === 1
            ? decideSale({
                online,
                capacity: r.capacity,
                sold: r.sold,
                allotted: r.allotted,
                salesRatePerMin: r.sales_rate,
                allotmentRemaining: r.held_here,
                staleness: s,
                pendingOverdraft: r.pending_at_risk,
                override: false,
                params: policyOf(conferencePolicy, r.policy_json, ctx.policyOverrides),
              })
            : null;
        return {
          id: r.id,
          title: r.title,
          room: r.room,
          startsAt: r.starts_at,
          endsAt: r.ends_at,
          sellable: r.sellable === 1,
          phase,
          capacity: r.capacity,
          sold: r.sold,
          allotted: r.allotted,
          heldHere: r.held_here,
          free: Math.max(0, r.capacity - r.sold - r.allotted),
          over: Math.max(0, r.sold - r.capacity),
          pendingHere: r.pending_here,
          salesRatePerMin: r.sales_rate,
          hqTime: r.hq_time,
          ageMin: r.hq_time === null ? null : Math.max(0, Math.round((now - Date.parse(r.hq_time)) / 6000) / 10),
          verdict:
            d === null
              ? null
              : {
                  allowed: d.allowed,
                  tier: d.tier,
                  failed: d.failed,
                  state: boardVerdict(d, {
                    capacity: r.capacity,
                    sold: r.sold,
                    allotted: r.allotted,
                    heldHere: r.held_here,
                  }),
                },
          openCases: r.open_cases,
        };
      });
      // boardRows is in start order already; a stable sort keeps it within each phase.
      sessions.sort((a, b) => phaseRank[a.phase] - phaseRank[b.phase]);
      return { at: iso(now), sessions } satisfies SessionBoard;
    },

    'sync.details': async (req, caller) => {
      const now = ctx.clock.now();
      const status = await syncStatus(req, caller);
      const h = ctx.sync.watch.history(now, HISTORY_WINDOW_MS);
      const { oldestUnsent } = await outboxSeqs(ctx.db);
      const drain = ctx.sync.watch.drain(oldestUnsent);
      return {
        status,
        history: {
          from: iso(h.from),
          to: iso(h.to),
          spans: h.spans.map((sp) => ({ state: sp.state, reason: sp.reason, from: iso(sp.from), to: iso(sp.to) })),
        },
        drain: drain === null ? null : { total: drain.total, sent: drain.sent, since: iso(drain.since) },
        quarantined: (await quarantinedMessages(ctx.db, 100)).map((m) => ({
          id: m.id,
          reason: m.note ?? 'no reason recorded',
          receivedAt: m.received_at,
        })),
        allotments: (await allotmentsInHand(ctx.db)).map((a) => ({
          allotmentId: a.id,
          sessionId: a.session_id,
          title: a.title ?? a.session_id,
          seats: a.seats,
          used: a.used,
          remaining: a.seats - a.used,
          grantedAt: a.granted_at,
          startsAt: a.starts_at,
        })),
      } satisfies SyncDetails;
    },

    'settings.get': setup,

    'settings.testConnection': async ({ connectionString }) => tryConnection(connectionString),

    // Everything is checked before anything is written: the PIN, the station id, the connection (tried on the bus).
    'settings.save': async (req): Promise<SettingsSaved> => {
      const store = ctx.settingsStore;
      if (!store)
        throw new DomainError('conflict', 'This station has no settings file to save into; nothing was saved.');
      const supervisor = await checkSupervisor(ctx, req.supervisor);
      const change: SettingsChange = {};
      const saved: SettingsField[] = [];
      if (req.stationId !== undefined && req.stationId !== ctx.stationId) {
        // HQ orders each station's events by its id and seq: a station that has spoken keeps its name.
        if ((await outboxSeqs(ctx.db)).last > 0)
          throw new DomainError(
            'conflict',
            `Station "${ctx.stationId}" has already sent events to HQ under its id, so it keeps it: set up "${req.stationId}" as a new station (its own data folder). Nothing was saved.`,
          );
        change.stationId = req.stationId;
        saved.push('stationId');
      }
      if (req.mode !== undefined && req.mode !== ctx.settings.mode) {
        change.mode = req.mode;
        saved.push('mode');
      }
      let connectionCheck: ConnectionCheck | null = null;
      if (req.connectionString === null && ctx.sync.config !== null) {
        change.connectionString = null;
        saved.push('connection');
      } else if (typeof req.connectionString === 'string') {
        // Listening is tried on the subscription of the id the station will have.
        connectionCheck = await tryConnection(req.connectionString, change.stationId);
        if (!connectionCheck.ok) {
          const failed = connectionCheck.steps.find((st) => !st.ok);
          const why = failed?.words ?? 'the test failed';
          throw new DomainError('invalid_input', `This connection string does not work (${why}). Nothing was saved.`, {
            issues: [{ path: 'connectionString', message: why }],
          });
        }
        change.connectionString = req.connectionString;
        saved.push('connection');
      }
      if (req.printers !== undefined && JSON.stringify(req.printers) !== JSON.stringify(ctx.settings.printers)) {
        change.printers = req.printers.map((p) => p.trim());
        saved.push('printers');
      }
      if (req.policy !== undefined && JSON.stringify(req.policy) !== JSON.stringify(ctx.policyOverrides)) {
        change.policy = req.policy;
        saved.push('policy');
      }
      if (saved.length > 0) {
        try {
          await store.save(change);
        } catch (e) {
          throw new DomainError(
            'conflict',
            `The settings could not be saved: ${e instanceof Error ? e.message : String(e)}. Nothing was saved.`,
          );
        }
        // Live: the next sale decides with the new policy, the next print goes to the new printers.
        if (change.policy) {
          for (const k of Object.keys(ctx.policyOverrides)) delete ctx.policyOverrides[k as PolicyParamName];
          Object.assign(ctx.policyOverrides, change.policy);
        }
        if (change.printers) {
          for (const uri of change.printers) {
            const p = parsePrinterUri(uri);
            if (p.ok)
              await upsertPrinter(ctx.db, {
                uri: p.printer.uri,
                language: p.printer.language,
                media: p.printer.media.id,
              });
          }
          ctx.settings.printers = change.printers;
        }
        for (const f of saved) if (restartFields.includes(f)) ctx.pendingRestart.add(f);
        await inTx(ctx, async (tx) =>
          audit(ctx, tx, {
            actor: supervisor.id,
            action: 'settings.save',
            subject: ctx.stationId,
            // Which fields, never the connection string.
            details: { fields: saved, at: nowIso(ctx) },
          }),
        );
      }
      return {
        saved,
        restartNeeded: saved.filter((f) => restartFields.includes(f)),
        connectionCheck,
        setup: await setup(),
      };
    },

    'staff.setPin': async ({ id: staffId, pin, by }) => {
      const supervisor = await checkSupervisor(ctx, by);
      const target = await findStaff(ctx.db, staffId);
      if (!target) throw new DomainError('not_found', `No staff member with id "${staffId}".`);
      const pinHash = await hashPin(pin);
      return inTx(ctx, async (tx) => {
        await setPinHash(tx, staffId, pinHash);
        audit(ctx, tx, {
          actor: supervisor.id,
          action: 'staff.setPin',
          subject: staffId,
          details: { at: nowIso(ctx) },
        });
        const s = (await findStaff(tx, staffId))!;
        return { id: s.id, name: s.name, role: s.role, lockedUntil: s.locked_until };
      });
    },

    'registrants.previewCsv': async (req) => {
      const head = readCsvHead(req.csv, req.rows);
      const given = Object.keys(req.mapping).length > 0;
      const mapping: CsvColumnMapping = given ? req.mapping : suggestCsvMapping(head.headers);
      const problems = [...head.problems];
      const absent = Object.entries(mapping).filter(([, col]) => !head.headers.includes(col!));
      if (absent.length)
        problems.push(
          `These mapped columns are not in the CSV: ${absent.map(([f, col]) => `${f} → "${col}"`).join(', ')}.`,
        );
      const missing = unmappedRequired(mapping, req.defaults);
      const preview: CsvPreview = {
        headers: head.headers,
        rows: head.rows,
        mapping,
        fields: registrantCsvFields.map((field) => ({
          field,
          need: csvFieldNeed[field],
          column: mapping[field] ?? null,
        })),
        missing,
        problems,
        checks: [],
      };
      if (problems.length || missing.length || head.rows.length === 0) return preview;
      const columns: Record<string, number> = {};
      for (const [field, col] of Object.entries(mapping)) columns[field] = head.headers.indexOf(col!);
      const table = { columns, width: head.headers.length, rows: head.rows };
      const plan = planCsvImport(
        table,
        {
          defaultTicketType: req.defaults.ticketTypeId,
          separator: req.sessionsSeparator,
          known: await catalogIds(ctx.db),
        },
        ctx.registrants,
      );
      const rejected = new Map(plan.rejected.map((r) => [r.line, r.reason]));
      const accepted = new Map(plan.registrants.map((r, i) => [i, r]));
      let i = 0;
      for (const row of head.rows) {
        const reason = rejected.get(row.line);
        if (reason !== undefined) preview.checks.push({ line: row.line, outcome: 'reject', reason });
        else {
          const r = accepted.get(i++)!;
          preview.checks.push({
            line: row.line,
            outcome: ctx.registrants.find(r.id) ? 'update' : 'insert',
            reason: null,
          });
        }
      }
      return preview;
    },

    'badge.voids': async ({ limit }) =>
      (await voidedBadges(ctx.db, limit)).map((b) => ({
        registrantId: b.registrant_id,
        name: b.first_name === null ? null : `${b.first_name} ${b.last_name ?? ''}`.trim(),
        version: b.version,
        voidedAt: b.voided_at,
        reason: b.void_reason ?? 'voided',
      })),
  };
}
