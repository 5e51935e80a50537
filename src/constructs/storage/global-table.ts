import { TerraformProvider, type IResolvable } from 'cdktf';
import { Construct } from 'constructs';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import {
  DynamodbTable,
  dynamodbTableAttributeToTerraform,
  dynamodbTableTtlToTerraform,
  type DynamodbTableAttribute,
  type DynamodbTableGlobalSecondaryIndex,
  type DynamodbTableTtl,
} from '@cdktf/provider-aws/lib/dynamodb-table';
import { DynamodbTableReplicaA as DynamodbTableReplica } from '@cdktf/provider-aws/lib/dynamodb-table-replica';
import { and, attributeOf, choose, conditionalBlocks, numberText, optional, type Condition } from '../conditions';
import { explain } from '../rationale';

/** A key attribute: name and DynamoDB type. */
export interface GlobalTableKey {
  /** Attribute name. */
  readonly name: string;
  /** `S` string, `N` number, `B` binary. */
  readonly type: 'S' | 'N' | 'B';
}

/** A global secondary index. */
export interface GlobalTableIndex {
  /** Index name. */
  readonly name: string;
  /** The index's partition key. */
  readonly partitionKey: GlobalTableKey;
  /**
   * The index's sort key.
   * @default - none
   */
  readonly sortKey?: GlobalTableKey;
  /** What the index copies. */
  readonly projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  /**
   * With `INCLUDE`: the other attributes the index copies.
   * @default - none
   */
  readonly nonKeyAttributes?: readonly string[];
}

/** Provisioned capacity kept by Application Auto Scaling. */
export interface GlobalTableProvisioned {
  /** Lowest read capacity. */
  readonly readMinCapacity: number;
  /** Highest read capacity. */
  readonly readMaxCapacity: number;
  /** Lowest write capacity. */
  readonly writeMinCapacity: number;
  /** Highest write capacity. */
  readonly writeMaxCapacity: number;
  /** Consumed capacity, in percent of the provisioned capacity, that autoscaling keeps. */
  readonly targetUtilization: number;
  /**
   * Whether the table is provisioned: a Terraform expression where an HCL module's capacity input
   * may be null (the table is then on-demand, and the autoscaling resources get `count = 0`).
   * @default true
   */
  readonly enabled?: Condition;
}

/** One Region of the global table: its provider, key and alerts topic. */
export interface GlobalTableRegion {
  /** The Region code. */
  readonly region: string;
  /** The provider configured for the Region. */
  readonly provider: TerraformProvider;
  /** ARN of the Region's customer-managed key (an ARN, not an alias: the provider stores the ARN and an alias diffs forever). */
  readonly kmsKeyArn: string;
  /** SNS topic in the Region that its `ReplicationLatency` alarms notify. */
  readonly alertsTopicArn: string;
  /**
   * The construct ID part of the Region's resources, where `region` is a Terraform expression (an HCL
   * module reads it from its provider) and cannot name a construct.
   * @default - the Region code
   */
  readonly id?: string;
  /**
   * Whether the Region is part of the table: a Terraform expression for an HCL module's optional
   * replica (its resources get `count`). The home Region is always part of it.
   * @default true
   */
  readonly enabled?: Condition;
  /**
   * Whether the `ReplicationLatency` alarms from this Region exist.
   * @default true
   */
  readonly alarms?: Condition;
}

/** Properties of a `GlobalTable`. */
export interface GlobalTableProps {
  /** The table name, the same in every Region. */
  readonly tableName: string;
  /** The Region of the `aws_dynamodb_table` resource. */
  readonly home: GlobalTableRegion;
  /** The other Regions, one `aws_dynamodb_table_replica` each. */
  readonly replicas: readonly GlobalTableRegion[];
  /** The partition key. */
  readonly partitionKey: GlobalTableKey;
  /**
   * The sort key.
   * @default - none
   */
  readonly sortKey?: GlobalTableKey;
  /**
   * Whether `sortKey` applies: a Terraform expression where an HCL module's sort key input may be null.
   * @default - whether `sortKey` is given
   */
  readonly sortKeyEnabled?: Condition;
  /**
   * Global secondary indexes.
   * @default - none
   */
  readonly globalSecondaryIndexes?: readonly GlobalTableIndex[];
  /**
   * The TTL attribute (epoch seconds).
   * @default - no TTL
   */
  readonly ttlAttribute?: string;
  /**
   * Whether `ttlAttribute` applies: a Terraform expression where an HCL module's TTL input may be null.
   * @default - whether `ttlAttribute` is given
   */
  readonly ttlEnabled?: Condition;
  /**
   * Provisioned capacity with autoscaling.
   * @default - on-demand
   */
  readonly provisioned?: GlobalTableProvisioned;
  /**
   * Deletion protection on the table and every replica; with the literal `true`, the table also carries
   * `lifecycle.prevent_destroy` (a Terraform expression cannot set it: `lifecycle` takes no expressions).
   * @default true
   */
  readonly deletionProtection?: boolean | IResolvable;
  /**
   * Average `ReplicationLatency` (milliseconds, 5 minutes) above which a Region pair alarms.
   * @default 60000
   */
  readonly replicationLatencyThresholdMs?: number;
}

