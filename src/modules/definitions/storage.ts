import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { Fn, Token } from 'cdktf';
import { BucketReplication, type ReplicationDestination } from '../../constructs/storage/bucket-replication';
import { RegionalBucket } from '../../constructs/storage/regional-bucket';
import { StorageSchema } from '../../config/schema';
import { REPLICA_STORAGE_CLASSES, type ReplicaStorageClass } from '../../planning/s3';
import { isSet } from '../../constructs/conditions';
import { s3AccessLogDeliveryStatement } from '../../constructs/storage/bucket-policies';
import { s3BucketArn } from '../../naming';
import { example } from '../example-config';
import type { ModuleDefinition } from '../definition';
import { inputs } from '../inputs';

const [region, peer] = example.regions;
const account = example.accountId;
const keyArn = (regionName: string, id: string) => `arn:aws:kms:${regionName}:${account}:key/${id}`;
const sourceKey = keyArn(region.region, '1234abcd-12ab-34cd-56ef-1234567890ab');
const replicaKey = keyArn(peer.region, '5678efab-56ef-78ab-90cd-5678901234ef');

/** The resources of a bucket module's bucket: together they are the bucket. */
export const BUCKET_RESOURCES = [
  'aws_s3_bucket',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_logging',
] as const;

export const s3AccessLogBucketModule: ModuleDefinition = {
  name: 's3-access-log-bucket',
  mainResources: BUCKET_RESOURCES,
  summary:
    "A Region's bucket for S3 server access logs: SSE-KMS, private, TLS-only, writable only by S3 logging for your buckets, with an expiry.",
  description:
    "The bucket that receives the S3 server access logs of a Region's data buckets (see `s3-replicated-bucket`), as the stacks create it: versioned, SSE-KMS with a customer-managed key (its policy must let S3 log delivery use it, as `regional-key`'s does), every public access blocked, TLS 1.2+ only, and a policy that lets only the S3 logging service write, for source buckets of this account that match the given ARN patterns. Logs expire after a set time. The bucket does not log itself (that would loop) and is not replicated (logs are regional).",
  build(stack) {
    const input = inputs(stack);
    const bucketName = input.bucketName(
      'bucket_name',
      'Name of the log bucket (globally unique), e.g. "acme-shop-s3logs-111122223333-us-east-1".',
    );
    const kmsKeyArn = stack.input('kms_key_arn', {
      type: 'string',
      description: 'ARN of the customer-managed KMS key in this Region that encrypts the logs; its policy must let S3 log delivery use it.',
    });
    const sources = stack.input('source_bucket_arn_patterns', {
      type: 'list(string)',
      description: 'ARN patterns of the buckets whose access logs may be written here, e.g. "arn:aws:s3:::acme-shop-*".',
      validation: [
        {
          condition:
            '${length(var.source_bucket_arn_patterns) > 0 && alltrue([for p in var.source_bucket_arn_patterns : startswith(p, "arn:")])}',
          errorMessage: 'source_bucket_arn_patterns needs at least one bucket ARN pattern.',
        },
      ],
    });
    const retention = input.days(
      'expiration_days',
      'Days the access logs are kept: the expiration of the objects in the bucket (an S3 lifecycle rule).',
      StorageSchema.parse({}).accessLogRetentionDays,
    );
    const accountId = input.accountId();
    const bucket = new RegionalBucket(stack, 'bucket', {
      bucketName: bucketName.stringValue,
      kmsKeyArn: kmsKeyArn.stringValue,
      expireObjectsAfterDays: retention.numberValue,
      noncurrentVersionExpirationDays: 30,
      policyStatements: [s3AccessLogDeliveryStatement(s3BucketArn(bucketName.stringValue), accountId.stringValue, sources.listValue)],
    });
    stack.output('bucket_name', bucket.bucketName, 'Name of the log bucket: the `access_log_bucket_name` of `s3-replicated-bucket`.');
    stack.output('bucket_arn', bucket.bucketArn, 'ARN of the log bucket.');
  },
  example: {
    providers: [{ region: region.region }],
    inputs: {
      bucket_name: `acme-shop-s3logs-${account}-${region.region}`,
      kms_key_arn: sourceKey,
      source_bucket_arn_patterns: ['arn:aws:s3:::acme-shop-*'],
      account_id: account,
    },
  },
};

