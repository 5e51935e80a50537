import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { StateBackend } from '../../constructs/state/state-backend';
import type { ModuleDefinition } from '../definition';
import { inputs } from '../inputs';
import { BUCKET_RESOURCES } from './storage';

export const stateBackendModule: ModuleDefinition = {
  name: 'state-backend',
  mainResources: [...BUCKET_RESOURCES, 'aws_dynamodb_table'],
  summary: 'Remote state: versioned, KMS-encrypted S3 buckets in two Regions replicating both ways, and a DynamoDB lock table in each.',
  description:
    'The S3 bucket and DynamoDB lock table that Terraform keeps state in, hardened for data that matters: versioning, SSE-KMS with a customer-managed key per Region (rotation on), every public access blocked, TLS 1.2+ only, noncurrent versions expired after a set time, and a replica bucket and lock table in a second Region, the buckets replicating both ways (replica modification sync, delete markers), so that Terraform can keep working from the replica while one Region is down and switch back without losing state. Every stateful resource carries `prevent_destroy`; the tables also have deletion protection and point-in-time recovery.',
  providerAliases: ['replica'],
  build(stack) {
    const primary = stack.provider();
    const replica = stack.provider('replica');
    const input = inputs(stack);
    const bucketName = input.bucketName('bucket_name', 'Name of the state bucket, in the Region of the default provider.');
    const replicaBucketName = input.bucketName(
      'replica_bucket_name',
      'Name of the replica state bucket, in the Region of the `aws.replica` provider.',
    );
    const lockTableName = stack.input('lock_table_name', {
      type: 'string',
      description: 'Name of the DynamoDB lock table.',
      validation: [
        {
          condition: '${can(regex("^[A-Za-z0-9_.-]{3,255}$", var.lock_table_name))}',
          errorMessage: 'lock_table_name must be 3 to 255 letters, digits, _, . and -.',
        },
      ],
    });
    const keyAlias = input.kmsAlias(
      'kms_key_alias',
      'Alias of the state keys (the same alias in both Regions), e.g. "alias/acme-tfstate".',
    );
    const roleName = input.roleName('replication_role_name', 'Name of the IAM role S3 assumes to replicate state to the replica bucket.');
    const replicaRoleName = input.roleName(
      'replica_replication_role_name',
      'Name of the IAM role S3 assumes to replicate state from the replica bucket back to the state bucket.',
    );
    const accountId = input.accountId();
    const days = input.days('noncurrent_version_expiration_days', 'Days to keep noncurrent versions of state objects.', 90);

    const backend = new StateBackend(stack, 'state', {
      primary: {
        region: new DataAwsRegion(stack, 'primary', { provider: primary }).id,
        bucketName: bucketName.stringValue,
        provider: primary,
      },
      replica: {
        region: new DataAwsRegion(stack, 'replica', { provider: replica }).id,
        bucketName: replicaBucketName.stringValue,
        provider: replica,
      },
      lockTableName: lockTableName.stringValue,
      keyAlias: keyAlias.stringValue,
      replicationRoleName: roleName.stringValue,
      replicaReplicationRoleName: replicaRoleName.stringValue,
      accountRootArn: `arn:aws:iam::${accountId.stringValue}:root`,
      noncurrentVersionExpirationDays: days.numberValue,
    });

    stack.output('bucket_name', backend.bucket.bucketName, 'Name of the state bucket.');
    stack.output('replica_bucket_name', backend.replicaBucket.bucketName, 'Name of the replica state bucket.');
    stack.output('lock_table_name', backend.lockTable.name, 'Name of the lock tables (one in each Region).');
    stack.output('kms_key_arn', backend.key.keyArn, 'ARN of the key that encrypts the state bucket and the lock table.');
    stack.output('replica_kms_key_arn', backend.replicaKey.keyArn, 'ARN of the key that encrypts the replica bucket.');
  },
  example: {
    providers: [{ region: 'us-east-1' }, { alias: 'replica', region: 'us-west-2' }],
    passProviders: { aws: 'aws', 'aws.replica': 'aws.replica' },
    inputs: {
      bucket_name: 'acme-shop-tfstate-111122223333-us-east-1',
      replica_bucket_name: 'acme-shop-tfstate-111122223333-us-west-2',
      lock_table_name: 'acme-shop-tfstate-lock',
      kms_key_alias: 'alias/acme-shop-tfstate',
      replication_role_name: 'acme-shop-tfstate-replication',
      replica_replication_role_name: 'acme-shop-tfstate-replication-back',
      account_id: '111122223333',
    },
  },
};
