/**
 * The topology as the emulator's Config.json (the official emulator's format plus Lanyard's `SharedAccessPolicies`
 * extension, tools/servicebus-emulator/README.md). Unlike the real service, the emulator takes a SAS policy on a
 * subscription, so a station's Listen covers its own subscription only — exactly what the definition says.
 *
 * Keys: the emulator is a local development tool, so its keys are derived from the rule name (`emulatorKey`) and
 * committed. They are not secrets and are never used with a real namespace, whose keys Azure generates.
 */
import { createHash } from 'node:crypto';
import type { Filter, Principal, Right, Topology } from './topology';

export function emulatorKey(principal: string): string {
  return createHash('sha256').update(`lanyard-emulator-development-key/${principal}`).digest('base64');
}

/** The connection string of one principal for an emulator listening on `host:port`. */
export function emulatorConnectionString(principal: string, port: number, host = '127.0.0.1'): string {
  return `Endpoint=sb://${host}:${port};SharedAccessKeyName=${principal};SharedAccessKey=${emulatorKey(principal)};UseDevelopmentEmulator=true`;
}

type Policy = { Name: string; Key: string; Rights: Right[] };

function ruleProperties(f: Filter) {
  switch (f.kind) {
    case 'true':
      return { FilterType: 'True' as const };
    case 'sql':
      return { FilterType: 'Sql' as const, SqlFilter: { SqlExpression: f.expression } };
    case 'correlation':
      return {
        FilterType: 'Correlation' as const,
        CorrelationFilter: {
          ...(f.label !== undefined ? { Label: f.label } : {}),
          ...(f.properties ? { Properties: f.properties } : {}),
        },
      };
  }
}

const policy = (p: Principal, rights: Right[]): Policy => ({ Name: p.name, Key: emulatorKey(p.name), Rights: rights });
const withPolicies = (list: Policy[]) => (list.length ? { SharedAccessPolicies: list } : {});

export function emulatorConfig(t: Topology) {
  const on = (topic: string, subscription?: string) =>
    t.principals.flatMap((p) =>
      p.grants.filter((g) => g.topic === topic && g.subscription === subscription).map((g) => policy(p, g.rights)),
    );
  return {
    UserConfig: {
      Namespaces: [
        {
          Name: t.namespace,
          Topics: t.topics.map((topic) => ({
            Name: topic.name,
            Properties: {
              RequiresDuplicateDetection: topic.requiresDuplicateDetection,
              DuplicateDetectionHistoryTimeWindow: topic.duplicateDetectionHistoryTimeWindow,
              DefaultMessageTimeToLive: topic.defaultMessageTimeToLive,
            },
            Subscriptions: topic.subscriptions.map((s) => ({
              Name: s.name,
              Properties: {
                LockDuration: s.lockDuration,
                MaxDeliveryCount: s.maxDeliveryCount,
                DeadLetteringOnMessageExpiration: s.deadLetteringOnMessageExpiration,
              },
              Rules: s.rules.map((r) => ({ Name: r.name, Properties: ruleProperties(r.filter) })),
              ...withPolicies(on(topic.name, s.name)),
            })),
            ...withPolicies(on(topic.name)),
          })),
          // The operator's policy comes first: it is the emulator's default connection string (tests, tools).
          ...withPolicies(
            t.principals.filter((p) => p.namespaceRights?.length).map((p) => policy(p, p.namespaceRights!)),
          ),
        },
      ],
      Logging: { Type: 'Console' },
    },
  };
}