/**
 * A DynamoDB global table, version 2019.11.21: `aws_dynamodb_table` in its home Region without
 * `replica` blocks, and one `aws_dynamodb_table_replica` in every other Region.
 *
 * Why the replica resource rather than `replica` blocks: in 5.100.0 the block has no
 * `deletion_protection_enabled` (only `aws_dynamodb_table_replica` has it, with its own `kms_key_arn` and
 * `point_in_time_recovery`), and every replica must be protected. The two must not be mixed: the
 * provider docs require `lifecycle.ignore_changes = [replica]` on the table when the replica resource
 * is used (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/dynamodb_table_replica),
 * since the table reads the replicas back into its `replica` set and would plan to remove them
 * (https://github.com/terraform-aws-modules/terraform-aws-dynamodb-table/issues/73). The `replica` set
 * is also the home of the perpetual diffs on replica keys and PITR
 * (https://github.com/hashicorp/terraform-provider-aws/issues/27850,
 * https://github.com/hashicorp/terraform-provider-aws/issues/25812,
 * https://github.com/hashicorp/terraform-provider-aws/issues/29636), which the separate resource avoids.
 * The legacy `aws_dynamodb_global_table` (version 2017.11.29) is not used: it takes no customer-managed keys.
 */
export class GlobalTable extends Construct {
  /** The table in the home Region. */
  readonly table: DynamodbTable;
  /** The replicas, by Region. */
  readonly replicas: ReadonlyMap<string, DynamodbTableReplica>;
  /** `ReplicationLatency` alarms, one per source and receiving Region. */
  readonly alarms: readonly CloudwatchMetricAlarm[];
  /** The table's ARN in the home Region. */
  readonly tableArn: string;

