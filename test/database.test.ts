import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../src/config';
import type { TerraformJson } from '../src/terraform/offline';
import {
  configFrom,
  crossStack,
  example,
  exampleLayouts,
  ROOT,
  exampleInput,
  policyStatements,
  ref,
  resourceAt,
  resources,
  synth,
  type Synthesized,
} from './helpers';

const layouts = exampleLayouts();

function clusterOf(result: Synthesized, region: string) {
  const stack = result.stacks.get(`region-${region}`)!;
  return { stack, cluster: resourceAt(stack, 'aws_rds_cluster', `region-${region}/database/cluster`) };
}

/** Every ingress rule on a Region's database security group: from its own stack and from the mesh. */
function databaseIngress(result: Synthesized, region: string): TerraformJson[] {
  const { stack } = clusterOf(result, region);
  const group = resourceAt(stack, 'aws_security_group', `region-${region}/database/security-group`).name;
  const local = Object.values(resources(stack, 'aws_vpc_security_group_ingress_rule')).filter(
    (rule) => rule.security_group_id === ref('aws_security_group', group, 'id'),
  );
  const fromMesh = Object.values(resources(result.stacks.get('mesh'), 'aws_vpc_security_group_ingress_rule')).filter((rule) => {
    const { stack, value } = crossStack(result, rule.security_group_id);
    return stack === `region-${region}` && value === ref('aws_security_group', group, 'id');
  });
  return [...local, ...fromMesh];
}

