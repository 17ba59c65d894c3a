/**
 * Config.json in the format of Microsoft's official Service Bus emulator (UserConfig.Namespaces[].Queues /
 * Topics / Subscriptions / Rules), validated with zod so that a bad file is rejected with the path of the bad
 * field. Ranges follow the real service's upper bounds (duplicate detection up to 7 days, lock up to 5 min),
 * not the official emulator's caps; lower bounds are relaxed so tests can use sub-second locks and windows.
 *
 * Extension (not in the official format): `SharedAccessPolicies: [{ Name, Key, Rights: ["Send"|"Listen"|"Manage"] }]`
 * on the namespace or on a queue / topic / subscription. When any policy exists, $cbs put-token verifies SAS
 * tokens against them like the real service; without policies every token is accepted.
 */
import { readFileSync } from 'node:fs';
import { stripBom } from '../../core/file-text';
import { z } from 'zod';
import { parseDuration } from './duration';
import { compileSql, correlationFilter, SqlFilterError } from './filter';
import type { Filter } from './filter';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** TimeSpan.MaxValue in ms, what the real service reports for "no expiry". */
export const MAX_TTL_MS = 922337203685477;

const duration = (min: number, max: number) =>
  z.string().transform((s, ctx) => {
    const ms = parseDuration(s);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not an ISO-8601 duration like "PT30S", "PT1M" or "P7D"` });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is out of range (${min} ms .. ${max} ms)` });
      return z.NEVER;
    }
    return ms;
  });

const entityName = z
  .string()
  .min(1)
  .max(260)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/,
    'letters, digits, ".", "-", "_" and "/" only, starting with a letter or digit',
  );
const subscriptionName = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "-" and "_" only, starting with a letter or digit');

const Right = z.enum(['Send', 'Listen', 'Manage']);
const Policy = z.strictObject({
  Name: z.string().min(1).max(256),
  Key: z.string().min(1).max(256),
  Rights: z.array(Right).min(1),
});
const Policies = z.array(Policy).optional();

const lockDuration = duration(100, 5 * MINUTE);
const ttl = duration(100, MAX_TTL_MS);
const dupWindow = duration(100, 7 * DAY);
const forwardTo = z.string().optional();

// Properties that the real service has and the emulator accepts but does not act on.
const ignored = {
  MaxSizeInMegabytes: z.number().optional(),
  EnableBatchedOperations: z.boolean().optional(),
  EnablePartitioning: z.boolean().optional(),
  AutoDeleteOnIdle: z.string().optional(),
  Status: z.string().optional(),
  UserMetadata: z.string().optional(),
  MaxMessageSizeInKilobytes: z.number().optional(),
  DeadLetteringOnFilterEvaluationExceptions: z.boolean().optional(),
  SupportOrdering: z.boolean().optional(),
};

const QueueProps = z.strictObject({
  LockDuration: lockDuration.optional(),
  MaxDeliveryCount: z.number().int().min(1).max(2147483647).optional(),
  RequiresDuplicateDetection: z.boolean().optional(),
  DuplicateDetectionHistoryTimeWindow: dupWindow.optional(),
  DefaultMessageTimeToLive: ttl.optional(),
  DeadLetteringOnMessageExpiration: z.boolean().optional(),
  RequiresSession: z.boolean().optional(),
  ForwardTo: forwardTo,
  ForwardDeadLetteredMessagesTo: forwardTo,
  ...ignored,
});
const TopicProps = z.strictObject({
  RequiresDuplicateDetection: z.boolean().optional(),
  DuplicateDetectionHistoryTimeWindow: dupWindow.optional(),
  DefaultMessageTimeToLive: ttl.optional(),
  ...ignored,
});
const SubscriptionProps = z.strictObject({
  LockDuration: lockDuration.optional(),
  MaxDeliveryCount: z.number().int().min(1).max(2147483647).optional(),
  DefaultMessageTimeToLive: ttl.optional(),
  DeadLetteringOnMessageExpiration: z.boolean().optional(),
  RequiresSession: z.boolean().optional(),
  ForwardTo: forwardTo,
  ForwardDeadLetteredMessagesTo: forwardTo,
  ...ignored,
});

