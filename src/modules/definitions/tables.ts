import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { attributeOf, call, choose, isSet, type Condition } from '../../constructs/conditions';
import { GlobalTable, type GlobalTableKey, type GlobalTableRegion } from '../../constructs/storage/global-table';
import { DEFAULT_REPLICATION_LATENCY_MS, DYNAMODB_LIMITS, KEY_TYPES, PROVISIONED_DEFAULTS } from '../../config/tables-schema';
import { example } from '../example-config';
import type { ModuleDefinition } from '../definition';
import { hclList, inputs } from '../inputs';
import type { ModuleInput, ModuleStack } from '../module-stack';

const [home, replica] = example.regions;
const third = 'eu-west-1';
const account = example.accountId;
const keyArn = (region: string, id: string) => `arn:aws:kms:${region}:${account}:key/${id}`;
const topicArn = (region: string) => `arn:aws:sns:${region}:${account}:acme-shop-alerts`;
const alias = (region: string) => region.replace(/-/g, '_');

/** Key attribute names, as the config file checks them. */
const KEY_NAME = '^[A-Za-z0-9_.-]{1,255}$';
/** A KMS key ARN (not an alias: the provider stores the ARN, and an alias would diff forever). */
const KMS_KEY_ARN = '^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$';
const SNS_TOPIC_ARN = '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$';
const KEY_TYPE_LIST = hclList(KEY_TYPES);

/** A key input: `object({ name, type })`, validated as the config validates keys; `null` allowed when optional. */
function keyInput(stack: ModuleStack, name: string, description: string, optional: boolean): ModuleInput {
  const ref = `var.${name}`;
  const guard = (condition: string) => (optional ? `\${${ref} == null ? true : ${condition}}` : `\${${condition}}`);
  return stack.input(name, {
    type: 'object({ name = string, type = string })',
    description,
    ...(optional ? { default: null, nullable: true } : {}),
    validation: [
      {
        condition: guard(`can(regex(${JSON.stringify(KEY_NAME)}, ${ref}.name))`),
        errorMessage: `${name}.name must be 1 to 255 letters, digits, "_", "-" or ".".`,
      },
      {
        condition: guard(`contains(${KEY_TYPE_LIST}, ${ref}.type)`),
        errorMessage: `${name}.type must be one of ${KEY_TYPES.join(', ')} (string, number, binary).`,
      },
    ],
  });
}

/** The value of an optional object input's attribute: `try(var.x.key, null)`, or the literal's (undefined when the object is unset). */
function optionalAttribute(input: ModuleInput, key: string): string | undefined {
  if (input.known) return input.value === undefined ? undefined : input.attribute<string | undefined>(key);
  return call('try', input.attribute(key), undefined);
}

/** The construct's key from a key input (its attributes may be tokens). */
function keyOf(input: ModuleInput): GlobalTableKey | undefined {
  if (input.known && input.value === undefined) return undefined;
  return { name: input.attribute('name'), type: input.attribute<GlobalTableKey['type']>('type') };
}

/** One Region of the table from its provider alias (or the default provider) and its key and topic. */
function tableRegion(
  stack: ModuleStack,
  id: 'home' | 'replica_1' | 'replica_2',
  keyArnValue: string,
  topic: string | undefined,
  enabled: Condition,
): GlobalTableRegion {
  const provider = id === 'home' ? stack.provider() : stack.provider(id);
  return {
    id,
    region: new DataAwsRegion(stack, id, { provider }).id,
    provider,
    kmsKeyArn: keyArnValue,
    alertsTopicArn: topic as string,
    enabled,
    alarms: isSet(topic),
  };
}

const capacityFields = ['read_min_capacity', 'read_max_capacity', 'write_min_capacity', 'write_max_capacity'] as const;