export const s3ReplicatedBucketModule: ModuleDefinition = {
  name: 's3-replicated-bucket',
  mainResources: BUCKET_RESOURCES,
  summary: "A Region's data bucket, ready to replicate: versioned, SSE-KMS, private, TLS-only, access-logged, with lifecycle rules.",
  description:
    "One Region's copy of a replicated data bucket, as the stacks create it: versioning on (replication needs it), SSE-KMS with a customer-managed key and S3 bucket keys, every public access blocked, ACLs disabled (`BucketOwnerEnforced`), a policy that denies plain HTTP and TLS below 1.2, lifecycle rules that expire noncurrent versions and abort stale multipart uploads, and server access logs to a log bucket in the same Region. Create one per Region and link them with `s3-replication`; its `bucket_name` and `bucket_arn` outputs resolve only once versioning is on, so a replication configuration built from them waits for it.",
  build(stack) {
    const input = inputs(stack);
    const bucketName = input.bucketName(
      'bucket_name',
      'Name of the bucket (globally unique), e.g. "acme-shop-assets-111122223333-us-east-1".',
    );
    const kmsKeyArn = stack.input('kms_key_arn', {
      type: 'string',
      description: 'ARN of the customer-managed KMS key in this Region that encrypts every object.',
    });
    const noncurrentDays = input.days('noncurrent_version_expiration_days', 'Days before noncurrent object versions expire.', 90);
    const forceDestroy = stack.input('force_destroy', {
      type: 'bool',
      description: 'Let `terraform destroy` delete the bucket while it still holds objects.',
      default: false,
    });
    const logBucket = stack.input('access_log_bucket_name', {
      type: 'string',
      description:
        'Bucket in this Region and account that receives the server access logs (its policy must admit `logging.s3.amazonaws.com`).',
    });
    const logPrefix = stack.input('access_log_prefix', {
      type: 'string',
      description: 'Key prefix of the access logs in the log bucket; null for "<bucket_name>/".',
      default: null,
      nullable: true,
    });
    const bucket = new RegionalBucket(stack, 'bucket', {
      bucketName: bucketName.stringValue,
      kmsKeyArn: kmsKeyArn.stringValue,
      noncurrentVersionExpirationDays: noncurrentDays.numberValue,
      forceDestroy: forceDestroy.booleanValue,
      accessLogs: {
        targetBucket: logBucket.stringValue,
        targetPrefix: logPrefix.known
          ? (logPrefix.stringValue ?? `${bucketName.stringValue}/`)
          : Token.asString(Fn.coalesce([logPrefix.stringValue, `${bucketName.stringValue}/`])),
      },
    });
    stack.output('bucket_name', bucket.versionedBucketName, 'Name of the bucket, known once versioning is on: build replication from it.');
    stack.output('bucket_arn', s3BucketArn(bucket.versionedBucketName), 'ARN of the bucket, known once versioning is on.');
    stack.output('bucket_regional_domain_name', bucket.bucket.bucketRegionalDomainName, 'Regional domain name of the bucket.');
  },
  example: {
    providers: [{ region: region.region }],
    inputs: {
      bucket_name: `acme-shop-assets-${account}-${region.region}`,
      kms_key_arn: sourceKey,
      access_log_bucket_name: `acme-shop-s3logs-${account}-${region.region}`,
    },
  },
  variants: {
    'custom-log-prefix': { access_log_prefix: 'logs/assets/', force_destroy: true, noncurrent_version_expiration_days: 30 },
  },
};

/** A destination as the module's `destinations` input has it. */
interface DestinationInput {
  readonly bucket_name: string;
  readonly bucket_arn: string;
  readonly kms_key_arn: string;
  readonly storage_class?: ReplicaStorageClass;
}

function replicationDestinations(byRegion: Readonly<Record<string, DestinationInput>>): ReplicationDestination[] {
  return Object.entries(byRegion).map(([destinationRegion, d]) => ({
    region: destinationRegion,
    bucketName: d.bucket_name,
    bucketArn: d.bucket_arn,
    kmsKeyArn: d.kms_key_arn,
    storageClass: d.storage_class,
  }));
}

