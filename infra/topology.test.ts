/**
 * The one topology definition and what is generated from it: the committed files must be what `npm run topology`
 * writes; the emulator config grants exactly the definition's rights; the ARM template is complete and consistent.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../tools/servicebus-emulator/config';
import { armTemplate, maxRulesPerEntity } from './arm-template';
import { emulatorConfig, emulatorKey } from './emulator-config';
import { generatedFiles, staleFiles } from './generate';
import { defineTopology, venueStations, type Topology } from './topology';

const root = fileURLToPath(new URL('../', import.meta.url));
const venue = defineTopology({ stations: venueStations });

type Resource = { type: string; name: string; dependsOn?: string[]; properties: Record<string, unknown> };
/** "[format('{0}/{1}/{2}', parameters('namespaceName'), 'a', 'b')]" → "a/b" */
const shortName = (armName: string) =>
  [...armName.matchAll(/'([^']*)'/g)]
    .map((m) => m[1])
    .filter((s) => !s!.includes('{') && s !== 'namespaceName')
    .join('/');
/** "[resourceId('type', parameters('namespaceName'), 'a', 'b')]" → "type a/b" */
const refKey = (ref: string) => {
  const parts = [...ref.matchAll(/'([^']*)'/g)].map((m) => m[1]!).filter((s) => s !== 'namespaceName');
  return `${parts[0]} ${parts.slice(1).join('/')}`;
};

describe('the committed files', () => {
  it('are what `npm run topology` generates from infra/topology.ts', () => {
    expect(staleFiles()).toEqual([]);
    for (const [rel, text] of generatedFiles()) expect(readFileSync(`${root}${rel}`, 'utf8'), rel).toBe(text);
  });

  it('would be flagged if the definition changed (another station list generates different files)', () => {
    const other = emulatorConfig(defineTopology({ stations: [...venueStations, 'kiosk-2'] }));
    expect(`${JSON.stringify(other, null, 2)}\n`).not.toBe(
      generatedFiles().get('tools/servicebus-emulator/lanyard.config.json'),
    );
  });
});

describe('defineTopology', () => {
  it('refuses bad options with the field named', () => {
    expect(() => defineTopology({ stations: ['Desk A'] })).toThrow(/stations\.0: must be lowercase/);
    expect(() => defineTopology({ stations: ['desk-a', 'desk-a'] })).toThrow(/stations: must not repeat a station/);
    expect(() => defineTopology({ stations: ['desk-a'], lockDuration: '30 seconds' })).toThrow(
      /lockDuration: must be an ISO-8601 duration/,
    );
    expect(() => defineTopology({ stations: ['desk-a'], maxDeliveryCount: 0 })).toThrow(/maxDeliveryCount/);
  });

  it('gives each station send on station-events and listen on its own subscription, HQ the reverse', () => {
    const t = defineTopology({ stations: ['desk-a', 'kiosk-1'] });
    const grants = Object.fromEntries(
      t.principals.map((p) => [
        p.name,
        p.grants.map((g) => `${g.rights.join('+')} ${g.topic}${g.subscription ? `/${g.subscription}` : ''}`),
      ]),
    );
    expect(grants).toEqual({
      RootManageSharedAccessKey: [],
      hq: ['Listen station-events/hq', 'Send station-feed'],
      'station-desk-a': ['Send station-events', 'Listen station-feed/station-desk-a'],
      'station-kiosk-1': ['Send station-events', 'Listen station-feed/station-kiosk-1'],
    });
    expect(t.principals.filter((p) => p.namespaceRights?.length).map((p) => p.name)).toEqual([
      'RootManageSharedAccessKey',
    ]);
  });
});

describe('the emulator config', () => {
  const config = parseConfig(emulatorConfig(venue)); // the emulator's own validation

  it('has the topics and subscriptions with duplicate detection, TTL, lock duration and max delivery count', () => {
    expect(config.topics.map((t) => [t.name, t.subscriptions.map((s) => s.name)])).toEqual([
      ['station-events', ['hq']],
      ['station-feed', ['station-desk-a', 'station-desk-b', 'station-kiosk-1']],
    ]);
    for (const t of config.topics) {
      expect(t.send).toEqual({
        requiresDuplicateDetection: true,
        duplicateWindowMs: 7 * 86_400_000,
        defaultTtlMs: 14 * 86_400_000,
      });
      for (const s of t.subscriptions) {
        expect(s.receive).toMatchObject({ lockDurationMs: 30_000, maxDeliveryCount: 10, deadLetterOnExpiration: true });
        expect(s.rules.map((r) => r.name)).toEqual(['$Default']);
      }
    }
  });

  it('puts each right exactly where the definition grants it, with one key per principal', () => {
    const where: string[] = [];
    const keys = new Map<string, Set<string>>();
    const note = (scope: string, ps: { name: string; key: string; rights: Set<string> }[]) => {
      for (const p of ps) {
        where.push(`${p.name}: ${[...p.rights].join('+')} ${scope}`);
        keys.set(p.name, (keys.get(p.name) ?? new Set()).add(p.key));
      }
    };
    note('namespace', config.policies);
    for (const t of config.topics) {
      note(t.name, t.policies);
      for (const s of t.subscriptions) note(`${t.name}/${s.name}`, s.policies);
    }
    expect(where.sort()).toEqual(
      [
        'RootManageSharedAccessKey: Manage namespace',
        'hq: Listen station-events/hq',
        'hq: Send station-feed',
        ...venueStations.flatMap((s) => [
          `station-${s}: Send station-events`,
          `station-${s}: Listen station-feed/station-${s}`,
        ]),
      ].sort(),
    );
    for (const [name, set] of keys) expect([...set], name).toEqual([emulatorKey(name)]);
    expect(new Set(venue.principals.map((p) => emulatorKey(p.name))).size).toBe(venue.principals.length);
    // The operator comes first: the emulator's default connection string.
    expect(config.policies[0]!.name).toBe('RootManageSharedAccessKey');
  });
});

