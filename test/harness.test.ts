import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, S3Backend, TerraformStack } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { pinVersions } from '../stacks/project-stack';
import { cliConfigText } from '../src/terraform/cli-config';
import { checkSynthesized, formatReport, type HarnessReport } from '../src/terraform/harness';
import { awsVersionsIn, findProviderMirror, MIRROR_ENV_VAR, MirrorError, terraformPlatform } from '../src/terraform/mirror';
import {
  OFFLINE_PROVIDER_SETTINGS,
  offlineCopy,
  remoteStateSources,
  resourceCount,
  standInState,
  standInVariables,
} from '../src/terraform/offline';
import { placeholderFor, type ProviderSchema } from '../src/terraform/placeholders';
import { TERRAFORM_ENV_VAR, TerraformMissingError } from '../src/terraform/run';
import type { ResolvedConfig } from '../src/config';
import { configFrom, example, exampleInput, synth, tempDir } from './helpers';

function fakeMirror(version = '5.100.0'): string {
  const dir = tempDir('aa-mirror-');
  const platformDir = path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws', version, terraformPlatform());
  fs.mkdirSync(platformDir, { recursive: true });
  fs.writeFileSync(path.join(platformDir, `terraform-provider-aws_v${version}_x5`), '');
  return dir;
}

describe('provider mirror discovery', () => {
  test('reads the versions of an unpacked mirror for this platform', () => {
    expect(awsVersionsIn(fakeMirror('5.100.0'))).toEqual(['5.100.0']);
    expect(awsVersionsIn(tempDir())).toEqual([]);
  });

  test('the environment variable wins over any search', () => {
    const dir = fakeMirror('5.99.1');
    expect(findProviderMirror({ [MIRROR_ENV_VAR]: dir, HOME: tempDir() })).toEqual({ path: dir, awsVersions: ['5.99.1'] });
  });

  test('an environment variable that points at no mirror is an error, not a silent fallback', () => {
    expect(() => findProviderMirror({ [MIRROR_ENV_VAR]: tempDir(), HOME: tempDir() })).toThrow(MirrorError);
    expect(() => findProviderMirror({ [MIRROR_ENV_VAR]: tempDir(), HOME: tempDir() })).toThrow(
      /holds no registry\.terraform\.io\/hashicorp\/aws provider.*Fix:/,
    );
  });

  test("Terraform's own plugin directory is searched", () => {
    const home = tempDir();
    const plugins = path.join(home, '.terraform.d', 'plugins');
    fs.mkdirSync(plugins, { recursive: true });
    fs.cpSync(fakeMirror('5.100.0'), plugins, { recursive: true });
    expect(findProviderMirror({ HOME: home })).toEqual({ path: plugins, awsVersions: ['5.100.0'] });
  });

  test('the CLI config takes hashicorp/aws from the mirror and everything else from registries', () => {
    const text = cliConfigText({ path: '/mirror', awsVersions: ['5.100.0'] });
    expect(text).toContain('filesystem_mirror {\n    path    = "/mirror"\n    include = ["registry.terraform.io/hashicorp/aws"]');
    expect(text).toContain('direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]');
    expect(cliConfigText(undefined)).not.toContain('provider_installation');
  });
});

