import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { Token } from 'cdktf';
import { GlobalDatabase } from '../../constructs/database/global-database';
import { RegionalDatabaseCluster, type RegionalDatabaseClusterProps } from '../../constructs/database/regional-database-cluster';
import { DatabaseSchema } from '../../config/schema';
import { MIN_WINDOW_MINUTES } from '../../config/windows';
import {
  BACKUP_WINDOW_PATTERN,
  DATABASE_NAME_PATTERN,
  DEFAULT_ENGINE_VERSION,
  defaultPort,
  GLOBAL_DATABASE_INSTANCE_CLASS,
  MAINTENANCE_WINDOW_PATTERN,
  MAX_ACU,
  MAX_BACKUP_RETENTION_DAYS,
  MAX_INSTANCES,
  MAX_PASSWORD_LENGTH,
  MAX_USERNAME_LENGTH,
  masterPasswordValidation,
  MIN_ACU,
  MONITORING_INTERVALS,
  RESERVED_MASTER_USERNAMES,
  SERVERLESS_INSTANCE_CLASS,
  supportedVersionPattern,
  type AuroraEngine,
} from '../../planning/aurora';
import { namedLocal } from '../../constructs/locals';
import { example } from '../example-config';
import type { ModuleDefinition } from '../definition';
import type { Json } from '../hcl';
import { hclList, hclLiteral, inputs } from '../inputs';
import type { ModuleStack } from '../module-stack';

const ENGINES = Object.keys(DEFAULT_ENGINE_VERSION) as AuroraEngine[];
const [primaryRegion, secondaryRegion] = example.regions;
/** The resources of a member cluster that are the cluster (its monitoring role and rules are for something). */
const MEMBER_RESOURCES = [
  'aws_rds_cluster',
  'aws_rds_cluster_instance',
  'aws_db_subnet_group',
  'aws_rds_cluster_parameter_group',
  'aws_security_group',
  'aws_cloudwatch_log_group',
];
/** The configuration file's database defaults: the modules default to the same. */
const database = DatabaseSchema.parse({});

const DAY = 24 * 60;
const WEEK = 7 * DAY;
/** Minutes after midnight of the `hh:mm` at `offset` of `text`, in HCL. */
const minutesAt = (text: string, offset: number) =>
  `(tonumber(substr(${text}, ${offset}, 2)) * 60 + tonumber(substr(${text}, ${offset + 3}, 2)))`;
/** Minutes after Monday midnight of the `ddd:hh:mm` at `offset` of `text`, in HCL. */
const weekMinutesAt = (text: string, offset: number) =>
  `(index(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], substr(${text}, ${offset}, 3)) * ${DAY} + ${minutesAt(text, offset + 4)})`;
/** The daily backup window in HCL: its start and length in minutes ("23:30-00:30" runs over midnight). */
const BACKUP_WINDOW = {
  start: minutesAt('var.preferred_backup_window', 0),
  minutes: `((${minutesAt('var.preferred_backup_window', 6)} - ${minutesAt('var.preferred_backup_window', 0)} + ${DAY}) % ${DAY})`,
};
/** The weekly maintenance window in HCL: its start and length in minutes, from Monday midnight. */
const MAINTENANCE_WINDOW = {
  start: weekMinutesAt('var.preferred_maintenance_window', 0),
  minutes: `((${weekMinutesAt('var.preferred_maintenance_window', 10)} - ${weekMinutesAt('var.preferred_maintenance_window', 0)} + ${WEEK}) % ${WEEK})`,
};

/** An HCL conditional on the engine, from a value per engine. */
const byEngine = (values: Record<AuroraEngine, string | number>) =>
  `var.engine == "aurora-postgresql" ? ${values['aurora-postgresql']} : ${values['aurora-mysql']}`;

function engineInputs(stack: ModuleStack) {
  const engine = inputs(stack).oneOf(
    'engine',
    `The Aurora engine: ${ENGINES.map((e) => `"${e}"`).join(' or ')}.`,
    ENGINES,
    database.engine,
  );
  const engineVersion = stack.input('engine_version', {
    type: 'string',
    description: `Engine version, the same in every Region: a major version in standard support, e.g. "${DEFAULT_ENGINE_VERSION['aurora-postgresql']}" or "${DEFAULT_ENGINE_VERSION['aurora-mysql']}".`,
    validation: [
      {
        condition: `\${can(regex(${byEngine({ 'aurora-postgresql': hclLiteral(supportedVersionPattern('aurora-postgresql')), 'aurora-mysql': hclLiteral(supportedVersionPattern('aurora-mysql')) })}, var.engine_version))}`,
        errorMessage: 'engine_version must be a version of the engine in standard support for Aurora Global Database.',
      },
    ],
  });
  return { engine, engineVersion };
}

