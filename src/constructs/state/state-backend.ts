import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { CustomerManagedKey } from '../security/customer-managed-key';
import { BucketReplication } from '../storage/bucket-replication';
import { RegionalBucket } from '../storage/regional-bucket';

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

export interface StateBackendProps {
  /** The state bucket and lock table. */
  readonly primary: StateLocation;
  /** The replica bucket, in another Region, that the state bucket replicates to. */
  readonly replica: StateLocation;
  /** Name of the DynamoDB lock table (in the primary Region). */
  readonly lockTableName: string;
  /** Alias of the state keys; the same alias in both Regions. */
  readonly keyAlias: string;
  /** Name of the IAM role that S3 uses to replicate state. */
  readonly replicationRoleName: string;
  /** ARN of the account root principal, for the key policies. */
  readonly accountRootArn: string;
  /**
   * Days to keep noncurrent versions of state objects.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
}

/**
 * Remote state for every other stack: a versioned, KMS-encrypted S3 bucket replicated to a second
 * Region, and a DynamoDB lock table. Everything here holds or protects state, so none of it can be
 * destroyed by a plan (`prevent_destroy`), and the table has deletion protection as well.
 */
export class StateBackend extends Construct {
  readonly key: CustomerManagedKey;
  readonly replicaKey: CustomerManagedKey;
  readonly bucket: RegionalBucket;
  readonly replicaBucket: RegionalBucket;
  readonly replication: BucketReplication;
  readonly lockTable: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    if (props.primary.region === props.replica.region) {
      throw new Error(`StateBackend ${id}: the replica must be in another Region than ${props.primary.region}`);
    }

    const keyFor = (location: StateLocation, keyId: string) =>
      new CustomerManagedKey(this, keyId, {
        alias: props.keyAlias,
        description: `Encrypts Terraform state and its lock table (${location.region})`,
        accountRootArn: props.accountRootArn,
        preventDestroy: true,
        provider: location.provider,
      });
    this.key = keyFor(props.primary, 'key');
    this.replicaKey = keyFor(props.replica, 'replica-key');

    const bucketFor = (location: StateLocation, key: CustomerManagedKey, bucketId: string) =>
      new RegionalBucket(this, bucketId, {
        bucketName: location.bucketName,
        kmsKeyArn: key.keyArn,
        noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays,
        preventDestroy: true,
        provider: location.provider,
      });
    this.bucket = bucketFor(props.primary, this.key, 'bucket');
    this.replicaBucket = bucketFor(props.replica, this.replicaKey, 'replica-bucket');

    this.replication = new BucketReplication(this, 'replication', {
      roleName: props.replicationRoleName,
      source: {
        bucketName: this.bucket.bucketName,
        bucketArn: this.bucket.bucketArn,
        kmsKeyArn: this.key.keyArn,
        region: props.primary.region,
      },
      destinations: [
        {
          bucketName: this.replicaBucket.bucketName,
          bucketArn: this.replicaBucket.bucketArn,
          kmsKeyArn: this.replicaKey.keyArn,
          region: props.replica.region,
        },
      ],
      dependsOn: [this.bucket.versioning, this.replicaBucket.versioning],
      provider: props.primary.provider,
    });

    this.lockTable = new DynamodbTable(this, 'lock-table', {
      provider: props.primary.provider,
      name: props.lockTableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.key.keyArn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
  }
}
