import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODULES } from '../src/modules/catalog';
import { moduleCall, readBlockData, renderModules, writeModules } from '../src/modules/generate';
import type { Json } from '../src/modules/hcl';
import { requirementsBlock } from '../src/modules/render-module';
import { terraformEnvironment } from '../src/terraform/harness';
import { OFFLINE_PROVIDER_SETTINGS } from '../src/terraform/offline';
import { runTerraform } from '../src/terraform/run';
import { configProblems, exampleInput, tempDir } from './helpers';

/**
 * A value the config schema rejects, given to the module input that carries the same value: the
 * module must reject it too, with its own validation message.
 */
interface Case {
  readonly name: string;
  readonly module: string;
  readonly inputs: Readonly<Record<string, Json>>;
  /** The module's validation message. */
  readonly message: RegExp;
  /** The same value in the config file, and the field the schema reports. */
  readonly config: (input: Record<string, any>) => void;
  readonly configPath: string;
  /**
   * The rule reads other variables too: `terraform validate` leaves those unknown, so the case is
   * checked by a plan (of a root without the other cases, which would stop it at validation).
   */
  readonly plan?: boolean;
}

const SERVERLESS = 'db.serverless';
const CASES: readonly Case[] = [
  {
    name: 'vpc_host_bits',
    module: 'vpc',
    inputs: { cidr: '10.10.1.0/16' },
    message: /cidr must be the network address of its block/,
    config: (c) => (c.regions[0].cidr = '10.10.1.0/16'),
    configPath: 'regions[0].cidr',
  },
  {
    name: 'vpc_public_cidr',
    module: 'vpc',
    inputs: { cidr: '11.10.0.0/16' },
    message: /cidr must be in a private \(RFC 1918\) range/,
    config: (c) => (c.regions[0].cidr = '11.10.0.0/16'),
    configPath: 'regions[0].cidr',
  },
  {
    name: 'vpc_prefix',
    module: 'vpc',
    inputs: { cidr: '10.10.0.0/24' },
    message: /cidr must be an IPv4 CIDR block from \/16 to \/20/,
    config: (c) => (c.regions[0].cidr = '10.10.0.0/24'),
    configPath: 'regions[0].cidr',
  },
  {
    name: 'vpc_nat',
    module: 'vpc',
    inputs: { nat_gateways: 'two' },
    message: /nat_gateways must be one of/,
    config: (c) => (c.network = { natGateways: 'two' }),
    configPath: 'network.natGateways',
  },
  {
    name: 'vpc_endpoint',
    module: 'vpc',
    inputs: { interface_endpoints: ['ECR API'] },
    message: /interface_endpoints must be distinct service names/,
    config: (c) => (c.network = { interfaceEndpoints: ['ECR API'] }),
    configPath: 'network.interfaceEndpoints[0]',
  },
  {
    name: 'vpc_no_nat_no_endpoints',
    module: 'vpc',
    inputs: { nat_gateways: 'none', interface_endpoints: [] },
    message: /interface_endpoints must not be empty while nat_gateways is "none"/,
    config: (c) => (c.network = { natGateways: 'none', interfaceEndpoints: [] }),
    configPath: 'network.interfaceEndpoints',
    plan: true,
  },
  {
    name: 'vpc_flow_log_retention',
    module: 'vpc',
    inputs: { flow_log_retention_in_days: 366 },
    message: /flow_log_retention_in_days must be one of/,
    config: (c) => (c.network = { flowLogs: { retentionDays: 366 } }),
    configPath: 'network.flowLogs.retentionDays',
  },
  {
    name: 'vpc_traffic_type',
    module: 'vpc',
    inputs: { flow_log_traffic_type: 'SOME' },
    message: /flow_log_traffic_type must be one of/,
    config: (c) => (c.network = { flowLogs: { trafficType: 'SOME' } }),
    configPath: 'network.flowLogs.trafficType',
  },
  {
    name: 'tgw_asn',
    module: 'transit-gateway',
    inputs: { amazon_side_asn: 64000 },
    message: /amazon_side_asn must be a private ASN/,
    config: (c) => (c.network = { transitGatewayAsnRange: { start: 64000, end: 65000 } }),
    configPath: 'network.transitGatewayAsnRange',
  },
  {
    name: 'db_version',
    module: 'aurora-global-database',
    inputs: { engine_version: '13.9' },
    message: /engine_version must be a version of the engine in standard support/,
    config: (c) => (c.database = { engineVersion: '13.9' }),
    configPath: 'database.engineVersion',
    plan: true,
  },
  {
    name: 'db_name',
    module: 'aurora-global-database',
    inputs: { database_name: '1app' },
    message: /database_name must start with a letter/,
    config: (c) => (c.database = { databaseName: '1app' }),
    configPath: 'database.databaseName',
  },
  {
    name: 'db_username',
    module: 'aurora-global-database',
    inputs: { master_username: 'pg_admin' },
    message: /master_username must not be a reserved word/,
    config: (c) => (c.database = { masterUsername: 'pg_admin' }),
    configPath: 'database.masterUsername',
    plan: true,
  },
  {
    name: 'db_password_version',
    module: 'aurora-global-database',
    inputs: { master_password_wo_version: 0 },
    message: /master_password_wo_version must be a whole number of at least 1/,
    config: (c) => (c.database = { masterPasswordVersion: 0 }),
    configPath: 'database.masterPasswordVersion',
  },
  {
    name: 'db_class',
    module: 'aurora-global-database',
    inputs: { instance_class: 'db.t3.medium' },
    message: /instance_class must be a memory-optimized class/,
    config: (c) => (c.database = { instanceClass: 'db.t3.medium' }),
    configPath: 'database.instanceClass',
  },
  {
    name: 'db_capacity',
    module: 'aurora-global-database',
    inputs: { instance_class: SERVERLESS, serverlessv2_scaling_configuration: { min_capacity: 8, max_capacity: 2 } },
    message: /serverlessv2_scaling_configuration must satisfy/,
    config: (c) => (c.database = { instanceClass: SERVERLESS, serverless: { minCapacity: 8, maxCapacity: 2 } }),
    configPath: 'database.serverless',
  },
  {
    name: 'db_instances',
    module: 'aurora-global-database',
    inputs: { instance_count: 17 },
    message: /instance_count must be a whole number from 1 to 16/,
    config: (c) => (c.database = { instances: { primary: 17 } }),
    configPath: 'database.instances.primary',
  },
  {
    name: 'db_backups',
    module: 'aurora-global-database',
    inputs: { backup_retention_period: 36 },
    message: /backup_retention_period must be a whole number from 1 to 35/,
    config: (c) => (c.database = { backupRetentionDays: 36 }),
    configPath: 'database.backupRetentionDays',
  },
  {
    name: 'db_backup_window_format',
    module: 'aurora-global-database',
    inputs: { preferred_backup_window: '3:00-4:00' },
    message: /preferred_backup_window must be "hh:mm-hh:mm"/,
    config: (c) => (c.database = { backupWindow: '3:00-4:00' }),
    configPath: 'database.backupWindow',
  },
  {
    name: 'db_backup_window_short',
    module: 'aurora-global-database',
    inputs: { preferred_backup_window: '23:50-00:10' },
    message: /preferred_backup_window must be at least 30 minutes long/,
    config: (c) => (c.database = { backupWindow: '23:50-00:10' }),
    configPath: 'database.backupWindow',
  },
  {
    name: 'db_maintenance_window_short',
    module: 'aurora-global-database',
    inputs: { preferred_maintenance_window: 'sun:23:50-mon:00:10' },
    message: /preferred_maintenance_window must be at least 30 minutes long/,
    config: (c) => (c.database = { maintenanceWindow: 'sun:23:50-mon:00:10' }),
    configPath: 'database.maintenanceWindow',
  },
  {
    name: 'db_windows_overlap',
    module: 'aurora-global-database',
    inputs: { preferred_backup_window: '23:30-00:30', preferred_maintenance_window: 'tue:00:00-tue:01:00' },
    message: /preferred_maintenance_window must not overlap preferred_backup_window/,
    config: (c) => (c.database = { backupWindow: '23:30-00:30', maintenanceWindow: 'tue:00:00-tue:01:00' }),
    configPath: 'database.maintenanceWindow',
    plan: true,
  },
  {
    name: 'db_insights',
    module: 'aurora-global-database',
    inputs: { performance_insights_retention_period: 30 },
    message: /performance_insights_retention_period must be 7 or a multiple of 31/,
    config: (c) => (c.database = { performanceInsightsRetentionDays: 30 }),
    configPath: 'database.performanceInsightsRetentionDays',
  },
  {
    name: 'db_monitoring',
    module: 'aurora-global-database',
    inputs: { monitoring_interval: 2 },
    message: /monitoring_interval must be one of/,
    config: (c) => (c.database = { monitoringInterval: 2 }),
    configPath: 'database.monitoringInterval',
  },
  {
    name: 'db_log_retention',
    module: 'aurora-global-database',
    inputs: { cloudwatch_log_group_retention_in_days: 366 },
    message: /cloudwatch_log_group_retention_in_days must be one of/,
    config: (c) => (c.database = { logRetentionDays: 366 }),
    configPath: 'database.logRetentionDays',
  },
  {
    name: 'db_write_forwarding',
    module: 'aurora-secondary-cluster',
    inputs: { engine_version: '15.2', enable_global_write_forwarding: true },
    message: /enable_global_write_forwarding needs Aurora MySQL 3, or Aurora PostgreSQL 14\.9\+/,
    config: (c) => (c.database = { engineVersion: '15.2', writeForwarding: true }),
    configPath: 'database.writeForwarding',
    plan: true,
  },
  {
    name: 'ga_dial',
    module: 'global-accelerator',
    inputs: {
      endpoints: {
        'us-east-1': {
          load_balancer_arn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/a/1',
          traffic_dial_percentage: 50.5,
        },
      },
    },
    message: /every traffic_dial_percentage must be a whole number from 0 to 100/,
    config: (c) => (c.regions[0].trafficDial = 50.5),
    configPath: 'regions[0].trafficDial',
  },
  {
    name: 'ga_weight',
    module: 'global-accelerator',
    inputs: {
      endpoints: {
        'us-east-1': { load_balancer_arn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/a/1', weight: 256 },
      },
    },
    message: /every weight a whole number from 0 to 255/,
    config: (c) => (c.regions[0].endpointWeight = 256),
    configPath: 'regions[0].endpointWeight',
  },
  {
    name: 'alb_health_check',
    module: 'regional-ingress',
    inputs: { health_check: { interval: 4 } },
    message: /health_check needs interval 5 to 300/,
    config: (c) => (c.traffic = { healthCheck: { intervalSeconds: 4 } }),
    configPath: 'traffic.healthCheck.intervalSeconds',
  },
  {
    name: 'replica_class',
    module: 's3-replication',
    inputs: { destinations: { 'us-west-2': { bucket_name: 'b', bucket_arn: 'arn:aws:s3:::b', kms_key_arn: 'k', storage_class: 'FAST' } } },
    message: /every storage_class must be one of/,
    config: (c) => (c.storage.buckets[0].replicaStorageClass = 'FAST'),
    configPath: 'storage.buckets[0].replicaStorageClass',
  },
  {
    name: 'bucket_noncurrent',
    module: 's3-replicated-bucket',
    inputs: { noncurrent_version_expiration_days: 0 },
    message: /noncurrent_version_expiration_days must be a whole number from 1 to 3650/,
    config: (c) => (c.storage.buckets[0].noncurrentVersionExpirationDays = 0),
    configPath: 'storage.buckets[0].noncurrentVersionExpirationDays',
  },
  {
    name: 'access_log_retention',
    module: 's3-access-log-bucket',
    inputs: { expiration_days: 3651 },
    message: /expiration_days must be a whole number from 1 to 3650/,
    config: (c) => (c.storage.accessLogRetentionDays = 3651),
    configPath: 'storage.accessLogRetentionDays',
  },
  {
    name: 'state_noncurrent',
    module: 'state-backend',
    inputs: { noncurrent_version_expiration_days: 0 },
    message: /noncurrent_version_expiration_days must be a whole number from 1 to 3650/,
    config: (c) => (c.state.noncurrentVersionExpirationDays = 0),
    configPath: 'state.noncurrentVersionExpirationDays',
  },
  {
    name: 'region_alarms_5xx_percent',
    module: 'region-alarms',
    inputs: { http_5xx_percent: 101 },
    message: /http_5xx_percent must be a whole number from 1 to 100/,
    config: (c) => (c.resilience = { alarms: { http5xxPercent: 101 } }),
    configPath: 'resilience.alarms.http5xxPercent',
  },
  {
    name: 'region_alarms_evaluation_periods',
    module: 'region-alarms',
    inputs: { evaluation_periods: 0 },
    message: /evaluation_periods must be a whole number from 1 to 10/,
    config: (c) => (c.resilience = { alarms: { evaluationPeriods: 0 } }),
    configPath: 'resilience.alarms.evaluationPeriods',
  },
  {
    name: 'promote_database_timeout',
    module: 'promote-database-runbook',
    inputs: { timeout_minutes: 241 },
    message: /timeout_minutes must be a whole number from 5 to 240/,
    config: (c) => (c.resilience = { runbooks: { timeoutMinutes: 241 } }),
    configPath: 'resilience.runbooks.timeoutMinutes',
  },
  {
    name: 'promote_database_log_retention',
    module: 'promote-database-runbook',
    inputs: { log_retention_days: 366 },
    message: /log_retention_days must be one of 1, 3, 5/,
    config: (c) => (c.resilience = { runbooks: { logRetentionDays: 366 } }),
    configPath: 'resilience.runbooks.logRetentionDays',
  },
  {
    name: 'global_table_key_type',
    module: 'global-table',
    inputs: { partition_key: { name: 'pk', type: 'X' } },
    message: /partition_key\.type must be one of S, N, B/,
    config: (c) => (c.storage.tables = [{ name: 'orders', partitionKey: { name: 'pk', type: 'X' } }]),
    configPath: 'storage.tables[0].partitionKey.type',
  },
  {
    name: 'global_table_ttl_key',
    module: 'global-table',
    inputs: { ttl_attribute: 'pk' },
    message: /ttl_attribute must not be a key attribute/,
    config: (c) => (c.storage.tables = [{ name: 'orders', partitionKey: { name: 'pk', type: 'S' }, ttlAttribute: 'pk' }]),
    configPath: 'storage.tables[0].ttlAttribute',
    plan: true,
  },
  {
    name: 'global_table_capacity_range',
    module: 'global-table',
    inputs: { provisioned: { read_min_capacity: 60, read_max_capacity: 50 } },
    message: /provisioned minimum capacities must be at most the maximum ones/,
    config: (c) =>
      (c.storage.tables = [
        {
          name: 'orders',
          partitionKey: { name: 'pk', type: 'S' },
          billing: { mode: 'provisioned', readMinCapacity: 60, readMaxCapacity: 50 },
        },
      ]),
    configPath: 'storage.tables[0].billing.readMinCapacity',
  },
  {
    name: 'global_table_target_utilization',
    module: 'global-table',
    inputs: { provisioned: { target_utilization: 95 } },
    message: /provisioned\.target_utilization must be 20 to 90 percent/,
    config: (c) =>
      (c.storage.tables = [
        { name: 'orders', partitionKey: { name: 'pk', type: 'S' }, billing: { mode: 'provisioned', targetUtilization: 95 } },
      ]),
    configPath: 'storage.tables[0].billing.targetUtilization',
  },
  {
    name: 'global_table_latency_threshold',
    module: 'global-table',
    inputs: { replication_latency_threshold_ms: 999 },
    message: /replication_latency_threshold_ms must be a whole number of at least 1000/,
    config: (c) => (c.storage.tables = [{ name: 'orders', partitionKey: { name: 'pk', type: 'S' }, replicationLatencyThresholdMs: 999 }]),
    configPath: 'storage.tables[0].replicationLatencyThresholdMs',
  },
];

/** Every configuration alias a module takes: the root modules configure each. */
const ALIASES = [...new Set(MODULES.flatMap((m) => m.providerAliases ?? []))];

/** The example's inputs of `module`, secrets as their plan values, with `inputs` over them. */
function callInputs(module: string, inputs: Readonly<Record<string, Json>>): Record<string, Json> {
  const { example } = MODULES.find((m) => m.name === module)!;
  const secrets = new Map((example.variables ?? []).map((v) => [`\${var.${v.name}}`, v.planValue]));
  const given = Object.fromEntries(
    Object.entries(example.inputs).map(([name, value]) => [name, typeof value === 'string' ? (secrets.get(value) ?? value) : value]),
  );
  return { ...given, ...inputs };
}

/** One root module with a call per case; `terraform validate` reports every failed variable check at once. */
function rootModule(cases: readonly Case[]): string {
  const providers = [
    'provider "aws" {\n  region = "us-east-1"\n}',
    ...ALIASES.map((alias) => `provider "aws" {\n  alias  = "${alias}"\n  region = "us-west-2"\n}`),
  ];
  const calls = cases.map((c) => {
    const aliases = MODULES.find((m) => m.name === c.module)!.providerAliases ?? [];
    const passProviders =
      aliases.length > 0 ? Object.fromEntries([['aws', 'aws'], ...aliases.map((alias) => [`aws.${alias}`, `aws.${alias}`])]) : undefined;
    return moduleCall(c.module, `../modules/${c.module}`, callInputs(c.module, c.inputs), passProviders, c.name);
  });
  return `${[requirementsBlock(), ...providers, ...calls].join('\n\n')}\n`;
}

interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly snippet?: { readonly context?: string | null };
}