export const s3ReplicationModule: ModuleDefinition = {
  name: 's3-replication',
  mainResources: ['aws_s3_bucket_replication_configuration'],
  summary: 'Replication from one bucket to its copies in other Regions: KMS end to end, a least-privilege role, RTC with alarms.',
  description:
    "Replicates one source bucket (in the Region of the default `aws` provider) to one or more destination buckets in other Regions, one rule per destination. Objects stay SSE-KMS encrypted end to end: the role may decrypt with the source key and encrypt with each destination's key, each only through S3 in that key's Region and only for that bucket's objects; it may replicate into exactly the destination buckets and read exactly the source. Delete markers and, for two-way (active-active) replication, replica metadata changes are replicated. With S3 Replication Time Control (99.99% of objects within 15 minutes), each rule gets replication metrics and, given an SNS topic, alarms on replication latency over the 15-minute target and on failed operations. For active-active buckets, call the module once per Region with that Region as the source.",
  build(stack) {
    const input = inputs(stack);
    const roleName = input.roleName(
      'role_name',
      'Name of the IAM role S3 assumes to replicate (IAM names are global: include the bucket and Region).',
    );
    const source = stack.input('source_bucket', {
      type: 'object({ bucket_name = string, bucket_arn = string, kms_key_arn = string })',
      description:
        'The source bucket, in the Region of the default `aws` provider, and the key that encrypts it (outputs of `s3-replicated-bucket`).',
    });
    const destinations = stack.input('destinations', {
      type: 'map(object({ bucket_name = string, bucket_arn = string, kms_key_arn = string, storage_class = optional(string, "STANDARD") }))',
      description:
        'The destination buckets by Region (e.g. "us-west-2"), with the key that encrypts each and the storage class of its replicas.',
      validation: [
        { condition: '${length(var.destinations) > 0}', errorMessage: 'destinations needs at least one bucket.' },
        {
          condition: `\${alltrue([for d in values(var.destinations) : contains([${REPLICA_STORAGE_CLASSES.map((c) => `"${c}"`).join(', ')}], d.storage_class)])}`,
          errorMessage: `every storage_class must be one of ${REPLICA_STORAGE_CLASSES.join(', ')}.`,
        },
      ],
    });
    const rtc = stack.input('replication_time_control', {
      type: 'bool',
      description: 'S3 Replication Time Control: 99.99% of objects within 15 minutes, with replication metrics.',
      default: true,
    });
    const replicaModifications = stack.input('replica_modifications', {
      type: 'bool',
      description: 'Replicate metadata changes made to replicas: on for two-way (active-active) replication.',
      default: true,
    });
    const topicArn = stack.input('alarm_topic_arn', {
      type: 'string',
      description:
        'SNS topic for the replication alarms (with Replication Time Control on), which are named after the source bucket; null for no alarms.',
      default: null,
      nullable: true,
    });
    const replication = new BucketReplication(stack, 'replication', {
      roleName: roleName.stringValue,
      source: {
        bucketName: source.attribute('bucket_name'),
        bucketArn: source.attribute('bucket_arn'),
        kmsKeyArn: source.attribute('kms_key_arn'),
        region: new DataAwsRegion(stack, 'source', {}).id,
      },
      destinations: destinations.known
        ? replicationDestinations(destinations.value as Record<string, DestinationInput>)
        : (Token.asAny(destinations.value) as unknown as Readonly<Record<string, ReplicationDestination>>),
      replicationTimeControl: rtc.booleanValue,
      replicaModifications: replicaModifications.booleanValue,
      alarms: { topicArn: topicArn.stringValue, namePrefix: source.attribute('bucket_name'), enabled: isSet(topicArn.stringValue) },
    });
    stack.output('role_arn', replication.role.arn, 'ARN of the replication role.');
    stack.output(
      'rule_ids',
      `\${[for rule in ${replication.configuration.fqn}.rule : rule.id]}`,
      'IDs of the replication rules ("to-<region>").',
    );
  },
  example: {
    providers: [{ region: region.region }],
    inputs: {
      role_name: `acme-shop-assets-replication-${region.region}`,
      source_bucket: {
        bucket_name: `acme-shop-assets-${account}-${region.region}`,
        bucket_arn: `arn:aws:s3:::acme-shop-assets-${account}-${region.region}`,
        kms_key_arn: sourceKey,
      },
      destinations: {
        [peer.region]: {
          bucket_name: `acme-shop-assets-${account}-${peer.region}`,
          bucket_arn: `arn:aws:s3:::acme-shop-assets-${account}-${peer.region}`,
          kms_key_arn: replicaKey,
        },
      },
      alarm_topic_arn: `arn:aws:sns:${region.region}:${account}:acme-shop-alerts`,
    },
  },
  variants: {
    'no-rtc-two-destinations': {
      replication_time_control: false,
      replica_modifications: false,
      destinations: {
        [peer.region]: {
          bucket_name: `acme-shop-assets-${account}-${peer.region}`,
          bucket_arn: `arn:aws:s3:::acme-shop-assets-${account}-${peer.region}`,
          kms_key_arn: replicaKey,
          storage_class: 'STANDARD_IA',
        },
        'eu-west-1': {
          bucket_name: `acme-shop-assets-${account}-eu-west-1`,
          bucket_arn: `arn:aws:s3:::acme-shop-assets-${account}-eu-west-1`,
          kms_key_arn: keyArn('eu-west-1', '9abc0123-9abc-0123-4567-9abc01234567'),
        },
      },
    },
    'no-alarm-topic': { alarm_topic_arn: null },
  },
};
