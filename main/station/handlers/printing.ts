/**
 * Badges and printing (DESIGN §9): preview, print through the durable queue, confirm or reprint an uncertain job,
 * printer status and test pages, and door-side verification of signed badge codes.
 *
 * Badge versions: a registrant's first badge is version 1. Printing again after a badge may exist (printed, or an
 * uncertain job) needs a reason, voids the old version (BadgeVoided; door scanners reject it) and prints a new one,
 * so there is never more than one valid badge per person. A job that failed before sending reuses its version.
 */
import { v7 as uuidv7 } from 'uuid';
import type { DuplicatePrint } from '../../../core/api';
import type { Caller } from '../../../core/access';
import {
  blocksSelfPrint,
  type BadgeVerification,
  type BadgeWarning,
  type PrintJobView,
  type PrinterView,
} from '../../../core/badge/views';
import { parseBadgeCode } from '../../../core/badge/badge-code';
import { badgeName, type NameOrder } from '../../../core/badge/names';
import { parsePrinterUri, type PrinterConfig } from '../../../core/badge/printer';
import { StationKeys } from '../../../core/messages';
import { DomainError } from '../../../core/result';
import { generateStationKey, signBadge, verifyBadge, type StationKeyPair } from '../../printing/badge-keys';
import { badgeContent, composeBadge, previewOf, renderTestJob, type BadgeEnv } from '../../printing/badges';
import { loadBadgeFonts } from '../../printing/fonts';
import { recordBadgePrinted, sqliteJobStore } from '../../printing/job-store';
import { PrintQueue } from '../../printing/queue';
import { createTransport } from '../../printing/create-transport';
import type { TransportFactory } from '../../printing/transport';
import { loadBadgeAssets } from '../../printing/templates';
import { getConference, getRegistrantRow } from '../../store/catalog';
import type { Db, Tx } from '../../store/db';
import {
  activeStationKey,
  appendPrintLog,
  duplicatePrints,
  printsOf,
  badgeRevocations,
  getJob,
  inboxBodies,
  insertBadge,
  insertJob,
  insertStationKey,
  jobBytes,
  jobsOfRegistrant,
  latestBadge,
  listJobs,
  listPrintLog,
  listPrinters,
  ownPublicKeys,
  registrantBadgeData,
  transitionJob,
  upsertPrinter,
  voidBadge,
  type JobMeta,
} from '../../store/printing';
import { revocationsOf } from '../../store/cases';
import { localDay, localTime } from '../../../core/calendar';
import { standingProblems } from '../../../core/validity';
import { bitmapToPng } from '../../printing/bitmap-png';
import { dividerLines, drawSlip, receiptLines, slipBytes } from '../../printing/slips';
import { listPayments } from '../../store/money';
import { batchPrinting, type BatchChannels } from './batch-print';
import { refuseIf, registrationRules } from './validity';
import {
  actor,
  audit,
  emit,
  inTx,
  lastContact,
  noteAppended,
  nowIso,
  staleness,
  type StationContext,
} from '../context';
import type { Handlers } from '../serve';

export interface PrintingOptions {
  /** How bytes reach a printer; default: Lanyard's TCP, USB device file and Windows spooler transports. */
  transportFor?: TransportFactory;
  /** Where badge templates and logos live; default assets/badge-templates. */
  assetsDir?: string;
  /**
   * Folders of extra font files (.ttf, .otf, .ttc) for badges, used ahead of the operating system's: a CJK font
   * pack on a machine without one, region-specific CJK faces, or a script the bundled fonts lack.
   */
  fontDirs?: string[];
  /** Use the operating system's CJK fonts (default true; false shows what a station without them would print). */
  osFonts?: boolean;
  /** Printer health polling interval (ms); 0 turns it off. Default 30 s. */
  healthPollMs?: number;
  /** Queued jobs older than this when the station starts are not printed. Default 10 minutes. */
  maxQueuedAgeMs?: number;
  softwareVersion?: string;
  onError?: (where: string, e: unknown) => void;
}

type PrintingChannels =
  | 'badge.preview'
  | 'badge.print'
  | 'badge.prints'
  | 'badge.duplicates'
  | 'print.jobs'
  | 'print.confirm'
  | 'print.reprint'
  | 'print.log'
  | 'printer.status'
  | 'printer.list'
  | 'printer.testPage'
  | 'badge.verify'
  | 'badge.stationKey'
  | 'receipt.preview'
  | 'receipt.print'
  | BatchChannels;

