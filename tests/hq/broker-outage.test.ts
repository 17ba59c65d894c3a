/**
 * HQ while its broker cannot be reached: it backs off (exponentially, capped), logs the first failure, then one
 * summary line per interval with the attempt count, and one line when the broker answers again — after which it
 * receives and decides as before. The broker is an unused loopback port, then the project's emulator on that port.
 */
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerLink } from '../../hq/broker-link';
import { parseHqConfig } from '../../hq/config';
import { startHq, type HqService } from '../../hq/service';
import { startEmulator, type RunningEmulator } from '../../tools/servicebus-emulator/index';
import { hqConnectionString } from '../../tools/servicebus-emulator/lanyard-topology';
import { lanyardTopology, waitFor } from '../support/bus';
import { smallConference, tempDir } from '../support/fixtures';
import { busClient, rawStation, saleBasis } from './support';

let t: ReturnType<typeof tempDir>;
let hq: HqService | undefined;
let bus: RunningEmulator | undefined;

beforeEach(() => {
  t = tempDir('lanyard-hq-outage-');
});
afterEach(async () => {
  await hq?.stop();
  await bus?.stop();
  hq = bus = undefined;
  t.cleanup();
});

/** A loopback port nothing listens on (free a moment ago). */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HQ with an unreachable broker', () => {
  it('backs off, logs the first failure and one summary per interval, then the recovery, and works again', async () => {
    const port = await unusedPort();
    writeFileSync(join(t.dir, 'conference.json'), JSON.stringify(smallConference()));
    const config = parseHqConfig({
      // HQ's own key on the emulator that will come up on this port later.
      connectionString: hqConnectionString({
        connectionStringFor: (name, key) =>
          `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=${name};SharedAccessKey=${key};UseDevelopmentEmulator=true`,
      }),
      dbPath: join(t.dir, 'hq.db'),
      conferenceFile: join(t.dir, 'conference.json'),
      heartbeatSeconds: 0.2,
    });
    const lines: { at: number; line: string }[] = [];
    const started = Date.now();
    hq = await startHq(config, {
      log: (line) => lines.push({ at: Date.now() - started, line }),
      brokerLink: { firstRetryMs: 100, maxRetryMs: 400, summaryEveryMs: 1000 },
    });

    await sleep(3500);
    const outage = lines.filter((l) => /broker/.test(l.line));
    // One line at the start of the outage, then one a second (the summary interval here), whatever the attempts.
    expect(outage[0]!.line).toMatch(
      new RegExp(`^cannot reach the broker at sb://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*; retrying with backoff`),
    );
    const summaries = outage.slice(1);
    expect(summaries.length).toBeGreaterThanOrEqual(2);
    expect(summaries.length).toBeLessThanOrEqual(4);
    expect(lines.length).toBeLessThanOrEqual(2 + 1 + 4); // seeded, listening, the first failure, the summaries
    const attempts = summaries.map((l) => Number(/: (\d+) attempts since/.exec(l.line)![1]));
    expect(attempts).toEqual([...attempts].sort((a, b) => a - b));
    // Capped backoff: two users (receiver, publisher) retrying at most every 400 ms once it has grown (~5 a second),
    // not at every heartbeat or every 100 ms.
    expect(attempts.at(-1)!).toBeGreaterThanOrEqual(4);
    expect(attempts.at(-1)!).toBeLessThanOrEqual(25);
    expect(lines.map((l) => l.line).join('\n')).not.toMatch(/SharedAccessKey=(?!\*\*\*)/);

    bus = await startEmulator({ config: lanyardTopology(['desk-a']), port });
    await waitFor(
      () => lines.some((l) => l.line.includes(`reached the broker at sb://127.0.0.1:${port} again after`)),
      10_000,
      'the recovery line',
    );
    const recovery = lines.filter((l) => l.line.includes('again after'));
    expect(recovery).toHaveLength(1);
    expect(recovery[0]!.line).toMatch(/again after \d+ failed attempts over \d+ (ms|s)$/);

    // And it receives again: a sale from a station is decided.
    const decided: string[] = [];
    hq.ledger.onEvent((e) => e.type === 'verdict' && decided.push(e.saleId));
    const client = busClient(bus.connectionString);
    try {
      const a = rawStation(client, 'desk-a', 'conf-1');
      await a.send(
        a.event('SeatSold', {
          saleId: 'sale-1',
          sessionId: 'panel',
          registrantId: 'r2',
          tier: 'online',
          allotmentId: null,
          basis: saleBasis(),
        }),
      );
      await waitFor(() => decided.includes('sale-1'), 10_000, 'the verdict');
      await hq.idle(10_000); // and publishes: everything the outage held back (heartbeats, the verdict) is out
    } finally {
      await client.close();
    }
  });

  it('backoff doubles up to its cap, and a success starts it over', () => {
    const link = new BrokerLink({ endpoint: 'sb://x', log: () => {}, firstRetryMs: 500, maxRetryMs: 30_000 });
    const b = link.backoff();
    expect(Array.from({ length: 9 }, () => b.next())).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    link.failed('receiving', 'ECONNREFUSED');
    link.ok();
    expect(b.next()).toBe(500);
    link.close();
  });
});
