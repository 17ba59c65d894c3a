/**
 * Config.json validation (the official emulator's format, the real service's ranges) and the filter language.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from './config';
import { parseDuration } from './duration';
import { compileSql, correlationFilter, SqlFilterError } from './filter';
import type { FilterInput } from './filter';
import { namespace } from './test-support';

const expectError = (cfg: object, field: RegExp): void => {
  let err: unknown;
  try {
    parseConfig(cfg);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toMatch(field);
};

describe('config', () => {
  it('loads the Lanyard topology', () => {
    const c = loadConfigFile(fileURLToPath(new URL('./lanyard.config.json', import.meta.url)));
    expect(c.topics.map((t) => [t.name, t.subscriptions.map((s) => s.name)])).toEqual([
      ['station-events', ['hq']],
      ['station-feed', ['station-desk-a', 'station-desk-b', 'station-kiosk-1']],
    ]);
    const feed = c.topics[1]!;
    expect(feed.send).toMatchObject({ requiresDuplicateDetection: true, duplicateWindowMs: 7 * 24 * 3600_000 });
    expect(feed.subscriptions[0]!.receive).toMatchObject({ lockDurationMs: 30_000, maxDeliveryCount: 10 });
  });

  it("accepts the official emulator's sample shape", () => {
    const c = parseConfig(
      namespace({
        Queues: [
          {
            Name: 'queue.1',
            Properties: {
              DeadLetteringOnMessageExpiration: false,
              DefaultMessageTimeToLive: 'PT1H',
              DuplicateDetectionHistoryTimeWindow: 'PT20S',
              ForwardDeadLetteredMessagesTo: '',
              ForwardTo: '',
              LockDuration: 'PT1M',
              MaxDeliveryCount: 3,
              RequiresDuplicateDetection: false,
              RequiresSession: false,
            },
          },
        ],
        Topics: [
          {
            Name: 'topic.1',
            Properties: {
              DefaultMessageTimeToLive: 'PT1H',
              DuplicateDetectionHistoryTimeWindow: 'PT20S',
              RequiresDuplicateDetection: false,
            },
            Subscriptions: [
              {
                Name: 'subscription.1',
                Properties: { LockDuration: 'PT1M', MaxDeliveryCount: 3, ForwardTo: '' },
                Rules: [
                  {
                    Name: 'r',
                    Properties: {
                      FilterType: 'Correlation',
                      CorrelationFilter: {
                        ContentType: 'application/text',
                        Label: 'subject1',
                        Properties: { prop3: 'value3' },
                      },
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(c.queues[0]!.receive).toMatchObject({
      lockDurationMs: 60_000,
      maxDeliveryCount: 3,
      forwardTo: null,
      defaultTtlMs: 3600_000,
    });
  });

  it('rejects invalid files naming the bad field', () => {
    expectError(
      namespace({ Queues: [{ Name: 'q', Properties: { LockDuration: 'PT10M' } }] }),
      /Queues\[0\]\.Properties\.LockDuration: .*out of range/,
    );
    expectError(
      namespace({ Queues: [{ Name: 'q', Properties: { LockDuration: '1 minute' } }] }),
      /Queues\[0\]\.Properties\.LockDuration: .*ISO-8601/,
    );
    expectError(
      namespace({ Queues: [{ Name: 'q', Properties: { LockDurration: 'PT1M' } }] }),
      /Queues\[0\]\.Properties: .*LockDurration/,
    );
    expectError(namespace({ Queues: [{ Name: 'q', Properties: { MaxDeliveryCount: 0 } }] }), /MaxDeliveryCount/);
    expectError(
      namespace({ Topics: [{ Name: 't', Properties: { DuplicateDetectionHistoryTimeWindow: 'P8D' } }] }),
      /Topics\[0\]\.Properties\.DuplicateDetectionHistoryTimeWindow/,
    );
    expectError(
      namespace({ Queues: [{ Name: 'q', Properties: { ForwardTo: 'nowhere' } }] }),
      /Queues\[0\]\.Properties\.ForwardTo: "nowhere"/,
    );
    expectError(namespace({ Queues: [{ Name: 'q' }, { Name: 'Q' }] }), /Queues\[1\]\.Name: "Q" is already used/);
    expectError(
      namespace({
        Topics: [
          {
            Name: 't',
            Subscriptions: [
              {
                Name: 's',
                Rules: [{ Name: 'r', Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: 'a = = 1' } } }],
              },
            ],
          },
        ],
      }),
      /Rules\[0\]\.Properties\.SqlFilter\.SqlExpression: expected a value/,
    );
    expectError({ UserConfig: { Namespaces: [] } }, /UserConfig\.Namespaces: exactly one namespace/);
    expectError({}, /UserConfig/);
    expectError(
      namespace({ SharedAccessPolicies: [{ Name: 'x', Key: 'k', Rights: ['Write'] }] }),
      /SharedAccessPolicies\[0\]\.Rights\[0\]/,
    );
  });

  it('allows the real service ranges: 7-day duplicate detection, 5-minute locks', () => {
    const c = parseConfig(
      namespace({
        Queues: [
          {
            Name: 'q',
            Properties: {
              LockDuration: 'PT5M',
              RequiresDuplicateDetection: true,
              DuplicateDetectionHistoryTimeWindow: 'P7D',
            },
          },
        ],
      }),
    );
    expect(c.queues[0]!.send.duplicateWindowMs).toBe(7 * 24 * 3600_000);
  });

  it('parses ISO-8601 durations', () => {
    expect(parseDuration('PT1M')).toBe(60_000);
    expect(parseDuration('P1DT2H3M4.5S')).toBe(((24 + 2) * 3600 + 3 * 60 + 4.5) * 1000);
    expect(parseDuration('P2W')).toBe(14 * 24 * 3600_000);
    expect(parseDuration('PT')).toBeNull();
    expect(parseDuration('P1Y')).toBeNull();
    expect(parseDuration('60')).toBeNull();
  });
});

describe('filters', () => {
  const msg = (user: Record<string, unknown>, sys: Record<string, unknown> = {}): FilterInput => ({ user, sys });

  it('evaluates SQL with three-valued logic', () => {
    const f = compileSql("priority > 5 AND sys.Label LIKE 'hi%' AND region IN ('eu', 'us') AND NOT (vip = TRUE)");
    expect(f(msg({ priority: 7, region: 'eu', vip: false }, { label: 'hi there' }))).toBe(true);
    expect(f(msg({ priority: 7, region: 'apac', vip: false }, { label: 'hi' }))).toBe(false);
    expect(f(msg({ priority: 7, region: 'eu' }, { label: 'hi' }))).toBe(false); // vip missing: unknown
    expect(compileSql('missing IS NULL')(msg({}))).toBe(true);
    expect(compileSql('EXISTS(a) OR b = 1')(msg({ a: 1 }))).toBe(true);
    expect(compileSql("[odd-name] = 'it''s'")(msg({ 'odd-name': "it's" }))).toBe(true);
    expect(compileSql('(a + 2) * 3 = 12 AND a % 2 = 0')(msg({ a: 2 }))).toBe(true);
    expect(compileSql('1=1')(msg({}))).toBe(true);
    expect(compileSql("user.color <> 'red'")(msg({ color: 'blue' }))).toBe(true);
    expect(() => compileSql('a =')).toThrow(SqlFilterError);
    expect(() => compileSql('sys.Nope = 1')).toThrow(/unknown system property/);
  });

  it('matches correlation filters on system and user properties', () => {
    const f = correlationFilter({ Label: 'SeatSold', Properties: { type: 'SeatSold', schema: 1 } });
    expect(f(msg({ type: 'SeatSold', schema: 1 }, { label: 'SeatSold' }))).toBe(true);
    expect(f(msg({ type: 'SeatSold', schema: 2 }, { label: 'SeatSold' }))).toBe(false);
    expect(f(msg({ type: 'SeatSold', schema: 1 }, { label: 'Other' }))).toBe(false);
  });
});
