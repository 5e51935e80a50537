import * as fs from 'node:fs';
import * as path from 'node:path';
import { configFrom, example, exampleInput, policyStatements, ref, resourceAt, resources, synth, type Synthesized } from './helpers';
import type { TerraformJson } from '../src/terraform/offline';

/** Every synthesis of this file, removed with its temporary directory at the end. */
const syntheses: Synthesized[] = [];
function synthesized(...args: Parameters<typeof synth>): Synthesized {
  const result = synth(...args);
  syntheses.push(result);
  return result;
}
afterAll(() => {
  for (const { outdir } of syntheses) fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
});

const result = synthesized(example('two-region'));
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

    test("CKV_AWS_145: SSE-KMS with its own Region's customer-managed key and a bucket key", () => {
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
    const three = synthesized(example('three-region')).stacks.get('state')!;
    const lifecycle = resourceAt(three, 'aws_s3_bucket_lifecycle_configuration', 'state/state-backend/bucket/lifecycle').body;
    expect(lifecycle.rule[1].noncurrent_version_expiration).toEqual([{ noncurrent_days: 180 }]);
  });
});

/** One copy of the state: its bucket, key and Region. */
interface StateCopy {
  readonly bucket: { name: string };
  readonly key: { name: string };
  readonly region: string;
}
const primaryCopy: StateCopy = { bucket: primaryBucket, key: primaryKey, region: 'us-east-1' };
const replicaCopy: StateCopy = { bucket: replicaBucket, key: replicaKey, region: 'us-west-2' };
const bucketArn = (copy: StateCopy) => ref('aws_s3_bucket', copy.bucket.name, 'arn');
const keyArn = (copy: StateCopy) => ref('aws_kms_key', copy.key.name, 'arn');

/** The one rule replicating into `to`: deletes, KMS-encrypted objects and replica modifications included. */
function expectedRule(to: StateCopy) {
  return [
    {
      id: `to-${to.region}`,
      priority: 1,
      status: 'Enabled',
      filter: {},
      delete_marker_replication: { status: 'Enabled' },
      source_selection_criteria: { sse_kms_encrypted_objects: { status: 'Enabled' }, replica_modifications: { status: 'Enabled' } },
      destination: { bucket: bucketArn(to), storage_class: 'STANDARD', encryption_configuration: { replica_kms_key_id: keyArn(to) } },
    },
  ];
}

