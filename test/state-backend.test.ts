import { example, policyStatements, ref, resourceAt, resources, synth } from './helpers';

const result = synth(example('two-region'));
const stack = result.stacks.get('state')!;
const at = (type: string, path: string) => resourceAt(stack, type, `state/state-backend/${path}`);

const primaryBucket = at('aws_s3_bucket', 'bucket/bucket');
const replicaBucket = at('aws_s3_bucket', 'replica-bucket/bucket');
const primaryKey = at('aws_kms_key', 'key/key');
const replicaKey = at('aws_kms_key', 'replica-key/key');
const buckets = [
  { label: 'state bucket', construct: 'bucket', bucket: primaryBucket, key: primaryKey, provider: 'aws' },
  { label: 'replica bucket', construct: 'replica-bucket', bucket: replicaBucket, key: replicaKey, provider: 'aws.us-west-2' },
];

describe('state buckets', () => {
  test('names are deterministic and in the state and replica Regions', () => {
    expect(primaryBucket.body.bucket).toBe('acme-shop-tfstate-111122223333-us-east-1');
    expect(replicaBucket.body.bucket).toBe('acme-shop-tfstate-111122223333-us-west-2');
    expect(primaryBucket.body.provider).toBe('aws');
    expect(replicaBucket.body.provider).toBe('aws.us-west-2');
  });

  describe.each(buckets)('$label', ({ construct, bucket, key, provider }) => {
    const bucketId = ref('aws_s3_bucket', bucket.name, 'id');

    test('cannot be destroyed by a plan and is not force-destroyable', () => {
      expect(bucket.body.lifecycle).toEqual({ prevent_destroy: true });
      expect(bucket.body.force_destroy).toBe(false);
    });

    test('CKV_AWS_21: versioning is enabled', () => {
      const versioning = at('aws_s3_bucket_versioning', `${construct}/versioning`).body;
      expect(versioning.bucket).toBe(bucketId);
      expect(versioning.versioning_configuration).toEqual({ status: 'Enabled' });
      expect(versioning.provider).toBe(provider);
    });

    test('CKV_AWS_145: SSE-KMS with its own Region\'s customer-managed key and a bucket key', () => {
      const encryption = at('aws_s3_bucket_server_side_encryption_configuration', `${construct}/encryption`).body;
      expect(encryption.bucket).toBe(bucketId);
      expect(encryption.rule).toEqual([
        {
          apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: ref('aws_kms_key', key.name, 'arn') },
          bucket_key_enabled: true,
        },
      ]);
    });

    test('CKV2_AWS_6: all four public access block flags are on', () => {
      const block = at('aws_s3_bucket_public_access_block', `${construct}/public-access-block`).body;
      expect(block).toMatchObject({
        bucket: bucketId,
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    });

    test('ACLs are disabled (BucketOwnerEnforced)', () => {
      const ownership = at('aws_s3_bucket_ownership_controls', `${construct}/ownership`).body;
      expect(ownership.rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    });

    test('the bucket policy denies requests without TLS or with TLS older than 1.2', () => {
      const policy = at('aws_s3_bucket_policy', `${construct}/bucket-policy`).body;
      const statements = policyStatements(stack, policy.policy);
      const arn = ref('aws_s3_bucket', bucket.name, 'arn');
      expect(statements).toEqual([
        expect.objectContaining({
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [arn, `${arn}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        }),
        expect.objectContaining({
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [arn, `${arn}/*`],
          condition: [{ test: 'NumericLessThan', variable: 's3:TlsVersion', values: ['1.2'] }],
        }),
      ]);
      expect(statements.every((s) => s.effect === 'Deny')).toBe(true);
    });

    test('CKV2_AWS_61 / CKV_AWS_300: lifecycle expires noncurrent versions and aborts multipart uploads', () => {
      const lifecycle = at('aws_s3_bucket_lifecycle_configuration', `${construct}/lifecycle`).body;
      const rules = Object.fromEntries(lifecycle.rule.map((r: { id: string }) => [r.id, r]));
      expect(rules['abort-incomplete-multipart-uploads'].abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
      expect(rules['expire-noncurrent-versions'].noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
      expect(lifecycle.depends_on).toContain(`aws_s3_bucket_versioning.${at('aws_s3_bucket_versioning', `${construct}/versioning`).name}`);
    });
  });

  test('the noncurrent-version expiry follows state.noncurrentVersionExpirationDays', () => {
    const three = synth(example('three-region')).stacks.get('state')!;
    const lifecycle = resourceAt(three, 'aws_s3_bucket_lifecycle_configuration', 'state/state-backend/bucket/lifecycle').body;
    expect(lifecycle.rule[1].noncurrent_version_expiration).toEqual([{ noncurrent_days: 180 }]);
  });
});

describe('CKV_AWS_144: the state bucket replicates to the replica Region', () => {
  const configuration = at('aws_s3_bucket_replication_configuration', 'replication/configuration');
  const role = at('aws_iam_role', 'replication/role/role');

  test('one rule to the replica bucket, deletes and KMS-encrypted objects included, re-encrypted with the replica key', () => {
    expect(configuration.body.bucket).toBe(ref('aws_s3_bucket', primaryBucket.name, 'id'));
    expect(configuration.body.role).toBe(ref('aws_iam_role', role.name, 'arn'));
    expect(configuration.body.rule).toEqual([
      {
        id: 'to-us-west-2',
        priority: 1,
        status: 'Enabled',
        filter: {},
        delete_marker_replication: { status: 'Enabled' },
        source_selection_criteria: { sse_kms_encrypted_objects: { status: 'Enabled' } },
        destination: {
          bucket: ref('aws_s3_bucket', replicaBucket.name, 'arn'),
          storage_class: 'STANDARD',
          encryption_configuration: { replica_kms_key_id: ref('aws_kms_key', replicaKey.name, 'arn') },
        },
      },
    ]);
  });

  test('waits for versioning on both buckets', () => {
    expect(configuration.body.depends_on.sort()).toEqual(
      [
        `aws_s3_bucket_versioning.${at('aws_s3_bucket_versioning', 'bucket/versioning').name}`,
        `aws_s3_bucket_versioning.${at('aws_s3_bucket_versioning', 'replica-bucket/versioning').name}`,
      ].sort(),
    );
  });

  test('the role can only be assumed by S3', () => {
    expect(policyStatements(stack, role.body.assume_role_policy)).toEqual([
      { effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['s3.amazonaws.com'] }] },
    ]);
  });

  test('the role policy grants exactly what replication needs, scoped to these buckets and keys', () => {
    const policy = at('aws_iam_role_policy', 'replication/role/policy').body;
    const statements = policyStatements(stack, policy.policy);
    const source = ref('aws_s3_bucket', primaryBucket.name, 'arn');
    const destination = ref('aws_s3_bucket', replicaBucket.name, 'arn');
    const viaS3 = (region: string, bucket: string) => [
      { test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${region}.amazonaws.com`] },
      { test: 'StringLike', variable: 'kms:EncryptionContext:aws:s3:arn', values: [bucket, `${bucket}/*`] },
    ];
    const plain = statements.map(({ sid: _sid, ...rest }) => rest);
    expect(plain).toEqual([
      { effect: 'Allow', actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'], resources: [source] },
      {
        effect: 'Allow',
        actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
        resources: [`${source}/*`],
      },
      { effect: 'Allow', actions: ['kms:Decrypt'], resources: [ref('aws_kms_key', primaryKey.name, 'arn')], condition: viaS3('us-east-1', source) },
      { effect: 'Allow', actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], resources: [`${destination}/*`] },
      {
        effect: 'Allow',
        actions: ['kms:Encrypt', 'kms:Decrypt'],
        resources: [ref('aws_kms_key', replicaKey.name, 'arn')],
        condition: viaS3('us-west-2', destination),
      },
    ]);
    for (const statement of statements) {
      expect(statement.resources).not.toContain('*');
      expect(statement.actions.some((a: string) => a.endsWith('*'))).toBe(false);
    }
  });
});

describe('state keys', () => {
  test.each([
    ['primary', primaryKey, 'key', 'aws'],
    ['replica', replicaKey, 'replica-key', 'aws.us-west-2'],
  ])('%s key: CKV_AWS_7 rotation, CKV2_AWS_64 explicit policy, CKV_AWS_33 no wildcard principal, prevent_destroy', (_label, key, construct, provider) => {
    expect(key.body).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(key.body.provider).toBe(provider);
    const statements = policyStatements(stack, key.body.policy);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      for (const principal of statement.principals ?? []) expect(principal.identifiers).not.toContain('*');
    }
    expect(statements[0].principals).toEqual([{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] }]);
    const alias = at('aws_kms_alias', `${construct}/alias`).body;
    expect(alias).toMatchObject({ name: 'alias/acme-shop-tfstate', target_key_id: ref('aws_kms_key', key.name, 'key_id') });
  });
});

describe('lock table', () => {
  const table = Object.values(resources(stack, 'aws_dynamodb_table'));

  test('one table with the LockID string hash key Terraform expects, billed on demand', () => {
    expect(table).toHaveLength(1);
    expect(table[0]).toMatchObject({
      name: 'acme-shop-tfstate-lock',
      hash_key: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      billing_mode: 'PAY_PER_REQUEST',
    });
    expect(table[0].provider).toBe('aws');
  });

  test('CKV_AWS_28: point-in-time recovery; CKV_AWS_119: encrypted with the state key; deletion protection', () => {
    expect(table[0].point_in_time_recovery).toEqual({ enabled: true });
    expect(table[0].server_side_encryption).toEqual({ enabled: true, kms_key_arn: ref('aws_kms_key', primaryKey.name, 'arn') });
    expect(table[0].deletion_protection_enabled).toBe(true);
    expect(table[0].lifecycle).toEqual({ prevent_destroy: true });
  });
});

test('the state stack outputs what operators need', () => {
  expect(Object.keys(stack.output).sort()).toEqual(
    ['lock-table', 'state-bucket', 'state-key-arn', 'state-replica-bucket', 'state-replica-key-arn'],
  );
});
