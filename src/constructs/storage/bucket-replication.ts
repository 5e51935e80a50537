import { IResolvable, ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import {
  S3BucketReplicationConfigurationA,
  S3BucketReplicationConfigurationRule,
  s3BucketReplicationConfigurationRuleToTerraform,
} from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration';
import { Keyed, KeyedItem } from '../collection';
import { and, optionalBlocks, type Condition } from '../conditions';
import { ServiceRole } from '../security/service-role';
import { REPLICA_STORAGE_CLASSES, type ReplicaStorageClass } from '../../planning/s3';
import { requireKnown } from '../validation';

/** A bucket taking part in replication, with the key that encrypts it. */
export interface ReplicatedBucketRef {
  /** Bucket ARN. */
  readonly bucketArn: string;
  /** ARN of the customer-managed key that encrypts the bucket (in the bucket's Region). */
  readonly kmsKeyArn: string;
  /** The bucket's Region. */
  readonly region: string;
}

/** A bucket to replicate to. */
export interface ReplicationDestination extends ReplicatedBucketRef {
  /** Bucket name, for the replication metrics' dimensions. */
  readonly bucketName: string;
  /**
   * Storage class of the replicas.
   * @default "STANDARD"
   */
  readonly storageClass?: ReplicaStorageClass;
}

/** Properties of a `BucketReplication`. */
export interface BucketReplicationProps {
  /** Name of the IAM role that S3 assumes to replicate. */
  readonly roleName: string;
  /** The bucket to replicate from, with its name (the configuration's `bucket`). */
  readonly source: ReplicatedBucketRef & { readonly bucketName: string };
  /**
   * Buckets to replicate to, in different Regions: one rule each, prioritized by Region code in
   * lexical order (Terraform's order of map keys), whatever the order of a list. A list, or a map by
   * Region (a token for a Terraform map of objects with `bucket_arn`, `bucket_name`,
   * `kms_key_arn` and `storage_class`).
   */
  readonly destinations: readonly ReplicationDestination[] | Readonly<Record<string, ReplicationDestination>>;
  /**
   * S3 Replication Time Control: 99.99% of objects within 15 minutes, with replication metrics.
   * @default false
   */
  readonly replicationTimeControl?: boolean | IResolvable;
  /**
   * With Replication Time Control on: alarms per rule on replication latency (over the 15-minute
   * target) and on failed replication operations, to this SNS topic. Names start with `namePrefix`.
   * `enabled` decides at apply time (for a topic that a Terraform variable may leave out).
   * @default - no alarms
   */
  readonly alarms?: {
    /** The SNS topic the alarms notify. */
    readonly topicArn: string;
    /** The start of the alarm names. */
    readonly namePrefix: string;
    /**
     * Whether the alarms exist.
     * @default true
     */
    readonly enabled?: Condition;
  };
  /**
   * Replicate metadata changes made to replicas (needed for two-way replication).
   * @default false
   */
  readonly replicaModifications?: boolean | IResolvable;
  /**
   * Resources the configuration must wait for: versioning of the source and of every destination,
   * since S3 refuses a replication configuration on a bucket without versioning. Across stacks,
   * where `depends_on` cannot reach, pass bucket names read from the versioning resources instead.
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * The provider of the source bucket's Region.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** The encryption-context values S3 uses for a bucket: its ARN with bucket keys, object ARNs without. */
function encryptionContext(bucketArn: string): string[] {
  return [bucketArn, `${bucketArn}/*`];
}

function kmsViaS3(region: string, bucketArn: string) {
  return [
    { test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${region}.amazonaws.com`] },
    { test: 'StringLike', variable: 'kms:EncryptionContext:aws:s3:arn', values: encryptionContext(bucketArn) },
  ];
}

/** `Array.isArray` for a list-or-map prop (which, on a readonly list, would narrow to `any[]`). */
function isList<T>(value: readonly T[] | Readonly<Record<string, T>>): value is readonly T[] {
  return Array.isArray(value);
}

/**
 * Replication from one source bucket to one or more destinations in other Regions, with an IAM role
 * scoped to exactly those buckets and keys. Objects are SSE-KMS encrypted end to end: decrypted with
 * the source key and re-encrypted with each destination's key, both only through S3 in that Region.
 */
export class BucketReplication extends Construct {
  /** The role that S3 assumes to replicate. */
  readonly role: IamRole;
  /** The replication configuration of the source bucket. */
  readonly configuration: S3BucketReplicationConfigurationA;
  /** The alarms, when Replication Time Control and alarms are on. */
  readonly alarms: readonly CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: BucketReplicationProps) {
    super(scope, id);
    const destinations = Keyed.of<ReplicationDestination>(
      isList(props.destinations) ? Object.fromEntries(props.destinations.map((d) => [d.region, d])) : props.destinations,
    );
    if (destinations.known) {
      if (destinations.keys().length === 0) throw new Error(`BucketReplication ${id}: at least one destination is required`);
      for (const destination of Object.values(props.destinations)) {
        const storageClass = destination.storageClass ?? 'STANDARD';
        requireKnown(
          storageClass,
          () => (REPLICA_STORAGE_CLASSES as readonly string[]).includes(storageClass),
          () => `BucketReplication ${id}: storage class "${storageClass}" is not one of ${REPLICA_STORAGE_CLASSES.join(', ')}`,
        );
      }
    }
    const provider = props.provider;
    const { source } = props;

    const role = new ServiceRole(this, 'role', {
      provider,
      roleName: props.roleName,
      description: 'Assumed by S3 to replicate objects between Regions',
      servicePrincipal: 's3.amazonaws.com',
      statements: [
        {
          sid: 'ReadReplicationConfiguration',
          effect: 'Allow',
          actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
          resources: [source.bucketArn],
        },
        {
          sid: 'ReadSourceObjects',
          effect: 'Allow',
          actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
          resources: [`${source.bucketArn}/*`],
        },
        {
          sid: 'DecryptSourceObjects',
          effect: 'Allow',
          actions: ['kms:Decrypt'],
          resources: [source.kmsKeyArn],
          condition: kmsViaS3(source.region, source.bucketArn),
        },
      ],
      keyedStatements: {
        keys: destinations,
        statements: (d: KeyedItem<ReplicationDestination>) => [
          {
            sid: `ReplicateToDestination${d.ordinal}`,
            effect: 'Allow',
            actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
            resources: [`${d.get('bucketArn')}/*`],
          },
          {
            // kms:Decrypt lets S3 verify the destination's bucket key before using it.
            sid: `EncryptReplicasInDestination${d.ordinal}`,
            effect: 'Allow',
            actions: ['kms:Encrypt', 'kms:Decrypt'],
            resources: [d.get('kmsKeyArn')],
            condition: kmsViaS3(d.key, d.get('bucketArn')),
          },
        ],
      },
    });
    this.role = role.role;

    const rtc = props.replicationTimeControl ?? false;
    const replicaModifications = props.replicaModifications ?? false;
    this.configuration = new S3BucketReplicationConfigurationA(this, 'configuration', {
      provider,
      bucket: source.bucketName,
      role: role.roleArn,
      rule: [],
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
    const rule = (d: KeyedItem<ReplicationDestination>): S3BucketReplicationConfigurationRule => ({
      id: `to-${d.key}`,
      priority: d.ordinal,
      status: 'Enabled',
      filter: {},
      deleteMarkerReplication: { status: 'Enabled' },
      sourceSelectionCriteria: {
        sseKmsEncryptedObjects: { status: 'Enabled' },
        replicaModifications: replicaModifications ? { status: 'Enabled' } : undefined,
      },
      destination: {
        bucket: d.get('bucketArn'),
        storageClass: d.get('storageClass') ?? 'STANDARD',
        encryptionConfiguration: { replicaKmsKeyId: d.get('kmsKeyArn') },
        replicationTime: rtc ? { status: 'Enabled', time: { minutes: 15 } } : undefined,
        metrics: rtc ? { status: 'Enabled', eventThreshold: { minutes: 15 } } : undefined,
      },
    });
    const ruleToTerraform = (r: S3BucketReplicationConfigurationRule) => {
      const json = optionalBlocks(s3BucketReplicationConfigurationRuleToTerraform(r) as Record<string, unknown>, rtc, [
        'destination.replication_time',
        'destination.metrics',
      ]);
      return optionalBlocks(json, replicaModifications, ['source_selection_criteria.replica_modifications']);
    };
    const rules = destinations.blocks(this.configuration, 'rule', ruleToTerraform, (d) => [rule(d)]);
    if (rules.length > 0) this.configuration.putRule(rules);

    if (props.alarms) {
      const { alarms } = props;
      this.alarms = this.ruleAlarms(props, destinations.emptyUnless(and(rtc, alarms.enabled ?? true)), alarms);
    }
  }

  /** Alarms of every rule: RTC promises 99.99% of objects within 15 minutes; failures need a look. */
  private ruleAlarms(
    props: BucketReplicationProps,
    destinations: Keyed<ReplicationDestination>,
    alarms: { topicArn: string; namePrefix: string },
  ) {
    const common = (d: KeyedItem<ReplicationDestination>) => ({
      provider: props.provider,
      forEach: d.forEach,
      namespace: 'AWS/S3',
      dimensions: { SourceBucket: props.source.bucketName, DestinationBucket: d.get('bucketName'), RuleId: `to-${d.key}` },
      period: 300,
      treatMissingData: 'notBreaching',
      alarmActions: [alarms.topicArn],
      okActions: [alarms.topicArn],
    });
    const latency = destinations.each(
      (d) =>
        new CloudwatchMetricAlarm(this, d.id('latency-alarm-{key}'), {
          ...common(d),
          alarmName: `${alarms.namePrefix}-to-${d.key}-replication-latency`,
          alarmDescription: `Replication to ${d.key} takes longer than the 15-minute Replication Time Control target`,
          metricName: 'ReplicationLatency',
          statistic: 'Maximum',
          comparisonOperator: 'GreaterThanThreshold',
          threshold: 900,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
        }),
    );
    const failures = destinations.each(
      (d) =>
        new CloudwatchMetricAlarm(this, d.id('failures-alarm-{key}'), {
          ...common(d),
          alarmName: `${alarms.namePrefix}-to-${d.key}-replication-failures`,
          alarmDescription: `Objects failed to replicate to ${d.key}`,
          metricName: 'OperationsFailedReplication',
          statistic: 'Sum',
          comparisonOperator: 'GreaterThanThreshold',
          threshold: 0,
          evaluationPeriods: 1,
        }),
    );
    return [...latency.dependables, ...failures.dependables];
  }
}