/** The config problems of an input, as `path: message`; none if it is valid. */
function problemsOf(input: unknown): string[] {
  try {
    configFrom(input);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

function every(result: Synthesized, type: string): Array<[string, TerraformJson]> {
  return [...result.stacks].flatMap(([stack, json]) =>
    Object.values(resources(json, type)).map((body) => [stack, body] as [string, TerraformJson]),
  );
}

describe.each(layouts)('database invariants: %s', (_label, config) => {
  const result = synth(config);
  const db = config.database;

  test('exactly one global cluster, in the global stack, encrypted and protected', () => {
    const globals = every(result, 'aws_rds_global_cluster');
    expect(globals.map(([stack]) => stack)).toEqual(['global']);
    expect(globals[0][1]).toMatchObject({
      global_cluster_identifier: 'acme-shop',
      engine: db.engine,
      engine_version: db.engineVersion,
      storage_encrypted: true,
      deletion_protection: true,
    });
  });

  test("one cluster per Region, each joining the global cluster, encrypted with its own Region's key", () => {
    expect(
      every(result, 'aws_rds_cluster')
        .map(([stack]) => stack)
        .sort(),
    ).toEqual(config.regions.map((r) => `region-${r.region}`).sort());
    for (const region of config.regions) {
      const { stack, cluster } = clusterOf(result, region.region);
      const key = resourceAt(stack, 'aws_kms_key', `region-${region.region}/regional-key/key`).name;
      expect(cluster.body).toMatchObject({
        cluster_identifier: `acme-shop-${region.region}`,
        engine: db.engine,
        engine_mode: 'provisioned',
        storage_encrypted: true,
        kms_key_id: ref('aws_kms_key', key, 'arn'),
        deletion_protection: true,
        iam_database_authentication_enabled: true,
        backup_retention_period: db.backupRetentionDays,
        preferred_backup_window: db.backupWindow,
        preferred_maintenance_window: db.maintenanceWindow,
        copy_tags_to_snapshot: true,
        skip_final_snapshot: false,
      });
      expect(cluster.body.global_cluster_identifier).toMatch(/cross-stack-reference-input-global\.outputs\..*aws_rds_global_cluster/);
      expect(cluster.body.lifecycle.ignore_changes).toEqual(
        expect.arrayContaining([
          'global_cluster_identifier',
          'replication_source_identifier',
          'engine_version',
          'master_username',
          'database_name',
        ]),
      );
    }
  });

  test("exactly one member has credentials and a database name: the primary's, with a write-only password", () => {
    const withUser = every(result, 'aws_rds_cluster').filter(([, c]) => c.master_username !== undefined);
    expect(withUser.map(([stack]) => stack)).toEqual([`region-${config.primaryRegion}`]);
    const [, primary] = withUser[0];
    expect(primary).toMatchObject({
      master_username: db.masterUsername,
      database_name: db.databaseName,
      master_password_wo: '${var.database_master_password}',
      master_password_wo_version: db.masterPasswordVersion,
    });
    for (const [, cluster] of every(result, 'aws_rds_cluster')) {
      expect(cluster.master_password).toBeUndefined();
      expect(cluster.manage_master_user_password).toBeUndefined();
      if (cluster !== primary) {
        expect(cluster.database_name).toBeUndefined();
        expect(cluster.master_password_wo).toBeUndefined();
      }
    }
    const variables = result.stacks.get(`region-${config.primaryRegion}`)!.variable;
    expect(variables.database_master_password).toMatchObject({ ephemeral: true, sensitive: true, nullable: false, type: 'string' });
    for (const [stack, json] of result.stacks) {
      if (stack !== `region-${config.primaryRegion}`) expect(json.variable).toBeUndefined();
    }
  });

  test("secondaries are created only after the primary: their stacks depend on the primary Region's stack", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(result.outdir, 'manifest.json'), 'utf8')).stacks;
    for (const secondary of config.secondaryRegions) {
      expect(manifest[`region-${secondary}`].dependencies).toContain(`region-${config.primaryRegion}`);
    }
    expect(manifest[`region-${config.primaryRegion}`].dependencies).toContain('global');
  });

  test("apply-10 composition order in the stacks: a secondary joins from a stack deployed after the one holding the primary's instances", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(result.outdir, 'manifest.json'), 'utf8')).stacks;
    const primaryStack = `region-${config.primaryRegion}`;
    expect(Object.keys(resources(result.stacks.get(primaryStack), 'aws_rds_cluster_instance'))).toHaveLength(db.instances.primary);
    for (const secondary of config.secondaryRegions) {
      const { cluster } = clusterOf(result, secondary);
      expect(crossStack(result, cluster.body.global_cluster_identifier).stack).toBe('global');
      expect(manifest[`region-${secondary}`].dependencies).toContain(primaryStack);
    }
  });

  test('instances: the configured count per Region, spread over AZs, private, monitored, Performance Insights encrypted', () => {
    for (const region of config.regions) {
      const { stack, cluster } = clusterOf(result, region.region);
      const instances = Object.values(resources(stack, 'aws_rds_cluster_instance'));
      expect(instances).toHaveLength(region.primary ? db.instances.primary : db.instances.secondary);
      const key = resourceAt(stack, 'aws_kms_key', `region-${region.region}/regional-key/key`).name;
      const role = resourceAt(stack, 'aws_iam_role', `region-${region.region}/database/monitoring-role/role`).name;
      instances.forEach((instance, i) => {
        expect(instance).toMatchObject({
          cluster_identifier: ref('aws_rds_cluster', cluster.name, 'id'),
          instance_class: db.instanceClass,
          availability_zone: region.azs[i % region.azs.length],
          publicly_accessible: false,
          performance_insights_enabled: true,
          performance_insights_kms_key_id: ref('aws_kms_key', key, 'arn'),
          monitoring_interval: db.monitoringInterval,
          monitoring_role_arn: ref('aws_iam_role', role, 'arn'),
        });
      });
      if (instances.length > 1) expect(new Set(instances.map((i) => i.availability_zone)).size).toBeGreaterThan(1);
    }
  });

  test("the security group admits the database port from app-tier CIDRs only: its own Region's, and linked Regions' through the mesh", () => {
    for (const region of config.regions) {
      const rules = databaseIngress(result, region.region);
      const expected = config.regions.flatMap((r) => r.subnets.private.subnets.map((s) => s.cidr));
      expect(rules.map((r) => r.cidr_ipv4).sort()).toEqual(expected.sort());
      for (const rule of rules) expect(rule).toMatchObject({ ip_protocol: 'tcp', from_port: db.port, to_port: db.port });
      const { stack } = clusterOf(result, region.region);
      const group = resourceAt(stack, 'aws_security_group', `region-${region.region}/database/security-group`);
      const egress = Object.values(resources(stack, 'aws_vpc_security_group_egress_rule'));
      expect(egress.filter((r) => r.security_group_id === ref('aws_security_group', group.name, 'id'))).toEqual([]);
      expect(group.body.ingress).toBeUndefined();
    }
  });

  test('TLS is forced, logs go to encrypted log groups that exist before the cluster', () => {
    for (const region of config.regions) {
      const { stack, cluster } = clusterOf(result, region.region);
      const group = resourceAt(stack, 'aws_rds_cluster_parameter_group', `region-${region.region}/database/parameter-group`);
      expect(group.body.family).toBe('aurora-postgresql16');
      expect(group.body.parameter).toEqual([{ name: 'rds.force_ssl', value: '1', apply_method: 'pending-reboot' }]);
      expect(cluster.body.db_cluster_parameter_group_name).toBe(ref('aws_rds_cluster_parameter_group', group.name, 'name'));
      const logGroup = resourceAt(stack, 'aws_cloudwatch_log_group', `region-${region.region}/database/log-group-postgresql`);
      expect(logGroup.body).toMatchObject({
        name: `/aws/rds/cluster/acme-shop-${region.region}/postgresql`,
        retention_in_days: db.logRetentionDays,
      });
      expect(logGroup.body.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
      expect(cluster.body.depends_on).toContain(`aws_cloudwatch_log_group.${logGroup.name}`);
      const key = resourceAt(stack, 'aws_kms_key', `region-${region.region}/regional-key/key`).body;
      const logsStatement = policyStatements(stack, key.policy).find((s) => s.sid === 'CloudWatchLogsEncryption');
      expect(logsStatement?.condition[0].values).toContain(
        `arn:aws:logs:${region.region}:111122223333:log-group:/aws/rds/cluster/acme-shop-${region.region}/*`,
      );
    }
  });

  test('no secret anywhere in the output: no password attribute holds a literal', () => {
    for (const [name] of result.stacks) {
      const text = fs.readFileSync(path.join(result.outdir, 'stacks', name, 'cdk.tf.json'), 'utf8');
      const literal = /"(master_password|master_password_wo|password|secret_string)"\s*:\s*"(?!\$\{var\.)/;
      expect(text).not.toMatch(literal);
    }
  });

  test('apply-4 engine version drift: one upgrade path through the global cluster, no automatic minor upgrades, the running version reported', () => {
    const [[, global]] = every(result, 'aws_rds_global_cluster');
    expect(global.engine_version).toBe(db.engineVersion);
    for (const [, cluster] of every(result, 'aws_rds_cluster')) {
      // Members follow the global cluster's upgrades; their own engine_version is the creation value.
      expect(cluster.engine_version).toBe(db.engineVersion);
      expect(cluster.lifecycle.ignore_changes).toContain('engine_version');
      expect(cluster.allow_major_version_upgrade).toBeUndefined();
    }
    const instances = every(result, 'aws_rds_cluster_instance');
    expect(instances.length).toBeGreaterThan(0);
    for (const [, instance] of instances) {
      expect(instance.auto_minor_version_upgrade).toBe(false);
      expect(instance.engine_version).toBeUndefined();
    }
    const outputs = result.stacks.get('global')!.output;
    expect(outputs['database-engine-version-actual'].value).toMatch(/^\$\{aws_rds_global_cluster\.[^.]+\.engine_version_actual\}$/);
  });

  test('apply-5 teardown: a final snapshot name unique to each cluster generation, kept after creation; destroy refused while protected', () => {
    for (const region of config.regions) {
      const { cluster } = clusterOf(result, region.region);
      expect(cluster.body.skip_final_snapshot).toBe(false);
      expect(cluster.body.final_snapshot_identifier).toBe(
        `acme-shop-${region.region}-final-\${formatdate("YYYYMMDDhhmmss", plantimestamp())}`,
      );
      expect(cluster.body.lifecycle.ignore_changes).toContain('final_snapshot_identifier');
      expect(cluster.body.lifecycle.prevent_destroy).toBe(true);
      expect(cluster.body.deletion_protection).toBe(true);
    }
    const [[, global]] = every(result, 'aws_rds_global_cluster');
    expect(global.lifecycle).toEqual({ prevent_destroy: true });
    expect(global.force_destroy).toBeUndefined();
  });

  test('outputs: the global writer endpoint, and per Region the cluster and reader endpoints and port', () => {
    expect(Object.keys(result.stacks.get('global')!.output)).toEqual(
      expect.arrayContaining(['database-global-writer-endpoint', 'database-global-cluster-id']),
    );
    for (const region of config.regions) {
      expect(Object.keys(result.stacks.get(`region-${region.region}`)!.output)).toEqual(
        expect.arrayContaining(['database-endpoint', 'database-reader-endpoint', 'database-port']),
      );
    }
  });
});

