/**
 * Every broker feature exercised through the public @azure/service-bus API. Defined once, run in memory and in
 * durable mode by two test files (so vitest can run the two modes in parallel).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceBusClient, ServiceBusReceivedMessage } from '@azure/service-bus';
import { startEmulator } from './index';
import type { RunningEmulator } from './index';
import { eventually, namespace, sdkClient, sleep, tempDir } from './test-support';
import type { Mode } from './test-support';

const config = namespace({
  Queues: [
    { Name: 'basic', Properties: { LockDuration: 'PT2S', MaxDeliveryCount: 3 } },
    { Name: 'lock-expiry', Properties: { LockDuration: 'PT0.4S', MaxDeliveryCount: 2 } },
    { Name: 'dedupe', Properties: { RequiresDuplicateDetection: true, DuplicateDetectionHistoryTimeWindow: 'PT1S' } },
    { Name: 'ttl-dlq', Properties: { DefaultMessageTimeToLive: 'PT0.3S', DeadLetteringOnMessageExpiration: true } },
    { Name: 'ttl-drop', Properties: { DefaultMessageTimeToLive: 'PT0.3S' } },
    { Name: 'sessions', Properties: { RequiresSession: true, LockDuration: 'PT2S' } },
    { Name: 'fwd-source', Properties: { ForwardTo: 'fwd-target' } },
    { Name: 'fwd-target' },
    { Name: 'scheduled' },
    { Name: 'deferral', Properties: { LockDuration: 'PT5S' } },
    { Name: 'rad' },
  ],
  Topics: [
    {
      Name: 'events',
      Properties: { RequiresDuplicateDetection: true, DuplicateDetectionHistoryTimeWindow: 'P7D' },
      Subscriptions: [
        { Name: 'all' },
        {
          Name: 'red',
          Rules: [
            {
              Name: 'red',
              Properties: { FilterType: 'Correlation', CorrelationFilter: { Properties: { color: 'red' } } },
            },
          ],
        },
        {
          Name: 'urgent',
          Rules: [
            {
              Name: 'sql',
              Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: "priority > 5 AND sys.Label LIKE 'hi%'" } },
            },
          ],
        },
        {
          Name: 'to-queue',
          Properties: { ForwardTo: 'fwd-target' },
          Rules: [{ Name: 'none', Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: "color = 'blue'" } } }],
        },
      ],
    },
  ],
});

export function emulatorSuite(mode: Mode): void {
  describe(`service bus emulator (${mode})`, () => {
    let em: RunningEmulator;
    let client: ServiceBusClient;
    const dir = tempDir();

    beforeAll(async () => {
      em = await startEmulator({ config, port: 0, dataDir: mode === 'durable' ? dir.path : undefined });
      client = sdkClient(em);
    });
    afterAll(async () => {
      await client?.close();
      await em?.stop();
      dir.remove();
    });

    async function drain(queue: string, sub?: string, max = 50, waitMs = 300): Promise<ServiceBusReceivedMessage[]> {
      const r = sub
        ? client.createReceiver(queue, sub, { receiveMode: 'receiveAndDelete' })
        : client.createReceiver(queue, { receiveMode: 'receiveAndDelete' });
      try {
        return await r.receiveMessages(max, { maxWaitTimeInMs: waitMs });
      } finally {
        await r.close();
      }
    }

    it('fans a topic out to subscriptions through correlation and SQL filters, with per-topic sequence numbers', async () => {
      const sender = client.createSender('events');
      await sender.sendMessages([
        { body: 'plain', applicationProperties: { color: 'green', priority: 1 } },
        { body: 'red', applicationProperties: { color: 'red', priority: 9 }, subject: 'hello' },
        { body: 'urgent', applicationProperties: { color: 'green', priority: 7 }, subject: 'hi there' },
      ]);
      await sender.close();
      const all = await drain('events', 'all');
      expect(all.map((m) => m.body)).toEqual(['plain', 'red', 'urgent']);
      const seqs = all.map((m) => m.sequenceNumber!.toNumber());
      expect(seqs[1]! - seqs[0]!).toBe(1);
      expect(seqs[2]! - seqs[1]!).toBe(1);
      expect(all[0]!.enqueuedTimeUtc!.getTime()).toBeGreaterThan(Date.now() - 10_000);
      expect((await drain('events', 'red')).map((m) => m.body)).toEqual(['red']);
      const urgent = await drain('events', 'urgent');
      expect(urgent.map((m) => m.body)).toEqual(['urgent']);
      // The same message keeps its topic sequence number in every subscription.
      expect(urgent[0]!.sequenceNumber!.toNumber()).toBe(seqs[2]);
      expect(await drain('events', 'to-queue', 10, 100)).toEqual([]);
    });

    it('sends createMessageBatch batches within the advertised max-message-size', async () => {
      const sender = client.createSender('basic');
      const batch = await sender.createMessageBatch();
      expect(batch.maxSizeInBytes).toBe(262144);
      for (let i = 0; i < 100; i++)
        expect(batch.tryAddMessage({ body: { i }, contentType: 'application/json', messageId: `batch-${i}` })).toBe(
          true,
        );
      await sender.sendMessages(batch);
      await sender.close();
      const got = await drain('basic', undefined, 200, 500);
      expect(got.map((m) => (m.body as { i: number }).i)).toEqual([...Array(100).keys()]);
      expect(got[5]!.messageId).toBe('batch-5');
      expect(got[5]!.contentType).toBe('application/json');
    });

    it('peek-lock: complete removes, abandon redelivers with a higher delivery count, dead-letter moves with a reason', async () => {
      const sender = client.createSender('basic');
      await sender.sendMessages([
        { body: 'done', messageId: 'a' },
        { body: 'again', messageId: 'b' },
        { body: 'bad', messageId: 'c' },
      ]);
      const r = client.createReceiver('basic');
      const first = await r.receiveMessages(3, { maxWaitTimeInMs: 2000 });
      expect(first.map((m) => m.body)).toEqual(['done', 'again', 'bad']);
      expect(first.every((m) => m.deliveryCount === 0 && m.lockedUntilUtc!.getTime() > Date.now())).toBe(true);
      await r.completeMessage(first[0]!);
      await r.abandonMessage(first[1]!, { reason: 'retry-me' });
      await r.deadLetterMessage(first[2]!, {
        deadLetterReason: 'Invalid',
        deadLetterErrorDescription: 'schema mismatch',
      });
      const second = await r.receiveMessages(3, { maxWaitTimeInMs: 1000 });
      expect(second.map((m) => m.body)).toEqual(['again']);
      expect(second[0]!.deliveryCount).toBe(1);
      expect(second[0]!.applicationProperties?.reason).toBe('retry-me');
      await r.completeMessage(second[0]!);
      // Settling twice fails: the lock is gone.
      await expect(r.completeMessage(second[0]!)).rejects.toThrow();
      await r.close();
      const dlq = client.createReceiver('basic', { subQueueType: 'deadLetter' });
      const dead = await dlq.receiveMessages(5, { maxWaitTimeInMs: 1000 });
      expect(dead.map((m) => m.body)).toEqual(['bad']);
      expect(dead[0]!.deadLetterReason).toBe('Invalid');
      expect(dead[0]!.deadLetterErrorDescription).toBe('schema mismatch');
      await dlq.completeMessage(dead[0]!);
      await dlq.close();
      await sender.close();
    });

    it('expires locks: the message comes back with its delivery count, and goes to the DLQ after MaxDeliveryCount', async () => {
      const sender = client.createSender('lock-expiry');
      await sender.sendMessages({ body: 'slow' });
      const r = client.createReceiver('lock-expiry', { maxAutoLockRenewalDurationInMs: 0 });
      const [m1] = await r.receiveMessages(1, { maxWaitTimeInMs: 2000 });
      expect(m1!.deliveryCount).toBe(0);
      await sleep(600);
      const [m2] = await r.receiveMessages(1, { maxWaitTimeInMs: 2000 });
      expect(m2?.body).toBe('slow');
      expect(m2!.deliveryCount).toBe(1);
      await expect(r.completeMessage(m1!)).rejects.toMatchObject({ code: 'MessageLockLost' });
      await sleep(600);
      expect(await r.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
      const dead = await drain('lock-expiry/$DeadLetterQueue', undefined, 5, 1000);
      expect(dead.map((m) => m.body)).toEqual(['slow']);
      expect(dead[0]!.deadLetterReason).toBe('MaxDeliveryCountExceeded');
      await r.close();
      await sender.close();
    });

    it('MaxDeliveryCount applies to abandons too', async () => {
      const sender = client.createSender('basic');
      await sender.sendMessages({ body: 'poison' });
      const r = client.createReceiver('basic');
      for (let i = 0; i < 3; i++) {
        const [m] = await r.receiveMessages(1, { maxWaitTimeInMs: 2000 });
        expect(m?.deliveryCount).toBe(i);
        await r.abandonMessage(m!);
      }
      expect(await r.receiveMessages(1, { maxWaitTimeInMs: 200 })).toEqual([]);
      const dead = await drain('basic/$DeadLetterQueue');
      expect(dead.map((m) => [m.body, m.deadLetterReason])).toEqual([['poison', 'MaxDeliveryCountExceeded']]);
      await r.close();
      await sender.close();
    });

    it('renews locks, peeks without locking, and settles through $management when the link is gone', async () => {
      const sender = client.createSender('deferral');
      await sender.sendMessages([{ body: 'p1' }, { body: 'p2' }]);
      const peeker = client.createReceiver('deferral');
      const peeked = await peeker.peekMessages(10);
      expect(peeked.map((m) => m.body)).toEqual(['p1', 'p2']);
      await peeker.close();
      const r = client.createReceiver('deferral', { maxAutoLockRenewalDurationInMs: 0 });
      const msgs = await r.receiveMessages(2, { maxWaitTimeInMs: 2000 });
      expect(msgs).toHaveLength(2);
      const before = msgs[0]!.lockedUntilUtc!.getTime();
      await sleep(20);
      const renewed = await r.renewMessageLock(msgs[0]!);
      expect(renewed.getTime()).toBeGreaterThan(before);
      await r.close();
      // The receiving link is closed: the SDK falls back to update-disposition on $management.
      const other = client.createReceiver('deferral');
      await other.completeMessage(msgs[0]!);
      await other.completeMessage(msgs[1]!);
      expect(await other.peekMessages(10)).toEqual([]);
      await other.close();
      await sender.close();
    });

    it('defers messages and receives them by sequence number', async () => {
      const sender = client.createSender('deferral');
      await sender.sendMessages({ body: 'later' });
      const r = client.createReceiver('deferral');
      const [m] = await r.receiveMessages(1, { maxWaitTimeInMs: 2000 });
      await r.deferMessage(m!);
      expect(await r.receiveMessages(1, { maxWaitTimeInMs: 200 })).toEqual([]);
      const peeked = await r.peekMessages(5);
      expect(peeked.map((p) => p.state)).toEqual(['deferred']);
      const [d] = await r.receiveDeferredMessages(m!.sequenceNumber!);
      expect(d?.body).toBe('later');
      expect(d!.state).toBe('deferred');
      await r.completeMessage(d!);
      expect(await r.peekMessages(5)).toEqual([]);
      await expect(r.receiveDeferredMessages(m!.sequenceNumber!)).rejects.toThrow();
      await r.close();
      await sender.close();
    });

    it('receive-and-delete hands messages out once', async () => {
      const sender = client.createSender('rad');
      await sender.sendMessages([{ body: 1 }, { body: 2 }]);
      const r = client.createReceiver('rad', { receiveMode: 'receiveAndDelete' });
      const got = await r.receiveMessages(5, { maxWaitTimeInMs: 1000 });
      expect(got.map((m) => m.body)).toEqual([1, 2]);
      expect(got[0]!.lockToken).toBeUndefined();
      expect(await r.receiveMessages(5, { maxWaitTimeInMs: 200 })).toEqual([]);
      await r.close();
      await sender.close();
    });

    it('answers a drain promptly: receiveMessages on an empty queue returns after maxWaitTime', async () => {
      const r = client.createReceiver('rad');
      const t0 = Date.now();
      expect(await r.receiveMessages(10, { maxWaitTimeInMs: 300 })).toEqual([]);
      expect(Date.now() - t0).toBeLessThan(2_000);
      // The link is still usable afterwards (the SDK closes it when a drain is not answered).
      const sender = client.createSender('rad');
      await sender.sendMessages({ body: 'after-drain' });
      const [m] = await r.receiveMessages(1, { maxWaitTimeInMs: 2000 });
      expect(m?.body).toBe('after-drain');
      await r.completeMessage(m!);
      await r.close();
      await sender.close();
    });

    it('drops duplicates by message id within the detection window, accepts them after it', async () => {
      const sender = client.createSender('dedupe');
      await sender.sendMessages({ body: 'one', messageId: 'dup-1' });
      await sender.sendMessages({ body: 'two', messageId: 'dup-1' });
      await sender.sendMessages([
        { body: 'three', messageId: 'dup-2' },
        { body: 'four', messageId: 'dup-2' },
      ]);
      expect((await drain('dedupe')).map((m) => m.body)).toEqual(['one', 'three']);
      await sleep(1_100);
      await sender.sendMessages({ body: 'five', messageId: 'dup-1' });
      expect((await drain('dedupe')).map((m) => m.body)).toEqual(['five']);
      // Topics too (window of 7 days).
      const ts = client.createSender('events');
      await ts.sendMessages({ body: 'once', messageId: 'topic-dup' });
      await ts.sendMessages({ body: 'twice', messageId: 'topic-dup' });
      expect((await drain('events', 'all')).map((m) => m.body)).toEqual(['once']);
      await ts.close();
      await sender.close();
    });

    it('expires messages by TTL: to the DLQ when configured, dropped otherwise', async () => {
      const a = client.createSender('ttl-dlq');
      const b = client.createSender('ttl-drop');
      await a.sendMessages({ body: 'stale' });
      await b.sendMessages({ body: 'stale' });
      await a.sendMessages({ body: 'fresh', timeToLive: 60_000 }); // the entity default is shorter: it wins
      await sleep(500);
      expect(await drain('ttl-dlq', undefined, 5, 200)).toEqual([]);
      expect(await drain('ttl-drop', undefined, 5, 200)).toEqual([]);
      const dead = await eventually('expired message in the DLQ', async () => {
        const got = await drain('ttl-dlq/$DeadLetterQueue', undefined, 5, 300);
        return got.length >= 2 ? got : undefined;
      });
      expect(dead.map((m) => m.deadLetterReason)).toEqual(['TTLExpiredException', 'TTLExpiredException']);
      expect(await drain('ttl-drop/$DeadLetterQueue', undefined, 5, 200)).toEqual([]);
      await a.close();
      await b.close();
    });

    it('schedules messages and cancels scheduled ones', async () => {
      const sender = client.createSender('scheduled');
      const at = new Date(Date.now() + 2_000);
      const [keep, cancel] = await sender.scheduleMessages([{ body: 'keep' }, { body: 'cancel' }], at);
      expect(keep!.toNumber()).toBeLessThan(cancel!.toNumber());
      const r = client.createReceiver('scheduled');
      const peeked = await r.peekMessages(5);
      expect(peeked.map((m) => [m.body, m.state])).toEqual([
        ['keep', 'scheduled'],
        ['cancel', 'scheduled'],
      ]);
      await sender.cancelScheduledMessages(cancel!);
      expect(await r.receiveMessages(1, { maxWaitTimeInMs: 200 })).toEqual([]);
      const [m] = await r.receiveMessages(1, { maxWaitTimeInMs: 3000 });
      expect(m?.body).toBe('keep');
      expect(m!.sequenceNumber!.toNumber()).toBe(keep!.toNumber());
      expect(m!.enqueuedTimeUtc!.getTime()).toBeGreaterThanOrEqual(at.getTime() - 50);
      await r.completeMessage(m!);
      expect(await r.receiveMessages(1, { maxWaitTimeInMs: 800 })).toEqual([]);
      // scheduledEnqueueTimeUtc on a plain send works the same way.
      await sender.sendMessages({ body: 'via-send', scheduledEnqueueTimeUtc: new Date(Date.now() + 1_000) });
      expect(await r.receiveMessages(1, { maxWaitTimeInMs: 100 })).toEqual([]);
      const [v] = await r.receiveMessages(1, { maxWaitTimeInMs: 3000 });
      expect(v?.body).toBe('via-send');
      await r.completeMessage(v!);
      await r.close();
      await sender.close();
    });

    it('auto-forwards from a queue and from a subscription to another queue', async () => {
      const q = client.createSender('fwd-source');
      await q.sendMessages({ body: 'hop' });
      const t = client.createSender('events');
      await t.sendMessages({ body: 'blue', applicationProperties: { color: 'blue' } });
      const got = await eventually('forwarded messages', async () => {
        const m = await drain('fwd-target', undefined, 5, 500);
        return m.length ? m : undefined;
      });
      const more = got.length < 2 ? await drain('fwd-target', undefined, 5, 500) : [];
      expect([...got, ...more].map((m) => m.body).sort()).toEqual(['blue', 'hop']);
      expect(await drain('fwd-source', undefined, 5, 100)).toEqual([]);
      await drain('events', 'all');
      await q.close();
      await t.close();
    });

    it('sessions: FIFO per session, a session lock, state, renewal, and acceptNextSession', async () => {
      const sender = client.createSender('sessions');
      await expect(sender.sendMessages({ body: 'no-session' })).rejects.toThrow();
      await sender.sendMessages([
        { body: 'a1', sessionId: 'A' },
        { body: 'b1', sessionId: 'B' },
        { body: 'a2', sessionId: 'A' },
        { body: 'b2', sessionId: 'B' },
      ]);
      const a = await client.acceptSession('sessions', 'A');
      expect(a.sessionId).toBe('A');
      expect(a.sessionLockedUntilUtc!.getTime()).toBeGreaterThan(Date.now());
      // Someone else holds A.
      const c2 = sdkClient(em, 0);
      await expect(c2.acceptSession('sessions', 'A')).rejects.toThrow();
      await c2.close();
      const am = await a.receiveMessages(5, { maxWaitTimeInMs: 1000 });
      expect(am.map((m) => m.body)).toEqual(['a1', 'a2']);
      for (const m of am) await a.completeMessage(m);
      await a.setSessionState({ step: 2 });
      expect(await a.getSessionState()).toEqual({ step: 2 });
      const before = a.sessionLockedUntilUtc!.getTime();
      await sleep(20);
      await a.renewSessionLock();
      expect(a.sessionLockedUntilUtc!.getTime()).toBeGreaterThan(before);
      await a.close();

      const next = await client.acceptNextSession('sessions');
      expect(next.sessionId).toBe('B');
      const bm = await next.receiveMessages(5, { maxWaitTimeInMs: 1000 });
      expect(bm.map((m) => m.body)).toEqual(['b1', 'b2']);
      await next.abandonMessage(bm[0]!);
      await next.close();
      // Closing the session released it; abandoned and unsettled messages come back in order.
      const again = await client.acceptSession('sessions', 'B');
      const bm2 = await again.receiveMessages(5, { maxWaitTimeInMs: 1000 });
      expect(bm2.map((m) => m.body)).toEqual(['b1', 'b2']);
      for (const m of bm2) await again.completeMessage(m);
      await again.close();
      // State survives the session lock.
      const a2 = await client.acceptSession('sessions', 'A');
      expect(await a2.getSessionState()).toEqual({ step: 2 });
      await a2.setSessionState(null);
      await a2.close();
      await sender.close();
    });

    it('acceptNextSession waits for a session to arrive', async () => {
      const sender = client.createSender('sessions');
      const pending = client.acceptNextSession('sessions');
      await sleep(300);
      await sender.sendMessages({ body: 'late', sessionId: 'C' });
      const s = await pending;
      expect(s.sessionId).toBe('C');
      const [m] = await s.receiveMessages(1, { maxWaitTimeInMs: 1000 });
      expect(m?.body).toBe('late');
      await s.completeMessage(m!);
      await s.close();
      await sender.close();
    });

    it('subscribe() streams messages and completes them', async () => {
      const sender = client.createSender('basic');
      const r = client.createReceiver('basic');
      const seen: unknown[] = [];
      const sub = r.subscribe({
        processMessage: async (m) => {
          seen.push(m.body);
        },
        processError: async () => {},
      });
      await sender.sendMessages([{ body: 's1' }, { body: 's2' }, { body: 's3' }]);
      await eventually('three streamed messages', () => (seen.length >= 3 ? true : undefined));
      await sub.close();
      await r.close();
      expect(seen).toEqual(['s1', 's2', 's3']);
      expect(await drain('basic', undefined, 5, 200)).toEqual([]);
      await sender.close();
    });

    it('rejects unknown entities', async () => {
      const s = client.createSender('no-such-queue');
      await expect(s.sendMessages({ body: 'x' })).rejects.toMatchObject({ code: 'MessagingEntityNotFound' });
      await s.close();
      const r = client.createReceiver('events', 'no-such-sub');
      await expect(r.receiveMessages(1, { maxWaitTimeInMs: 500 })).rejects.toThrow();
      await r.close();
    });
  });
}