const CorrelationFilter = z.strictObject({
  CorrelationId: z.string().optional(),
  MessageId: z.string().optional(),
  To: z.string().optional(),
  ReplyTo: z.string().optional(),
  Label: z.string().optional(),
  Subject: z.string().optional(),
  SessionId: z.string().optional(),
  ReplyToSessionId: z.string().optional(),
  ContentType: z.string().optional(),
  Properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
const SqlExpression = z.strictObject({
  SqlExpression: z.string().min(1),
  CompatibilityLevel: z.number().optional(),
  RequiresPreprocessing: z.boolean().optional(),
});
const Rule = z.strictObject({
  Name: z.string().min(1).max(50),
  Properties: z.strictObject({
    FilterType: z.enum(['Correlation', 'Sql', 'True', 'False']),
    CorrelationFilter: CorrelationFilter.optional(),
    SqlFilter: SqlExpression.optional(),
    Action: SqlExpression.optional(),
  }),
});

const Subscription = z.strictObject({
  Name: subscriptionName,
  Properties: SubscriptionProps.optional(),
  Rules: z.array(Rule).optional(),
  SharedAccessPolicies: Policies,
});
const Topic = z.strictObject({
  Name: entityName,
  Properties: TopicProps.optional(),
  Subscriptions: z.array(Subscription).optional(),
  SharedAccessPolicies: Policies,
});
const Queue = z.strictObject({
  Name: entityName,
  Properties: QueueProps.optional(),
  SharedAccessPolicies: Policies,
});
const Namespace = z.strictObject({
  Name: z.string().min(1),
  Queues: z.array(Queue).optional(),
  Topics: z.array(Topic).optional(),
  SharedAccessPolicies: Policies,
});
const ConfigFile = z.strictObject({
  UserConfig: z.strictObject({
    Namespaces: z.array(Namespace).length(1, 'exactly one namespace is supported (like the official emulator)'),
    Logging: z.looseObject({}).optional(),
  }),
});

export type RawConfig = z.input<typeof ConfigFile>;

export type Right = z.infer<typeof Right>;
export interface SasPolicy {
  name: string;
  key: string;
  rights: Set<Right>;
}

/** Settings of something that holds messages: a queue or a subscription. */
export interface ReceivableSettings {
  lockDurationMs: number;
  maxDeliveryCount: number;
  defaultTtlMs: number;
  deadLetterOnExpiration: boolean;
  requiresSession: boolean;
  forwardTo: string | null;
  forwardDeadLetteredTo: string | null;
}
/** Settings of something that accepts sends: a queue or a topic. */
export interface SendableSettings {
  requiresDuplicateDetection: boolean;
  duplicateWindowMs: number;
  defaultTtlMs: number;
}
export interface RuleDef {
  name: string;
  filter: Filter;
  hasAction: boolean;
}
export interface QueueDef {
  name: string;
  send: SendableSettings;
  receive: ReceivableSettings;
  policies: SasPolicy[];
}
export interface SubscriptionDef {
  name: string;
  receive: ReceivableSettings;
  rules: RuleDef[];
  policies: SasPolicy[];
}
export interface TopicDef {
  name: string;
  send: SendableSettings;
  subscriptions: SubscriptionDef[];
  policies: SasPolicy[];
}
export interface EmulatorConfig {
  namespace: string;
  queues: QueueDef[];
  topics: TopicDef[];
  policies: SasPolicy[];
  warnings: string[];
}

export class ConfigError extends Error {}

function policies(list: z.infer<typeof Policy>[] | undefined): SasPolicy[] {
  return (list ?? []).map((p) => ({ name: p.Name, key: p.Key, rights: new Set(p.Rights) }));
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${String(seg)}` : String(seg);
  return out || '(root)';
}

/** Validates a parsed Config.json object; throws ConfigError naming every bad field. */
export function parseConfig(input: unknown): EmulatorConfig {
  const res = ConfigFile.safeParse(input);
  if (!res.success) {
    const lines = res.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new ConfigError(`invalid emulator config:\n  ${lines.join('\n  ')}`);
  }
  const ns = res.data.UserConfig.Namespaces[0]!;
  const where = 'UserConfig.Namespaces[0]';
  const warnings: string[] = [];
  const problems: string[] = [];

  const queues: QueueDef[] = (ns.Queues ?? []).map((q) => {
    const p = q.Properties ?? {};
    const defaultTtlMs = p.DefaultMessageTimeToLive ?? MAX_TTL_MS;
    return {
      name: q.Name,
      send: {
        requiresDuplicateDetection: p.RequiresDuplicateDetection ?? false,
        duplicateWindowMs: p.DuplicateDetectionHistoryTimeWindow ?? 10 * MINUTE,
        defaultTtlMs,
      },
      receive: receivable(p, defaultTtlMs),
      policies: policies(q.SharedAccessPolicies),
    };
  });
  const topics: TopicDef[] = (ns.Topics ?? []).map((t, ti) => {
    const p = t.Properties ?? {};
    const topicTtl = p.DefaultMessageTimeToLive ?? MAX_TTL_MS;
    return {
      name: t.Name,
      send: {
        requiresDuplicateDetection: p.RequiresDuplicateDetection ?? false,
        duplicateWindowMs: p.DuplicateDetectionHistoryTimeWindow ?? 10 * MINUTE,
        defaultTtlMs: topicTtl,
      },
      policies: policies(t.SharedAccessPolicies),
      subscriptions: (t.Subscriptions ?? []).map((s, si) => {
        const sp = s.Properties ?? {};
        // A subscription's TTL can only shorten the topic's, as in the real service.
        const subTtl = Math.min(sp.DefaultMessageTimeToLive ?? topicTtl, topicTtl);
        const rules: RuleDef[] = (s.Rules ?? []).map((r, ri) => {
          const at = `${where}.Topics[${ti}].Subscriptions[${si}].Rules[${ri}].Properties`;
          const rp = r.Properties;
          if (rp.Action) warnings.push(`${at}.Action: rule actions are not supported and are ignored`);
          if (rp.FilterType === 'True') return { name: r.Name, filter: () => true, hasAction: !!rp.Action };
          if (rp.FilterType === 'False') return { name: r.Name, filter: () => false, hasAction: !!rp.Action };
          if (rp.FilterType === 'Correlation') {
            if (!rp.CorrelationFilter) {
              problems.push(`${at}.CorrelationFilter: required when FilterType is "Correlation"`);
              return { name: r.Name, filter: () => false, hasAction: false };
            }
            return { name: r.Name, filter: correlationFilter(rp.CorrelationFilter), hasAction: !!rp.Action };
          }
          if (!rp.SqlFilter) {
            problems.push(`${at}.SqlFilter: required when FilterType is "Sql"`);
            return { name: r.Name, filter: () => false, hasAction: false };
          }
          try {
            return { name: r.Name, filter: compileSql(rp.SqlFilter.SqlExpression), hasAction: !!rp.Action };
          } catch (e) {
            if (!(e instanceof SqlFilterError)) throw e;
            problems.push(`${at}.SqlFilter.SqlExpression: ${e.message}`);
            return { name: r.Name, filter: () => false, hasAction: false };
          }
        });
        return {
          name: s.Name,
          receive: receivable(sp, subTtl),
          // No rules means the real service's "$Default" rule: a TrueFilter.
          rules: rules.length ? rules : [{ name: '$Default', filter: () => true, hasAction: false }],
          policies: policies(s.SharedAccessPolicies),
        };
      }),
    };
  });

  // Names are case-insensitive in Service Bus; queues and topics share one namespace.
  const seen = new Map<string, string>();
  const claim = (name: string, at: string): void => {
    const k = name.toLowerCase();
    const prev = seen.get(k);
    if (prev) problems.push(`${at}.Name: "${name}" is already used by ${prev}`);
    else seen.set(k, at);
  };
  queues.forEach((q, i) => claim(q.name, `${where}.Queues[${i}]`));
  topics.forEach((t, i) => {
    claim(t.name, `${where}.Topics[${i}]`);
    const subs = new Set<string>();
    t.subscriptions.forEach((s, si) => {
      if (subs.has(s.name.toLowerCase()))
        problems.push(`${where}.Topics[${i}].Subscriptions[${si}].Name: duplicate "${s.name}"`);
      subs.add(s.name.toLowerCase());
    });
  });
  const checkForward = (target: string | null, at: string, self: string): void => {
    if (target === null) return;
    if (!seen.has(target.toLowerCase())) problems.push(`${at}: "${target}" is not a queue or topic in this namespace`);
    else if (target.toLowerCase() === self.toLowerCase()) problems.push(`${at}: an entity cannot forward to itself`);
  };
  queues.forEach((q, i) => {
    checkForward(q.receive.forwardTo, `${where}.Queues[${i}].Properties.ForwardTo`, q.name);
    checkForward(
      q.receive.forwardDeadLetteredTo,
      `${where}.Queues[${i}].Properties.ForwardDeadLetteredMessagesTo`,
      q.name,
    );
  });
  topics.forEach((t, ti) =>
    t.subscriptions.forEach((s, si) => {
      const at = `${where}.Topics[${ti}].Subscriptions[${si}].Properties`;
      checkForward(s.receive.forwardTo, `${at}.ForwardTo`, '');
      checkForward(s.receive.forwardDeadLetteredTo, `${at}.ForwardDeadLetteredMessagesTo`, '');
    }),
  );
  if (problems.length) throw new ConfigError(`invalid emulator config:\n  ${problems.join('\n  ')}`);
  return { namespace: ns.Name, queues, topics, policies: policies(ns.SharedAccessPolicies), warnings };
}

function receivable(p: z.infer<typeof SubscriptionProps>, defaultTtlMs: number): ReceivableSettings {
  const fwd = (s: string | undefined): string | null => (s && s.trim() ? s.trim() : null);
  return {
    lockDurationMs: p.LockDuration ?? MINUTE,
    maxDeliveryCount: p.MaxDeliveryCount ?? 10,
    defaultTtlMs,
    deadLetterOnExpiration: p.DeadLetteringOnMessageExpiration ?? false,
    requiresSession: p.RequiresSession ?? false,
    forwardTo: fwd(p.ForwardTo),
    forwardDeadLetteredTo: fwd(p.ForwardDeadLetteredMessagesTo),
  };
}

/** Reads and validates a Config.json file. */
export function loadConfigFile(path: string): EmulatorConfig {
  let text: string;
  try {
    text = stripBom(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(json);
}