describe('offline copy', () => {
  const stack = {
    terraform: { backend: { s3: { bucket: 'b', key: 'stacks/x.tfstate' } }, required_providers: { aws: {} } },
    provider: {
      aws: [
        { region: 'us-east-1', allowed_account_ids: ['111122223333'] },
        { region: 'us-west-2', alias: 'us-west-2', allowed_account_ids: ['111122223333'] },
      ],
    },
    data: {
      terraform_remote_state: {
        up: { backend: 's3', config: { bucket: 'b', key: 'stacks/up.tfstate' }, workspace: '${terraform.workspace}' },
      },
    },
  };

  test('drops the backend and allowed_account_ids, adds mock credentials, reads remote state locally', () => {
    const copy = offlineCopy(stack, { up: '/tmp/up.tfstate' });
    expect(copy.terraform.backend).toBeUndefined();
    expect(copy.terraform.required_providers).toEqual({ aws: {} });
    for (const provider of copy.provider.aws) {
      expect(provider.allowed_account_ids).toBeUndefined();
      expect(provider).toMatchObject(OFFLINE_PROVIDER_SETTINGS);
    }
    expect(copy.provider.aws[1]).toMatchObject({ alias: 'us-west-2', region: 'us-west-2' });
    expect(copy.data.terraform_remote_state.up).toEqual({
      backend: 'local',
      config: { path: '/tmp/up.tfstate' },
      workspace: '${terraform.workspace}',
    });
    expect(stack.terraform.backend).toBeDefined();
  });

  test('lists the remote state a stack reads, and refuses one without a stand-in', () => {
    expect(remoteStateSources(stack)).toEqual([{ name: 'up', key: 'stacks/up.tfstate' }]);
    expect(() => offlineCopy(stack, {})).toThrow(/no stand-in state for remote state "up"/);
  });
});