const DEFAULT_PREVIEW_PRINTER = 'tcp://127.0.0.1:9100';

/** Someone at a kiosk with no member of staff signed in: they may print their own first badge, nothing more. */
const isAttendee = (caller: Caller) =>
  caller.mode === 'kiosk' && caller.session === null && caller.transport !== 'internal' && caller.transport !== 'cli';

export interface Printing {
  handlers: Pick<Handlers, PrintingChannels>;
  /**
   * Starts the print queue now (otherwise on the first printing call): jobs that were `sending` when the station
   * stopped become `uncertain` for staff to confirm, and the configured printers are checked and polled.
   */
  start(): Promise<void>;
}

export function printingService(ctx: StationContext, opts: PrintingOptions = {}): Printing {
  let env: BadgeEnv | undefined;
  // Templates and fonts load on first use: a station that never prints never reads them.
  const getEnv = (): BadgeEnv =>
    (env ??= {
      assets: loadBadgeAssets(opts.assetsDir),
      fonts: loadBadgeFonts({ dirs: opts.fontDirs ?? [], osFonts: opts.osFonts ?? true }),
    });
  let disposed = false;
  const queue = new PrintQueue(
    sqliteJobStore(ctx.db, {
      stationId: ctx.stationId,
      now: ctx.clock.now,
      onOutbox: (seq) => ctx.events.emit({ type: 'outbox.appended', lastSeq: seq }),
    }),
    opts.transportFor ?? createTransport,
    {
      ...(opts.maxQueuedAgeMs !== undefined ? { maxQueuedAgeMs: opts.maxQueuedAgeMs } : {}),
      onError: (where, e) => {
        if (!disposed) (opts.onError ?? ((w, x) => console.error(`[printing] ${w}:`, x)))(where, e);
      },
    },
  );
  let stopPolling: (() => void) | null = null;
  let started: Promise<void> | null = null;
  // Lazily, on the first printing call: a station that never prints never touches the queue.
  const start = () =>
    (started ??= (async () => {
      for (const uri of ctx.settings.printers) {
        const p = parsePrinterUri(uri);
        if (p.ok)
          await upsertPrinter(ctx.db, { uri: p.printer.uri, language: p.printer.language, media: p.printer.media.id });
      }
      await queue.resume();
    })().then(() => {
      const every = opts.healthPollMs ?? 30_000;
      if (every > 0 && !disposed)
        stopPolling = queue.pollHealth(every, async () => (await listPrinters(ctx.db)).map((p) => p.uri));
    }));
  // Every move of a job reaches the screens (the kiosk's "take your badge", the desk's queue).
  const jobEvents = queue.jobEvents$.subscribe((e) => {
    void getJob(ctx.db, e.jobId).then(
      (j) =>
        ctx.events.emit({
          type: 'print.job',
          jobId: e.jobId,
          printer: e.printerUri,
          state: e.state,
          words: e.words,
          registrantId: j?.registrant_id ?? null,
        }),
      () => {}, // closing: nobody is listening any more
    );
  });
  ctx.events.onClose(() => {
    disposed = true;
    jobEvents.unsubscribe();
    stopPolling?.();
    queue.dispose();
  });

  /**
   * The printer a request names, or the station's default. A screen may only use the station's configured printers
   * (a page must not make the station open connections of its choosing); the operator's CLI may name any.
   */
  const printerFor = (uri: string | undefined, caller: Caller): PrinterConfig => {
    const configured = ctx.settings.printers;
    if (uri === undefined) {
      if (configured.length === 0)
        throw new DomainError(
          'conflict',
          'No printer is configured on this station; name one (--printer) or add one to its configuration.',
          { reason: 'other' },
        );
      return printerOf(configured[0]!);
    }
    if ((caller.transport === 'ipc' || caller.transport === 'ws') && !configured.includes(uri.trim())) {
      throw new DomainError('forbidden', 'That printer is not one of this station’s printers.', { need: 'mode' });
    }
    return printerOf(uri);
  };

  const printerOf = (uri: string): PrinterConfig => {
    const p = parsePrinterUri(uri);
    if (!p.ok) throw new DomainError('invalid_input', `Printer: ${p.reason}.`);
    return p.printer;
  };
  const waitBudget = (p: PrinterConfig) =>
    p.timeouts.connectMs + 2 * p.timeouts.statusMs + 2 * p.timeouts.writeMs + 2000;

  const finishRequest = async (jobId: string, printer: PrinterConfig, wait: boolean): Promise<PrintJobView> => {
    queue.kick(printer.uri);
    if (wait) await queue.waitFor(jobId, waitBudget(printer));
    return jobView((await getJob(ctx.db, jobId))!);
  };

  /** The station's signing key, created (and announced to HQ) on first use. */
  const stationKey = async (tx: Tx): Promise<StationKeyPair> => {
    const row = await activeStationKey(tx);
    if (row) return { keyId: row.key_id, publicKey: row.public_key, privateKey: row.private_key };
    const key = generateStationKey();
    const at = nowIso(ctx);
    await insertStationKey(tx, { ...key, at });
    const conference = await getConference(tx);
    if (conference) {
      emit(
        ctx,
        tx,
        'StationHello',
        {
          stationId: ctx.stationId,
          publicKey: key.publicKey,
          keyId: key.keyId,
          softwareVersion: opts.softwareVersion ?? '0.1.0',
        },
        null,
        {
          stationId: ctx.stationId,
          conferenceId: conference.id,
          at,
        },
      );
    }
    audit(ctx, tx, {
      actor: 'station',
      action: 'badge.key.created',
      subject: key.keyId,
      details: { publicKey: key.publicKey },
    });
    return key;
  };

  /** Which version a print now gets, and whether it needs a new badge (voiding the current one). */
  const planVersion = async (q: Db | Tx, registrantId: string, reason: string | undefined, caller: Caller) => {
    const jobs = (await jobsOfRegistrant(q, registrantId)).filter((j) => j.kind === 'badge');
    const active = jobs.find((j) => j.status === 'queued' || j.status === 'sending');
    if (active)
      throw new DomainError(
        'conflict',
        `A badge for this registrant is already being printed (job ${active.id}, ${active.status}).`,
        { reason: 'other' },
      );
    const latest = await latestBadge(q, registrantId);
    // Prints by other stations that reached this one through HQ count as printed here (DESIGN §9).
    const elsewhere = (await printsOf(q, registrantId)).filter((p) => p.station !== `station:${ctx.stationId}`);
    const newestElsewhere = elsewhere.reduce<(typeof elsewhere)[number] | null>(
      (m, p) => (!m || p.version > m.version || (p.version === m.version && p.printedAt > m.printedAt) ? p : m),
      null,
    );
    const refuseSecond = (version: number, printedAt: string, station: string): never => {
      throw new DomainError(
        'conflict',
        'This badge was already printed. To print it again, give a reason (the old badge stops working at the doors).',
        {
          reason: 'already_printed',
          registrantId,
          version,
          printedAt,
          station,
        },
      );
    };
    const localVersion = latest?.version ?? 0;
    if (
      newestElsewhere &&
      newestElsewhere.version >= localVersion &&
      !(latest?.status === 'voided' && latest.version >= newestElsewhere.version)
    ) {
      // An attendee on their own (a kiosk) never prints a second badge: staff do, at a desk, with a reason.
      if (!reason || isAttendee(caller))
        refuseSecond(newestElsewhere.version, newestElsewhere.printedAt, newestElsewhere.station);
      return { version: newestElsewhere.version + 1, reuse: null, voids: newestElsewhere.version };
    }
    if (!latest) return { version: 1, reuse: null, voids: null };
    if (latest.status === 'voided') return { version: latest.version + 1, reuse: null, voids: null };
    const unknown = jobs.find((j) => j.badge_version === latest.version && j.status === 'uncertain');
    if (latest.status === 'printed' || unknown) {
      if (!reason || isAttendee(caller)) {
        if (unknown)
          throw new DomainError(
            'conflict',
            `Job ${unknown.id} may or may not have printed. Look at the printer and confirm it, or reprint with a reason.`,
            { reason: 'print_uncertain', jobId: unknown.id },
          );
        refuseSecond(latest.version, latest.printed_at ?? latest.created_at, `station:${ctx.stationId}`);
      }
      return { version: latest.version + 1, reuse: null, voids: latest.version };
    }
    return { version: latest.version, reuse: latest.code, voids: null };
  };

  /** Renders a badge job and queues it (inside the caller's transaction). */
  const queueBadge = async (
    tx: Tx,
    caller: Caller,
    req: { registrantId: string; printer: PrinterConfig; reason?: string | undefined; reprintOf?: string },
  ) => {
    const data = await registrantBadgeData(tx, req.registrantId);
    if (!data) throw new DomainError('not_found', `No registrant with id "${req.registrantId}".`);
    const by = actor(ctx, tx, caller);
    // Cancelled, refunded or pending (no desk decision yet): no badge, at a kiosk or a desk, with the reason.
    refuseIf(standingProblems((await registrationRules(tx, req.registrantId))!.standing), 'No badge');
    const plan = await planVersion(tx, req.registrantId, req.reason, caller);
    const at = nowIso(ctx);
    if (plan.voids !== null) {
      const why = req.reason ?? 'reprinted';
      await voidBadge(tx, req.registrantId, plan.voids, why, at);
      emit(ctx, tx, 'BadgeVoided', { registrantId: req.registrantId, badgeVersion: plan.voids, reason: why }, null, {
        stationId: ctx.stationId,
        conferenceId: data.conference.id,
        at,
      });
      audit(ctx, tx, {
        actor: by,
        action: 'badge.void',
        subject: req.registrantId,
        details: { version: plan.voids, reason: why, reprintOf: req.reprintOf ?? null },
      });
    }
    const template = getEnv().assets.template(data.ticketType.badgeTemplate);
    let code = plan.reuse;
    if (code === null) {
      const key = await stationKey(tx);
      code = signBadge(
        { conferenceId: data.conference.id, registrantId: req.registrantId, version: plan.version },
        key,
      );
      await insertBadge(tx, {
        registrantId: req.registrantId,
        version: plan.version,
        templateId: template.id,
        code,
        keyId: key.keyId,
        at,
      });
    }
    const badge = composeBadge(badgeContent(data, code, at), data.conference.logo, template, req.printer, getEnv());
    const blocking = badge.warnings.filter(blocksSelfPrint);
    if (isAttendee(caller) && blocking.length > 0) {
      throw new DomainError(
        'conflict',
        `This badge needs a member of staff: ${blocking.map((w) => w.words).join(' ')}`,
        { reason: 'needs_staff', warnings: blocking.map((w) => w.code) },
      );
    }
    const bytes = await badge.bytes();
    const id = uuidv7();
    await upsertPrinter(tx, { uri: req.printer.uri, language: req.printer.language, media: req.printer.media.id });
    await insertJob(tx, {
      id,
      printerUri: req.printer.uri,
      kind: 'badge',
      registrantId: req.registrantId,
      badgeVersion: plan.version,
      reason: req.reason ?? null,
      reprintOf: req.reprintOf ?? null,
      staffId: caller.session?.staffId ?? null,
      bytes,
      at,
      warnings: badge.warnings,
    });
    await appendPrintLog(tx, {
      at,
      jobId: id,
      printerUri: req.printer.uri,
      event: req.reprintOf ? 'reprint' : 'queued',
      status: 'queued',
      words: req.reason ?? null,
      actor: by,
    });
    return id;
  };

  const batch = batchPrinting(ctx, {
    start,
    printerFor,
    queueBadge: (tx, caller, registrantId, printer) => queueBadge(tx, caller, { registrantId, printer }),
    queueDivider: async (tx, caller, label, note, printer) =>
      queueSlip(tx, {
        kind: 'divider',
        registrantId: null,
        printer,
        bytes: slipBytes(
          drawSlip(dividerLines(label, note, printer.media.dpi), printer.media.widthDots, getEnv().fonts),
          printer,
        ),
        reason: null,
        reprintOf: null,
        staffId: caller.session?.staffId ?? null,
        actor: actor(ctx, tx, caller),
        event: 'divider',
      }),
    finish: async (jobId, printer) => {
      queue.kick(printer.uri);
      await queue.waitFor(jobId, waitBudget(printer));
      return (await getJob(ctx.db, jobId))!;
    },
  });

  const handlers: Omit<Pick<Handlers, PrintingChannels>, 'receipt.preview' | 'receipt.print' | BatchChannels> = {
    'badge.preview': async ({ registrantId, printer }, caller) => {
      const p =
        printer === undefined && ctx.settings.printers.length === 0
          ? printerOf(DEFAULT_PREVIEW_PRINTER)
          : printerFor(printer, caller);
      return inTx(ctx, async (tx) => {
        const data = await registrantBadgeData(tx, registrantId);
        if (!data) throw new DomainError('not_found', `No registrant with id "${registrantId}".`);
        const latest = await latestBadge(tx, registrantId);
        // What a print now would carry: the current unprinted badge, or the next version.
        const reuse = latest && latest.status === 'issued' ? latest : null;
        const version = reuse ? reuse.version : (latest?.version ?? 0) + 1;
        const code = reuse
          ? reuse.code
          : signBadge({ conferenceId: data.conference.id, registrantId, version }, await stationKey(tx));
        const template = getEnv().assets.template(data.ticketType.badgeTemplate);
        const pv = previewOf(
          composeBadge(badgeContent(data, code, nowIso(ctx)), data.conference.logo, template, p, getEnv()),
        );
        return {
          registrantId,
          templateId: template.id,
          version,
          code,
          media: p.media.id,
          mode: p.mode,
          png: pv.png.toString('base64'),
          width: pv.width,
          height: pv.height,
          dpi: p.media.dpi,
          lines: pv.lines,
          warnings: pv.warnings,
        };
      });
    },

    'badge.print': async ({ registrantId, printer, reason, wait }, caller) => {
      await start();
      const p = printerFor(printer, caller);
      const id = await inTx(ctx, (tx) => queueBadge(tx, caller, { registrantId, printer: p, reason }));
      return finishRequest(id, p, wait);
    },

    'print.jobs': async ({ status, registrantId, limit }) =>
      (await listJobs(ctx.db, { ...(status ? { status } : {}), ...(registrantId ? { registrantId } : {}), limit })).map(
        jobView,
      ),

    'print.confirm': async ({ jobId, printed }, caller) => {
      await start();
      await inTx(ctx, async (tx) => {
        const by = actor(ctx, tx, caller);
        const job = await getJob(tx, jobId);
        if (!job) throw new DomainError('not_found', `No print job with id "${jobId}".`);
        if (job.status !== 'uncertain')
          throw new DomainError('conflict', `Only an uncertain job can be confirmed; this one is ${job.status}.`, {
            reason: 'other',
          });
        const at = nowIso(ctx);
        const words = printed ? 'confirmed printed by staff' : 'confirmed not printed by staff';
        await transitionJob(tx, jobId, ['uncertain'], {
          status: printed ? 'printed' : 'failed',
          words,
          finished_at: at,
        });
        await appendPrintLog(tx, {
          at,
          jobId,
          printerUri: job.printer_uri,
          event: 'confirmed',
          status: printed ? 'printed' : 'failed',
          words,
          actor: by,
        });
        audit(ctx, tx, { actor: by, action: 'print.confirm', subject: jobId, details: { printed } });
        if (printed && job.kind === 'badge') {
          const latest = job.registrant_id ? await latestBadge(tx, job.registrant_id) : undefined;
          // A badge voided meanwhile (reprinted) stays voided; only the current version becomes "printed".
          if (latest && latest.version === job.badge_version && latest.status === 'issued') {
            const seq = await recordBadgePrinted(tx, ctx.stationId, job, at);
            if (seq !== null) noteAppended(tx, seq);
          }
        }
      });
      return jobView((await getJob(ctx.db, jobId))!);
    },

    'print.reprint': async ({ jobId, reason, printer, wait }, caller) => {
      await start();
      const original = await getJob(ctx.db, jobId);
      if (!original) throw new DomainError('not_found', `No print job with id "${jobId}".`);
      if (original.status === 'queued' || original.status === 'sending')
        throw new DomainError('conflict', `Job ${jobId} is still ${original.status}; wait for it to finish.`, {
          reason: 'other',
        });
      const p = printerFor(printer ?? original.printer_uri, caller);
      const id = await inTx(ctx, async (tx) => {
        if (original.kind === 'receipt' && original.registrant_id)
          return queueReceipt(tx, caller, original.registrant_id, p, jobId, reason);
        if (original.kind === 'divider') return queueCopy(tx, caller, jobId, p, reason);
        if (original.kind === 'test' || !original.registrant_id) return queueTest(tx, p, caller, jobId, reason);
        return queueBadge(tx, caller, { registrantId: original.registrant_id, printer: p, reason, reprintOf: jobId });
      });
      return finishRequest(id, p, wait);
    },

    'print.log': async ({ jobId, limit }) =>
      (await listPrintLog(ctx.db, { ...(jobId ? { jobId } : {}), limit })).map((r) => ({
        seq: r.seq,
        at: r.at,
        jobId: r.job_id,
        printer: r.printer_uri,
        event: r.event,
        status: r.status,
        words: r.words,
        actor: r.actor,
      })),

    'printer.status': async ({ printer }, caller) => {
      await start();
      const p = printerFor(printer, caller);
      await upsertPrinter(ctx.db, { uri: p.uri, language: p.language, media: p.media.id });
      await queue.checkPrinter(p.uri);
      const row = (await listPrinters(ctx.db)).find((r) => r.uri === p.uri)!;
      const view = printerView(row);
      return queue.busy(p.uri)
        ? { ...view, words: `${view.words ?? 'unknown'} (printing now; status from the last job)` }
        : view;
    },

    'printer.list': async () => (await listPrinters(ctx.db)).map(printerView),

    'printer.testPage': async ({ printer, wait }, caller) => {
      await start();
      const p = printerFor(printer, caller);
      const id = await inTx(ctx, (tx) => queueTest(tx, p, caller, null, null));
      return finishRequest(id, p, wait);
    },

    'badge.verify': async ({ code }) => {
      const parsed = parseBadgeCode(code.trim());
      const conference = await getConference(ctx.db);
      const keys = new Map<string, { publicKey: string; station: string | null }>();
      for (const k of await ownPublicKeys(ctx.db))
        keys.set(k.keyId, { publicKey: k.publicKey, station: `station:${ctx.stationId}` });
      for (const body of await inboxBodies(ctx.db, 'StationKeys')) {
        const p = StationKeys.safeParse((JSON.parse(body) as { payload?: unknown }).payload);
        if (p.success) for (const k of p.data.keys) keys.set(k.keyId, { publicKey: k.publicKey, station: k.station });
      }
      const registrantId = parsed.ok ? parsed.claims.registrantId : '';
      const local = parsed.ok ? await badgeRevocations(ctx.db, registrantId) : { voided: [], latest: null };
      // HQ's revocations (applied from the feed, also after a reconnect) and this station's own voids.
      const revoked = parsed.ok ? await revocationsOf(ctx.db, registrantId) : new Map<number, string>();
      for (const v of local.voided) if (!revoked.has(v)) revoked.set(v, '');
      const verdict = verifyBadge(code.trim(), {
        keys,
        conferenceId: conference?.id ?? null,
        revocations: { isRevoked: (_r, v) => revoked.has(v), currentVersion: () => local.latest },
      });
      const claims = verdict.claims;
      const reg = claims ? await getRegistrantRow(ctx.db, claims.registrantId) : undefined;
      const why = !verdict.valid && verdict.reason === 'revoked' && claims ? revoked.get(claims.version) : undefined;
      const list = await revocationListState(ctx);
      const message = `${verdict.valid ? 'Valid badge.' : why ? `${verdict.message.replace(/\.$/, '')}: ${why}.` : verdict.message}${list.message ? ` ${list.message}` : ''}`;
      const result: BadgeVerification = {
        valid: verdict.valid,
        reason: verdict.valid ? null : verdict.reason,
        message,
        conferenceId: claims?.conferenceId ?? null,
        registrantId: claims?.registrantId ?? null,
        version: claims?.version ?? null,
        keyId: claims?.keyId ?? null,
        station: verdict.valid ? verdict.station : null,
        // As the badge writes it (김지우, not "지우 김"), so door staff can compare.
        name: reg
          ? badgeName({
              firstName: reg.first_name,
              lastName: reg.last_name,
              nameOrder: reg.profile_json
                ? (JSON.parse(reg.profile_json) as { nameOrder?: NameOrder }).nameOrder
                : null,
            }).full
          : null,
        revocationList: list,
      };
      return result;
    },

    'badge.prints': async ({ registrantId }) => {
      if (!(await getRegistrantRow(ctx.db, registrantId)))
        throw new DomainError('not_found', `No registrant with id "${registrantId}".`);
      return (await printsOf(ctx.db, registrantId)).map(({ registrantId: r, version, station, printedAt }) => ({
        registrantId: r,
        version,
        station,
        printedAt,
      }));
    },

    'badge.duplicates': async () => {
      const out: DuplicatePrint[] = [];
      for (const d of await duplicatePrints(ctx.db)) {
        const r = await getRegistrantRow(ctx.db, d.registrantId);
        const prints = (await printsOf(ctx.db, d.registrantId)).filter((p) => p.version === d.version);
        out.push({
          registrantId: d.registrantId,
          name: r ? `${r.first_name} ${r.last_name}`.trim() : d.registrantId,
          prints: prints.map(({ registrantId, version, station, printedAt }) => ({
            registrantId,
            version,
            station,
            printedAt,
          })),
        });
      }
      return out;
    },

    'badge.stationKey': async () => {
      const key = await inTx(ctx, (tx) => stationKey(tx));
      return { keyId: key.keyId, publicKey: key.publicKey };
    },
  };
  return { handlers: { ...handlers, ...receiptHandlers(), ...batch.handlers }, start };

  /** A person's receipt: their payments at this desk, voids and refunds shown, as one raster. */
  async function receipt(q: Db | Tx, registrantId: string, printer: PrinterConfig) {
    const r = await getRegistrantRow(q, registrantId);
    if (!r) throw new DomainError('not_found', `No registrant with id "${registrantId}".`);
    const c = (await getConference(q))!;
    const payments = await listPayments(q, { registrantId, limit: 500 });
    const tz = c.timezone;
    const venue = (iso: string) => `${localDay(Date.parse(iso), tz)} ${localTime(Date.parse(iso), tz)}`;
    const lines = receiptLines(
      {
        conference: c.name,
        station: `Desk ${ctx.stationId}`,
        at: venue(nowIso(ctx)),
        person: `${r.first_name} ${r.last_name}`.trim(),
        code: r.confirmation_code,
        payments: payments.map((p) => ({
          description: p.description,
          amount: p.amount,
          currency: p.currency,
          method: p.method,
          reference: p.reference,
          reason: p.reason,
          time: localTime(Date.parse(p.created_at), tz),
          status: p.status,
          closeReason: p.close_reason,
        })),
      },
      printer.media.dpi,
    );
    const bmp = drawSlip(lines, printer.media.widthDots, getEnv().fonts);
    const kept = payments.filter((p) => p.status === 'paid');
    return {
      bmp,
      lines,
      total:
        payments.length > 0
          ? { amount: kept.reduce((n, p) => n + p.amount, 0), currency: payments[0]!.currency }
          : null,
    };
  }

  async function queueReceipt(
    tx: Tx,
    caller: Caller,
    registrantId: string,
    p: PrinterConfig,
    reprintOf: string | null,
    reason: string | null,
  ): Promise<string> {
    const by = actor(ctx, tx, caller);
    const { bmp } = await receipt(tx, registrantId, p);
    return queueSlip(tx, {
      kind: 'receipt',
      registrantId,
      printer: p,
      bytes: slipBytes(bmp, p),
      reason,
      reprintOf,
      staffId: caller.session?.staffId ?? null,
      actor: by,
      event: 'receipt',
    });
  }

  /** Queues a receipt or divider slip (inside `tx`); the queue prints it like any job. */
  async function queueSlip(
    tx: Tx,
    j: {
      kind: 'receipt' | 'divider';
      registrantId: string | null;
      printer: PrinterConfig;
      bytes: Uint8Array;
      reason: string | null;
      reprintOf: string | null;
      staffId: string | null;
      actor: string;
      event: string;
    },
  ): Promise<string> {
    const at = nowIso(ctx);
    const id = uuidv7();
    await upsertPrinter(tx, { uri: j.printer.uri, language: j.printer.language, media: j.printer.media.id });
    await insertJob(tx, {
      id,
      printerUri: j.printer.uri,
      kind: j.kind,
      registrantId: j.registrantId,
      badgeVersion: null,
      reason: j.reason,
      reprintOf: j.reprintOf,
      staffId: j.staffId,
      bytes: j.bytes,
      at,
    });
    await appendPrintLog(tx, {
      at,
      jobId: id,
      printerUri: j.printer.uri,
      event: j.event,
      status: 'queued',
      words: j.reason,
      actor: j.actor,
    });
    return id;
  }

  async function queueCopy(tx: Tx, caller: Caller, jobId: string, p: PrinterConfig, reason: string): Promise<string> {
    const original = (await getJob(tx, jobId))!;
    const bytes = (await jobBytes(tx, jobId))!;
    return queueSlip(tx, {
      kind: original.kind === 'receipt' ? 'receipt' : 'divider',
      registrantId: original.registrant_id,
      printer: p,
      bytes,
      reason,
      reprintOf: jobId,
      staffId: caller.session?.staffId ?? null,
      actor: actor(ctx, tx, caller),
      event: 'reprint',
    });
  }

  function receiptHandlers(): Pick<Handlers, 'receipt.preview' | 'receipt.print'> {
    return {
      'receipt.preview': async ({ registrantId }, caller) => {
        const p =
          ctx.settings.printers.length === 0 ? printerOf(DEFAULT_PREVIEW_PRINTER) : printerFor(undefined, caller);
        const r = await receipt(ctx.db, registrantId, p);
        return {
          registrantId,
          png: bitmapToPng(r.bmp).toString('base64'),
          width: r.bmp.width,
          height: r.bmp.height,
          lines: r.lines.map((l) => (l.right ? `${l.text}  ${l.right}` : l.text).trim()).filter(Boolean),
          total: r.total,
        };
      },
      'receipt.print': async ({ registrantId, printer, wait }, caller) => {
        await start();
        const p = printerFor(printer, caller);
        const id = await inTx(ctx, (tx) => queueReceipt(tx, caller, registrantId, p, null, null));
        return finishRequest(id, p, wait);
      },
    };
  }

  async function queueTest(
    tx: Tx,
    p: PrinterConfig,
    caller: Caller,
    reprintOf: string | null,
    reason: string | null,
  ): Promise<string> {
    const by = actor(ctx, tx, caller);
    const at = nowIso(ctx);
    const id = uuidv7();
    const bytes = await renderTestJob(p, `station ${ctx.stationId} · ${p.uri}`.slice(0, 120), at, getEnv().fonts);
    await upsertPrinter(tx, { uri: p.uri, language: p.language, media: p.media.id });
    await insertJob(tx, {
      id,
      printerUri: p.uri,
      kind: 'test',
      registrantId: null,
      badgeVersion: null,
      reason,
      reprintOf,
      staffId: caller.session?.staffId ?? null,
      bytes,
      at,
    });
    await appendPrintLog(tx, {
      at,
      jobId: id,
      printerUri: p.uri,
      event: 'test page',
      status: 'queued',
      words: reason,
      actor: by,
    });
    return id;
  }
}

