/**
 * Service Bus emulator throughput through the real SDK: 10,000 small messages sent in createMessageBatch
 * batches, then received in peek-lock and completed. Absolute goals (>= 5,000 msg/s): the emulator must not be
 * the bottleneck of the station and HQ benchmarks that use it. Measured in memory mode and, as detail, durable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceBusClient } from '@azure/service-bus';
import { startEmulator } from '../tools/servicebus-emulator/index';
import type { Benchmark, BenchResult } from './harness';
import { round } from './harness';

const COUNT = 10_000;
const GOAL = 5_000;

async function measure(dataDir: string | undefined): Promise<{ send: number; receive: number }> {
  const em = await startEmulator({
    port: 0,
    dataDir,
    config: {
      UserConfig: {
        Namespaces: [{ Name: 'bench', Queues: [{ Name: 'bench', Properties: { LockDuration: 'PT1M' } }] }],
      },
    },
  });
  const client = new ServiceBusClient(em.connectionString, { retryOptions: { maxRetries: 3, retryDelayInMs: 100 } });
  try {
    const sender = client.createSender('bench');
    await sender.sendMessages({ body: 'warm-up' });
    const t0 = performance.now();
    let batch = await sender.createMessageBatch();
    for (let i = 0; i < COUNT; i++) {
      const msg = { body: { i, kind: 'SeatSold' }, contentType: 'application/json', messageId: `m-${i}` };
      if (!batch.tryAddMessage(msg)) {
        await sender.sendMessages(batch);
        batch = await sender.createMessageBatch();
        batch.tryAddMessage(msg);
      }
    }
    if (batch.count) await sender.sendMessages(batch);
    const sendMs = performance.now() - t0;

    const receiver = client.createReceiver('bench');
    const [w] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    if (w) await receiver.completeMessage(w);
    let got = 0;
    const t1 = performance.now();
    while (got < COUNT) {
      const msgs = await receiver.receiveMessages(500, { maxWaitTimeInMs: 2_000 });
      if (!msgs.length) throw new Error(`only ${got} of ${COUNT} messages arrived`);
      await Promise.all(msgs.map((m) => receiver.completeMessage(m)));
      got += msgs.length;
    }
    const receiveMs = performance.now() - t1;
    await receiver.close();
    await sender.close();
    return { send: (COUNT / sendMs) * 1000, receive: (COUNT / receiveMs) * 1000 };
  } finally {
    await client.close();
    await em.stop();
  }
}

function line(name: string, value: number, durable: number): BenchResult {
  return {
    name,
    value: round(value, 0),
    unit: 'msg/s',
    baseline: null,
    ratio: null,
    goal: `>= ${GOAL} msg/s`,
    pass: value >= GOAL,
    detail: { messages: COUNT, mode: 'memory', durable_msg_per_s: round(durable, 0) },
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'bus',
    async run() {
      const memory = await measure(undefined);
      const dir = mkdtempSync(join(tmpdir(), 'bus-bench-'));
      let durable: { send: number; receive: number };
      try {
        durable = await measure(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return [line('bus.send', memory.send, durable.send), line('bus.receive', memory.receive, durable.receive)];
    },
  },
];
