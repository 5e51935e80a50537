import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { CustomerManagedKey } from '../security/customer-managed-key';
import { BucketReplication } from '../storage/bucket-replication';
import { RegionalBucket } from '../storage/regional-bucket';
import { explain } from '../rationale';

/** Where one copy of the state lives. */
export interface StateLocation {
  /** The Region. */
  readonly region: string;
  /** The globally unique bucket name. */
  readonly bucketName: string;
  /**
   * The provider for this Region.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** Properties of a `StateBackend`. */
export interface StateBackendProps {
  /** The state bucket and its lock table. */
  readonly primary: StateLocation;
  /** The replica bucket and its lock table, in another Region; the two buckets replicate both ways. */
  readonly replica: StateLocation;
  /** Name of the DynamoDB lock tables: one per Region, under the same name. */
  readonly lockTableName: string;
  /** Alias of the state keys; the same alias in both Regions. */
  readonly keyAlias: string;
  /** Name of the IAM role that S3 uses to replicate state from the primary bucket to the replica. */
  readonly replicationRoleName: string;
  /** Name of the IAM role that S3 uses to replicate state from the replica bucket back to the primary. */
  readonly replicaReplicationRoleName: string;
  /** ARN of the account root principal, for the key policies. */
  readonly accountRootArn: string;
  /**
   * Days to keep noncurrent versions of state objects.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Turn the protections off so that a destroy can complete: no `prevent_destroy` on the keys,
   * buckets and tables, no deletion protection on the tables, and buckets that Terraform empties
   * (every object version) before deleting them. A literal, because Terraform only takes a literal
   * for `prevent_destroy`.
   * @default false
   */
  readonly decommission?: boolean;
}

/**
 * Remote state for every other stack: a versioned, KMS-encrypted S3 bucket and a DynamoDB lock table
 * in each of two Regions, the buckets replicating both ways, so that the stacks can switch to the
 * replica while the primary Region is down and back again without losing what was written meanwhile.
 * Everything here holds or protects state, so none of it can be destroyed by a plan
 * (`prevent_destroy`), and the tables have deletion protection as well, unless `decommission` is set.
 */
export class StateBackend extends Construct {
  /** The key that encrypts the state bucket and its lock table. */
  readonly key: CustomerManagedKey;
  /** The key that encrypts the replica bucket and its lock table, in the replica's Region. */
  readonly replicaKey: CustomerManagedKey;
  /** The state bucket. */
  readonly bucket: RegionalBucket;
  /** The replica bucket, in another Region. */
  readonly replicaBucket: RegionalBucket;
  /** Replication from the state bucket to the replica. */
  readonly replication: BucketReplication;
  /** Replication from the replica back to the state bucket, for what is written while it is in use. */
  readonly replicaReplication: BucketReplication;
  /** The lock table used while the stacks keep their state in the state bucket. */
  readonly lockTable: DynamodbTable;
  /** The lock table used while the stacks keep their state in the replica bucket. */
  readonly replicaLockTable: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    if (props.primary.region === props.replica.region) {
      throw new Error(`StateBackend ${id}: the replica must be in another Region than ${props.primary.region}`);
    }
    const protect = !props.decommission;

    const keyFor = (location: StateLocation, keyId: string) =>
      new CustomerManagedKey(this, keyId, {
        alias: props.keyAlias,
        description: `Encrypts Terraform state and its lock table (${location.region})`,
        accountRootArn: props.accountRootArn,
        preventDestroy: protect,
        provider: location.provider,
      });
    this.key = keyFor(props.primary, 'key');
    this.replicaKey = keyFor(props.replica, 'replica-key');
    if (protect) {
      for (const key of [this.key, this.replicaKey]) {
        explain(
          key.key,
          'prevent_destroy: without the key, every state version it encrypts is lost. lifecycle takes only literals, so the protection comes off by a change of the configuration, never by a variable.',
        );
      }
    }

    const bucketFor = (location: StateLocation, key: CustomerManagedKey, bucketId: string) =>
      new RegionalBucket(this, bucketId, {
        bucketName: location.bucketName,
        kmsKeyArn: key.keyArn,
        noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays,
        preventDestroy: protect,
        forceDestroy: !protect,
        provider: location.provider,
      });
    this.bucket = bucketFor(props.primary, this.key, 'bucket');
    this.replicaBucket = bucketFor(props.replica, this.replicaKey, 'replica-bucket');
    for (const bucket of [this.bucket, this.replicaBucket]) {
      explain(
        bucket.bucket,
        protect
          ? "prevent_destroy: the bucket holds every stack's state. force_destroy is off: the bucket is versioned, and force_destroy would let Terraform delete every version and delete marker."
          : 'force_destroy to decommission the backend: the bucket is versioned, and only force_destroy lets Terraform delete every version and delete marker.',
      );
    }

    const copies = [
      { bucket: this.bucket, key: this.key, location: props.primary },
      { bucket: this.replicaBucket, key: this.replicaKey, location: props.replica },
    ];
    const replicate = (from: (typeof copies)[number], to: (typeof copies)[number], replicationId: string, roleName: string) =>
      new BucketReplication(this, replicationId, {
        roleName,
        source: {
          bucketName: from.bucket.bucketName,
          bucketArn: from.bucket.bucketArn,
          kmsKeyArn: from.key.keyArn,
          region: from.location.region,
        },
        destinations: [
          { bucketName: to.bucket.bucketName, bucketArn: to.bucket.bucketArn, kmsKeyArn: to.key.keyArn, region: to.location.region },
        ],
        replicaModifications: true,
        dependsOn: [from.bucket.versioning, to.bucket.versioning],
        provider: from.location.provider,
      });
    this.replication = replicate(copies[0], copies[1], 'replication', props.replicationRoleName);
    this.replicaReplication = replicate(copies[1], copies[0], 'replica-replication', props.replicaReplicationRoleName);
    for (const replication of [this.replication, this.replicaReplication]) {
      explain(
        replication.configuration,
        'Two-way replication: one configuration on each bucket, each with its own role. S3 does not replicate replicas again, so the two rules cannot loop (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html); replica modification sync on both rules carries metadata changes made to a replica back (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-for-metadata-changes.html), and delete markers replicate both ways, so a stack deleted from either copy is gone from both.',
      );
      explain(
        replication.configuration,
        'depends_on the versioning of both buckets: S3 refuses a replication configuration while either bucket has versioning off.',
      );
    }

    const lockTableFor = (location: StateLocation, key: CustomerManagedKey, tableId: string) =>
      new DynamodbTable(this, tableId, {
        provider: location.provider,
        name: props.lockTableName,
        billingMode: 'PAY_PER_REQUEST',
        hashKey: 'LockID',
        attribute: [{ name: 'LockID', type: 'S' }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: key.keyArn },
        deletionProtectionEnabled: protect,
        lifecycle: protect ? { preventDestroy: true } : undefined,
      });
    this.lockTable = lockTableFor(props.primary, this.key, 'lock-table');
    this.replicaLockTable = lockTableFor(props.replica, this.replicaKey, 'replica-lock-table');
    for (const table of [this.lockTable, this.replicaLockTable]) {
      explain(
        table,
        "Each Region locks on its own: the stacks lock in the Region of the bucket they use, so a lock table only in the primary Region would block every apply during its outage. Locks are not worth replicating (a lock held in a Region that is down is lost with it); the table's other content, the state digests, is cleared on a switch.",
      );
    }
  }
}