/** The inputs both member modules share, as the construct's props. */
function memberInputs(stack: ModuleStack, engine: string, engineVersion: string, minimumInstances: number, defaultInstances: number) {
  const input = inputs(stack);
  const clusterIdentifier = stack.input('cluster_identifier', {
    type: 'string',
    description: 'Identifier of this Region\'s cluster; instances are "<cluster_identifier>-<n>".',
    validation: [
      {
        condition:
          '${can(regex("^[a-z][a-z0-9-]{0,59}$", var.cluster_identifier)) && !strcontains(var.cluster_identifier, "--") && !endswith(var.cluster_identifier, "-")}',
        errorMessage: 'cluster_identifier must be up to 60 lowercase letters, digits and single hyphens, starting with a letter.',
      },
    ],
  });
  const port = stack.input('port', {
    type: 'number',
    description: `Database port; null for the engine's default (${ENGINES.map((e) => defaultPort(e)).join(' or ')}).`,
    default: null,
    nullable: true,
  });
  const kmsKeyArn = stack.input('kms_key_arn', {
    type: 'string',
    description:
      "ARN of this Region's customer-managed key: storage, Performance Insights and the exported logs (its policy must let CloudWatch Logs use it).",
  });
  const vpcId = stack.input('vpc_id', { type: 'string', description: 'ID of the VPC.' });
  const subnetIds = stack.input('subnet_ids', { type: 'list(string)', description: 'IDs of the database subnets, one per AZ.' });
  const azs = stack.input('availability_zones', {
    type: 'list(string)',
    description: 'AZs to spread the instances over, in order (the first instance is the one to promote).',
  });
  const allowedCidrs = stack.input('allowed_cidrs', {
    type: 'list(string)',
    description: 'CIDRs admitted on the database port: the app tiers (private subnets) of this and the other Regions.',
    validation: [
      {
        condition: '${alltrue([for cidr in var.allowed_cidrs : can(cidrhost(cidr, 0))])}',
        errorMessage: 'every allowed_cidrs entry must be an IPv4 CIDR block.',
      },
    ],
  });
  const instanceClass = stack.input('instance_class', {
    type: 'string',
    description: `A memory-optimized instance class (db.r5 to db.r8g, db.x2g), or "${SERVERLESS_INSTANCE_CLASS}" for Aurora Serverless v2.`,
    default: database.instanceClass,
    validation: [
      {
        condition: `\${var.instance_class == "${SERVERLESS_INSTANCE_CLASS}" || can(regex(${hclLiteral(GLOBAL_DATABASE_INSTANCE_CLASS.source)}, var.instance_class))}`,
        errorMessage: `instance_class must be a memory-optimized class that Aurora Global Database supports, or ${SERVERLESS_INSTANCE_CLASS}.`,
      },
    ],
  });
  const capacity = stack.input('serverlessv2_scaling_configuration', {
    type: 'object({ min_capacity = number, max_capacity = number })',
    description: `Aurora Serverless v2 capacity in ACUs (${MIN_ACU} to ${MAX_ACU}, steps of 0.5), used with instance_class "${SERVERLESS_INSTANCE_CLASS}".`,
    default: { min_capacity: 0.5, max_capacity: 16 },
    validation: [
      {
        condition: `\${var.serverlessv2_scaling_configuration.min_capacity >= ${MIN_ACU} && var.serverlessv2_scaling_configuration.max_capacity <= ${MAX_ACU} && var.serverlessv2_scaling_configuration.min_capacity <= var.serverlessv2_scaling_configuration.max_capacity && floor(var.serverlessv2_scaling_configuration.min_capacity * 2) == var.serverlessv2_scaling_configuration.min_capacity * 2 && floor(var.serverlessv2_scaling_configuration.max_capacity * 2) == var.serverlessv2_scaling_configuration.max_capacity * 2}`,
        errorMessage: `serverlessv2_scaling_configuration must satisfy ${MIN_ACU} <= min_capacity <= max_capacity <= ${MAX_ACU}, in steps of 0.5.`,
      },
    ],
  });
  const instanceCount = input.wholeNumber(
    'instance_count',
    `Instances in this Region, spread over the AZs${minimumInstances === 0 ? ' (0 makes a headless secondary)' : ''}.`,
    minimumInstances,
    MAX_INSTANCES,
    defaultInstances,
  );
  const backupDays = input.wholeNumber(
    'backup_retention_period',
    'Days automated backups are kept.',
    1,
    MAX_BACKUP_RETENTION_DAYS,
    database.backupRetentionDays,
  );
  // RDS's window rules beyond the format, as the config file checks them (src/config/windows.ts);
  // a window that fails its format is left to that rule (try(..., true)).
  const backupWindow = input.matching(
    'preferred_backup_window',
    'Daily backup window, UTC ("hh:mm-hh:mm").',
    BACKUP_WINDOW_PATTERN,
    'preferred_backup_window must be "hh:mm-hh:mm" in UTC, e.g. "03:00-04:00".',
    database.backupWindow,
    [
      {
        condition: `\${try(${BACKUP_WINDOW.minutes} >= ${MIN_WINDOW_MINUTES}, true)}`,
        errorMessage: `preferred_backup_window must be at least ${MIN_WINDOW_MINUTES} minutes long.`,
      },
    ],
  );
  const maintenanceWindow = input.matching(
    'preferred_maintenance_window',
    'Weekly maintenance window, UTC ("ddd:hh:mm-ddd:hh:mm"); must not overlap the backup window.',
    MAINTENANCE_WINDOW_PATTERN,
    'preferred_maintenance_window must be "ddd:hh:mm-ddd:hh:mm" in UTC, e.g. "sun:05:00-sun:06:00".',
    database.maintenanceWindow,
    [
      {
        condition: `\${try(${MAINTENANCE_WINDOW.minutes} >= ${MIN_WINDOW_MINUTES}, true)}`,
        errorMessage: `preferred_maintenance_window must be at least ${MIN_WINDOW_MINUTES} minutes long.`,
      },
      {
        condition: `\${try(!anytrue([for day in range(7) : (${MAINTENANCE_WINDOW.start} - (day * ${DAY} + ${BACKUP_WINDOW.start}) + ${WEEK}) % ${WEEK} < ${BACKUP_WINDOW.minutes} || (day * ${DAY} + ${BACKUP_WINDOW.start} - ${MAINTENANCE_WINDOW.start} + ${WEEK}) % ${WEEK} < ${MAINTENANCE_WINDOW.minutes}]), true)}`,
        errorMessage: 'preferred_maintenance_window must not overlap preferred_backup_window on any day.',
      },
    ],
  );
  const deletionProtection = stack.input('deletion_protection', {
    type: 'bool',
    description: 'Refuse to delete the cluster.',
    default: true,
  });
  const insightsDays = stack.input('performance_insights_retention_period', {
    type: 'number',
    description: 'Days Performance Insights keeps data: 7 (free), or months as multiples of 31 up to 731.',
    default: database.performanceInsightsRetentionDays,
    validation: [
      {
        condition:
          '${var.performance_insights_retention_period == 7 || (var.performance_insights_retention_period % 31 == 0 && var.performance_insights_retention_period >= 31 && var.performance_insights_retention_period <= 731)}',
        errorMessage: 'performance_insights_retention_period must be 7 or a multiple of 31 up to 731.',
      },
    ],
  });
  const monitoringInterval = input.oneOf(
    'monitoring_interval',
    'Enhanced Monitoring interval, seconds.',
    MONITORING_INTERVALS,
    database.monitoringInterval,
  );
  const monitoringRoleName = input.roleName(
    'monitoring_role_name',
    'Name of the Enhanced Monitoring role (IAM names are global: include the Region).',
  );
  const logDays = input.logRetention(
    'cloudwatch_log_group_retention_in_days',
    'Days the exported database logs are kept (a CloudWatch Logs retention period).',
    database.logRetentionDays,
  );
  const accountId = input.accountId();

  const props: Omit<RegionalDatabaseClusterProps, 'member' | 'globalClusterIdentifier'> = {
    clusterIdentifier: clusterIdentifier.stringValue,
    engine: engine as AuroraEngine,
    engineVersion,
    port: port.known
      ? (port.numberValue ?? defaultPort(engine as AuroraEngine))
      : Token.asNumber(
          namedLocal(
            stack,
            'port',
            `\${coalesce(${port.stringValue}, ${byEngine({ 'aurora-postgresql': defaultPort('aurora-postgresql'), 'aurora-mysql': defaultPort('aurora-mysql') })})}`,
          ),
        ),
    kmsKeyArn: kmsKeyArn.stringValue,
    region: new DataAwsRegion(stack, 'current', {}).id,
    accountId: accountId.stringValue,
    vpcId: vpcId.stringValue,
    subnetIds: subnetIds.listValue,
    availabilityZones: azs.listValue,
    allowedCidrs: allowedCidrs.listValue,
    instanceClass: instanceClass.stringValue,
    serverless:
      instanceClass.known && instanceClass.stringValue !== SERVERLESS_INSTANCE_CLASS
        ? undefined
        : { minCapacity: capacity.attribute<number>('min_capacity'), maxCapacity: capacity.attribute<number>('max_capacity') },
    instanceCount: instanceCount.numberValue,
    backupRetentionDays: backupDays.numberValue,
    backupWindow: backupWindow.stringValue,
    maintenanceWindow: maintenanceWindow.stringValue,
    deletionProtection: deletionProtection.booleanValue,
    performanceInsightsRetentionDays: insightsDays.numberValue,
    monitoringInterval: monitoringInterval.numberValue,
    monitoringRoleName: monitoringRoleName.stringValue,
    logRetentionDays: logDays.numberValue,
  };
  return props;
}

