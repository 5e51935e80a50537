import { z } from 'zod';
import { closest } from 'fastest-levenshtein';
import { Naming, PROJECT_NAME_MAX_LENGTH, PROJECT_NAME_MIN_LENGTH, PROJECT_NAME_PATTERN, s3BucketNameProblem } from '../naming';
import { AWS_MAX_TAGS_PER_RESOURCE, DEFAULT_TAG_KEYS, GENERATED_TAG_KEYS, MAX_RESOURCE_TAGS, MAX_USER_TAGS } from '../naming/tags';
import {
  BACKUP_WINDOW_PATTERN,
  DATABASE_NAME_PATTERN,
  DEFAULT_ENGINE_VERSION,
  GLOBAL_DATABASE_INSTANCE_CLASS,
  globalDatabaseVersionProblem,
  isPerformanceInsightsRetention,
  MAINTENANCE_WINDOW_PATTERN,
  masterUsernameProblem,
  MAX_ACU,
  MAX_BACKUP_RETENTION_DAYS,
  MAX_INSTANCES,
  MIN_ACU,
  MONITORING_INTERVALS,
  SERVERLESS_INSTANCE_CLASS,
  supportsWriteForwarding,
} from '../planning/aurora';
import { PRIVATE_ASN_RANGES, regionOffset } from '../planning/asn';
import { isPrivate, overlaps, parseCidr, prefixLength, PRIVATE_RANGES } from '../planning/cidr';
import { TARGET_HEALTH_CHECK_DEFAULTS } from '../planning/elb';
import { FIS_LIMITS, GAME_DAY_MAX_BUCKETS, GAME_DAY_MAX_REGIONS } from '../planning/fis';
import { REPLICA_STORAGE_CLASSES } from '../planning/s3';
import { AZ_SLOTS, azSlot, defaultNewBits, planSubnets } from '../planning/subnets';
import { logRetentionDays, passes, retentionDays } from './fields';
import { backupWindow, maintenanceWindow, MIN_WINDOW_MINUTES, overlapDay } from './windows';
import {
  ACCELERATOR_DEFAULTS,
  checkTraffic,
  ENDPOINT_DEFAULTS,
  LOAD_BALANCER_DEFAULTS,
  TrafficSchema,
  WORKLOAD_INTERFACE_ENDPOINTS,
  WorkloadSchema,
} from './traffic-schema';
import { RESILIENCE_DEFAULTS, ResilienceSchema } from './resilience-schema';
import { AWS_REGION_CODES, AWS_REGIONS } from './regions';
import { checkTables, TableSchema } from './tables-schema';

/** Aurora Global Database allows one primary and up to ten secondary Regions. */
export const MIN_REGIONS = 2;
export const MAX_REGIONS = 11;
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 20;
export const MIN_AZS = 2;
export const MAX_AZS = 6;
/** Configured tags that fit beside the generated ones (see `src/naming/tags.ts`). */
export { MAX_USER_TAGS };

function regionError(value: unknown): string {
  const suggestion = typeof value === 'string' ? closest(value, [...AWS_REGION_CODES]) : undefined;
  return (
    `${JSON.stringify(value)} is not a supported AWS Region code. ` +
    `Fix: use a Region code of the commercial partition${suggestion ? `, such as "${suggestion}"` : ''} ` +
    '(the README lists all supported Regions)'
  );
}

const regionCode = z.enum(AWS_REGION_CODES as [string, ...string[]], { error: (issue) => regionError(issue.input) });

const vpcCidr = z.string().superRefine((cidr, ctx) => {
  const parsed = parseCidr(cidr);
  if ('problem' in parsed) {
    ctx.addIssue({ code: 'custom', message: `${parsed.problem}. Fix: write the network address, e.g. "10.10.0.0/16"` });
    return;
  }
  const prefix = prefixLength(parsed.range);
  if (prefix < MIN_VPC_PREFIX || prefix > MAX_VPC_PREFIX) {
    ctx.addIssue({
      code: 'custom',
      message:
        `"${cidr}" is a /${prefix}; a VPC takes a /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}. ` +
        `Fix: use a prefix length between ${MIN_VPC_PREFIX} and ${MAX_VPC_PREFIX}, e.g. "10.10.0.0/16"`,
    });
  }
  if (!isPrivate(parsed.range)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${cidr}" is not in a private (RFC 1918) range. Fix: pick a block inside ${PRIVATE_RANGES.join(', ')}`,
    });
  }
});

const RegionSchema = z
  .strictObject({
    region: regionCode.describe('AWS Region code, e.g. "us-east-1".'),
    cidr: vpcCidr.describe(
      `IPv4 CIDR of the Region's VPC: a private (RFC 1918) /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX} that overlaps no other Region's.`,
    ),
    azs: z
      .array(z.string())
      .min(MIN_AZS, { error: `needs at least ${MIN_AZS} Availability Zones. Fix: list ${MIN_AZS} to ${MAX_AZS} AZ names of this Region` })
      .max(MAX_AZS, { error: `allows at most ${MAX_AZS} Availability Zones. Fix: list ${MIN_AZS} to ${MAX_AZS} AZ names of this Region` })
      .optional()
      .describe(
        `Availability Zone names of this Region (${MIN_AZS} to ${MAX_AZS}), e.g. ["us-east-1a", "us-east-1b", "us-east-1c"]. Default: three zones offered to every account.`,
      ),
    primary: z.boolean().default(false).describe('True for the one Region that holds the database writer and the global resources.'),
    certificateArn: z
      .string()
      .optional()
      .describe("ACM certificate (of this Region and account) for the load balancer's HTTPS listener; HTTP then redirects to HTTPS."),
    trafficDial: z
      .number()
      .int()
      .min(0, { error: 'must be 0 to 100. Fix: use 100 for full traffic, 0 to take the Region out' })
      .max(100, { error: 'must be 0 to 100. Fix: use 100 for full traffic, 0 to take the Region out' })
      .default(ENDPOINT_DEFAULTS.trafficDial)
      .describe('Percentage of the traffic Global Accelerator would send this Region that it does send (0 takes the Region out).'),
    endpointWeight: z
      .number()
      .int()
      .min(0, { error: 'must be 0 to 255. Fix: use e.g. 128' })
      .max(255, { error: 'must be 0 to 255. Fix: use e.g. 128' })
      .default(ENDPOINT_DEFAULTS.endpointWeight)
      .describe("Weight of the Region's load balancer in its endpoint group (0 to 255)."),
  })
  .describe('One AWS Region of the active-active layout.');