  constructor(scope: Construct, id: string, props: GlobalTableProps) {
    super(scope, id);
    const { home, tableName } = props;
    const indexes = props.globalSecondaryIndexes ?? [];
    const protection = props.deletionProtection ?? true;
    const provisioned = props.provisioned;
    // A Terraform expression (an HCL module's inputs) where the stacks pass literals: the parts it
    // decides get `count` or `dynamic` blocks, and literal props synthesize exactly as before.
    const isProvisioned: Condition = provisioned ? (provisioned.enabled ?? true) : false;
    const hasSortKey: Condition = props.sortKey ? (props.sortKeyEnabled ?? true) : false;
    const hasTtl: Condition = props.ttlAttribute !== undefined ? (props.ttlEnabled ?? true) : false;
    const idOf = (region: GlobalTableRegion) => region.id ?? region.region;
    if (props.replicas.some((r) => r.region === home.region)) {
      throw new Error(`GlobalTable ${id}: the home Region ${home.region} cannot also hold a replica`);
    }
    if (isProvisioned !== false && indexes.length > 0) {
      // Autoscaling moves index capacity too, and `global_secondary_index` is a set: ignoring its
      // capacities means ignoring the whole block (https://github.com/hashicorp/terraform-provider-aws/issues/13097).
      throw new Error(`GlobalTable ${id}: provisioned capacity with global secondary indexes is not supported; use on-demand`);
    }

    // Every key attribute once; the sort key only where it applies.
    const attributes = new Map<string, { readonly when: Condition; readonly block: DynamodbTableAttribute }>();
    const keys: Array<[GlobalTableKey | undefined, Condition]> = [
      [props.partitionKey, true],
      [props.sortKey, hasSortKey],
      ...indexes.flatMap((i): Array<[GlobalTableKey | undefined, Condition]> => [
        [i.partitionKey, true],
        [i.sortKey, true],
      ]),
    ];
    for (const [key, when] of keys) {
      if (key && when !== false) attributes.set(key.name, { when, block: { name: key.name, type: key.type } });
    }

    // Day 2 (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/dynamodb_table):
    // name, hash_key and range_key force a new table (and so does a changed attribute type); a changed
    // index key, projection or non-key attribute list deletes and recreates that index in place (the
    // index is unavailable while it backfills). stream, TTL, PITR, billing mode, deletion protection
    // and the key (server_side_encryption) update in place.
    this.table = new DynamodbTable(this, 'table', {
      provider: home.provider,
      name: tableName,
      billingMode: choose(isProvisioned, 'PROVISIONED', 'PAY_PER_REQUEST'),
      readCapacity: choose(isProvisioned, provisioned?.readMinCapacity, undefined),
      writeCapacity: choose(isProvisioned, provisioned?.writeMinCapacity, undefined),
      hashKey: props.partitionKey.name,
      rangeKey: choose(hasSortKey, props.sortKey?.name, undefined),
      globalSecondaryIndex: indexes.length
        ? indexes.map((index): DynamodbTableGlobalSecondaryIndex => ({
            name: index.name,
            hashKey: index.partitionKey.name,
            rangeKey: index.sortKey?.name,
            projectionType: index.projection,
            nonKeyAttributes: index.projection === 'INCLUDE' ? [...(index.nonKeyAttributes ?? [])] : undefined,
          }))
        : undefined,
      // Set below: a Terraform expression makes these blocks `dynamic`.
      attribute: undefined,
      ttl: undefined,
      // Replicas receive changes through the table's stream; every replica's stream carries
      // NEW_AND_OLD_IMAGES for consumers in any Region.
      streamEnabled: true,
      streamViewType: 'NEW_AND_OLD_IMAGES',
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: home.kmsKeyArn },
      deletionProtectionEnabled: protection,
      lifecycle: {
        // `lifecycle` takes no expressions: where provisioning is an expression, the capacities are
        // always ignored (on-demand, they are not set anyway). Switching such a table from on-demand
        // to provisioned still works: with the capacities ignored, the provider starts it at 1 and 1
        // (https://github.com/hashicorp/terraform-provider-aws/pull/22630) and autoscaling takes over.
        ignoreChanges: ['replica', ...(isProvisioned !== false ? ['read_capacity', 'write_capacity'] : [])],
        preventDestroy: protection === true || undefined,
      },
    });
    const attributeBlocks = conditionalBlocks(this.table, 'attribute', [...attributes.values()], dynamodbTableAttributeToTerraform);
    if (attributeBlocks.length > 0) this.table.putAttribute(attributeBlocks);
    const [ttl] = conditionalBlocks<DynamodbTableTtl>(
      this.table,
      'ttl',
      [{ when: hasTtl, block: { attributeName: props.ttlAttribute!, enabled: true } }],
      dynamodbTableTtlToTerraform,
    );
    if (ttl) this.table.putTtl(ttl);
    explain(
      this.table,
      `The replicas are aws_dynamodb_table_replica resources (they carry deletion protection), so the table ignores its replica set as the provider requires${isProvisioned !== false ? '; Application Auto Scaling moves read and write capacity, so they are ignored too' : ''}.`,
    );
    this.tableArn = this.table.arn;