/** The outputs both member modules share. */
function clusterOutputs(stack: ModuleStack, cluster: RegionalDatabaseCluster): void {
  stack.output('cluster_arn', cluster.cluster.arn, "ARN of this Region's cluster.");
  stack.output('cluster_identifier', cluster.cluster.clusterIdentifier, "Identifier of this Region's cluster.");
  stack.output(
    'endpoint',
    cluster.endpoint,
    'Cluster endpoint: the writer in the primary Region, reads (or forwarded writes) in a secondary.',
  );
  stack.output('reader_endpoint', cluster.readerEndpoint, "Reader endpoint of this Region's instances.");
  stack.output('port', cluster.cluster.port, 'Database port.');
  stack.output('security_group_id', cluster.securityGroup.id, 'ID of the database security group: add rules for further app tiers here.');
}

/** Realistic inputs for a member in `region` of the example configuration. */
function memberExample(region: (typeof example.regions)[number], role: string): Record<string, Json> {
  return {
    cluster_identifier: `acme-shop-${region.region}`,
    engine: database.engine,
    engine_version: DEFAULT_ENGINE_VERSION[database.engine],
    kms_key_arn: `arn:aws:kms:${region.region}:${example.accountId}:key/${role === 'primary' ? '1234abcd-12ab-34cd-56ef-1234567890ab' : '5678efab-56ef-78ab-90cd-5678901234ef'}`,
    vpc_id: role === 'primary' ? 'vpc-0a1b2c3d4e5f60001' : 'vpc-0f1e2d3c4b5a60002',
    subnet_ids: region.azs.map((_, i) => `subnet-0${role === 'primary' ? 'a1b2c3d4e5f6' : 'f1e2d3c4b5a6'}000${i + 1}`),
    availability_zones: [...region.azs],
    allowed_cidrs: example.regions.flatMap((r) => r.subnets.private.subnets.map((s) => s.cidr)),
    monitoring_role_name: `acme-shop-rds-monitoring-${region.region}`,
    account_id: example.accountId,
  };
}