function jobView(j: JobMeta): PrintJobView {
  return {
    id: j.id,
    printer: j.printer_uri,
    kind: j.kind,
    registrantId: j.registrant_id,
    badgeVersion: j.badge_version,
    status: j.status,
    words: j.words,
    reason: j.reason,
    reprintOf: j.reprint_of,
    bytes: j.byte_count,
    warnings: j.warnings_json ? (JSON.parse(j.warnings_json) as BadgeWarning[]) : [],
    createdAt: j.created_at,
    sendingAt: j.sending_at,
    finishedAt: j.finished_at,
  };
}

function printerView(r: {
  uri: string;
  language: string;
  media: string;
  state: string | null;
  words: string | null;
  paper_low: number;
  checked_at: string | null;
  last_job_at: string | null;
}): PrinterView {
  return {
    uri: r.uri,
    language: r.language,
    media: r.media,
    state: r.state,
    words: r.words,
    paperLow: r.paper_low === 1,
    checkedAt: r.checked_at,
    lastJobAt: r.last_job_at,
  };
}

/**
 * How current the door's revocation list is: revocations reach a station on its feed, so while it is offline it
 * may not know those issued since its last word from HQ. Online the list is current.
 */
async function revocationListState(ctx: StationContext): Promise<BadgeVerification['revocationList']> {
  const contact = await lastContact(ctx.db);
  const lastHqContact = contact ? new Date(contact.hqTime).toISOString() : null;
  const s = await staleness(ctx, ctx.db);
  const since = s.known
    ? s.minutes
    : contact && ctx.clock.now() >= contact.wallTime
      ? (ctx.clock.now() - contact.wallTime) / 60_000
      : null;
  const ageMinutes = since === null ? null : Math.round(since * 10) / 10;
  if (ctx.isOnline()) return { current: true, lastHqContact, ageMinutes, message: null };
  if (!contact)
    return {
      current: false,
      lastHqContact,
      ageMinutes,
      message: 'This door has never heard from HQ: badges revoked at other stations are not known here.',
    };
  const age =
    ageMinutes === null
      ? 'an unknown time'
      : ageMinutes < 1
        ? 'less than a minute'
        : ageMinutes < 120
          ? `${Math.round(ageMinutes)} min`
          : `${(ageMinutes / 60).toFixed(1)} h`;
  return {
    current: false,
    lastHqContact,
    ageMinutes,
    message: `Offline: the list of revoked badges may be stale (last word from HQ ${age} ago).`,
  };
}