describe('the ARM template', () => {
  const template = armTemplate(venue);
  const resources = template.resources as Resource[];
  const byType = (type: string) => resources.filter((r) => r.type === `Microsoft.ServiceBus/namespaces${type}`);

  it('declares every resource it depends on', () => {
    const declared = new Set(
      resources.map((r) => `${r.type} ${r.name.startsWith("[parameters('namespaceName')]") ? '' : shortName(r.name)}`),
    );
    for (const r of resources)
      for (const d of r.dependsOn ?? []) expect(declared, `${r.name} → ${d}`).toContain(refKey(d));
    expect(Object.keys(template.parameters)).toEqual(['namespaceName', 'location']);
    expect(JSON.stringify(template)).not.toMatch(/Key"\s*:\s*"[A-Za-z0-9+/=]{20,}/); // no keys: Azure generates them
  });

  it('creates a Standard namespace with the topics and subscriptions of the definition', () => {
    expect(byType('')).toHaveLength(1);
    expect(byType('')[0]).toMatchObject({
      sku: { name: 'Standard' },
      properties: { minimumTlsVersion: '1.2', disableLocalAuth: false },
    });
    expect(byType('/topics').map((r) => [shortName(r.name), r.properties])).toEqual(
      venue.topics.map((t) => [
        t.name,
        {
          requiresDuplicateDetection: true,
          duplicateDetectionHistoryTimeWindow: 'P7D',
          defaultMessageTimeToLive: 'P14D',
          enableBatchedOperations: true,
        },
      ]),
    );
    expect(byType('/topics/subscriptions').map((r) => [shortName(r.name), r.properties])).toEqual(
      venue.topics.flatMap((t) =>
        t.subscriptions.map((s) => [
          `${t.name}/${s.name}`,
          {
            lockDuration: 'PT30S',
            maxDeliveryCount: 10,
            deadLetteringOnMessageExpiration: true,
            enableBatchedOperations: true,
          },
        ]),
      ),
    );
    // Every subscription's rule is the true $Default the service creates by itself.
    expect(byType('/topics/subscriptions/rules')).toEqual([]);
  });

  it('grants stations send on station-events and listen on station-feed only, HQ the reverse, and says what was widened', () => {
    const rules = byType('/topics/authorizationRules').map(
      (r) => `${shortName(r.name)}: ${(r.properties.rights as string[]).join('+')}`,
    );
    expect(rules.sort()).toEqual(
      [
        'station-events/hq: Listen',
        'station-feed/hq: Send',
        ...venueStations.flatMap((s) => [`station-events/station-${s}: Send`, `station-feed/station-${s}: Listen`]),
      ].sort(),
    );
    expect(byType('/authorizationRules').map((r) => [shortName(r.name), r.properties.rights])).toEqual([
      ['RootManageSharedAccessKey', ['Listen', 'Send', 'Manage']],
    ]);
    // A real namespace has no SAS rules on subscriptions: those grants become the topic's, and the template says so.
    expect(
      template.metadata.widenedGrants
        .map((w) => `${w.principal} ${w.topic}/${w.subscription} → ${w.deployedAs.topic}`)
        .sort(),
    ).toEqual(
      [
        'hq station-events/hq → station-events',
        ...venueStations.map((s) => `station-${s} station-feed/station-${s} → station-feed`),
      ].sort(),
    );
  });

  it('emits non-default rules, and refuses more SAS rules on a topic than a real namespace allows', () => {
    const t: Topology = structuredClone(venue);
    t.topics[1]!.subscriptions[0]!.rules = [
      { name: 'mine', filter: { kind: 'sql', expression: "station IS NULL OR station = 'station:desk-a'" } },
    ];
    const rules = (armTemplate(t).resources as Resource[]).filter((r) => r.type.endsWith('/rules'));
    expect(rules.map((r) => [shortName(r.name), r.properties])).toEqual([
      [
        'station-feed/station-desk-a/mine',
        { filterType: 'SqlFilter', sqlFilter: { sqlExpression: "station IS NULL OR station = 'station:desk-a'" } },
      ],
    ]);
    const eleven = Array.from({ length: maxRulesPerEntity - 1 }, (_, i) => `desk-${i}`);
    expect(() => armTemplate(defineTopology({ stations: eleven }))).not.toThrow();
    expect(() => armTemplate(defineTopology({ stations: [...eleven, 'one-more'] }))).toThrow(
      /station-events would need 13 SAS rules; a real namespace allows 12/,
    );
  });
});
