/**
 * After a restore from a backup (main/store/backup.ts): HQ's answer to StreamRecoveryRequested brings back this
 * station's own events since the backup — kept in the outbox as sent, so their seqs are never handed out again —
 * and replays what they did here (walk-up registrations, sales with HQ's verdicts, releases, prints, check-ins).
 * The last chunk moves the outbox counter past everything HQ has seen and lets the station sell again.
 */
import type { Envelope, Payload, StationEventType } from '../../../core/messages';
import { parseEnvelope, stationEventTypes } from '../../../core/messages';
import { endStreamRecovery, recordRecoveredEvent, streamRecovery } from '../../store/backup';
import { getConference } from '../../store/catalog';
import type { Tx } from '../../store/db';
import { recordPrint } from '../../store/printing';
import {
  getSale,
  grantEntitlement,
  hasEntitlement,
  insertSale,
  recordCheckIn,
  revokeEntitlementForSale,
  updateSale,
} from '../../store/sales';
import { audit, nowIso, type StationContext } from '../context';
import type { Applied } from './feed-applied';

type Verdicts = Map<string, Payload<'StreamRecovered'>['sales'][number]>;

export async function applyStreamRecovered(
  ctx: StationContext,
  tx: Tx,
  p: Payload<'StreamRecovered'>,
): Promise<Applied> {
  const me = `station:${ctx.stationId}`;
  if (p.station !== me) return { status: 'ignored', note: 'another station’s stream' };
  const pending = await streamRecovery(tx);
  if (!pending) return { status: 'ignored', note: 'no restore is waiting for HQ' };
  const verdicts: Verdicts = new Map(p.sales.map((s) => [s.saleId, s]));
  const at = nowIso(ctx);
  let added = 0;
  const problems: string[] = [];
  for (const body of p.events) {
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      problems.push('an event that is not JSON');
      continue;
    }
    const parsed = parseEnvelope(raw, stationEventTypes);
    if (!parsed.ok || parsed.envelope.origin !== me) {
      problems.push(parsed.ok ? `an event of ${parsed.envelope.origin}` : parsed.reason);
      continue;
    }
    const env = parsed.envelope;
    const sessionId =
      'sessionId' in env.payload && typeof env.payload.sessionId === 'string' ? env.payload.sessionId : null;
    const held = await recordRecoveredEvent(tx, {
      seq: env.seq,
      id: env.id,
      type: env.type,
      sessionId,
      body,
      at: env.at,
      sentAt: at,
    });
    if (held === 'other') problems.push(`seq ${env.seq} is held here by another event`);
    if (held !== 'added') continue;
    added++;
    await replay(ctx, tx, env, verdicts);
  }
  const last = p.chunk === p.of - 1;
  let next: number | null = null;
  if (last) {
    next = (await endStreamRecovery(tx, p.nextSeq)) + 1;
    audit(ctx, tx, {
      actor: 'station',
      action: 'stream.recovered',
      subject: me,
      details: {
        backup: pending.backupFile,
        backupLastSeq: pending.backupLastSeq,
        nextSeq: next,
        ...(problems.length ? { problems: problems.slice(0, 10) } : {}),
      },
    });
  }
  const note = `${added} own event(s) recovered${problems.length ? `; ${problems.length} skipped (${problems.slice(0, 3).join('; ')})` : ''}${last ? `; the outbox continues at #${next}` : ''}`;
  return {
    status: 'applied',
    note,
    ...(last ? { after: () => ctx.events.emit({ type: 'availability.changed', sessionIds: [] }) } : {}),
  };
}

/** What the event did on this station before the restore, done again (each step idempotent). */
async function replay(ctx: StationContext, tx: Tx, env: Envelope<StationEventType>, verdicts: Verdicts): Promise<void> {
  switch (env.type) {
    case 'RegistrantRegistered': {
      const conference = await getConference(tx);
      if (conference) ctx.registrants.upsert(conference.id, [env.payload.registrant], 'walkup', env.at);
      return;
    }
    case 'SeatSold': {
      const p = env.payload;
      if (await getSale(tx, p.saleId)) return;
      const v = verdicts.get(p.saleId);
      const status = v ? (v.released ? 'released' : v.verdict) : 'pending';
      await insertSale(tx, {
        id: p.saleId,
        sessionId: p.sessionId,
        registrantId: p.registrantId,
        tier: p.tier,
        status,
        atRisk: !v && (p.tier === 'overdraft' || p.tier === 'override'),
        proceed: true,
        allotmentId: p.allotmentId,
        basis: p.basis,
        staffId: null,
        at: env.at,
      });
      if (status !== 'released' && !(await hasEntitlement(tx, p.registrantId, p.sessionId)))
        await grantEntitlement(tx, p.registrantId, p.sessionId, p.saleId, env.at);
      return;
    }
    case 'SeatReleased': {
      const sale = await getSale(tx, env.payload.saleId);
      if (!sale || sale.status === 'released') return;
      await updateSale(tx, sale.id, { status: 'released', released_at: env.at, release_reason: env.payload.reason });
      await revokeEntitlementForSale(tx, sale.id);
      return;
    }
    case 'BadgePrinted':
      await recordPrint(tx, {
        station: env.origin,
        jobId: env.payload.jobId,
        registrantId: env.payload.registrantId,
        version: env.payload.badgeVersion,
        printedAt: env.at,
      });
      return;
    case 'CheckedIn':
      await recordCheckIn(tx, {
        registrantId: env.payload.registrantId,
        sessionId: env.payload.sessionId,
        at: env.payload.at,
        staffId: null,
        station: env.origin.replace(/^station:/, ''),
      });
      return;
    default:
      // Allotment requests and returns, voids, resolutions, hellos: HQ holds their effect and tells the station
      // through the feed; the outbox row keeps the record.
      return;
  }
}