const tagKey = z
  .string()
  .min(1, { error: 'tag keys must not be empty. Fix: name the tag, e.g. "Environment"', abort: true })
  .max(128, { error: 'tag keys have at most 128 characters. Fix: shorten the key' })
  .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, {
    error: 'tag keys may hold letters, digits, spaces and _ . : / = + - @. Fix: remove other characters',
  })
  .refine((key) => !key.toLowerCase().startsWith('aws:'), {
    error: 'the "aws:" prefix is reserved by AWS. Fix: rename the tag key',
  });

const tagValue = z
  .string()
  .max(256, { error: 'tag values have at most 256 characters. Fix: shorten the value' })
  .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, {
    error: 'tag values may hold letters, digits, spaces and _ . : / = + - @. Fix: remove other characters',
  });

/** Where the stacks keep their state: the bucket in the state Region, or its replica. */
export const STATE_LOCATIONS = ['primary', 'replica'] as const;

const StateSchema = z
  .strictObject({
    region: regionCode.optional().describe('Region of the state bucket and lock table. Default: the primary Region.'),
    replicaRegion: regionCode
      .optional()
      .describe(
        'Region of the replica state bucket, so that losing the state Region does not lose state. Default: the first configured Region other than `state.region`.',
      ),
    noncurrentVersionExpirationDays: retentionDays('old state versions')
      .default(90)
      .describe('Days to keep noncurrent (previous) versions of state objects before they expire.'),
    useLockfile: z
      .boolean()
      .default(false)
      .describe('Also lock with an S3 lock file (`use_lockfile`, Terraform >= 1.10) beside the DynamoDB table.'),
    active: z
      .enum(STATE_LOCATIONS, {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a state location. Fix: use "primary" (the bucket in state.region) or "replica" (the bucket in state.replicaRegion)`,
      })
      .default('primary')
      .describe(
        'Which state bucket and lock table every stack uses, for its own state and for reading other stacks\' outputs: "primary" (in `state.region`) or "replica" (in `state.replicaRegion`). Set "replica" while `state.region` is down, synthesize, and run `init -reconfigure`; set it back after failback.',
      ),
  })
  .describe('Remote state: S3 bucket with a replica in a second Region, DynamoDB lock table.');

/** What carries private traffic between Regions. */
export const LINK_KINDS = ['transit-gateway', 'vpc-peering', 'none'] as const;

const TopologySchema = z
  .strictObject({
    peering: z
      .enum(['full-mesh', 'hub-and-spoke'], {
        error: (issue) => `${JSON.stringify(issue.input)} is not a peering topology. Fix: use "full-mesh" or "hub-and-spoke"`,
      })
      .default('full-mesh')
      .describe(
        '"full-mesh" links every pair of Regions; "hub-and-spoke" links the primary Region with each other Region only (with more than two Regions it needs database.writeForwarding, so that every Region reaches the writer wherever it is).',
      ),
    link: z
      .enum(LINK_KINDS, {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a link between Regions. Fix: use "transit-gateway", "vpc-peering" or "none"`,
      })
      .default('transit-gateway')
      .describe(
        'What carries private traffic between the linked Regions: "transit-gateway" (a Transit Gateway per Region, peered per pair), "vpc-peering" (inter-Region VPC peering per pair, no hourly charge) or "none" (no private link: the app reaches the writer through Aurora write forwarding, which database.writeForwarding must turn on).',
      ),
    keepTransitGateways: z
      .boolean()
      .default(false)
      .describe(
        'Keep each Region\'s Transit Gateway while `link` is not "transit-gateway", so that `mesh` can move the routes off them before the Region stacks delete them. Set it for the apply that leaves "transit-gateway", remove it in the next (see "Switching the link between Regions" in docs/operations.md).',
      ),
  })
  .describe('How the Regions are linked.');

/** An interface endpoint's service: the part of its name after `com.amazonaws.<region>.`. */
export const SERVICE_ENDPOINT_PATTERN = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/** Interface endpoints that let private subnets without NAT reach ECR, logs, STS, KMS and Secrets Manager. */
export const NO_NAT_INTERFACE_ENDPOINTS = [...WORKLOAD_INTERFACE_ENDPOINTS, 'sts', 'kms', 'secretsmanager'] as const;

const newBits = (tier: string, fallback: string) =>
  z
    .number()
    .int()
    .min(3, { error: `must be at least 3: each tier reserves 8 AZ slots. Fix: use 3 to 12` })
    .max(12, { error: `must be at most 12. Fix: use 3 to 12` })
    .optional()
    .describe(`Bits the ${tier} subnets add to the VPC prefix (cidrsubnet newbits). Default: ${fallback}.`);

const asnValue = z.number().int();