describe('database options', () => {
  test('Serverless v2: db.serverless instances and the capacity on every member cluster', () => {
    const config = configFrom({
      ...exampleInput(),
      database: { instanceClass: 'db.serverless', serverless: { minCapacity: 1, maxCapacity: 32 } },
    });
    const result = synth(config);
    for (const region of config.regions) {
      const { stack, cluster } = clusterOf(result, region.region);
      expect(cluster.body.serverlessv2_scaling_configuration).toEqual({ min_capacity: 1, max_capacity: 32 });
      expect(Object.values(resources(stack, 'aws_rds_cluster_instance')).every((i) => i.instance_class === 'db.serverless')).toBe(true);
    }
    expect(configFrom({ ...exampleInput(), database: { instanceClass: 'db.serverless' } }).database.serverless).toEqual({
      minCapacity: 0.5,
      maxCapacity: 16,
    });
  });

  test('Aurora MySQL with write forwarding: MySQL port, TLS parameter and logs, forwarding on every member', () => {
    const config = configFrom({ ...exampleInput(), database: { engine: 'aurora-mysql', writeForwarding: true, masterUsername: 'admin' } });
    const result = synth(config);
    const primary = clusterOf(result, 'us-east-1');
    const secondary = clusterOf(result, 'us-west-2');
    // The primary's setting waits unused until a switchover or failover demotes it.
    expect(primary.cluster.body.enable_global_write_forwarding).toBe(true);
    expect(secondary.cluster.body.enable_global_write_forwarding).toBe(true);
    // Without forwarding the primary carries no setting at all: its synthesized cluster is as before.
    expect(clusterOf(synth(example('two-region')), 'us-east-1').cluster.body).not.toHaveProperty('enable_global_write_forwarding');
    expect(secondary.cluster.body).toMatchObject({
      port: 3306,
      engine_version: '8.0.mysql_aurora.3.08.0',
      enabled_cloudwatch_logs_exports: ['audit', 'error', 'slowquery'],
    });
    const group = resourceAt(secondary.stack, 'aws_rds_cluster_parameter_group', 'region-us-west-2/database/parameter-group').body;
    expect(group.family).toBe('aurora-mysql8.0');
    expect(group.parameter).toContainEqual({ name: 'require_secure_transport', value: 'ON', apply_method: 'pending-reboot' });
    expect(result.stacks.get('region-us-east-1')!.variable.database_master_password.validation[0].condition).toContain('<= 41');
  });

  test('a headless secondary has a cluster but no instances', () => {
    const result = synth(configFrom({ ...exampleInput(), database: { instances: { primary: 2, secondary: 0 } } }));
    expect(Object.keys(resources(result.stacks.get('region-us-west-2'), 'aws_rds_cluster'))).toHaveLength(1);
    expect(resources(result.stacks.get('region-us-west-2'), 'aws_rds_cluster_instance')).toEqual({});
  });

  test("hub-and-spoke: a secondary admits its own app tier and the primary's, not the other secondaries'", () => {
    const config = configFrom({
      ...exampleInput('three-region'),
      topology: { peering: 'hub-and-spoke' },
      database: { writeForwarding: true },
    });
    const result = synth(config);
    const cidrs = databaseIngress(result, 'eu-west-1').map((r) => r.cidr_ipv4);
    const of = (region: string) => config.regions.find((r) => r.region === region)!.subnets.private.subnets.map((s) => s.cidr);
    expect(cidrs.sort()).toEqual([...of('eu-west-1'), ...of('us-east-1')].sort());
  });
});

