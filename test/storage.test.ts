import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { BucketReplication } from '../src/constructs/storage/bucket-replication';
import type { TerraformJson } from '../src/terraform/offline';
import {
  configFrom,
  crossStack,
  exampleLayouts,
  exampleInput,
  policyStatements,
  ref,
  resourceAt,
  resources,
  synth,
  type Synthesized,
} from './helpers';

const layouts = exampleLayouts();

function bucketIn(result: Synthesized, region: string, bucket: string) {
  const stack = result.stacks.get(`region-${region}`)!;
  return {
    stack,
    bucket: resourceAt(stack, 'aws_s3_bucket', `region-${region}/bucket-${bucket}/bucket`),
    versioning: resourceAt(stack, 'aws_s3_bucket_versioning', `region-${region}/bucket-${bucket}/versioning`),
    key: resourceAt(stack, 'aws_kms_key', `region-${region}/regional-key/key`),
  };
}

describe.each(layouts)('storage invariants: %s', (_label, config) => {
  const result = synth(config);
  const mesh = result.stacks.get('mesh')!;
  const n = config.regions.length;

  describe.each(config.storage.buckets.map((b) => [b.name, b] as const))('bucket "%s"', (name, bucket) => {
    test.each(config.regions.map((r) => [r.region]))('from %s: one configuration with N-1 rules, one to each other Region', (source) => {
      const configuration = resourceAt(
        mesh,
        'aws_s3_bucket_replication_configuration',
        `mesh/replication-${name}-${source}/configuration`,
      ).body;
      const sourceBucket = bucketIn(result, source, name);
      // The configuration reads the source bucket's name from its versioning resource.
      expect(crossStack(result, configuration.bucket)).toEqual({
        stack: `region-${source}`,
        value: ref('aws_s3_bucket_versioning', sourceBucket.versioning.name, 'bucket'),
      });
      expect(configuration.provider).toBe(source === config.primaryRegion ? 'aws' : `aws.${source}`);

      const rules: TerraformJson[] = configuration.rule;
      const others = config.regions.map((r) => r.region).filter((r) => r !== source);
      expect(rules.map((r) => r.id).sort()).toEqual(others.map((r) => `to-${r}`).sort());
      expect(new Set(rules.map((r) => r.priority)).size).toBe(n - 1);

      for (const rule of rules) {
        const destination = rule.id.replace(/^to-/, '');
        const target = bucketIn(result, destination, name);
        expect(rule).toMatchObject({
          status: 'Enabled',
          filter: {},
          delete_marker_replication: { status: 'Enabled' },
          source_selection_criteria: { sse_kms_encrypted_objects: { status: 'Enabled' }, replica_modifications: { status: 'Enabled' } },
        });
        expect(rule.destination.storage_class).toBe(bucket.replicaStorageClass);
        // Destination bucket and key: that Region's, read after its versioning is on.
        const destinationBucket = /^arn:aws:s3:::(.+)$/.exec(rule.destination.bucket)![1];
        expect(crossStack(result, destinationBucket)).toEqual({
          stack: `region-${destination}`,
          value: ref('aws_s3_bucket_versioning', target.versioning.name, 'bucket'),
        });
        expect(crossStack(result, rule.destination.encryption_configuration.replica_kms_key_id)).toEqual({
          stack: `region-${destination}`,
          value: ref('aws_kms_key', target.key.name, 'arn'),
        });
        if (bucket.replicationTimeControl) {
          expect(rule.destination.replication_time).toEqual({ status: 'Enabled', time: { minutes: 15 } });
          expect(rule.destination.metrics).toEqual({ status: 'Enabled', event_threshold: { minutes: 15 } });
        } else {
          expect(rule.destination.replication_time).toBeUndefined();
          expect(rule.destination.metrics).toBeUndefined();
        }
      }
    });

    test.each(config.regions.map((r) => [r.region]))(
      'from %s: the role may do exactly what replication needs, on these buckets and keys only',
      (source) => {
        const role = resourceAt(mesh, 'aws_iam_role', `mesh/replication-${name}-${source}/role/role`).body;
        expect(role.name).toBe(`acme-shop-${name}-replication-${source}`);
        expect(policyStatements(mesh, role.assume_role_policy)[0].principals).toEqual([
          { type: 'Service', identifiers: ['s3.amazonaws.com'] },
        ]);
        const statements = policyStatements(
          mesh,
          resourceAt(mesh, 'aws_iam_role_policy', `mesh/replication-${name}-${source}/role/policy`).body.policy,
        );
        const granted = statements.flatMap((s) => s.actions).sort();
        const others = config.regions.filter((r) => r.region !== source);
        expect(granted).toEqual(
          [
            's3:GetReplicationConfiguration',
            's3:ListBucket',
            's3:GetObjectVersionForReplication',
            's3:GetObjectVersionAcl',
            's3:GetObjectVersionTagging',
            'kms:Decrypt',
            ...others.flatMap(() => ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags', 'kms:Encrypt', 'kms:Decrypt']),
          ].sort(),
        );
        for (const statement of statements) {
          expect(statement.effect).toBe('Allow');
          expect(statement.resources).not.toContain('*');
          if (statement.actions.some((a: string) => a.startsWith('kms:'))) {
            const [keyArn] = statement.resources;
            const keyRegion = crossStack(result, keyArn).stack.replace(/^region-/, '');
            const via = statement.condition.find((c: TerraformJson) => c.variable === 'kms:ViaService');
            expect(via).toEqual({ test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${keyRegion}.amazonaws.com`] });
            const context = statement.condition.find((c: TerraformJson) => c.variable === 'kms:EncryptionContext:aws:s3:arn');
            expect(context.values).toHaveLength(2);
            expect(crossStack(result, /^arn:aws:s3:::(.+)$/.exec(context.values[0])![1]).stack).toBe(`region-${keyRegion}`);
          }
        }
      },
    );

    test.each(config.regions.map((r) => [r.region]))(
      "in %s: KMS-encrypted with its own key, private, logged to the Region's log bucket",
      (region) => {
        const { stack, bucket: data, key } = bucketIn(result, region, name);
        expect(data.body.bucket).toBe(`acme-shop-${name}-111122223333-${region}`);
        expect(data.body.force_destroy).toBe(bucket.forceDestroy);
        const encryption = resourceAt(
          stack,
          'aws_s3_bucket_server_side_encryption_configuration',
          `region-${region}/bucket-${name}/encryption`,
        ).body;
        expect(encryption.rule[0].apply_server_side_encryption_by_default).toEqual({
          sse_algorithm: 'aws:kms',
          kms_master_key_id: ref('aws_kms_key', key.name, 'arn'),
        });
        const logging = resourceAt(stack, 'aws_s3_bucket_logging', `region-${region}/bucket-${name}/access-logging`).body;
        const logBucket = resourceAt(stack, 'aws_s3_bucket', `region-${region}/access-log-bucket/bucket`);
        expect(logging).toMatchObject({ target_bucket: ref('aws_s3_bucket', logBucket.name, 'id'), target_prefix: `${name}/` });
        const lifecycle = resourceAt(stack, 'aws_s3_bucket_lifecycle_configuration', `region-${region}/bucket-${name}/lifecycle`).body;
        expect(lifecycle.rule.find((r: TerraformJson) => r.id === 'expire-noncurrent-versions').noncurrent_version_expiration).toEqual([
          { noncurrent_days: bucket.noncurrentVersionExpirationDays },
        ]);
      },
    );
  });

  test('CKV2_AWS_6 / CKV_AWS_145: no bucket anywhere can be public; every bucket is KMS-encrypted but the load balancer log buckets', () => {
    for (const [name, stack] of result.stacks) {
      const buckets = Object.entries(resources(stack, 'aws_s3_bucket'));
      const blocks = Object.values(resources(stack, 'aws_s3_bucket_public_access_block'));
      const encryptions = Object.values(resources(stack, 'aws_s3_bucket_server_side_encryption_configuration'));
      for (const [bucket, body] of buckets) {
        const id = ref('aws_s3_bucket', bucket, 'id');
        expect(blocks.find((b) => b.bucket === id)).toMatchObject({
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        });
        const encryption = encryptions.find((e) => e.bucket === id);
        if (!encryption) throw new Error(`${name}: ${bucket} has no encryption configuration`);
        // Load balancers deliver access logs only to SSE-S3 buckets: the one documented exception.
        const expected = /-alblogs-/.test(body.bucket)
          ? { sse_algorithm: 'AES256' }
          : { sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/) };
        expect(encryption.rule[0].apply_server_side_encryption_by_default).toEqual(expected);
        expect(Object.values(resources(stack, 'aws_s3_bucket_acl'))).toEqual([]);
      }
    }
  });

  test.each(config.regions.map((r) => [r.region]))(
    "%s: the log bucket accepts only S3 log delivery for this account's project buckets, expires logs, and does not log itself",
    (region) => {
      const stack = result.stacks.get(`region-${region}`)!;
      const logBucket = resourceAt(stack, 'aws_s3_bucket', `region-${region}/access-log-bucket/bucket`);
      expect(logBucket.body.bucket).toBe(`acme-shop-s3logs-111122223333-${region}`);
      const policy = resourceAt(stack, 'aws_s3_bucket_policy', `region-${region}/access-log-bucket/bucket-policy`).body;
      const delivery = policyStatements(stack, policy.policy).find((s) => s.sid === 'S3ServerAccessLogDelivery');
      expect(delivery).toMatchObject({
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }],
        actions: ['s3:PutObject'],
        resources: [`arn:aws:s3:::acme-shop-s3logs-111122223333-${region}/*`],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111122223333'] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: ['arn:aws:s3:::acme-shop-*'] },
        ],
      });
      const loggings = Object.values(resources(stack, 'aws_s3_bucket_logging'));
      expect(loggings.some((l) => l.bucket === ref('aws_s3_bucket', logBucket.name, 'id'))).toBe(false);
      const lifecycle = resourceAt(stack, 'aws_s3_bucket_lifecycle_configuration', `region-${region}/access-log-bucket/lifecycle`).body;
      expect(lifecycle.rule.find((r: TerraformJson) => r.id === 'expire-objects').expiration).toEqual([
        { days: config.storage.accessLogRetentionDays },
      ]);
      const key = resourceAt(stack, 'aws_kms_key', `region-${region}/regional-key/key`).body;
      expect(policyStatements(stack, key.policy)).toEqual(
        expect.arrayContaining([expect.objectContaining({ principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }] })]),
      );
    },
  );

  test("with Replication Time Control, every rule has a latency and a failure alarm to the source Region's encrypted alerts topic", () => {
    const alarms = Object.values(resources(mesh, 'aws_cloudwatch_metric_alarm'));
    const timed = config.storage.buckets.filter((b) => b.replicationTimeControl);
    expect(alarms).toHaveLength(timed.length * n * (n - 1) * 2);
    for (const alarm of alarms) {
      const source = alarm.dimensions.SourceBucket;
      const topic = crossStack(result, alarm.alarm_actions[0]);
      expect(crossStack(result, source).stack).toBe(topic.stack);
      expect(topic.value).toMatch(/^\$\{aws_sns_topic\./);
      expect(alarm).toMatchObject({ namespace: 'AWS/S3', treat_missing_data: 'notBreaching', ok_actions: alarm.alarm_actions });
      expect(['ReplicationLatency', 'OperationsFailedReplication']).toContain(alarm.metric_name);
      if (alarm.metric_name === 'ReplicationLatency') expect(alarm.threshold).toBe(900);
      expect(alarm.dimensions.RuleId).toMatch(/^to-/);
    }
    for (const region of config.regions) {
      const stack = result.stacks.get(`region-${region.region}`)!;
      const topic = resourceAt(stack, 'aws_sns_topic', `region-${region.region}/alerts/topic`).body;
      const key = resourceAt(stack, 'aws_kms_key', `region-${region.region}/regional-key/key`);
      expect(topic.kms_master_key_id).toBe(ref('aws_kms_key', key.name, 'arn')); // CKV_AWS_26
      expect(policyStatements(stack, key.body.policy)).toEqual(
        expect.arrayContaining([expect.objectContaining({ principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }] })]),
      );
      const subscriptions = Object.values(resources(stack, 'aws_sns_topic_subscription'));
      expect(subscriptions.map((s) => s.endpoint)).toEqual(config.alerts.emails);
    }
  });
});

describe('storage configuration errors', () => {
  const withBuckets = (buckets: unknown[]) => ({ ...exampleInput(), storage: { buckets } });
  const problems = (input: unknown) => {
    try {
      configFrom(input);
      return [];
    } catch (error) {
      return (error as { problems: Array<{ path: string; message: string }> }).problems.map((p) => `${p.path}: ${p.message}`);
    }
  };

  test.each([
    [
      'duplicate logical names',
      withBuckets([{ name: 'assets' }, { name: 'assets' }]),
      /^storage\.buckets\[1\]\.name: "assets" is already used by storage\.buckets\[0\]/,
    ],
    [
      'a name that makes a too long bucket name',
      withBuckets([{ name: 'customer-uploads-archive-2026-eu' }]),
      /^storage\.buckets\[0\]\.name: makes an invalid bucket name in us-east-1: ".*" is 65 characters long; S3 bucket names have 3 to 63\. Fix: shorten the bucket or project name/,
    ],
    ['an invalid name', withBuckets([{ name: 'Assets_1' }]), /^storage\.buckets\[0\]\.name: must be lowercase letters and digits/],
    ['a reserved name', withBuckets([{ name: 'tfstate' }]), /^storage\.buckets\[0\]\.name: "tfstate" is reserved/],
    [
      'an invalid storage class',
      withBuckets([{ name: 'assets', replicaStorageClass: 'COLD' }]),
      /^storage\.buckets\[0\]\.replicaStorageClass: "COLD" is not a storage class for replicas\. Fix: use one of STANDARD, STANDARD_IA/,
    ],
    ['an invalid alert email', { ...exampleInput(), alerts: { emails: ['oncall'] } }, /^alerts\.emails\[0\]: is not an email address/],
  ])('%s', (_label, input, expected) => {
    expect(problems(input)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test('buckets default to Replication Time Control on, STANDARD replicas, 90-day noncurrent expiry, no force destroy', () => {
    expect(configFrom(withBuckets([{ name: 'media' }])).storage.buckets).toEqual([
      {
        name: 'media',
        replicationTimeControl: true,
        noncurrentVersionExpirationDays: 90,
        replicaStorageClass: 'STANDARD',
        forceDestroy: false,
      },
    ]);
  });
});

describe('BucketReplication destinations', () => {
  const bucket = (region: string) => ({
    bucketName: `media-${region}`,
    bucketArn: `arn:aws:s3:::media-${region}`,
    kmsKeyArn: `arn:aws:kms:${region}:111122223333:key/k`,
    region,
  });
  const replicate = (destinations: ConstructorParameters<typeof BucketReplication>[2]['destinations']) => {
    const s = new TerraformStack(Testing.app(), 'replication');
    new AwsProvider(s, 'aws', { region: 'us-east-1' });
    new BucketReplication(s, 'replication', { roleName: 'replication', source: bucket('us-east-1'), destinations });
    return JSON.parse(Testing.synth(s)).resource.aws_s3_bucket_replication_configuration as TerraformJson;
  };

  test('a list and a map by Region make the same rules, prioritized in Region order', () => {
    const list = replicate([bucket('us-west-2'), bucket('eu-west-1')]);
    expect(replicate({ 'eu-west-1': bucket('eu-west-1'), 'us-west-2': bucket('us-west-2') })).toEqual(list);
    expect((Object.values(list)[0] as TerraformJson).rule.map((rule: TerraformJson) => [rule.priority, rule.destination.bucket])).toEqual([
      [1, 'arn:aws:s3:::media-eu-west-1'],
      [2, 'arn:aws:s3:::media-us-west-2'],
    ]);
  });

  test('no destination is refused, as a list or as a map', () => {
    expect(() => replicate([])).toThrow('BucketReplication replication: at least one destination is required');
    expect(() => replicate({})).toThrow('BucketReplication replication: at least one destination is required');
  });
});