/** How private subnets reach the internet. */
export const NAT_MODES = ['per-az', 'single', 'none'] as const;
/** What VPC flow logs can record. */
export const FLOW_LOG_TRAFFIC_TYPES = ['ALL', 'ACCEPT', 'REJECT'] as const;

export const NetworkSchema = z
  .strictObject({
    natGateways: z
      .enum(NAT_MODES, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a NAT mode. Fix: use "per-az", "single" or "none"`,
      })
      .default('per-az')
      .describe(
        '"per-az": one NAT gateway per AZ (no cross-AZ dependency); "single": one for the VPC (cheaper, one AZ\'s outage cuts egress); "none": no NAT, AWS APIs through interface endpoints.',
      ),
    interfaceEndpoints: z
      .array(
        z.string().regex(SERVICE_ENDPOINT_PATTERN, {
          error: 'is not an AWS service endpoint name such as "ecr.api" or "logs". Fix: use the part after com.amazonaws.<region>.',
        }),
      )
      .optional()
      .describe(
        `Interface VPC endpoints in the private subnets, by service (e.g. "ecr.api"). Default: none with NAT; ${NO_NAT_INTERFACE_ENDPOINTS.join(', ')} when natGateways is "none".`,
      ),
    subnetNewBits: z
      .strictObject({
        public: newBits('public', '6 (a /22 in a /16)'),
        private: newBits('private', '4 (a /20 in a /16)'),
        database: newBits('database', '6 (a /22 in a /16)'),
        transit: newBits('transit', 'whatever makes a /28'),
      })
      .default({})
      .describe("Subnet sizes per tier, relative to each Region's VPC."),
    flowLogs: z
      .strictObject({
        retentionDays: logRetentionDays().default(365).describe('Days VPC flow logs are kept (a CloudWatch Logs retention period).'),
        trafficType: z
          .enum(FLOW_LOG_TRAFFIC_TYPES, {
            error: (issue) => `${JSON.stringify(issue.input)} is not a flow log traffic type. Fix: use "ALL", "ACCEPT" or "REJECT"`,
          })
          .default('ALL')
          .describe('Which traffic the flow logs record.'),
      })
      .default({ retentionDays: 365, trafficType: 'ALL' })
      .describe("VPC flow logs, to a CloudWatch log group encrypted with the Region's key."),
    transitGatewayAsnRange: z
      .strictObject({
        start: asnValue.describe('First ASN of the range.'),
        end: asnValue.describe('Last ASN of the range.'),
      })
      .default({ start: 64512, end: 65534 })
      .describe(
        'Private ASN range for the Transit Gateways; each Region takes start + its fixed offset in the supported Region list (0 to 33).',
      ),
  })
  .describe('The VPC and Transit Gateway of every Region.');

/** Logical bucket names the generator uses for its own buckets. */
export const RESERVED_BUCKET_NAMES = ['tfstate', 's3logs', 'alblogs', 'galogs'] as const;

const BucketSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
        error: 'must be lowercase letters and digits in words joined by single hyphens. Fix: use a name such as "assets"',
      })
      .describe('Logical name; the bucket in each Region is <project>-<name>-<account>-<region>.'),
    replicationTimeControl: z
      .boolean()
      .default(true)
      .describe('S3 Replication Time Control (99.99% of objects within 15 minutes), with replication metrics and alarms.'),
    noncurrentVersionExpirationDays: retentionDays('old versions').default(90).describe('Days before noncurrent object versions expire.'),
    replicaStorageClass: z
      .enum(REPLICA_STORAGE_CLASSES, {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a storage class for replicas. Fix: use one of ${REPLICA_STORAGE_CLASSES.join(', ')}`,
      })
      .default('STANDARD')
      .describe('Storage class of the replicas in the other Regions.'),
    forceDestroy: z.boolean().default(false).describe('Let terraform destroy delete the bucket while it still holds objects.'),
  })
  .describe('A bucket that exists in every Region and replicates to every other Region.');

export const StorageSchema = z
  .strictObject({
    buckets: z.array(BucketSchema).default([]).describe('Buckets replicated between every Region, both ways.'),
    tables: z.array(TableSchema).default([]).describe('DynamoDB global tables with a replica in every Region.'),
    accessLogRetentionDays: retentionDays('access logs')
      .default(365)
      .describe("Days S3 server access logs are kept in each Region's log bucket."),
  })
  .describe('S3 buckets and DynamoDB global tables replicated between the Regions.');

const AlertsSchema = z
  .strictObject({
    emails: z
      .array(z.email({ error: 'is not an email address. Fix: use an address such as "oncall@example.com"' }))
      .default([])
      .describe("Email addresses subscribed to every Region's alerts topic (each confirms by email)."),
  })
  .describe('Where alarms notify.');

const acu = (which: string) =>
  z
    .number()
    .min(MIN_ACU, { error: `must be at least ${MIN_ACU} ACU. Fix: use ${MIN_ACU} to ${MAX_ACU} in steps of 0.5` })
    .max(MAX_ACU, { error: `must be at most ${MAX_ACU} ACU. Fix: use ${MIN_ACU} to ${MAX_ACU} in steps of 0.5` })
    .refine((value) => Number.isInteger(value * 2), {
      error: `must be a multiple of 0.5. Fix: use ${MIN_ACU} to ${MAX_ACU} in steps of 0.5`,
    })
    .describe(`${which} Aurora Serverless v2 capacity of every member cluster, in ACUs.`);

const instanceCount = (which: string, min: number, fallback: number) =>
  z
    .number()
    .int()
    .min(min, { error: `must be at least ${min}. Fix: use ${min} to 16` })
    .max(MAX_INSTANCES, { error: 'must be at most 16 (an Aurora cluster has one writer and up to 15 readers). Fix: use fewer instances' })
    .default(fallback)
    .describe(`Instances of ${which}, spread over its AZs.`);