/** Exactly what replicating `from` into `to` needs: each key used only through S3 in its Region, for its bucket. */
function expectedRolePolicy(from: StateCopy, to: StateCopy) {
  const viaS3 = (copy: StateCopy) => [
    { test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${copy.region}.amazonaws.com`] },
    { test: 'StringLike', variable: 'kms:EncryptionContext:aws:s3:arn', values: [bucketArn(copy), `${bucketArn(copy)}/*`] },
  ];
  return [
    { effect: 'Allow', actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'], resources: [bucketArn(from)] },
    {
      effect: 'Allow',
      actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
      resources: [`${bucketArn(from)}/*`],
    },
    { effect: 'Allow', actions: ['kms:Decrypt'], resources: [keyArn(from)], condition: viaS3(from) },
    { effect: 'Allow', actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], resources: [`${bucketArn(to)}/*`] },
    { effect: 'Allow', actions: ['kms:Encrypt', 'kms:Decrypt'], resources: [keyArn(to)], condition: viaS3(to) },
  ];
}

const versioningOfBothBuckets = () =>
  [
    `aws_s3_bucket_versioning.${at('aws_s3_bucket_versioning', 'bucket/versioning').name}`,
    `aws_s3_bucket_versioning.${at('aws_s3_bucket_versioning', 'replica-bucket/versioning').name}`,
  ].sort();

describe('CKV_AWS_144: the state bucket replicates to the replica Region', () => {
  const configuration = at('aws_s3_bucket_replication_configuration', 'replication/configuration');
  const role = at('aws_iam_role', 'replication/role/role');

  test('one rule to the replica bucket, deletes, KMS-encrypted objects and replica modifications included, re-encrypted with the replica key', () => {
    expect(configuration.body.bucket).toBe(ref('aws_s3_bucket', primaryBucket.name, 'id'));
    expect(configuration.body.role).toBe(ref('aws_iam_role', role.name, 'arn'));
    expect(configuration.body.rule).toEqual(expectedRule(replicaCopy));
  });

  test('waits for versioning on both buckets', () => {
    expect(configuration.body.depends_on.sort()).toEqual(versioningOfBothBuckets());
  });

  test('the role can only be assumed by S3', () => {
    expect(policyStatements(stack, role.body.assume_role_policy)).toEqual([
      { effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['s3.amazonaws.com'] }] },
    ]);
  });

  test('the role policy grants exactly what replication needs, scoped to these buckets and keys', () => {
    const statements = policyStatements(stack, at('aws_iam_role_policy', 'replication/role/policy').body.policy);
    expect(statements.map(({ sid: _sid, ...rest }) => rest)).toEqual(expectedRolePolicy(primaryCopy, replicaCopy));
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
  ])(
    '%s key: CKV_AWS_7 rotation, CKV2_AWS_64 explicit policy, CKV_AWS_33 no wildcard principal, prevent_destroy',
    (_label, key, construct, provider) => {
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
    },
  );
});

describe('lock tables', () => {
  const tables = [
    { label: 'state Region', table: at('aws_dynamodb_table', 'lock-table'), key: primaryKey, provider: 'aws' },
    { label: 'replica Region', table: at('aws_dynamodb_table', 'replica-lock-table'), key: replicaKey, provider: 'aws.us-west-2' },
  ];

  test('apply-11 one lock table in each state Region, under the same name', () => {
    expect(Object.keys(resources(stack, 'aws_dynamodb_table'))).toHaveLength(2);
    expect(tables.map(({ table }) => [table.body.name, table.body.provider])).toEqual([
      ['acme-shop-tfstate-lock', 'aws'],
      ['acme-shop-tfstate-lock', 'aws.us-west-2'],
    ]);
  });

  describe.each(tables)('$label', ({ table, key }) => {
    test('the LockID string hash key Terraform expects, billed on demand', () => {
      expect(table.body).toMatchObject({
        hash_key: 'LockID',
        attribute: [{ name: 'LockID', type: 'S' }],
        billing_mode: 'PAY_PER_REQUEST',
      });
    });

    test("CKV_AWS_28: point-in-time recovery; CKV_AWS_119: encrypted with its Region's state key; deletion protection", () => {
      expect(table.body.point_in_time_recovery).toEqual({ enabled: true });
      expect(table.body.server_side_encryption).toEqual({ enabled: true, kms_key_arn: ref('aws_kms_key', key.name, 'arn') });
      expect(table.body.deletion_protection_enabled).toBe(true);
      expect(table.body.lifecycle).toEqual({ prevent_destroy: true });
    });
  });
});

describe('apply-11 the replica bucket replicates back into the state bucket', () => {
  const configuration = at('aws_s3_bucket_replication_configuration', 'replica-replication/configuration');
  const role = at('aws_iam_role', 'replica-replication/role/role');

  test('apply-11 a configuration on the replica bucket, in its Region, with one rule to the state bucket', () => {
    expect(configuration.body.provider).toBe('aws.us-west-2');
    expect(configuration.body.bucket).toBe(ref('aws_s3_bucket', replicaBucket.name, 'id'));
    expect(configuration.body.role).toBe(ref('aws_iam_role', role.name, 'arn'));
    expect(configuration.body.rule).toEqual(expectedRule(primaryCopy));
    expect(configuration.body.depends_on.sort()).toEqual(versioningOfBothBuckets());
  });

  test('apply-11 its own role, decrypting with the replica key and encrypting with the state key, each only through S3 there', () => {
    expect(role.body.name).toBe('acme-shop-tfstate-replication-back');
    expect(at('aws_iam_role', 'replication/role/role').body.name).toBe('acme-shop-tfstate-replication');
    const statements = policyStatements(stack, at('aws_iam_role_policy', 'replica-replication/role/policy').body.policy);
    expect(statements.map(({ sid: _sid, ...rest }) => rest)).toEqual(expectedRolePolicy(replicaCopy, primaryCopy));
  });
});

describe('apply-11 state.active moves every backend and every remote-state read together', () => {
  const withActive = (active: string) =>
    synthesized(configFrom({ ...exampleInput('three-region'), state: { ...exampleInput('three-region').state, active } }));
  const locations = {
    primary: { bucket: 'acme-shop-tfstate-111122223333-us-east-1', region: 'us-east-1' },
    replica: { bucket: 'acme-shop-tfstate-111122223333-us-west-2', region: 'us-west-2' },
  };

  /** The backend block of every S3-backed stack and the config of every remote-state read, by where they appear. */
  function stateAccess(synthesis: Synthesized): Record<string, TerraformJson> {
    const found: Record<string, TerraformJson> = {};
    for (const [name, body] of synthesis.stacks) {
      if (body.terraform.backend.s3) found[`${name} backend`] = body.terraform.backend.s3;
      for (const [source, read] of Object.entries((body.data?.terraform_remote_state ?? {}) as Record<string, TerraformJson>)) {
        expect(read.backend).toBe('s3');
        found[`${name} reads ${source}`] = read.config;
      }
    }
    return found;
  }

  test.each(['primary', 'replica'] as const)(
    'apply-11 "%s": every stack and every read uses that bucket, its Region, its key and its lock table',
    (active) => {
      const synthesis = withActive(active);
      const access = stateAccess(synthesis);
      const { bucket, region } = locations[active];
      const reads = Object.keys(access).filter((where) => where.includes(' reads '));
      expect(reads.length).toBeGreaterThanOrEqual(4);
      // Every stack, `state` too: its own state is in its bucket (active-active bootstrap).
      expect(Object.keys(access).filter((where) => where.endsWith(' backend'))).toHaveLength(synthesis.order.length);
      for (const [where, settings] of Object.entries(access)) {
        expect({ where, ...settings }).toMatchObject({
          where,
          bucket,
          region,
          encrypt: true,
          kms_key_id: `arn:aws:kms:${region}:111122223333:alias/acme-shop-tfstate`,
          dynamodb_table: 'acme-shop-tfstate-lock',
        });
        expect(settings.key).toMatch(/^stacks\/[a-z0-9-]+\.tfstate$/);
      }
    },
  );

  test('apply-11 the default is the state bucket in state.region', () => {
    expect(configFrom(exampleInput('three-region')).state.active).toBe('primary');
  });

  test('apply-11 an unknown location is a config error that names the field and the fix', () => {
    expect(() => configFrom({ ...exampleInput(), state: { active: 'secondary' } })).toThrow(
      /state\.active[\s\S]*"secondary" is not a state location\. Fix: use "primary"/,
    );
  });

  test("apply-11 the switch changes nothing in the state stack's resources: only where its own state is", () => {
    const strip = (synthesis: Synthesized) => {
      const { terraform, ...rest } = synthesis.stacks.get('state')!;
      const { backend: _backend, ...settings } = terraform as TerraformJson;
      return JSON.stringify({ ...rest, terraform: settings });
    };
    expect(strip(withActive('replica'))).toBe(strip(withActive('primary')));
  });
});

describe("apply-5 decommission turns the state stack's protections off", () => {
  const decommissioned = synthesized(configFrom({ ...exampleInput(), decommission: true })).stacks.get('state')!;
  const protectedTypes = ['aws_kms_key', 'aws_s3_bucket', 'aws_dynamodb_table'];

  test.each([
    ['protected (default)', stack, true],
    ['decommissioned', decommissioned, false],
  ] as const)('apply-5 %s: prevent_destroy, deletion protection and force_destroy', (_label, state, protect) => {
    const protectedResources = protectedTypes.flatMap((type) => Object.values(resources(state, type)));
    expect(protectedResources).toHaveLength(6);
    for (const resource of protectedResources) {
      if (protect) expect(resource.lifecycle).toEqual({ prevent_destroy: true });
      else expect(resource.lifecycle?.prevent_destroy).toBeUndefined();
    }
    for (const table of Object.values(resources(state, 'aws_dynamodb_table'))) expect(table.deletion_protection_enabled).toBe(protect);
    for (const bucket of Object.values(resources(state, 'aws_s3_bucket'))) expect(bucket.force_destroy).toBe(!protect);
  });
});

test('the state stack outputs what operators need', () => {
  expect(Object.keys(stack.output).sort()).toEqual([
    'lock-table',
    'replica-lock-table',
    'state-bucket',
    'state-key-arn',
    'state-replica-bucket',
    'state-replica-key-arn',
  ]);
});