describe("module variables enforce the config schema's rules", () => {
  let tree: string;
  let diagnostics: Diagnostic[];

  beforeAll(async () => {
    tree = tempDir('aa-module-validation-');
    writeModules(path.join(tree, 'modules'), renderModules(MODULES, readBlockData()));
    const { env } = terraformEnvironment(tree, process.env);
    /** Writes a root module of `cases`, initializes it, and returns its directory. */
    const root = async (dir: string, cases: readonly Case[]) => {
      const cwd = path.join(tree, dir);
      fs.mkdirSync(cwd);
      fs.writeFileSync(path.join(cwd, 'main.tf'), rootModule(cases));
      const providers = [undefined, ...ALIASES].map((alias) => ({ ...(alias ? { alias } : {}), ...OFFLINE_PROVIDER_SETTINGS }));
      fs.writeFileSync(path.join(cwd, 'offline_override.tf.json'), JSON.stringify({ provider: { aws: providers } }));
      const init = await runTerraform(['init', '-backend=false', '-input=false', '-no-color'], { cwd, env });
      if (init.code !== 0) throw new Error(init.stderr);
      return cwd;
    };
    const validated = await root(
      'validate',
      CASES.filter((c) => !c.plan),
    );
    const planned = await root(
      'plan',
      CASES.filter((c) => c.plan),
    );
    const [validate, plan] = await Promise.all([
      runTerraform(['validate', '-json', '-no-color'], { cwd: validated, env }),
      runTerraform(['plan', '-json', '-refresh=false', '-input=false', '-lock=false', '-no-color'], { cwd: planned, env }),
    ]);
    diagnostics = [
      ...(JSON.parse(validate.stdout) as { diagnostics: Diagnostic[] }).diagnostics,
      ...plan.stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { diagnostic?: Diagnostic })
        .flatMap((line) => (line.diagnostic ? [line.diagnostic] : [])),
    ];
  }, 600_000);

  afterAll(() => fs.rmSync(tree, { recursive: true, force: true }));

  /** The error details Terraform reported for one module call. */
  const errorsOf = (call: string) =>
    diagnostics
      .filter((d) => d.severity === 'error' && d.snippet?.context === `module "${call}"`)
      .map((d) => `${d.summary}: ${d.detail ?? ''}`);

  test.each(CASES.map((c) => [c.name, c] as const))('%s: the module rejects what the config schema rejects', (_name, c) => {
    expect({ call: c.name, errors: errorsOf(c.name) }).toEqual({
      call: c.name,
      errors: expect.arrayContaining([expect.stringMatching(c.message)]),
    });
    const input = structuredClone(exampleInput()) as Record<string, any>;
    c.config(input);
    expect(configProblems(input)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${c.configPath.replace(/[.[\]]/g, '\\$&')}: `))]),
    );
  });

  test("the module example values pass: every rejection above is the case's own value", () => {
    // Each call's only errors are the validation errors of the values the case changed.
    for (const c of CASES) {
      for (const error of errorsOf(c.name))
        expect({ call: c.name, error }).toEqual({ call: c.name, error: expect.stringMatching(/^Invalid value for (input )?variable/) });
    }
  });
});