export const globalTableModule: ModuleDefinition = {
  name: 'global-table',
  mainResources: ['aws_dynamodb_table'],
  summary:
    'A DynamoDB global table (version 2019.11.21) in two or three Regions: a customer-managed key, PITR and deletion protection in each, replication-latency alarms.',
  description: [
    "A DynamoDB global table as the stacks create it: the `aws_dynamodb_table` in the home Region (the default `aws` provider) and an `aws_dynamodb_table_replica` in each other Region (`aws.replica_1`, and `aws.replica_2` when `replica_2` is set), each encrypted with its own Region's customer-managed key, with point-in-time recovery and deletion protection. The stream carries new and old images (replication uses it). The table ignores its own `replica` set, as the provider requires when the replica resource is used. Replicas are created one after another: the table refuses other changes while a replica is being added.",
    'The module has a fixed shape, because the Regions of a table decide its resources and provider configurations: the home Region and one or two replicas, the common active-active layouts. Every configuration alias must be passed; with `replica_2 = null`, pass `aws.replica_2` the same provider as `aws.replica_1` (it is not used). For more Regions, use the CDKTF stacks, which place a replica in every configured Region.',
    "Optional: a sort key, a TTL attribute, and provisioned capacity (`provisioned`), kept by Application Auto Scaling at `target_utilization` percent: write scaling is registered once in the home Region (DynamoDB applies it to every replica) and read scaling in each Region; Terraform then ignores the table's capacities. Without it the table is on-demand. A Region with an `alarm_topic_arn` gets a `ReplicationLatency` alarm towards each other Region, notifying its topic (the topic's key policy must let `cloudwatch.amazonaws.com` use it).",
    "Day 2: `table_name`, `partition_key` and `sort_key` force a new table; a replica's Region moves only by a new replica. Deletion protection refuses deletes at the API; `lifecycle` takes no variables, so unlike the CDKTF stacks the module sets no `prevent_destroy`. Set `deletion_protection = false` and apply before removing the module or a replica. Switching an existing table from on-demand to `provisioned` works although the capacities are ignored: the provider then starts it at 1 read and 1 write unit, and autoscaling raises them to the minimums. Global secondary indexes are not offered by the module yet.",
  ].join('\n\n'),
  providerAliases: ['replica_1', 'replica_2'],
  build(stack) {
    const input = inputs(stack);
    const tableName = input.matching(
      'table_name',
      'Name of the table, the same in every Region, e.g. "acme-shop-orders".',
      `^[A-Za-z0-9_.-]{${DYNAMODB_LIMITS.tableNameLength.min},${DYNAMODB_LIMITS.tableNameLength.max}}$`,
      'table_name must be 3 to 255 letters, digits, "_", "-" or ".".',
    );
    const partitionKey = keyInput(
      stack,
      'partition_key',
      'The partition (hash) key: name and type ("S", "N" or "B"). Changing it replaces the table.',
      false,
    );
    const sortKey = keyInput(stack, 'sort_key', 'The sort (range) key, or null for none. Changing it replaces the table.', true);
    const ttlAttribute = stack.input('ttl_attribute', {
      type: 'string',
      description:
        "Attribute holding each item's expiry time in epoch seconds (DynamoDB deletes expired items), or null for no TTL; not a key attribute.",
      default: null,
      nullable: true,
      validation: [
        {
          condition: `\${var.ttl_attribute == null ? true : can(regex(${JSON.stringify(KEY_NAME)}, var.ttl_attribute))}`,
          errorMessage: 'ttl_attribute must be 1 to 255 letters, digits, "_", "-" or ".".',
        },
        {
          condition:
            '${var.ttl_attribute == null ? true : !contains([var.partition_key.name, try(var.sort_key.name, "")], var.ttl_attribute)}',
          errorMessage: 'ttl_attribute must not be a key attribute: TTL reads a number of epoch seconds that is not a key.',
        },
      ],
    });
    const provisioned = stack.input('provisioned', {
      type: `object({ ${capacityFields.map((f) => `${f} = optional(number, ${f.endsWith('min_capacity') ? PROVISIONED_DEFAULTS.minCapacity : PROVISIONED_DEFAULTS.maxCapacity})`).join(', ')}, target_utilization = optional(number, ${PROVISIONED_DEFAULTS.targetUtilization}) })`,
      description:
        'Provisioned capacity kept by Application Auto Scaling (global tables require write autoscaling): the lowest and highest read and write capacity, the same in every Region, and the consumed share, in percent, that autoscaling keeps; null for on-demand (pay per request).',
      default: null,
      nullable: true,
      validation: [
        {
          condition: `\${var.provisioned == null ? true : alltrue([for c in [${capacityFields.map((f) => `var.provisioned.${f}`).join(', ')}] : c >= 1 && floor(c) == c])}`,
          errorMessage: 'provisioned capacities must be whole numbers of at least 1.',
        },
        {
          condition:
            '${var.provisioned == null ? true : var.provisioned.read_min_capacity <= var.provisioned.read_max_capacity && var.provisioned.write_min_capacity <= var.provisioned.write_max_capacity}',
          errorMessage: 'provisioned minimum capacities must be at most the maximum ones.',
        },
        {
          condition:
            '${var.provisioned == null ? true : var.provisioned.target_utilization >= 20 && var.provisioned.target_utilization <= 90}',
          errorMessage: 'provisioned.target_utilization must be 20 to 90 percent.',
        },
      ],
    });
    const homeKey = input.matching(
      'kms_key_arn',
      'ARN of the customer-managed KMS key in the home Region (the default `aws` provider) that encrypts the table: an ARN, not an alias.',
      KMS_KEY_ARN,
      'kms_key_arn must be the ARN of a KMS key (not an alias).',
    );
    const homeTopic = stack.input('alarm_topic_arn', {
      type: 'string',
      description: 'SNS topic in the home Region that its ReplicationLatency alarms notify; null for no alarms from the home Region.',
      default: null,
      nullable: true,
      validation: [
        {
          condition: `\${var.alarm_topic_arn == null ? true : can(regex(${JSON.stringify(SNS_TOPIC_ARN)}, var.alarm_topic_arn))}`,
          errorMessage: 'alarm_topic_arn must be the ARN of an SNS topic.',
        },
      ],
    });
    const replicaInput = (name: 'replica_1' | 'replica_2', optional: boolean) =>
      stack.input(name, {
        type: 'object({ kms_key_arn = string, alarm_topic_arn = optional(string) })',
        description: `The replica in the Region of the \`aws.${name}\` provider: the ARN of its Region's customer-managed KMS key, and the SNS topic in that Region its ReplicationLatency alarms notify (null for none)${optional ? '; null for a table in two Regions' : ''}.`,
        ...(optional ? { default: null, nullable: true } : {}),
        validation: [
          {
            condition: `\${${optional ? `var.${name} == null ? true : ` : ''}can(regex(${JSON.stringify(KMS_KEY_ARN)}, var.${name}.kms_key_arn))}`,
            errorMessage: `${name}.kms_key_arn must be the ARN of a KMS key (not an alias).`,
          },
          {
            condition: `\${${optional ? `var.${name} == null ? true : ` : ''}var.${name}.alarm_topic_arn == null ? true : can(regex(${JSON.stringify(SNS_TOPIC_ARN)}, var.${name}.alarm_topic_arn))}`,
            errorMessage: `${name}.alarm_topic_arn must be the ARN of an SNS topic.`,
          },
        ],
      });
    const replica1 = replicaInput('replica_1', false);
    const replica2 = replicaInput('replica_2', true);
    const threshold = input.wholeNumber(
      'replication_latency_threshold_ms',
      'Average ReplicationLatency, in milliseconds over 5 minutes, above which a Region pair alarms.',
      1000,
      undefined,
      DEFAULT_REPLICATION_LATENCY_MS,
    );
    const deletionProtection = stack.input('deletion_protection', {
      type: 'bool',
      description: 'Deletion protection on the table and every replica. Set false and apply before destroying the table or a replica.',
      default: true,
    });

    const replica2Enabled = isSet(replica2.value);
    const provisionedEnabled = isSet(provisioned.value);
    // A literal object lacks the fields Terraform's optional() defaults would fill.
    const capacity = (field: string) =>
      provisioned.attribute<number | undefined>(field) ??
      (field === 'target_utilization'
        ? PROVISIONED_DEFAULTS.targetUtilization
        : field.endsWith('min_capacity')
          ? PROVISIONED_DEFAULTS.minCapacity
          : PROVISIONED_DEFAULTS.maxCapacity);
    const homeRegion = tableRegion(stack, 'home', homeKey.stringValue, homeTopic.stringValue, true);
    const first = tableRegion(stack, 'replica_1', replica1.attribute('kms_key_arn'), replica1.attribute('alarm_topic_arn'), true);
    const second = tableRegion(
      stack,
      'replica_2',
      optionalAttribute(replica2, 'kms_key_arn')!,
      optionalAttribute(replica2, 'alarm_topic_arn'),
      replica2Enabled,
    );
    const table = new GlobalTable(stack, 'table', {
      tableName: tableName.stringValue,
      home: homeRegion,
      replicas: [first, second],
      partitionKey: keyOf(partitionKey)!,
      sortKey: keyOf(sortKey),
      sortKeyEnabled: isSet(sortKey.value),
      ttlAttribute: ttlAttribute.stringValue,
      ttlEnabled: isSet(ttlAttribute.stringValue),
      provisioned:
        provisioned.known && provisioned.value === undefined
          ? undefined
          : {
              readMinCapacity: capacity('read_min_capacity'),
              readMaxCapacity: capacity('read_max_capacity'),
              writeMinCapacity: capacity('write_min_capacity'),
              writeMaxCapacity: capacity('write_max_capacity'),
              targetUtilization: capacity('target_utilization'),
              enabled: provisionedEnabled,
            },
      deletionProtection: deletionProtection.booleanValue,
      replicationLatencyThresholdMs: threshold.numberValue,
    });
    /** A replica's ARN where it exists; `undefined` (null) for a literal replica that does not. */
    const replicaArn = (region: GlobalTableRegion) => {
      const resource = table.replicas.get(region.region);
      return resource ? choose(region.enabled ?? true, attributeOf(resource, 'arn'), undefined) : undefined;
    };
    stack.output('table_name', table.table.name, 'Name of the table, the same in every Region.');
    stack.output('table_arn', table.tableArn, 'ARN of the table in the home Region: the global table ARN of its replicas.');
    stack.output('stream_arn', table.table.streamArn, "ARN of the table's stream in the home Region (new and old images).");
    stack.output('replica_1_arn', replicaArn(first), 'ARN of the replica in the Region of `aws.replica_1`.');
    stack.output('replica_2_arn', replicaArn(second), 'ARN of the replica in the Region of `aws.replica_2`; null without `replica_2`.');
  },
  example: {
    providers: [{ region: home.region }, { alias: alias(replica.region), region: replica.region }, { alias: alias(third), region: third }],
    passProviders: { aws: 'aws', 'aws.replica_1': `aws.${alias(replica.region)}`, 'aws.replica_2': `aws.${alias(third)}` },
    inputs: {
      table_name: `${example.name}-orders`,
      partition_key: { name: 'pk', type: 'S' },
      sort_key: { name: 'sk', type: 'S' },
      ttl_attribute: 'expiresAt',
      kms_key_arn: keyArn(home.region, '1234abcd-12ab-34cd-56ef-1234567890ab'),
      alarm_topic_arn: topicArn(home.region),
      replica_1: { kms_key_arn: keyArn(replica.region, '5678efab-56ef-78ab-90cd-5678901234ef'), alarm_topic_arn: topicArn(replica.region) },
      replica_2: { kms_key_arn: keyArn(third, '9abc0123-9abc-0123-4567-9abc01234567'), alarm_topic_arn: topicArn(third) },
    },
  },
  variants: {
    'two-regions-provisioned': {
      sort_key: null,
      ttl_attribute: null,
      replica_2: null,
      provisioned: { read_min_capacity: 2, read_max_capacity: 50, write_min_capacity: 3, write_max_capacity: 40 },
      replication_latency_threshold_ms: 30000,
    },
    'no-alarms-unprotected': {
      alarm_topic_arn: null,
      replica_1: { kms_key_arn: keyArn(replica.region, '5678efab-56ef-78ab-90cd-5678901234ef') },
      deletion_protection: false,
    },
  },
};
