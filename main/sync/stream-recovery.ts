/**
 * A station restored from a backup asks HQ where its stream stands (StreamRecoveryRequested), outside its seq
 * order, whenever it is online and has not heard back — at once, then every `everyMs` (the request or the answer
 * may be lost with the link). HQ's answer arrives on the feed (main/station/handlers/stream-recovery.ts); until
 * then the database refuses new outbox rows, so the station never sends a seq HQ already holds.
 */
import { filter, type Subscription } from 'rxjs';
import { v7 as uuidv7 } from 'uuid';
import { schemaVersion } from '../../core/messages';
import { markStreamRecoveryRequested, streamRecovery } from '../store/backup';
import { getConference } from '../store/catalog';
import type { Db } from '../store/db';
import type { Connectivity } from './connectivity';
import { toServiceBusMessage, type StationSender } from './service-bus';

export function startStreamRecoveryRequests(o: {
  db: Db;
  sender: StationSender;
  connectivity: Connectivity;
  stationId: string;
  now: () => number;
  everyMs?: number;
}): { stop(): void } {
  const origin = `station:${o.stationId}`;
  let busy = false;
  let stopped = false;
  const ask = async () => {
    if (busy || stopped || o.connectivity.snapshot().state !== 'online') return;
    busy = true;
    try {
      const pending = await streamRecovery(o.db);
      const conference = pending ? await getConference(o.db) : undefined;
      if (!pending || !conference) return;
      const at = new Date(o.now()).toISOString();
      const envelope = {
        id: uuidv7(),
        type: 'StreamRecoveryRequested' as const,
        schema: schemaVersion.StreamRecoveryRequested,
        conferenceId: conference.id,
        origin,
        seq: Math.max(1, pending.backupLastSeq), // outside the order: HQ does not count it
        at,
        payload: { stationId: o.stationId, fromSeq: pending.backupLastSeq + 1, requestId: uuidv7() },
      };
      await o.sender.sendMessages(
        toServiceBusMessage(
          { id: envelope.id, type: envelope.type, sessionId: null, body: JSON.stringify(envelope) },
          origin,
        ),
      );
      await markStreamRecoveryRequested(o.db, at);
    } catch {
      // The link failed: connectivity hears of it from the relay and the probe; the next tick asks again.
    } finally {
      busy = false;
    }
  };
  const sub: Subscription = o.connectivity.state$.pipe(filter((s) => s.state === 'online')).subscribe(() => void ask());
  const timer = setInterval(() => void ask(), o.everyMs ?? 5000);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      sub.unsubscribe();
    },
  };
}