describe('hub-and-spoke and the writer', () => {
  const hubAndSpoke = (database: object, input = exampleInput('three-region')) => ({
    ...input,
    topology: { peering: 'hub-and-spoke' },
    database,
  });

  test('apply-9 hub-and-spoke after a switchover: more than two Regions need write forwarding from an instance in every Region', () => {
    expect(problemsOf(hubAndSpoke({}))).toEqual([
      expect.stringMatching(
        /^database\.writeForwarding: must be true with topology\.peering "hub-and-spoke" and more than two Regions, .*\. Fix: set database\.writeForwarding to true, or use topology\.peering "full-mesh"$/,
      ),
    ]);
    expect(problemsOf(hubAndSpoke({ writeForwarding: true, instances: { primary: 2, secondary: 0 } }))).toEqual([
      expect.stringMatching(
        /^database\.instances: secondary must be at least 1 with topology\.peering "hub-and-spoke" .*\. Fix: set database\.instances\.secondary to 1 or more/,
      ),
    ]);
    expect(problemsOf(hubAndSpoke({ writeForwarding: true }))).toEqual([]);
    // Two Regions: hub-and-spoke is the one link both ways, so the writer is reachable wherever it is.
    expect(problemsOf(hubAndSpoke({}, exampleInput()))).toEqual([]);
    expect(problemsOf({ ...exampleInput('three-region'), topology: { peering: 'full-mesh' } })).toEqual([]);
  });

  test("apply-9 hub-and-spoke after a switchover: with write forwarding the app writes through its own Region's cluster", () => {
    /** The value expression of the workload's DATABASE_WRITER_ENDPOINT (container definitions are HCL `jsonencode`). */
    const writerSetting = (result: Synthesized, region: string) => {
      const definition = resourceAt(
        result.stacks.get(`region-${region}`)!,
        'aws_ecs_task_definition',
        `region-${region}/workload/task-definition`,
      ).body;
      return /"name" = "DATABASE_WRITER_ENDPOINT", "value" = ([^}]+?) ?\}/.exec(definition.container_definitions as string)?.[1];
    };
    const config = configFrom(hubAndSpoke({ writeForwarding: true }));
    const result = synth(config);
    for (const region of config.regions) {
      const { cluster } = clusterOf(result, region.region);
      expect(writerSetting(result, region.region)).toBe(`aws_rds_cluster.${cluster.name}.endpoint`);
      // The primary too: once demoted, its own endpoint must forward, or its Region's app cannot write.
      expect(cluster.body.enable_global_write_forwarding).toBe(true);
    }
    // Without forwarding, the global writer endpoint (full mesh reaches it anywhere).
    expect(writerSetting(synth(example('three-region')), 'eu-west-1')).toMatch(/global/);
  });

  test('apply-9 hub-and-spoke after a switchover: Aurora MySQL members carry the read consistency that makes forwarding work', () => {
    const result = synth(
      configFrom({ ...exampleInput(), database: { engine: 'aurora-mysql', masterUsername: 'admin', writeForwarding: true } }),
    );
    for (const region of ['us-east-1', 'us-west-2']) {
      const group = resourceAt(
        result.stacks.get(`region-${region}`)!,
        'aws_rds_cluster_parameter_group',
        `region-${region}/database/parameter-group`,
      ).body;
      expect(group.parameter).toEqual(
        expect.arrayContaining([{ name: 'aurora_replica_read_consistency', value: 'SESSION', apply_method: 'immediate' }]),
      );
    }
    const postgres = synth(example('two-region'));
    const group = resourceAt(
      postgres.stacks.get('region-us-east-1')!,
      'aws_rds_cluster_parameter_group',
      'region-us-east-1/database/parameter-group',
    ).body;
    expect(group.parameter).toEqual([{ name: 'rds.force_ssl', value: '1', apply_method: 'pending-reboot' }]);
  });
});

