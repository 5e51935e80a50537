/**
 * Every name the generator gives to a stack or an AWS resource comes from here, so that names are
 * deterministic, consistent across stacks, and checked once against AWS rules at config time.
 */

/** The only partition the generator targets; ARNs are built with it. */
export const PARTITION = 'aws';

/** A project name: lowercase words joined by single hyphens, usable in S3, RDS and IAM names. */
export const PROJECT_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const PROJECT_NAME_MIN_LENGTH = 3;
/** Leaves room for the longest suffix (`-tfstate-<account>-<region>`) within S3's 63 characters. */
export const PROJECT_NAME_MAX_LENGTH = 24;

/** Prefixes and suffixes that S3 reserves, on top of its character rules. */
export const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
export const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Returns why `bucket` is not a valid general purpose S3 bucket name, or `undefined` if it is. */
export function s3BucketNameProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) {
    return `"${bucket}" is ${bucket.length} characters long; S3 bucket names have 3 to 63`;
  }
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket)) {
    return `"${bucket}" may only hold lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit`;
  }
  if (bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    return `"${bucket}" has adjacent dots or looks like an IP address`;
  }
  const prefix = S3_RESERVED_PREFIXES.find((p) => bucket.startsWith(p));
  if (prefix) return `"${bucket}" starts with "${prefix}", which S3 reserves`;
  const suffix = S3_RESERVED_SUFFIXES.find((s) => bucket.endsWith(s));
  if (suffix) return `"${bucket}" ends with "${suffix}", which S3 reserves`;
  return undefined;
}

/**
 * File name of the state stack's local state in the project directory: where a layout bootstrapped
 * before the state stack kept its state in its bucket has it, and where `bootstrap --reverse` puts it
 * for a teardown.
 */
export const STATE_STACK_STATE_FILE = 'terraform.state.tfstate';

/**
 * The override file that gives the state stack a local backend while its bucket does not exist
 * (Terraform merges `*_override.tf.json` over the stack and its backend block replaces the S3 one).
 */
export const LOCAL_BACKEND_OVERRIDE = 'local_backend_override.tf.json';

/** Stack names, shared by the stack builders, the harness and the CLI. */
export const StackNames = {
  state: 'state',
  global: 'global',
  mesh: 'mesh',
  edge: 'edge',
  region: (region: string): string => `region-${region}`,
} as const;

/**
 * What each stack needs deployed before it: global needs state; every Region needs global, and every
 * other Region the primary's (the Aurora primary must exist before secondaries join); mesh and edge
 * need every Region (they read each Region stack's outputs). The app adds exactly these dependencies,
 * so `cdktf deploy '*'` and the deployment waves follow one rule.
 */
export function stackDependencies(primaryRegion: string, secondaryRegions: readonly string[]): ReadonlyMap<string, readonly string[]> {
  const regions = [primaryRegion, ...secondaryRegions].map(StackNames.region);
  return new Map<string, readonly string[]>([
    [StackNames.state, []],
    [StackNames.global, [StackNames.state]],
    [StackNames.region(primaryRegion), [StackNames.global]],
    ...secondaryRegions.map((region): [string, readonly string[]] => [
      StackNames.region(region),
      [StackNames.global, StackNames.region(primaryRegion)],
    ]),
    [StackNames.mesh, regions],
    [StackNames.edge, regions],
  ]);
}

/**
 * The stacks as waves: each wave holds the stacks whose dependencies are all in earlier waves, so the
 * stacks of one wave can deploy at the same time (state; global; the primary Region; every other
 * Region; mesh and edge).
 */
export function deploymentWaves(primaryRegion: string, secondaryRegions: readonly string[]): string[][] {
  const dependencies = stackDependencies(primaryRegion, secondaryRegions);
  const wave = new Map<string, number>();
  const waveOf = (stack: string): number => {
    if (!wave.has(stack)) wave.set(stack, Math.max(-1, ...dependencies.get(stack)!.map(waveOf)) + 1);
    return wave.get(stack)!;
  };
  const waves: string[][] = [];
  for (const stack of dependencies.keys()) (waves[waveOf(stack)] ??= []).push(stack);
  return waves;
}

/** Stacks in the order `cdktf deploy '*'` runs them one at a time: the waves, one after another. */
export function deploymentOrder(primaryRegion: string, secondaryRegions: readonly string[]): string[] {
  return deploymentWaves(primaryRegion, secondaryRegions).flat();
}

/** Names derived from the project name and account: pure, deterministic, validated at config time. */
export class Naming {
  constructor(
    /** The project name from config. */
    readonly project: string,
    /** The 12-digit AWS account ID. */
    readonly accountId: string,
  ) {}