export const DatabaseSchema = z
  .strictObject({
    engine: z
      .enum(['aurora-postgresql', 'aurora-mysql'], {
        error: (issue) => `${JSON.stringify(issue.input)} is not an Aurora engine. Fix: use "aurora-postgresql" or "aurora-mysql"`,
      })
      .default('aurora-postgresql')
      .describe('The Aurora engine.'),
    engineVersion: z
      .string()
      .optional()
      .describe(
        `Engine version, the same in every Region. Default: ${DEFAULT_ENGINE_VERSION['aurora-postgresql']} (PostgreSQL), ${DEFAULT_ENGINE_VERSION['aurora-mysql']} (MySQL).`,
      ),
    databaseName: z
      .string()
      .regex(DATABASE_NAME_PATTERN, {
        error: 'must start with a letter and hold up to 63 letters, digits and underscores. Fix: use a name such as "app"',
      })
      .default('app')
      .describe('Name of the database created in the primary cluster.'),
    masterUsername: z.string().default('dbadmin').describe('Master user of the primary cluster (secondaries have none).'),
    masterPasswordVersion: z
      .number()
      .int()
      .min(1, { error: 'must be a whole number of at least 1. Fix: start at 1 and add 1 for each rotation' })
      .default(1)
      .describe(
        'Bump to send a new master password (write-only, never stored in state) while the writer is in the primary Region; a secondary takes no password.',
      ),
    instanceClass: z
      .string()
      .default('db.r6g.large')
      .describe(`Instance class: a memory-optimized class (db.r5 to db.r8g, db.x2g) or "${SERVERLESS_INSTANCE_CLASS}".`),
    serverless: z
      .strictObject({ minCapacity: acu('Minimum'), maxCapacity: acu('Maximum') })
      .optional()
      .describe(`Aurora Serverless v2 capacity, with instanceClass "${SERVERLESS_INSTANCE_CLASS}". Default: 0.5 to 16 ACU.`),
    instances: z
      .strictObject({
        primary: instanceCount("the primary Region's cluster", 1, 2),
        secondary: instanceCount("each secondary Region's cluster (0: a headless secondary, storage only)", 0, 1),
      })
      .default({ primary: 2, secondary: 1 })
      .describe('Instances per Region.'),
    backupRetentionDays: z
      .number()
      .int()
      .min(1, { error: 'must be at least 1. Fix: use 1 to 35 days' })
      .max(MAX_BACKUP_RETENTION_DAYS, { error: 'must be at most 35. Fix: use 1 to 35 days' })
      .default(7)
      .describe('Days automated backups are kept.'),
    backupWindow: z
      .string()
      .regex(BACKUP_WINDOW_PATTERN, { error: 'must be "hh:mm-hh:mm" in UTC. Fix: use e.g. "03:00-04:00"' })
      .default('03:00-04:00')
      .describe('Daily backup window, UTC.'),
    maintenanceWindow: z
      .string()
      .regex(MAINTENANCE_WINDOW_PATTERN, {
        error: 'must be "ddd:hh:mm-ddd:hh:mm" in UTC. Fix: use e.g. "sun:05:00-sun:06:00"',
      })
      .default('sun:05:00-sun:06:00')
      .describe('Weekly maintenance window, UTC; must not overlap the backup window.'),
    deletionProtection: z.boolean().default(true).describe('Refuse to delete the global cluster and every member.'),
    writeForwarding: z
      .boolean()
      .default(false)
      .describe(
        'Let secondary clusters forward writes to the writer, the primary too once a switchover or failover has demoted it (Aurora MySQL 3, Aurora PostgreSQL 14.9+, 15.4+, 16+).',
      ),
    performanceInsightsRetentionDays: z
      .number()
      .int()
      .refine(isPerformanceInsightsRetention, {
        error: 'must be 7 or a multiple of 31 up to 731. Fix: use 7 (free tier) or e.g. 31',
      })
      .default(7)
      .describe('Days Performance Insights keeps data: 7, or months as multiples of 31 up to 731.'),
    monitoringInterval: z
      .literal(MONITORING_INTERVALS, {
        error: 'is not an Enhanced Monitoring interval. Fix: use 1, 5, 10, 15, 30 or 60 seconds',
      })
      .default(60)
      .describe('Enhanced Monitoring interval, seconds.'),
    logRetentionDays: logRetentionDays().default(365).describe('Days the exported database logs are kept.'),
  })
  .describe('The Aurora Global Database: writer in the primary Region, a member cluster in every Region.');

const projectName = z
  .string()
  .min(PROJECT_NAME_MIN_LENGTH, {
    error: `must have at least ${PROJECT_NAME_MIN_LENGTH} characters. Fix: use a name such as "acme-shop"`,
  })
  .max(PROJECT_NAME_MAX_LENGTH, {
    error: `must have at most ${PROJECT_NAME_MAX_LENGTH} characters so that derived bucket and database names fit. Fix: shorten it`,
  })
  .regex(PROJECT_NAME_PATTERN, {
    error:
      'must be usable in S3 bucket and RDS identifiers: lowercase letters and digits in words joined by single hyphens, starting with a letter. Fix: use a name such as "acme-shop"',
  });

const accountId = z
  .string({ error: 'must be a string of 12 digits. Fix: quote it, e.g. "123456789012"' })
  .regex(/^\d{12}$/, { error: 'must be exactly 12 digits. Fix: use the AWS account ID, e.g. "123456789012"' });