describe('database teardown', () => {
  test.each([
    ['decommission', { decommission: true }],
    ['deletion protection off', { database: { deletionProtection: false } }],
  ])(
    'apply-5 teardown: with %s, neither deletion protection nor prevent_destroy, and the final snapshot is still taken',
    (_label, change) => {
      const config = configFrom({ ...exampleInput(), ...change });
      const result = synth(config);
      const [[, global]] = every(result, 'aws_rds_global_cluster');
      expect(global.deletion_protection).toBe(false);
      expect(global.lifecycle?.prevent_destroy).toBeUndefined();
      for (const [, cluster] of every(result, 'aws_rds_cluster')) {
        expect(cluster.deletion_protection).toBe(false);
        expect(cluster.lifecycle.prevent_destroy).toBeUndefined();
        expect(cluster.skip_final_snapshot).toBe(false);
        expect(cluster.final_snapshot_identifier).toMatch(/-final-\$\{formatdate\(/);
      }
    },
  );

  test('apply-5 teardown: destroy order: secondaries leave before the primary, the primary before the global cluster', () => {
    // `cdktf destroy '*'` destroys in the reverse of the deployment order the stack dependencies give.
    const config = example('three-region');
    const result = synth(config);
    const manifest = JSON.parse(fs.readFileSync(path.join(result.outdir, 'manifest.json'), 'utf8')).stacks;
    const primary = `region-${config.primaryRegion}`;
    expect(manifest[primary].dependencies).toContain('global');
    for (const secondary of config.secondaryRegions) expect(manifest[`region-${secondary}`].dependencies).toContain(primary);
  });
});

describe('database day 2', () => {
  const operations = fs.readFileSync(path.join(ROOT, 'docs', 'operations.md'), 'utf8');
  const section = (heading: string) =>
    operations.slice(operations.indexOf(heading), operations.indexOf('\n## ', operations.indexOf(heading) + heading.length));

  test('apply-12 (a) password after a switchover: only the cluster created as primary takes it, and the rotation on a moved writer is documented', () => {
    const config = example('two-region');
    const result = synth(config);
    const withPassword = every(result, 'aws_rds_cluster').filter(([, cluster]) => cluster.master_password_wo !== undefined);
    expect(withPassword.map(([stack]) => stack)).toEqual([`region-${config.primaryRegion}`]);
    const variable = result.stacks.get(`region-${config.primaryRegion}`)!.variable.database_master_password;
    expect(variable.description).toMatch(/while the writer is in this Region .*aws rds modify-db-cluster/);
    const password = section('## Rotating the master password');
    expect(password).toContain('aws rds modify-db-cluster --region us-west-2 --db-cluster-identifier acme-shop-us-west-2');
    expect(password).toContain('--master-user-password');
    expect(password).toMatch(/bump `masterPasswordVersion` only while the\s+writer is in the `"primary": true` Region/);
  });

  test('apply-12 (b) major upgrade: a new-family parameter group replaces the old one create-before-destroy, after the global upgrade', () => {
    const before = synth(example('two-region'));
    const after = synth(configFrom({ ...exampleInput(), database: { engineVersion: '17.4' } }));
    const [[, global]] = every(after, 'aws_rds_global_cluster');
    expect(global.engine_version).toBe('17.4');
    const manifest = JSON.parse(fs.readFileSync(path.join(after.outdir, 'manifest.json'), 'utf8')).stacks;
    for (const region of ['us-east-1', 'us-west-2']) {
      // The global stack (the upgrade) is applied before every Region stack (the parameter groups).
      expect(manifest[`region-${region}`].dependencies).toContain('global');
      const group = (result: Synthesized) =>
        resourceAt(result.stacks.get(`region-${region}`)!, 'aws_rds_cluster_parameter_group', `region-${region}/database/parameter-group`)
          .body;
      expect(group(before)).toMatchObject({ family: 'aurora-postgresql16', name: `acme-shop-${region}-aurora-postgresql16` });
      expect(group(after)).toMatchObject({
        family: 'aurora-postgresql17',
        name: `acme-shop-${region}-aurora-postgresql17`,
        lifecycle: { create_before_destroy: true },
      });
      // The member keeps its engine_version (ignored) and cannot be replaced while protected.
      const { cluster } = clusterOf(after, region);
      expect(cluster.body.lifecycle).toMatchObject({ prevent_destroy: true, ignore_changes: expect.arrayContaining(['engine_version']) });
    }
    const upgrades = section('### Engine versions');
    expect(upgrades).toContain('apply `global` first');
    expect(upgrades).toContain('aws rds reboot-db-instance');
    expect(upgrades).toContain('database-engine-version-actual');
  });
});

describe('database configuration errors', () => {
  const problems = (database: unknown) => problemsOf({ ...exampleInput(), database });

  test.each([
    [
      'an engine Aurora does not have',
      { engine: 'postgres' },
      /^database\.engine: "postgres" is not an Aurora engine\. Fix: use "aurora-postgresql" or "aurora-mysql"/,
    ],
    [
      'a version out of standard support',
      { engineVersion: '12.22' },
      /^database\.engineVersion: aurora-postgresql 12 is not a major version in standard support for Aurora Global Database \(supported: 14, 15, 16, 17\)\. Fix: use a supported version such as "16\.6"/,
    ],
    [
      'Aurora MySQL 2',
      { engine: 'aurora-mysql', engineVersion: '5.7.mysql_aurora.2.12.0' },
      /^database\.engineVersion: aurora-mysql 2\.x is not a major version in standard support for Aurora Global Database \(supported: 3\.x\)/,
    ],
    [
      'a malformed version',
      { engineVersion: 'latest' },
      /^database\.engineVersion: "latest" is not an aurora-postgresql version such as "16\.6"/,
    ],
    [
      'a burstable instance class',
      { instanceClass: 'db.t4g.medium' },
      /^database\.instanceClass: "db\.t4g\.medium" cannot run Aurora Global Database, which needs a memory-optimized class/,
    ],
    [
      'Serverless capacity below 0.5',
      { instanceClass: 'db.serverless', serverless: { minCapacity: 0, maxCapacity: 4 } },
      /^database\.serverless\.minCapacity: must be at least 0\.5 ACU/,
    ],
    [
      'Serverless capacity above 256',
      { instanceClass: 'db.serverless', serverless: { minCapacity: 1, maxCapacity: 300 } },
      /^database\.serverless\.maxCapacity: must be at most 256 ACU/,
    ],
    [
      'Serverless capacity off the 0.5 grid',
      { instanceClass: 'db.serverless', serverless: { minCapacity: 0.75, maxCapacity: 4 } },
      /^database\.serverless\.minCapacity: must be a multiple of 0\.5/,
    ],
    [
      'Serverless minimum above maximum',
      { instanceClass: 'db.serverless', serverless: { minCapacity: 8, maxCapacity: 4 } },
      /^database\.serverless: minCapacity 8 is above maxCapacity 4/,
    ],
    [
      'Serverless capacity with a provisioned class',
      { serverless: { minCapacity: 1, maxCapacity: 4 } },
      /^database\.serverless: only applies with instanceClass "db\.serverless"/,
    ],
    [
      'a reserved master username',
      { masterUsername: 'rdsadmin' },
      /^database\.masterUsername: "rdsadmin" is a reserved word\. Fix: use a name such as "dbadmin"/,
    ],
    ['a SQL keyword as master username', { masterUsername: 'user' }, /^database\.masterUsername: "user" is a reserved word/],
    ['a PostgreSQL system role prefix', { masterUsername: 'pg_admin' }, /^database\.masterUsername: "pg_admin" starts with "pg_"/],
    [
      'a MySQL username over 16 characters',
      { engine: 'aurora-mysql', masterUsername: 'administrator_of_all' },
      /^database\.masterUsername: "administrator_of_all" is longer than the 16 characters aurora-mysql allows/,
    ],
    [
      'write forwarding on a version without it',
      { engineVersion: '14.6', writeForwarding: true },
      /^database\.writeForwarding: aurora-postgresql 14\.6 cannot forward writes from secondary clusters/,
    ],
    ['no instance in the primary', { instances: { primary: 0 } }, /^database\.instances\.primary: must be at least 1/],
    ['a bad backup window', { backupWindow: '3am' }, /^database\.backupWindow: must be "hh:mm-hh:mm" in UTC/],
    [
      'a Performance Insights retention AWS does not offer',
      { performanceInsightsRetentionDays: 30 },
      /^database\.performanceInsightsRetentionDays: must be 7 or a multiple of 31 up to 731/,
    ],
    [
      'an Enhanced Monitoring interval AWS does not offer',
      { monitoringInterval: 20 },
      /^database\.monitoringInterval: is not an Enhanced Monitoring interval/,
    ],
  ])('%s', (_label, database, expected) => {
    expect(problems(database)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test('versions that do support write forwarding are accepted', () => {
    for (const engineVersion of ['14.9', '15.4', '16.1', '17.4']) {
      expect(problems({ engineVersion, writeForwarding: true })).toEqual([]);
    }
  });
});