  /** Globally unique Terraform state bucket name in `region`. */
  stateBucket(region: string): string {
    return `${this.project}-tfstate-${this.accountId}-${region}`;
  }

  stateLockTable(): string {
    return `${this.project}-tfstate-lock`;
  }

  stateKeyAlias(): string {
    return `alias/${this.project}-tfstate`;
  }

  stateReplicationRole(): string {
    return `${this.project}-tfstate-replication`;
  }

  /** Role that S3 assumes to replicate the replica state bucket back into the state bucket. */
  stateReplicaReplicationRole(): string {
    return `${this.project}-tfstate-replication-back`;
  }

  /** The object key of a stack's state in the state bucket. */
  stateObjectKey(stack: string): string {
    return `stacks/${stack}.tfstate`;
  }

  /** A replicated data bucket's name in `region`. */
  dataBucket(bucket: string, region: string): string {
    return `${this.project}-${bucket}-${this.accountId}-${region}`;
  }

  /** A DynamoDB global table's name: the same in every Region (a global table's replicas share it). */
  table(table: string): string {
    return `${this.project}-${table}`;
  }

  /** A global table's ARN in `region` (its replica there), computed so that no stack reads another's. */
  tableArn(table: string, region: string): string {
    return `arn:${PARTITION}:dynamodb:${region}:${this.accountId}:table/${this.table(table)}`;
  }

  /** The Region's bucket for S3 server access logs. */
  accessLogBucket(region: string): string {
    return `${this.project}-s3logs-${this.accountId}-${region}`;
  }

  /** Role that S3 assumes to replicate one bucket out of one Region. */
  bucketReplicationRole(bucket: string, region: string): string {
    return `${this.project}-${bucket}-replication-${region}`;
  }

  /** Application Load Balancer names are unique per Region and hold at most 32 characters. */
  loadBalancer(): string {
    return this.project;
  }

  /**
   * Target groups get a generated name after this prefix (at most 6 characters, so they can be
   * replaced create-first): the project's first letters and a hyphen.
   */
  targetGroupNamePrefix(): string {
    return `${this.project.slice(0, 5).replace(/-+$/, '')}-`;
  }

  loadBalancerLogBucket(region: string): string {
    return `${this.project}-alblogs-${this.accountId}-${region}`;
  }

  workloadCluster(): string {
    return this.project;
  }

  workloadLogGroup(): string {
    return `/${this.project}/workload`;
  }

  workloadExecutionRole(region: string): string {
    return `${this.project}-ecs-execution-${region}`;
  }

  workloadTaskRole(region: string): string {
    return `${this.project}-ecs-task-${region}`;
  }

  accelerator(): string {
    return this.project;
  }

  acceleratorFlowLogBucket(region: string): string {
    return `${this.project}-galogs-${this.accountId}-${region}`;
  }

  /** Alias of the key of resources that exist once for the layout. */
  globalKeyAlias(): string {
    return `alias/${this.project}-global`;
  }

  alertsTopic(): string {
    return `${this.project}-alerts`;
  }

  /** The edge stack's alerts topic; named apart from the alerts topic of a Region stack in the same Region. */
  edgeAlertsTopic(): string {
    return `${this.project}-edge-alerts`;
  }

  /** Alias of a Region's general purpose customer-managed key. */
  regionalKeyAlias(): string {
    return `alias/${this.project}`;
  }

  /** Prefix of `Name` tags of a Region's resources. */
  regionalPrefix(region: string): string {
    return `${this.project}-${region}`;
  }

  flowLogGroup(): string {
    return `/${this.project}/vpc-flow-logs`;
  }

  /** ARN patterns of the project's log groups in a Region (its own, and its database clusters'), for key policies. */
  logGroupArnPatterns(region: string): string[] {
    const prefix = `arn:${PARTITION}:logs:${region}:${this.accountId}:log-group:`;
    return [`${prefix}/${this.project}/*`, `${prefix}/aws/rds/cluster/${this.databaseCluster(region)}/*`];
  }

  globalDatabase(): string {
    return this.project;
  }

  databaseCluster(region: string): string {
    return `${this.project}-${region}`;
  }

  /**
   * ARN of a Region's database cluster: how DescribeGlobalClusters lists the members, and how a
   * promotion names its target. With `*` for the Region, the pattern of every member's ARN.
   */
  databaseClusterArn(region: string): string {
    return `arn:${PARTITION}:rds:${region}:${this.accountId}:cluster:${this.databaseCluster(region)}`;
  }