const ConfigObject = z
  .strictObject({
    $schema: z.string().optional().describe("Path or URL of this file's JSON Schema, for editors."),
    name: projectName.describe(
      `Project name, the prefix of every resource name: ${PROJECT_NAME_MIN_LENGTH} to ${PROJECT_NAME_MAX_LENGTH} lowercase letters, digits and single hyphens, starting with a letter.`,
    ),
    accountId: accountId.describe('The 12-digit AWS account ID every provider is pinned to (`allowed_account_ids`).'),
    regions: z
      .array(RegionSchema)
      .min(MIN_REGIONS, {
        error: `needs at least ${MIN_REGIONS} Regions for an active-active layout. Fix: add a Region`,
      })
      .max(MAX_REGIONS, {
        error: `allows at most ${MAX_REGIONS} Regions (Aurora Global Database: one primary and up to ten secondaries). Fix: remove Regions`,
      })
      .describe(`The ${MIN_REGIONS} to ${MAX_REGIONS} Regions; exactly one has "primary": true.`),
    tags: z
      .record(tagKey, tagValue)
      .default({})
      .describe(
        `Tags applied to every resource through the providers' default_tags: at most ${MAX_USER_TAGS}, and none named like a tag the generator sets (${GENERATED_TAG_KEYS.join(', ')}, in any case).`,
      ),
    state: StateSchema.default({ noncurrentVersionExpirationDays: 90, useLockfile: false, active: 'primary' }),
    topology: TopologySchema.default({ peering: 'full-mesh', link: 'transit-gateway', keepTransitGateways: false }),
    network: NetworkSchema.default({
      natGateways: 'per-az',
      subnetNewBits: {},
      flowLogs: { retentionDays: 365, trafficType: 'ALL' },
      transitGatewayAsnRange: { start: 64512, end: 65534 },
    }),
    storage: StorageSchema.default({ buckets: [], tables: [], accessLogRetentionDays: 365 }),
    alerts: AlertsSchema.default({ emails: [] }),
    resilience: ResilienceSchema.default(RESILIENCE_DEFAULTS),
    traffic: TrafficSchema.default({
      mode: 'global-accelerator',
      accelerator: ACCELERATOR_DEFAULTS,
      healthCheck: TARGET_HEALTH_CHECK_DEFAULTS,
      loadBalancer: LOAD_BALANCER_DEFAULTS,
    }),
    workload: WorkloadSchema,
    retiredRegions: z
      .array(regionCode)
      .default([])
      .describe(
        'Regions taken out of `regions` whose links `mesh` still holds: `mesh` keeps an AWS provider for each, so the apply that deletes its peerings, routes, rules and replication to that Region can reach it. Remove an entry once that apply is done (see "Removing a Region" in docs/operations.md).',
      ),
    decommission: z
      .boolean()
      .default(false)
      .describe(
        "Prepare the layout for `cdktf destroy`: turns off deletion protection and `prevent_destroy` everywhere and lets Terraform empty the generator's own log and state buckets. Apply with it set, then destroy; data buckets still follow their own forceDestroy.",
      ),
    database: DatabaseSchema.default({
      engine: 'aurora-postgresql',
      databaseName: 'app',
      masterUsername: 'dbadmin',
      masterPasswordVersion: 1,
      instanceClass: 'db.r6g.large',
      instances: { primary: 2, secondary: 1 },
      backupRetentionDays: 7,
      backupWindow: '03:00-04:00',
      maintenanceWindow: 'sun:05:00-sun:06:00',
      deletionProtection: true,
      writeForwarding: false,
      performanceInsightsRetentionDays: 7,
      monitoringInterval: 60,
      logRetentionDays: 365,
    }),
  })
  .describe('Active-active multi-Region AWS layout, rendered to Terraform by active-active-cdktf.');

function checkRegions(config: ParsedConfig, ctx: z.RefinementCtx): void {
  config.retiredRegions.forEach((retired, i) => {
    if (config.regions.some((r) => r.region === retired)) {
      ctx.addIssue({
        code: 'custom',
        path: ['retiredRegions', i],
        message: `"${retired}" is still in regions. Fix: remove it from regions, or from retiredRegions if it stays`,
      });
    }
  });
  const primaries = config.regions.filter((r) => r.primary);
  if (primaries.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['regions'],
      message:
        primaries.length === 0
          ? 'no Region is primary. Fix: set "primary": true on exactly one Region'
          : `${primaries.length} Regions are primary (${primaries.map((r) => r.region).join(', ')}). Fix: set "primary": true on exactly one Region`,
    });
  }

  const seen = new Map<string, number>();
  config.regions.forEach((r, i) => {
    const first = seen.get(r.region);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['regions', i, 'region'],
        message: `"${r.region}" is already listed at regions[${first}]. Fix: list each Region once`,
      });
    } else {
      seen.set(r.region, i);
    }
  });

  config.regions.forEach((r, i) => {
    const range = parseCidr(r.cidr);
    if (!('range' in range)) return;
    config.regions.slice(0, i).forEach((other, j) => {
      const otherRange = parseCidr(other.cidr);
      if ('range' in otherRange && overlaps(range.range, otherRange.range)) {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i, 'cidr'],
          message: `"${r.cidr}" overlaps regions[${j}].cidr "${other.cidr}" (${other.region}); Transit Gateway routes need distinct blocks. Fix: give each Region its own block, e.g. 10.10.0.0/16, 10.20.0.0/16`,
        });
      }
    });
  });

  config.regions.forEach((r, i) => {
    if (r.azs === undefined) {
      if (AWS_REGIONS[r.region]?.defaultAzLetters === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i, 'azs'],
          message: `${r.region} names its Availability Zones differently per account, so there is no safe default. Fix: list the AZ names your account has, e.g. ["${r.region}a", "${r.region}c"]`,
        });
      }
      return;
    }
    const azPattern = new RegExp(`^${r.region}[a-z]$`);
    r.azs.forEach((az, k) => {
      if (!azPattern.test(az)) {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i, 'azs', k],
          message: `"${az}" is not an Availability Zone of ${r.region}. Fix: use names such as "${r.region}a"`,
        });
      } else if (r.azs!.indexOf(az) !== k) {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i, 'azs', k],
          message: `"${az}" is listed twice. Fix: list each Availability Zone once`,
        });
      }
    });
  });
}

