/**
 * The topology as an ARM template for a real Service Bus namespace (Standard tier: topics need it). JSON rather than
 * Bicep so that a test can check it here without the bicep CLI; `az deployment group create --template-file` takes it.
 *
 * What the real service cannot express, and how it is mapped (recorded in the template's metadata, see README):
 * - SAS rules live on a namespace, queue or topic — not on a subscription. A grant on one subscription becomes the same
 *   rights on its topic: a station's key can then listen on the other stations' subscriptions too (it still cannot
 *   send to station-feed, nor read station-events). The emulator enforces the narrower grant.
 * - A connection string carries one key, and Azure generates a different key for every rule: after deploying, give
 *   each principal's rules one key (`az servicebus topic authorization-rule keys renew --key-value`).
 * - At most 12 SAS rules per entity: with HQ's, 11 stations. More stations refuse to generate.
 * - A subscription is created with a `$Default` rule that takes everything; a true `$Default` is left to the service.
 */
import type { Filter, Grant, Right, Topology } from './topology';

export const apiVersion = '2021-11-01';
export const maxRulesPerEntity = 12;

const ns = "parameters('namespaceName')";
const name = (...parts: string[]) =>
  `[format('${parts.map((_, i) => `{${i + 1}}`).reduce((a, b) => `${a}/${b}`, '{0}')}', ${ns}, ${parts.map((p) => `'${p}'`).join(', ')})]`;
const id = (type: string, ...parts: string[]) =>
  `[resourceId('${type}', ${ns}${parts.map((p) => `, '${p}'`).join('')})]`;

const T = {
  namespace: 'Microsoft.ServiceBus/namespaces',
  namespaceRule: 'Microsoft.ServiceBus/namespaces/authorizationRules',
  topic: 'Microsoft.ServiceBus/namespaces/topics',
  topicRule: 'Microsoft.ServiceBus/namespaces/topics/authorizationRules',
  subscription: 'Microsoft.ServiceBus/namespaces/topics/subscriptions',
  rule: 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules',
} as const;

/** Manage needs Listen and Send beside it in the real service. */
const armRights = (rights: Right[]): Right[] =>
  (['Listen', 'Send', 'Manage'] as Right[]).filter(
    (r) => rights.includes(r) || (r !== 'Manage' && rights.includes('Manage')),
  );

function filterProperties(f: Exclude<Filter, { kind: 'true' }>) {
  if (f.kind === 'sql') return { filterType: 'SqlFilter', sqlFilter: { sqlExpression: f.expression } };
  return {
    filterType: 'CorrelationFilter',
    correlationFilter: {
      ...(f.label !== undefined ? { label: f.label } : {}),
      ...(f.properties ? { properties: f.properties } : {}),
    },
  };
}

export interface WidenedGrant extends Grant {
  principal: string;
  /** What the template grants instead. */
  deployedAs: { topic: string; rights: Right[] };
}

export function armTemplate(t: Topology) {
  const resources: Record<string, unknown>[] = [];
  const widened: WidenedGrant[] = [];

  resources.push({
    type: T.namespace,
    apiVersion,
    name: `[${ns}]`,
    location: "[parameters('location')]",
    sku: { name: 'Standard', tier: 'Standard' },
    properties: { minimumTlsVersion: '1.2', disableLocalAuth: false },
  });
  for (const p of t.principals.filter((p) => p.namespaceRights?.length)) {
    resources.push({
      type: T.namespaceRule,
      apiVersion,
      name: name(p.name),
      dependsOn: [id(T.namespace)],
      properties: { rights: armRights(p.namespaceRights!) },
    });
  }

  for (const topic of t.topics) {
    resources.push({
      type: T.topic,
      apiVersion,
      name: name(topic.name),
      dependsOn: [id(T.namespace)],
      properties: {
        requiresDuplicateDetection: topic.requiresDuplicateDetection,
        duplicateDetectionHistoryTimeWindow: topic.duplicateDetectionHistoryTimeWindow,
        defaultMessageTimeToLive: topic.defaultMessageTimeToLive,
        enableBatchedOperations: true,
      },
    });
    for (const s of topic.subscriptions) {
      resources.push({
        type: T.subscription,
        apiVersion,
        name: name(topic.name, s.name),
        dependsOn: [id(T.topic, topic.name)],
        properties: {
          lockDuration: s.lockDuration,
          maxDeliveryCount: s.maxDeliveryCount,
          deadLetteringOnMessageExpiration: s.deadLetteringOnMessageExpiration,
          enableBatchedOperations: true,
        },
      });
      for (const r of s.rules) {
        if (r.filter.kind === 'true' && r.name === '$Default') continue; // the service creates exactly this
        const filter = r.filter.kind === 'true' ? ({ kind: 'sql', expression: '1=1' } as const) : r.filter;
        resources.push({
          type: T.rule,
          apiVersion,
          name: name(topic.name, s.name, r.name),
          dependsOn: [id(T.subscription, topic.name, s.name)],
          properties: filterProperties(filter),
        });
      }
    }

    // SAS rules on this topic: every principal's grants on it or on one of its subscriptions.
    const rules: { principal: string; rights: Right[] }[] = [];
    for (const p of t.principals) {
      const grants = p.grants.filter((g) => g.topic === topic.name);
      if (!grants.length) continue;
      const rights = [...new Set(grants.flatMap((g) => g.rights))];
      for (const g of grants)
        if (g.subscription)
          widened.push({ ...g, principal: p.name, deployedAs: { topic: topic.name, rights: armRights(rights) } });
      rules.push({ principal: p.name, rights });
    }
    if (rules.length > maxRulesPerEntity) {
      throw new Error(
        `topic ${topic.name} would need ${rules.length} SAS rules; a real namespace allows ${maxRulesPerEntity} per entity (HQ and ${maxRulesPerEntity - 1} stations)`,
      );
    }
    for (const r of rules) {
      resources.push({
        type: T.topicRule,
        apiVersion,
        name: name(topic.name, r.principal),
        dependsOn: [id(T.topic, topic.name)],
        properties: { rights: armRights(r.rights) },
      });
    }
  }

  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: {
      description:
        'Lanyard Service Bus namespace. Generated by `npm run topology` from infra/topology.ts: do not edit.',
      principals: t.principals.map((p) => ({
        name: p.name,
        role: p.role,
        ...(p.namespaceRights ? { namespaceRights: p.namespaceRights } : {}),
        grants: p.grants,
      })),
      widenedGrants: widened,
      afterDeployment:
        "Give each principal's SAS rules one key (a connection string carries one): az servicebus topic authorization-rule keys renew --key PrimaryKey --key-value KEY, for each of its rules. infra/README.md.",
    },
    parameters: {
      namespaceName: {
        type: 'string',
        minLength: 6,
        maxLength: 50,
        metadata: { description: 'Globally unique Service Bus namespace name' },
      },
      location: {
        type: 'string',
        defaultValue: '[resourceGroup().location]',
        metadata: { description: 'Azure region' },
      },
    },
    resources,
    outputs: {
      endpoint: {
        type: 'string',
        value: `[reference(${id(T.namespace).slice(1, -1)}, '${apiVersion}').serviceBusEndpoint]`,
      },
    },
  };
}