  /** ARN of the global database; global clusters have no Region in their ARN. */
  globalDatabaseArn(): string {
    return `arn:${PARTITION}:rds::${this.accountId}:global-cluster:${this.globalDatabase()}`;
  }

  databaseMonitoringRole(region: string): string {
    return `${this.project}-rds-monitoring-${region}`;
  }

  /** IAM role names are global, so regional roles carry the Region. */
  flowLogRole(region: string): string {
    return `${this.project}-vpc-flow-logs-${region}`;
  }

  kmsAliasArn(region: string, alias: string): string {
    return `arn:${PARTITION}:kms:${region}:${this.accountId}:${alias}`;
  }

  accountRootArn(): string {
    return `arn:${PARTITION}:iam::${this.accountId}:root`;
  }

  /** A Region's alarm on `signal` (for example `healthy-hosts`); alarm names are per Region, the Region is there for the reader. */
  alarm(region: string, signal: string): string {
    return `${this.project}-${region}-${signal}`;
  }

  /** A Region's composite alarm that combines its other alarms. */
  regionImpairedAlarm(region: string): string {
    return this.alarm(region, 'impaired');
  }

  /** `Name` tag of a Route 53 health check of a Region (`entry`, `lag`, `switch`); health checks have no name of their own. */
  healthCheck(region: string, purpose: 'entry' | 'lag' | 'switch'): string {
    return `${this.project}-${region}-${purpose}`;
  }

  /** The ARN of an alarm of this account in `region`, for references from another Region (FIS stop conditions). */
  alarmArn(region: string, alarmName: string): string {
    return `arn:${PARTITION}:cloudwatch:${region}:${this.accountId}:alarm:${alarmName}`;
  }

  /** IAM role that AWS FIS assumes to run a Region's game day experiments; IAM names are global, so it carries the Region. */
  gameDayRole(region: string): string {
    return `${this.project}-game-day-${region}`;
  }

  /** Log group of a Region's game day experiments (under the project's prefix, which the Region's key allows). */
  gameDayLogGroup(): string {
    return `/${this.project}/game-day`;
  }

  /** A runbook's state machine: `promote-database` in every Region, `evacuate` and `restore` beside the routing API. */
  runbook(runbook: 'promote-database' | 'evacuate' | 'restore'): string {
    return `${this.project}-${runbook}`;
  }

  /** Log group of a runbook's executions (under the project's prefix, which the Region's key allows). */
  runbookLogGroup(runbook: 'promote-database' | 'evacuate' | 'restore'): string {
    return `/${this.project}/runbooks/${runbook}`;
  }

  /** IAM role of a runbook; IAM names are global, so a regional runbook's role carries its Region. */
  runbookRole(runbook: 'promote-database' | 'evacuate' | 'restore', region: string): string {
    return `${this.project}-${runbook === 'promote-database' ? 'promote-db' : runbook}-${region}`;
  }

  /** A runbook state machine's ARN in `region` (from its name, so a rule can start it before it exists). */
  runbookArn(runbook: 'promote-database' | 'evacuate' | 'restore', region: string): string {
    return `arn:${PARTITION}:states:${region}:${this.accountId}:stateMachine:${this.runbook(runbook)}`;
  }

  /**
   * An SSM Automation document through which the traffic runbooks call Global Accelerator (Step
   * Functions has no Global Accelerator integration). Names may not start with `aws`, `amazon` or
   * `amzn` (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html).
   */
  automationDocument(document: 'update-endpoint-group' | 'describe-endpoint-group'): string {
    return `${this.project}-${document}`;
  }

  /** The role those automations run as; IAM names are global, so it carries the Region. */
  automationRole(region: string): string {
    return `${this.project}-ga-automation-${region}`;
  }

  /** The rule that forwards a Region's "Region impaired" alarm to the Regions whose runbooks act on it. */
  alarmForwarderRule(): string {
    return `${this.project}-forward-impaired`;
  }

  /** The role EventBridge assumes to forward a Region's alarm events to other Regions. */
  alarmForwarderRole(region: string): string {
    return `${this.project}-forward-alarms-${region}`;
  }

  /** The rule that starts a runbook when an alarm enters ALARM. */
  runbookTriggerRule(runbook: 'promote-database' | 'evacuate'): string {
    return `${this.project}-start-${runbook}`;
  }

  /** The role EventBridge assumes to start a runbook; IAM names are global, so it carries the Region. */
  runbookTriggerRole(runbook: 'promote-database' | 'evacuate', region: string): string {
    return `${this.project}-start-${runbook === 'promote-database' ? 'promote-db' : runbook}-${region}`;
  }
}

export function s3BucketArn(bucket: string): string {
  return `arn:${PARTITION}:s3:::${bucket}`;
}