function checkState(config: ParsedConfig, ctx: z.RefinementCtx): void {
  const primary = config.regions.find((r) => r.primary)?.region;
  const stateRegion = config.state.region ?? primary;
  if (config.state.replicaRegion !== undefined && config.state.replicaRegion === stateRegion) {
    ctx.addIssue({
      code: 'custom',
      path: ['state', 'replicaRegion'],
      message: `"${stateRegion}" is also the state Region; a replica in the same Region does not survive its outage. Fix: pick another Region`,
    });
  }
}

function checkNetwork(config: ParsedConfig, ctx: z.RefinementCtx): void {
  const { network } = config;
  const endpoints = network.interfaceEndpoints ?? [];
  if (network.natGateways === 'none' && network.interfaceEndpoints?.length === 0) {
    // Without NAT, private subnets reach AWS APIs only through endpoints. The workload's Fargate tasks
    // run there and must pull their image (ECR) and send logs (CloudWatch Logs) to start:
    // https://repost.aws/knowledge-center/ecs-fargate-docker-timeout-error,
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
    ctx.addIssue({
      code: 'custom',
      path: ['network', 'interfaceEndpoints'],
      message:
        'is empty while natGateways is "none": the private subnets then reach no AWS API, so the workload\'s Fargate tasks cannot pull their image or send their logs, and never start. ' +
        `Fix: leave interfaceEndpoints out for the default (${NO_NAT_INTERFACE_ENDPOINTS.join(', ')}), list the endpoints the workload needs, or set natGateways to "single"`,
    });
  }
  endpoints.forEach((service, i) => {
    if (endpoints.indexOf(service) !== i) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'interfaceEndpoints', i],
        message: `"${service}" is listed twice. Fix: list each service once`,
      });
    }
  });

  config.regions.forEach((r, i) => {
    const azs = r.azs ?? [];
    azs.forEach((az, k) => {
      const slot = azSlot(az);
      if (az.startsWith(r.region) && (slot < 0 || slot >= AZ_SLOTS)) {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i, 'azs', k],
          message: `"${az}" has no subnet slot: AZ letters a to h are supported. Fix: use zones a to h`,
        });
      }
    });
    const range = parseCidr(r.cidr);
    if (!('range' in range) || !passes(vpcCidr, r.cidr)) return;
    const bits = { ...defaultNewBits(prefixLength(range.range)), ...definedOnly(network.subnetNewBits) };
    const result = planSubnets(r.cidr, [], bits);
    if ('problem' in result) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'subnetNewBits'],
        message: `do not fit regions[${i}].cidr (${r.region}): ${result.problem}. Fix: raise the newbits of the largest tiers, or give that Region a larger VPC`,
      });
    }
  });

  const { start, end } = network.transitGatewayAsnRange;
  const privateRange = PRIVATE_ASN_RANGES.find(([low, high]) => start >= low && end <= high);
  if (!privateRange || start > end) {
    ctx.addIssue({
      code: 'custom',
      path: ['network', 'transitGatewayAsnRange'],
      message: `${start}-${end} is not a private ASN range. Fix: use a range inside ${PRIVATE_ASN_RANGES.map(([a, b]) => `${a}-${b}`).join(' or ')}, start <= end`,
    });
    return;
  }
  const highest = config.regions.reduce((max, r) => Math.max(max, regionOffset(r.region)), 0);
  if (start + highest > end) {
    const needed = highest + 1;
    ctx.addIssue({
      code: 'custom',
      path: ['network', 'transitGatewayAsnRange'],
      message: `${start}-${end} holds ${end - start + 1} ASNs, but the Regions need ${needed}: each takes start + its fixed offset, up to ${highest} here. Fix: set end to at least ${start + highest}`,
    });
  }
}