export const auroraGlobalDatabaseModule: ModuleDefinition = {
  name: 'aurora-global-database',
  mainResources: ['aws_rds_global_cluster', ...MEMBER_RESOURCES],
  purposes: { 'primary/ingress': 'allowed_cidrs' },
  summary: 'An Aurora global cluster and its primary (writer) member: encrypted, TLS-only, monitored, with a write-only master password.',
  description:
    "The Aurora Global Database container and its primary member cluster in the Region of the default `aws` provider. The global cluster holds the engine version (upgrades there flow to every member) and has deletion protection. The primary cluster: storage encrypted with a customer-managed key, a security group that admits the database port only from `allowed_cidrs`, a cluster parameter group that refuses unencrypted connections, IAM database authentication, exported logs in encrypted log groups with retention created before the cluster, backups with a final snapshot, and instances spread over the AZs with Performance Insights (encrypted) and Enhanced Monitoring through a role only RDS in this account can assume. The master password is an ephemeral input sent to the write-only `master_password_wo`: it never reaches the plan or the state; bump `master_password_wo_version` to send a new one. Attributes that a switchover, a failover or a global upgrade change behind Terraform's back are ignored.\n\nAdd a secondary Region with `aurora-secondary-cluster`, passing it this module's `global_cluster_identifier`, which resolves only once the primary has joined and its instances exist (a secondary cannot join before the primary has a writer).\n\nUpgrades go through `engine_version` only (instances have automatic minor upgrades off; Aurora applies none to global database members): a new minor or major version upgrades every member, and `engine_version_actual` reports what runs. Deletion protection refuses deletes at the API; `lifecycle` takes no variables, so unlike the CDKTF stacks the module sets no `prevent_destroy`.",
  build(stack) {
    const { engine, engineVersion } = engineInputs(stack);
    const globalIdentifier = stack.input('global_cluster_identifier', {
      type: 'string',
      description: 'Identifier of the global cluster.',
      validation: [
        {
          condition: '${can(regex("^[a-z][a-z0-9-]{0,62}$", var.global_cluster_identifier))}',
          errorMessage: 'global_cluster_identifier must be up to 63 lowercase letters, digits and hyphens, starting with a letter.',
        },
      ],
    });
    const databaseName = inputs(stack).matching(
      'database_name',
      'Name of the database created in the primary cluster.',
      DATABASE_NAME_PATTERN,
      'database_name must start with a letter and hold up to 63 letters, digits and underscores.',
      database.databaseName,
    );
    const masterUsername = stack.input('master_username', {
      type: 'string',
      description: 'Master user of the primary cluster (secondaries have none).',
      default: database.masterUsername,
      validation: [
        {
          condition: `\${can(regex("^[a-zA-Z][a-zA-Z0-9_]*$", var.master_username)) && length(var.master_username) <= (${byEngine(MAX_USERNAME_LENGTH)})}`,
          errorMessage: `master_username must start with a letter, hold only letters, digits and underscores, and have at most ${MAX_USERNAME_LENGTH['aurora-mysql']} (MySQL) or ${MAX_USERNAME_LENGTH['aurora-postgresql']} (PostgreSQL) characters.`,
        },
        {
          condition: `\${!contains(${hclList(RESERVED_MASTER_USERNAMES)}, lower(var.master_username)) && !(var.engine == "aurora-postgresql" && startswith(lower(var.master_username), "pg_"))}`,
          errorMessage: 'master_username must not be a reserved word, nor start with "pg_" on PostgreSQL.',
        },
      ],
    });
    const password = stack.input('master_password_wo', {
      type: 'string',
      description: `Master password: 8 to ${MAX_PASSWORD_LENGTH['aurora-mysql']} (MySQL) or ${MAX_PASSWORD_LENGTH['aurora-postgresql']} (PostgreSQL) printable ASCII characters except /, ", @ and space. Ephemeral: never stored in the plan or the state.`,
      sensitive: true,
      ephemeral: true,
      validation: [
        masterPasswordValidation('master_password_wo', {
          expression: `(${byEngine(MAX_PASSWORD_LENGTH)})`,
          text: `${MAX_PASSWORD_LENGTH['aurora-postgresql']} (PostgreSQL) or ${MAX_PASSWORD_LENGTH['aurora-mysql']} (MySQL)`,
        }),
      ],
    });
    const passwordVersion = inputs(stack).wholeNumber(
      'master_password_wo_version',
      'Bump to send a new master password.',
      1,
      undefined,
      database.masterPasswordVersion,
    );
    const props = memberInputs(stack, engine.stringValue, engineVersion.stringValue, 1, database.instances.primary);
    const global = new GlobalDatabase(stack, 'global', {
      globalClusterIdentifier: globalIdentifier.stringValue,
      engine: engine.stringValue as AuroraEngine,
      engineVersion: engineVersion.stringValue,
      deletionProtection: props.deletionProtection,
    });
    const primary = new RegionalDatabaseCluster(stack, 'primary', {
      ...props,
      member: {
        kind: 'primary',
        databaseName: databaseName.stringValue,
        masterUsername: masterUsername.stringValue,
        masterPassword: password.stringValue,
        masterPasswordVersion: passwordVersion.numberValue,
      },
      globalClusterIdentifier: global.globalClusterIdentifier,
    });
    // A secondary may join only once the primary has a writer instance (the provider's own
    // global-cluster example orders the secondary after the primary's instance): the output waits for
    // the instances, so a secondary built from it does too.
    stack.output(
      'global_cluster_identifier',
      primary.cluster.globalClusterIdentifier,
      'Identifier of the global cluster, read from the primary cluster once it has joined and its instances exist: secondaries built from it wait for the writer.',
      primary.instances,
    );
    stack.output(
      'engine_version_actual',
      global.engineVersionActual,
      'The engine version the global database runs: set engine_version to it if AWS applied an upgrade itself.',
    );
    stack.output(
      'global_writer_endpoint',
      global.writerEndpoint,
      'Writer endpoint of the global database: follows the primary through switchovers and failovers.',
    );
    stack.output('engine', engine.stringValue, 'The engine, for the secondary clusters.');
    stack.output('engine_version', engineVersion.stringValue, 'The engine version at creation, for the secondary clusters.');
    clusterOutputs(stack, primary);
  },
  example: {
    providers: [{ region: primaryRegion.region }],
    variables: [
      {
        name: 'master_password',
        description: 'Master password of the primary cluster, e.g. from TF_VAR_master_password.',
        secret: true,
        planValue: 'example-Passw0rd-for-plans',
      },
    ],
    inputs: {
      global_cluster_identifier: 'acme-shop',
      ...memberExample(primaryRegion, 'primary'),
      master_password_wo: '${var.master_password}',
    },
  },
  variants: {
    'mysql-serverless': {
      engine: 'aurora-mysql',
      engine_version: DEFAULT_ENGINE_VERSION['aurora-mysql'],
      instance_class: SERVERLESS_INSTANCE_CLASS,
      serverlessv2_scaling_configuration: { min_capacity: 1, max_capacity: 8 },
      instance_count: 3,
      port: 3307,
    },
  },
};