    // Provisioned global tables need write autoscaling, and its settings are the same in every
    // Region: DynamoDB copies the table's write scaling to every replica
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_reqs_bestpractices.html,
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-global-table-design.prescriptive-guidance.throughput.html).
    // So write scaling is registered once, in the home Region, before any replica is added; read
    // scaling is per Region.
    const scaling = provisioned
      ? [
          this.scaling(
            'write',
            home,
            isProvisioned,
            provisioned.writeMinCapacity,
            provisioned.writeMaxCapacity,
            provisioned.targetUtilization,
          ),
          this.scaling(
            'read',
            home,
            isProvisioned,
            provisioned.readMinCapacity,
            provisioned.readMaxCapacity,
            provisioned.targetUtilization,
          ),
        ].filter((policy) => policy !== undefined)
      : [];

    // A table is UPDATING until a new replica is ACTIVE, and UpdateTable refuses other changes to it
    // meanwhile (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html):
    // each replica waits for the previous one.
    const replicas = new Map<string, DynamodbTableReplica>();
    let previous: DynamodbTableReplica | undefined;
    for (const replica of props.replicas) {
      const enabled = replica.enabled ?? true;
      // Day 2: global_table_arn and kms_key_arn force a new replica (the provider marks both ForceNew:
      // https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/dynamodb_table_replica);
      // the key is the Region's own, whose ARN no config change alters (a new name is refused in
      // src/config/change.ts). Point-in-time recovery and deletion protection update in place.
      // Removing a Region deletes its replica, which its deletion
      // protection refuses until it is turned off (docs/operations.md, "Removing a Region").
      const resource = optional(
        enabled,
        (count) =>
          new DynamodbTableReplica(this, `replica-${idOf(replica)}`, {
            provider: replica.provider,
            count,
            globalTableArn: this.table.arn,
            kmsKeyArn: replica.kmsKeyArn,
            pointInTimeRecovery: true,
            deletionProtectionEnabled: protection,
            dependsOn: [...(previous ? [previous] : []), ...scaling],
          }),
      );
      if (!resource) continue;
      if (provisioned) {
        this.scaling(
          'read',
          replica,
          and(enabled, isProvisioned),
          provisioned.readMinCapacity,
          provisioned.readMaxCapacity,
          provisioned.targetUtilization,
          resource,
        );
      }
      replicas.set(replica.region, resource);
      previous = resource;
    }
    this.replicas = replicas;

    // ReplicationLatency: emitted in the source Region per receiving Region
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html).
    // Missing data is not breaching: the metric has data points only while writes replicate, and an
    // idle table is healthy.
    const all = [home, ...props.replicas];
    const threshold = props.replicationLatencyThresholdMs ?? 60_000;
    this.alarms = all.flatMap((source) =>
      all
        .filter((receiving) => receiving !== source)
        .flatMap((receiving) => {
          const enabled = and(and(source.enabled ?? true, receiving.enabled ?? true), source.alarms ?? true);
          const alarm = optional(
            enabled,
            (count) =>
              new CloudwatchMetricAlarm(this, `latency-${idOf(source)}-to-${idOf(receiving)}`, {
                provider: source.provider,
                count,
                alarmName: `${tableName}-${source.region}-to-${receiving.region}-replication-latency`,
                alarmDescription: `Writes to ${tableName} in ${source.region} take more than ${numberText(threshold)} ms on average to reach ${receiving.region}`,
                namespace: 'AWS/DynamoDB',
                metricName: 'ReplicationLatency',
                dimensions: { TableName: tableName, ReceivingRegion: receiving.region },
                statistic: 'Average',
                period: 300,
                evaluationPeriods: 3,
                datapointsToAlarm: 2,
                comparisonOperator: 'GreaterThanThreshold',
                threshold,
                treatMissingData: 'notBreaching',
                alarmActions: [source.alertsTopicArn],
                okActions: [source.alertsTopicArn],
                dependsOn: source === home ? [this.table] : [replicas.get(source.region)!],
              }),
          );
          return alarm ? [alarm] : [];
        }),
    );
  }

  /** A scalable target and its target-tracking policy for one capacity of the table in one Region. */
  private scaling(
    what: 'read' | 'write',
    where: GlobalTableRegion,
    enabled: Condition,
    min: number,
    max: number,
    targetUtilization: number,
    after?: DynamodbTableReplica,
  ): AppautoscalingPolicy | undefined {
    const unit = what === 'read' ? 'Read' : 'Write';
    const id = where.id ?? where.region;
    return optional(enabled, (count) => {
      // Day 2: resource_id, scalable_dimension and service_namespace force a new target (constant
      // here); min and max update in place. The service-linked role is created by Application Auto Scaling.
      const target = new AppautoscalingTarget(this, `${what}-scaling-${id}`, {
        provider: where.provider,
        count,
        serviceNamespace: 'dynamodb',
        resourceId: `table/${this.table.name}`,
        scalableDimension: `dynamodb:table:${unit}CapacityUnits`,
        minCapacity: min,
        maxCapacity: max,
        dependsOn: after ? [after] : undefined,
      });
      // The name DynamoDB gives the policies it makes itself: adding a replica to a provisioned table
      // creates scaling in the replica's Region, and a second target-tracking policy on the same metric
      // is refused ("Only one TargetTrackingScaling policy for a given metric specification is
      // allowed": https://github.com/hashicorp/terraform-provider-aws/issues/41179). Under the same
      // name, PutScalingPolicy updates that policy in place and Terraform takes it over
      // (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html).
      // Day 2: the name forces a new policy, and it follows only the table's name, which no change
      // keeps (another name is another table); replacing a policy changes no capacity.
      return new AppautoscalingPolicy(this, `${what}-scaling-policy-${id}`, {
        provider: where.provider,
        count,
        name: `DynamoDB${unit}CapacityUtilization:table/${this.table.name}`,
        policyType: 'TargetTrackingScaling',
        serviceNamespace: attributeOf(target, 'service_namespace'),
        resourceId: attributeOf(target, 'resource_id'),
        scalableDimension: attributeOf(target, 'scalable_dimension'),
        targetTrackingScalingPolicyConfiguration: {
          targetValue: targetUtilization,
          predefinedMetricSpecification: { predefinedMetricType: `DynamoDB${unit}CapacityUtilization` },
        },
      });
    });
  }
}