/** The keys of an object whose value is set: optional zod fields parse to present-but-undefined. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function checkStorage(config: ParsedConfig, ctx: z.RefinementCtx): void {
  // Bucket names are made from the project name and account ID: a problem with those is reported once, on them.
  if (!passes(projectName, config.name) || !passes(accountId, config.accountId)) return;
  const naming = new Naming(config.name, config.accountId);
  const seen = new Map<string, number>();
  config.storage.buckets.forEach((bucket, i) => {
    const path = ['storage', 'buckets', i, 'name'];
    const first = seen.get(bucket.name);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `"${bucket.name}" is already used by storage.buckets[${first}]. Fix: give each bucket its own name`,
      });
      return;
    }
    seen.set(bucket.name, i);
    if ((RESERVED_BUCKET_NAMES as readonly string[]).includes(bucket.name)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `"${bucket.name}" is reserved for the generator's own buckets. Fix: pick another name`,
      });
      return;
    }
    for (const { region } of config.regions) {
      const problem = s3BucketNameProblem(naming.dataBucket(bucket.name, region));
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `makes an invalid bucket name in ${region}: ${problem}. Fix: shorten the bucket or project name`,
        });
        return;
      }
    }
  });
}

function checkDatabase(config: ParsedConfig, ctx: z.RefinementCtx): void {
  const db = config.database;
  const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: ['database', field], message });
  const version = db.engineVersion ?? DEFAULT_ENGINE_VERSION[db.engine];
  const versionProblem = globalDatabaseVersionProblem(db.engine, version);
  if (versionProblem) {
    issue('engineVersion', `${versionProblem}. Fix: use a supported version such as "${DEFAULT_ENGINE_VERSION[db.engine]}"`);
  } else if (db.writeForwarding && !supportsWriteForwarding(db.engine, version)) {
    issue(
      'writeForwarding',
      `${db.engine} ${version} cannot forward writes from secondary clusters. Fix: upgrade to 14.9+, 15.4+ or 16+, or turn writeForwarding off`,
    );
  }
  const usernameProblem = masterUsernameProblem(db.engine, db.masterUsername);
  if (usernameProblem) issue('masterUsername', `${usernameProblem}. Fix: use a name such as "dbadmin"`);
  if (db.engine === 'aurora-mysql' && db.databaseName.length > 64) {
    issue('databaseName', 'is longer than the 64 characters Aurora MySQL allows. Fix: shorten it');
  }

  const serverless = db.instanceClass === SERVERLESS_INSTANCE_CLASS;
  if (!serverless && !GLOBAL_DATABASE_INSTANCE_CLASS.test(db.instanceClass)) {
    issue(
      'instanceClass',
      `"${db.instanceClass}" cannot run Aurora Global Database, which needs a memory-optimized class. Fix: use e.g. "db.r6g.large", "db.r7g.xlarge" or "${SERVERLESS_INSTANCE_CLASS}"`,
    );
  }
  if (!serverless && db.serverless) {
    issue('serverless', `only applies with instanceClass "${SERVERLESS_INSTANCE_CLASS}". Fix: remove it or switch instanceClass`);
  }
  if (db.serverless && db.serverless.minCapacity > db.serverless.maxCapacity) {
    issue(
      'serverless',
      `minCapacity ${db.serverless.minCapacity} is above maxCapacity ${db.serverless.maxCapacity}. Fix: make minCapacity <= maxCapacity`,
    );
  }
  checkWindows(db, issue);
  const secondaries = config.regions.filter((r) => !r.primary).length;
  if (secondaries > 10) {
    issue('instances', `${secondaries} secondary Regions; Aurora Global Database allows 10. Fix: remove Regions`);
  }
  checkSpokeWriterPath(config, issue);
  checkUnlinkedWriterPath(config, issue);
}

/**
 * Without a private link, an app in a secondary Region cannot reach the writer's endpoint in another
 * Region: it writes through its own cluster, whose forwarded writes Aurora carries to the writer
 * over its own replication channel, and that needs an instance in every secondary
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding.html).
 */
function checkUnlinkedWriterPath(config: ParsedConfig, issue: (field: string, message: string) => void): void {
  if (config.topology.link !== 'none') return;
  const why = 'with topology.link "none", an app reaches a writer in another Region only through write forwarding';
  if (!config.database.writeForwarding) {
    issue('writeForwarding', `must be true ${why}. Fix: set database.writeForwarding to true, or use topology.link "vpc-peering"`);
  }
  if (config.database.instances.secondary === 0) {
    issue(
      'instances',
      `secondary must be at least 1 ${why}, which forwards from an instance in every secondary Region. Fix: set database.instances.secondary to 1 or more, or use topology.link "vpc-peering"`,
    );
  }
}

/**
 * Hub-and-spoke links the primary with each other Region only, but a switchover or failover can move
 * the writer to any spoke, which the other spokes then cannot reach. With more than two Regions, every
 * spoke must write through its own cluster: write forwarding, whose cross-Region path Aurora provides
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding.html),
 * from at least one instance.
 */
function checkSpokeWriterPath(config: ParsedConfig, issue: (field: string, message: string) => void): void {
  if (config.topology.peering !== 'hub-and-spoke' || config.regions.length <= 2) return;
  const why =
    'with topology.peering "hub-and-spoke" and more than two Regions, the spokes reach a writer that moved to another spoke only through write forwarding';
  if (!config.database.writeForwarding) {
    issue('writeForwarding', `must be true ${why}. Fix: set database.writeForwarding to true, or use topology.peering "full-mesh"`);
  }
  if (config.database.instances.secondary === 0) {
    issue(
      'instances',
      `secondary must be at least 1 ${why}, which needs an instance in every Region. Fix: set database.instances.secondary to 1 or more, or use topology.peering "full-mesh"`,
    );
  }
}

/** RDS's window rules beyond the format: see `./windows`. Windows that failed their format are not checked again. */
function checkWindows(db: ParsedConfig['database'], issue: (field: string, message: string) => void): void {
  const backupOk = BACKUP_WINDOW_PATTERN.test(db.backupWindow);
  const maintenanceOk = MAINTENANCE_WINDOW_PATTERN.test(db.maintenanceWindow);
  const backup = backupOk ? backupWindow(db.backupWindow) : undefined;
  const maintenance = maintenanceOk ? maintenanceWindow(db.maintenanceWindow) : undefined;
  const tooShort = (field: string, text: string, example: string) =>
    issue(
      field,
      `"${text}" is shorter than the ${MIN_WINDOW_MINUTES} minutes RDS requires. Fix: make it at least ${MIN_WINDOW_MINUTES} minutes long, e.g. "${example}"`,
    );
  if (backup && backup.minutes < MIN_WINDOW_MINUTES) tooShort('backupWindow', db.backupWindow, '03:00-03:30');
  if (maintenance && maintenance.minutes < MIN_WINDOW_MINUTES) tooShort('maintenanceWindow', db.maintenanceWindow, 'sun:05:00-sun:05:30');
  if (!backup || !maintenance || backup.minutes < MIN_WINDOW_MINUTES || maintenance.minutes < MIN_WINDOW_MINUTES) return;
  const day = overlapDay(backup, maintenance);
  if (day) {
    issue(
      'maintenanceWindow',
      `"${db.maintenanceWindow}" overlaps the daily backup window "${db.backupWindow}" (database.backupWindow) on ${day}, and RDS refuses windows that conflict. Fix: move one of them so they do not overlap, e.g. backups "03:00-04:00" and maintenance "sun:05:00-sun:06:00"`,
    );
  }
}