export const auroraSecondaryClusterModule: ModuleDefinition = {
  name: 'aurora-secondary-cluster',
  mainResources: MEMBER_RESOURCES,
  purposes: { 'secondary/ingress': 'allowed_cidrs' },
  summary: "A secondary Region's member of an Aurora global database: a read-only copy, promotable in a failover.",
  description:
    'A member cluster of an existing Aurora global database in the Region of the default `aws` provider: a read-only copy that carries no credentials and no database name, and takes over as the writer in a switchover or a failover. The same hardening as the primary (see `aurora-global-database`): customer-managed encryption, TLS only, a security group for `allowed_cidrs` only, encrypted log groups, Performance Insights, Enhanced Monitoring, deletion protection. `instance_count = 0` makes a headless secondary (storage only, the cheapest standby). Optional write forwarding sends writes to the primary (Aurora MySQL 3, Aurora PostgreSQL 14.9+, 15.4+, 16+).',
  build(stack) {
    const { engine, engineVersion } = engineInputs(stack);
    const globalIdentifier = stack.input('global_cluster_identifier', {
      type: 'string',
      description:
        'Identifier of the global cluster to join: the `global_cluster_identifier` output of `aurora-global-database`, which waits until the primary has joined and has its writer instance.',
    });
    const writeForwarding = stack.input('enable_global_write_forwarding', {
      type: 'bool',
      description:
        "Let this Region's instances forward writes to the primary (Aurora MySQL 3, Aurora PostgreSQL 14.9+, 15.4+, 16+); a headless secondary has no instance to forward from.",
      default: false,
      validation: [
        {
          condition:
            '${!var.enable_global_write_forwarding || try(var.engine == "aurora-mysql" ? tonumber(split(".", var.engine_version)[3]) >= 3 : (tonumber(split(".", var.engine_version)[0]) >= 16 || tonumber(split(".", var.engine_version)[1]) >= lookup({ 14 = 9, 15 = 4 }, split(".", var.engine_version)[0], 100)), false)}',
          errorMessage: 'enable_global_write_forwarding needs Aurora MySQL 3, or Aurora PostgreSQL 14.9+, 15.4+ or 16+.',
        },
      ],
    });
    const props = memberInputs(stack, engine.stringValue, engineVersion.stringValue, 0, database.instances.secondary);
    const secondary = new RegionalDatabaseCluster(stack, 'secondary', {
      ...props,
      member: { kind: 'secondary', writeForwarding: writeForwarding.booleanValue },
      globalClusterIdentifier: globalIdentifier.stringValue,
    });
    clusterOutputs(stack, secondary);
  },
  example: {
    providers: [{ region: secondaryRegion.region }],
    inputs: {
      global_cluster_identifier: 'acme-shop',
      ...memberExample(secondaryRegion, 'secondary'),
    },
  },
  variants: {
    headless: { instance_count: 0 },
    'write-forwarding': { enable_global_write_forwarding: true },
  },
};