describe('stand-in values', () => {
  const schema: ProviderSchema = {
    resource_schemas: {
      aws_kms_key: { block: { attributes: { arn: { type: 'string' }, key_id: { type: 'string' } } } },
      aws_vpc: { block: { attributes: { id: { type: 'string' }, cidr_block: { type: 'string' } } } },
      aws_subnet: { block: { attributes: { ids: { type: ['list', 'string'] } } } },
    },
  };
  const context = { region: 'eu-west-1', accountId: '111122223333' };

  test('are shaped like the real values and typed from the schema', () => {
    expect(placeholderFor('${aws_kms_key.k.arn}', schema, context)).toEqual({
      value: expect.stringMatching(/^arn:aws:kms:eu-west-1:111122223333:kms_key\/[0-9a-f]{17}$/),
      type: 'string',
    });
    expect(placeholderFor('${aws_kms_key.k.key_id}', schema, context).value).toMatch(/^[0-9a-f-]{36}$/);
    expect(placeholderFor('${aws_vpc.v.id}', schema, context).value).toMatch(/^vpc-[0-9a-f]{17}$/);
    // Two resources of a type never share an ID; the same one always gets the same.
    expect(placeholderFor('${aws_vpc.w.id}', schema, context).value).not.toEqual(placeholderFor('${aws_vpc.v.id}', schema, context).value);
    expect(placeholderFor('${aws_vpc.v.id}', schema, context)).toEqual(placeholderFor('${aws_vpc.v.id}', schema, context));
    expect(placeholderFor('${aws_subnet.s.ids}', schema, context)).toEqual({ value: [expect.any(String)], type: ['list', 'string'] });
    expect(placeholderFor('literal', schema, context)).toEqual({ value: 'placeholder', type: 'string' });
  });

  test("take the Region of the producing resource's provider", () => {
    const producer = {
      provider: {
        aws: [
          { region: 'us-east-1', allowed_account_ids: ['111122223333'] },
          { alias: 'west', region: 'us-west-2', allowed_account_ids: ['111122223333'] },
        ],
      },
      resource: { aws_kms_key: { k: { provider: 'aws.west' } } },
      output: { 'key-arn': { value: '${aws_kms_key.k.arn}', sensitive: true } },
    };
    const state = standInState(producer, 'up', schema) as { outputs: Record<string, { value: string; sensitive: boolean }> };
    expect(state.outputs['key-arn']).toEqual({
      value: expect.stringMatching(/^arn:aws:kms:us-west-2:111122223333:kms_key\//),
      type: 'string',
      sensitive: true,
    });
  });
});

/** A bare cdktf app for harness fixtures, writing to a fresh directory. */
function fixtureApp(): { app: App; outdir: string; stack: (name: string, region?: string) => TerraformStack } {
  const outdir = path.join(tempDir(), 'cdktf.out');
  const app = new App({ outdir, stackTraces: false });
  const stack = (name: string, region = 'us-east-1') => {
    const created = new TerraformStack(app, name);
    pinVersions(created);
    new AwsProvider(created, 'aws', { region, allowedAccountIds: ['111122223333'] });
    return created;
  };
  return { app, outdir, stack };
}

/** Asserts a clean report, printing Terraform's diagnostics when it is not. */
function expectAllValid(report: HarnessReport): void {
  if (!report.ok) throw new Error(formatReport(report));
  expect(report.results.every((r) => r.ok)).toBe(true);
}

describe('real Terraform, offline', () => {
  // The two- and three-Region examples are settled by test/preview.test.ts, as bases of the change-safety matrix.
  const layouts: Array<[string, () => ResolvedConfig]> = [
    ['the five-region example', () => example('five-region')],
    [
      'three Regions, hub-and-spoke, no NAT, an internal load balancer',
      () =>
        configFrom({
          ...exampleInput('three-region'),
          topology: { peering: 'hub-and-spoke' },
          network: { natGateways: 'none' },
          traffic: { loadBalancer: { internal: true } },
          workload: { image: '111122223333.dkr.ecr.{region}.amazonaws.com/shop/web:1.0' },
          database: { writeForwarding: true },
        }),
    ],
    [
      // Dual stack needs an internet-facing load balancer (config validation refuses an internal one).
      'two Regions with HTTPS, dual stack, Route 53, Serverless v2 on MySQL',
      () => {
        const input = exampleInput();
        return configFrom({
          ...input,
          regions: input.regions.map((r, i) => ({
            ...r,
            certificateArn: `arn:aws:acm:${r.region}:111122223333:certificate/0e8c5a8e-1111-4222-8333-94444555566${i}`,
          })),
          traffic: {
            accelerator: { ipAddressType: 'DUAL_STACK', clientAffinity: 'SOURCE_IP' },
            healthCheck: { protocol: 'HTTPS', path: '/healthz', intervalSeconds: 30, unhealthyThresholdCount: 2 },
            route53: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' },
          },
          database: { engine: 'aurora-mysql', instanceClass: 'db.serverless', masterUsername: 'admin', writeForwarding: true },
        });
      },
    ],
    [
      'two Regions with latency routing, no default workload, decommissioned',
      () =>
        configFrom({
          ...exampleInput(),
          traffic: { mode: 'route53-latency', route53: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' } },
          workload: 'none',
          decommission: true,
        }),
    ],
  ];

  // The options of examples/three-region-global-tables.json (global tables, geolocation records, VPC
  // peering) over 2 and 5 Regions, with the other link and Route 53 modes: every stack of each planned.
  const tables = [
    {
      name: 'orders',
      partitionKey: { name: 'pk', type: 'S' as const },
      sortKey: { name: 'sk', type: 'S' as const },
      globalSecondaryIndexes: [
        {
          name: 'by-status',
          partitionKey: { name: 'status', type: 'S' as const },
          projection: 'INCLUDE' as const,
          nonKeyAttributes: ['total'],
        },
      ],
      ttlAttribute: 'expiresAt',
    },
    { name: 'sessions', partitionKey: { name: 'id', type: 'S' as const }, billing: { mode: 'provisioned' as const } },
  ];
  const route53 = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' };
  layouts.push(
    ['the three-Region global tables example', () => example('three-region-global-tables')],
    // Serverless v2, one NAT gateway, no private link, internal load balancers, Graviton tasks on Spot.
    ['the lean example', () => example('lean')],
    [
      'five Regions with global tables, VPC peering hub-and-spoke, failover records',
      () => {
        const input = exampleInput('five-region');
        return configFrom({
          ...input,
          topology: { peering: 'hub-and-spoke', link: 'vpc-peering' },
          storage: { ...input.storage, tables },
          traffic: {
            mode: 'route53-failover',
            route53,
            failover: { order: ['us-west-2', 'us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'] },
          },
          database: { ...input.database, writeForwarding: true },
        });
      },
    ],
    [
      'two Regions with a global table, no private link, failover records',
      () => {
        const input = exampleInput('two-region');
        return configFrom({
          ...input,
          topology: { link: 'none' },
          storage: { ...input.storage, tables: [tables[0]] },
          traffic: { mode: 'route53-failover', route53 },
          database: { ...input.database, writeForwarding: true },
        });
      },
    ],
  );

  test.each(layouts)('every stack of %s passes init and plan, without warnings', async (label, config) => {
    const result = synth(config());
    // The examples are also applied on paper: planned again against the state their plan leaves, they change nothing.
    const settle = label.endsWith('example');
    const report = await checkSynthesized(result.outdir, { settle });
    expectAllValid(report);
    if (settle)
      for (const r of report.results)
        expect({ stack: r.stack, settled: r.settled !== undefined }).toEqual({ stack: r.stack, settled: true });
    expect(report.results.map((r) => r.stack).sort()).toEqual([...result.order].sort());
    for (const r of report.results) {
      expect(r.warnings).toEqual([]);
      // Terraform plans every synthesized resource, and nothing else.
      expect(r.planned).toEqual({ add: resourceCount(result.stacks.get(r.stack)!), change: 0, remove: 0 });
    }
    process.stdout.write(`${formatReport(report)}\n`);
  });

  test("a stack that reads another stack's outputs is planned against stand-in state", async () => {
    const { app, outdir, stack } = fixtureApp();
    const backend = (scope: TerraformStack, key: string) => new S3Backend(scope, { bucket: 'state-bucket', key, region: 'us-east-1' });
    const upstream = stack('upstream', 'eu-west-1');
    backend(upstream, 'stacks/upstream.tfstate');
    const key = new KmsKey(upstream, 'key', { enableKeyRotation: true });
    const vpc = new Vpc(upstream, 'vpc', { cidrBlock: '10.0.0.0/16' });

    const downstream = stack('downstream', 'eu-west-1');
    backend(downstream, 'stacks/downstream.tfstate');
    const bucket = new S3Bucket(downstream, 'bucket', { bucket: 'downstream-bucket-111122223333' });
    new S3BucketServerSideEncryptionConfigurationA(downstream, 'encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn } }],
    });
    new SecurityGroup(downstream, 'sg', { vpcId: vpc.id, name: 'downstream' });
    app.synth();

    const report = await checkSynthesized(outdir, { keepWorkdirs: true });
    expectAllValid(report);
    const down = report.results.find((r) => r.stack === 'downstream')!;
    expect(down.planned).toEqual({ add: 3, change: 0, remove: 0 });
    const standIn = JSON.parse(
      fs.readFileSync(path.join(path.dirname(path.dirname(down.workdir)), 'stand-ins', 'upstream.tfstate'), 'utf8'),
    );
    const values = Object.values(standIn.outputs).map((o) => (o as { value: unknown }).value);
    expect(values).toEqual(
      expect.arrayContaining([expect.stringMatching(/^arn:aws:kms:eu-west-1:111122223333:kms_key\//), expect.stringMatching(/^vpc-/)]),
    );
    fs.rmSync(path.dirname(path.dirname(down.workdir)), { recursive: true, force: true });
  });

  test('the database master password reaches neither the saved plan nor its JSON rendering', async () => {
    const result = synth(example('two-region'));
    for (const stack of ['state', 'region-us-west-2', 'mesh', 'edge'])
      fs.rmSync(path.join(result.outdir, 'stacks', stack), { recursive: true });
    const report = await checkSynthesized(result.outdir, { keepWorkdirs: true });
    expectAllValid(report);
    const primary = report.results.find((r) => r.stack === 'region-us-east-1')!;
    const root = path.dirname(path.dirname(primary.workdir));
    try {
      const secret = standInVariables(result.stacks.get('region-us-east-1')!).TF_VAR_database_master_password;
      expect(secret).toBeDefined();
      const show = spawnSync('terraform', ['show', '-json', 'tfplan'], {
        cwd: primary.workdir,
        env: { ...process.env, TF_CLI_CONFIG_FILE: path.join(root, 'terraform.tfrc') },
        encoding: 'utf8',
      });
      expect(show.status).toBe(0);
      const plan = JSON.parse(show.stdout);
      const cluster = plan.resource_changes.find((c: { type: string }) => c.type === 'aws_rds_cluster');
      expect(cluster.change.after.master_password_wo).toBeNull();
      expect(cluster.change.after.master_password).toBeNull();
      expect(show.stdout).not.toContain(secret);
      expect(fs.readFileSync(path.join(primary.workdir, 'tfplan')).includes(secret)).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test("a Region stack's game day templates, experiment role and log group pass validate and plan", async () => {
    // One Region stack is enough (the templates are per Region), with the global stack whose outputs it reads.
    const result = synth(configFrom({ ...exampleInput(), resilience: { gameDay: true } }));
    const kept = ['global', 'region-us-east-1'];
    try {
      for (const stack of result.order.filter((s) => !kept.includes(s)))
        fs.rmSync(path.join(result.outdir, 'stacks', stack), { recursive: true });
      const report = await checkSynthesized(result.outdir);
      expectAllValid(report);
      expect(report.results.map((r) => r.stack).sort()).toEqual(kept);
      for (const r of report.results) {
        expect(r.warnings).toEqual([]);
        expect(r.planned).toEqual({ add: resourceCount(result.stacks.get(r.stack)!), change: 0, remove: 0 });
      }
      expect(Object.keys(result.stacks.get('region-us-east-1')!.resource.aws_fis_experiment_template)).toHaveLength(2);
    } finally {
      fs.rmSync(path.dirname(result.outdir), { recursive: true, force: true });
    }
  });

  test("a provider validator's rejection fails the run with Terraform's own diagnostics", async () => {
    const { app, outdir, stack } = fixtureApp();
    const broken = stack('broken');
    new KmsKey(broken, 'key', { deletionWindowInDays: 3 });
    app.synth();

    const report = await checkSynthesized(outdir);
    expect(report.ok).toBe(false);
    expect(report.results[0]).toMatchObject({ stack: 'broken', ok: false, failedStep: 'plan' });
    expect(report.results[0].diagnostics).toMatch(
      /deletion_window_in_days.*between 7 and 30|expected deletion_window_in_days to be in the range \(7 - 30\)/,
    );
    expect(formatReport(report)).toMatch(/broken: plan failed:/);
  });

  test('a failing init is reported as such', async () => {
    const { app, outdir, stack } = fixtureApp();
    stack('too-new').addOverride('terraform.required_version', '>= 99.0.0');
    app.synth();

    const report = await checkSynthesized(outdir);
    expect(report.results[0]).toMatchObject({ ok: false, failedStep: 'init' });
    expect(report.results[0].diagnostics).toMatch(/Unsupported Terraform Core version/);
  });

  test('a missing Terraform CLI is a loud error with the fix', async () => {
    const result = synth(example('two-region'));
    await expect(
      checkSynthesized(result.outdir, { env: { ...process.env, [TERRAFORM_ENV_VAR]: '/nonexistent/terraform' } }),
    ).rejects.toThrow(TerraformMissingError);
    await expect(
      checkSynthesized(result.outdir, { env: { ...process.env, [TERRAFORM_ENV_VAR]: '/nonexistent/terraform' } }),
    ).rejects.toThrow(/Terraform CLI "\/nonexistent\/terraform" was not found\. Fix: install Terraform >= 1\.11/);
  });
});