function checkTags(config: ParsedConfig, ctx: z.RefinementCtx): void {
  const keys = Object.keys(config.tags);
  if (keys.length > MAX_USER_TAGS) {
    const generated = DEFAULT_TAG_KEYS.length + MAX_RESOURCE_TAGS;
    ctx.addIssue({
      code: 'custom',
      path: ['tags'],
      message: `has ${keys.length} tags; AWS allows ${AWS_MAX_TAGS_PER_RESOURCE} per resource and the generator puts up to ${generated} on one resource (${DEFAULT_TAG_KEYS.join(', ')}, and Name with Tier or Side). Fix: keep at most ${MAX_USER_TAGS}`,
    });
  }
  // EC2 and S3 tag keys are case-sensitive, but IAM's are not: a role refuses "Project" beside
  // "project" (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html, "Rules for tagging").
  // Every IAM role gets the provider's default tags, so keys are compared without case.
  const seen = new Map<string, string>();
  for (const key of keys) {
    const folded = key.toLowerCase();
    const generated = GENERATED_TAG_KEYS.find((k) => k.toLowerCase() === folded);
    if (generated) {
      ctx.addIssue({
        code: 'custom',
        path: ['tags', key],
        message: `"${key}" is a tag the generator sets (${generated}); AWS would keep one of the two, or IAM would refuse both. Fix: rename the tag, e.g. "Team${generated}"`,
      });
      continue;
    }
    const earlier = seen.get(folded);
    if (earlier !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['tags', key],
        message: `differs from "${earlier}" only in case; IAM treats tag keys case-insensitively and refuses the pair on every role. Fix: keep one of them`,
      });
    } else {
      seen.set(folded, key);
    }
  }
}

function checkResilience(config: ParsedConfig, issue: (path: (string | number)[], message: string) => void): void {
  const { resilience } = config;
  const secondaries = config.regions.filter((r) => !r.primary).map((r) => r.region);
  if (resilience.failoverRegion !== undefined && !secondaries.includes(resilience.failoverRegion)) {
    issue(
      ['resilience', 'failoverRegion'],
      `"${resilience.failoverRegion}" is not a secondary Region. Fix: use one of ${secondaries.join(', ') || 'the secondary Regions'}, or remove it`,
    );
  }
  if (resilience.gameDay && config.regions.length > GAME_DAY_MAX_REGIONS) {
    issue(
      ['resilience', 'gameDay'],
      `works with at most ${GAME_DAY_MAX_REGIONS} Regions: a FIS template takes at most ${FIS_LIMITS.stopConditionsPerTemplate} stop conditions (the other Regions' alarms) and runs at most ${FIS_LIMITS.parallelActionsPerExperiment} actions at once (two per other Region). Fix: set it to false, or rehearse with a layout of ${GAME_DAY_MAX_REGIONS} Regions or fewer`,
    );
  }
  if (resilience.gameDay && config.storage.buckets.length > GAME_DAY_MAX_BUCKETS) {
    issue(
      ['resilience', 'gameDay'],
      `works with at most ${GAME_DAY_MAX_BUCKETS} replicated buckets (a FIS target names at most ${FIS_LIMITS.resourceArnsPerTarget} by ARN); storage.buckets has ${config.storage.buckets.length}. Fix: set it to false, or replicate fewer buckets`,
    );
  }
  for (const field of ['autoEvacuate', 'autoPromote'] as const) {
    if (resilience[field] && !resilience.runbooks.enabled) {
      issue(
        ['resilience', field],
        'starts a runbook, but resilience.runbooks.enabled is false. Fix: enable the runbooks, or set it to false',
      );
    }
  }
  // evacuate and restore come as a pair, and restore reads the Route 53 checks of the Region it brings back.
  if (resilience.autoEvacuate && resilience.runbooks.enabled && !resilience.healthChecks.enabled) {
    issue(
      ['resilience', 'autoEvacuate'],
      'starts evacuate, which exists only with the Route 53 health checks that restore reads, but resilience.healthChecks.enabled is false. Fix: enable the health checks, or set it to false',
    );
  }
}

/** The configuration schema: the single source of validation, defaults and the JSON Schema. */
export const ConfigSchema = ConfigObject.superRefine((config, ctx) => {
  checkRegions(config, ctx);
  checkState(config, ctx);
  checkTags(config, ctx);
  checkNetwork(config, ctx);
  checkStorage(config, ctx);
  checkTables(
    config.storage.tables,
    config.regions.map((r) => r.region),
    (path, message) => ctx.addIssue({ code: 'custom', path, message }),
  );
  checkDatabase(config, ctx);
  if (config.topology.keepTransitGateways && config.topology.link === 'transit-gateway') {
    ctx.addIssue({
      code: 'custom',
      path: ['topology', 'keepTransitGateways'],
      message: 'only applies while topology.link is "vpc-peering" or "none": the Transit Gateways are the link. Fix: remove it',
    });
  }
  checkTraffic(config, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
  checkResilience(config, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
});

/** What a config file may contain (defaults not yet applied). */
export type ConfigInput = z.input<typeof ConfigSchema>;
export type ParsedConfig = z.output<typeof ConfigObject>;
