import type { ResolvedConfig } from '../config';
import { GLOBAL_ACCELERATOR_CONTROL_PLANE, GLOBAL_SERVICES_REFERENCE, ROUTE53_CONTROL_PLANE } from '../planning/control-planes';
import { GLOBAL_ACCELERATOR_REACTION_SECONDS, LOAD_BALANCER_ALIAS_TTL_SECONDS } from '../planning/failover';

/**
 * How much a figure can be relied on:
 * - `guarantee`: AWS commits to it, by an SLA or by what the operation does (a switchover loses no data);
 * - `typical`: AWS describes what usually happens, without a commitment;
 * - `bound`: the arithmetic of the configuration's settings, the designed wait of a step (health
 *   checks run periodically, so a step may end sooner; AWS's own delivery delays are not in it).
 */
export type FigureKind = 'guarantee' | 'typical' | 'bound';

/** Where a figure comes from: the configuration's values, or a statement in the AWS documentation. */
export type FigureSource = 'config' | 'aws';

/** A duration in seconds, or a range. */
export type Seconds = number | { readonly min: number; readonly max: number };

/** One designed figure of a recovery: what it measures, how long, and why. */
export interface Figure {
  /** What the figure measures, e.g. `detection`. */
  readonly measure: string;
  readonly seconds: Seconds;
  readonly source: FigureSource;
  /** The formula with the configuration's values, or the AWS statement it rests on. */
  readonly basis: string;
  /** The AWS page that states it. */
  readonly reference?: string;
  readonly kind: FigureKind;
}

/** A mechanism that moves users or the database writer away from a failed Region. */
export interface RecoveryMechanism {
  readonly id: 'target-health' | 'entry-health-checks' | 'aurora-switchover' | 'aurora-failover';
  readonly name: string;
  /** What it does, and what sets it off. */
  readonly effect: string;
  /** In the order they happen; a `total` last where the steps add up. */
  readonly figures: readonly Figure[];
}

/** A data store, how it is copied to other Regions, and what a Region's loss can cost it. */
export interface DataStore {
  /** `aurora`, `bucket:<name>`, `table:<name>` or `terraform-state`. */
  readonly id: string;
  readonly name: string;
  /** Where the copies go, e.g. `us-east-1 -> us-west-2`. */
  readonly copies: string;
  /** The recovery point: data written in the lost Region but not yet copied. */
  readonly figures: readonly Figure[];
}

/** The control plane a recovery step calls, and the Region it must be reachable in. */
export interface ControlPlaneNeed {
  readonly step: string;
  /** The API called, or `none` when the step happens in the data plane. */
  readonly controlPlane: string;
  /** The Regions whose control plane the step needs; empty when it needs none. */
  readonly regions: readonly string[];
  readonly basis: string;
  readonly reference?: string;
}

/** The designed recovery of a configuration. */
export interface DesignedRecovery {
  readonly name: string;
  readonly primaryRegion: string;
  /** In config order. */
  readonly regions: readonly string[];
  readonly trafficMode: ResolvedConfig['traffic']['mode'];
  readonly mechanisms: readonly RecoveryMechanism[];
  readonly dataLoss: readonly DataStore[];
  readonly controlPlanes: readonly ControlPlaneNeed[];
}

/** The AWS pages the figures cite. */
export const AWS_REFERENCES = {
  targetHealthChecks: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
  acceleratorFailover: 'https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints-endpoint-weights.unhealthy-endpoints.html',
  aliasTtl: 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html',
  route53Health: 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html',
  auroraGlobal: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html',
  auroraSwitchover: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverGlobalCluster.html',
  auroraFailover: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverGlobalCluster.html',
  auroraFaq: 'https://aws.amazon.com/rds/aurora/faqs/',
  s3Rtc: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html',
  s3RtcSla: 'https://aws.amazon.com/s3/sla-rtc/',
  s3ReplicationTime: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-troubleshoot.html',
  globalServices: GLOBAL_SERVICES_REFERENCE,
  vpcPeering: 'https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html',
  transitGatewayPeering: 'https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html',
  writeForwarding: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding.html',
  dynamodbGlobalTables: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html',
} as const;

/** DynamoDB global tables replicate asynchronously, typically within a second (AWS_REFERENCES.dynamodbGlobalTables). */
export const DYNAMODB_TYPICAL_REPLICATION_SECONDS = 1;

/** Aurora replicates to secondary Regions "with latency typically under a second" (AWS_REFERENCES.auroraGlobal). */
export const AURORA_TYPICAL_LAG_SECONDS = 1;
/** A secondary Region can be promoted "to take full read/write workloads in under a minute" (AWS_REFERENCES.auroraFaq). */
export const AURORA_PROMOTION_SECONDS = 60;
/** S3 RTC replicates 99.99 % of objects within 15 minutes (AWS_REFERENCES.s3Rtc); the SLA credits below 99.9 % a month (s3RtcSla). */
export const S3_RTC_SECONDS = 15 * 60;
/** Without RTC, "the majority of objects replicate within 15 minutes", some take hours (AWS_REFERENCES.s3ReplicationTime). */
export const S3_MAJORITY_SECONDS = 15 * 60;
/** Route 53 deems an endpoint unhealthy when this share of its checkers, or less, report it healthy (AWS_REFERENCES.route53Health). */
export const ROUTE53_HEALTHY_CHECKER_PERCENT = 18;
/** Period of every alarm of a Region (the composite "Region impaired" alarm's children). */
export const ALARM_PERIOD_SECONDS = 60;

/**
 * The state stack's replication of the Terraform state bucket runs without Replication Time Control
 * (`StateBackend` leaves `BucketReplication.replicationTimeControl` at its default, off); a test
 * holds the synthesized state stack to it.
 */
export const STATE_REPLICATION_TIME_CONTROL = false;

/** `30 s`, `15 min`: minutes from 10 minutes on, when whole. */
function formatOne(seconds: number): string {
  return seconds >= 600 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** A duration or range for people: `60 s`, `30 min`, `0 to 1 s`. */
export function formatSeconds(seconds: Seconds): string {
  if (typeof seconds === 'number') return formatOne(seconds);
  const [min, max] = [formatOne(seconds.min), formatOne(seconds.max)];
  return min.endsWith(' s') && max.endsWith(' s') ? `${seconds.min} to ${max}` : `${min} to ${max}`;
}

const STRENGTH: Readonly<Record<FigureKind, number>> = { typical: 0, bound: 1, guarantee: 2 };

function addSeconds(a: Seconds, b: Seconds): Seconds {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  const range = (s: Seconds) => (typeof s === 'number' ? { min: s, max: s } : s);
  return { min: range(a).min + range(b).min, max: range(a).max + range(b).max };
}

/** Steps that follow each other: their sum, as weak as the weakest step, citing the AWS step if any. */
function total(measure: string, steps: readonly Figure[]): Figure {
  const seconds = steps.map((s) => s.seconds).reduce(addSeconds);
  const weakest = steps.reduce((a, b) => (STRENGTH[b.kind] < STRENGTH[a.kind] ? b : a));
  const aws = steps.find((s) => s.source === 'aws');
  return {
    measure,
    seconds,
    source: aws ? 'aws' : 'config',
    basis: `${steps.map((s) => `${formatSeconds(s.seconds)} (${s.measure})`).join(' + ')} = ${formatSeconds(seconds)}`,
    ...(aws?.reference ? { reference: aws.reference } : {}),
    kind: weakest.kind,
  };
}

const fromConfig = (measure: string, seconds: Seconds, basis: string, reference?: string): Figure => ({
  measure,
  seconds,
  source: 'config',
  basis,
  ...(reference ? { reference } : {}),
  kind: 'bound',
});

const fromAws = (measure: string, seconds: Seconds, kind: FigureKind, basis: string, reference: string): Figure => ({
  measure,
  seconds,
  source: 'aws',
  basis,
  reference,
  kind,
});

/** Route 53's records by mode, and where a query goes when a Region's records are unhealthy. */
const ROUTE53_RECORDS: Readonly<Record<string, { readonly records: string; readonly next: string }>> = {
  'route53-latency': { records: 'latency records', next: 'the next closest healthy Region' },
  'route53-geolocation': {
    records: 'geolocation records',
    next: "the record of the next larger location (a country's continent, then the default record)",
  },
  'route53-failover': { records: 'failover records', next: 'the next healthy Region in traffic.failover.order' },
};

/** Resolvers that honour the TTL of an alias record to a load balancer ask Route 53 again within it. */
function dnsCache(mode: string): Figure {
  const next = ROUTE53_RECORDS[mode]?.next ?? 'the next closest healthy Region';
  return fromAws(
    'clients follow',
    LOAD_BALANCER_ALIAS_TTL_SECONDS,
    'bound',
    `Route 53 answers an alias record to a load balancer with the load balancer's TTL, ${LOAD_BALANCER_ALIAS_TTL_SECONDS} s: resolvers and clients that honour it ask again within it and get ${next} (clients that cache longer take longer)`,
    AWS_REFERENCES.aliasTtl,
  );
}

function targetHealth(config: ResolvedConfig): RecoveryMechanism {
  const { intervalSeconds: interval, unhealthyThresholdCount: threshold, timeoutSeconds } = config.traffic.healthCheck;
  const detection = fromConfig(
    'detection',
    interval * threshold,
    `${threshold} failed checks in a row, ${interval} s apart (traffic.healthCheck): ${interval} s x ${threshold} = ${interval * threshold} s after the last passed check, plus up to ${timeoutSeconds} s (timeoutSeconds) when checks time out rather than fail`,
    AWS_REFERENCES.targetHealthChecks,
  );
  if (config.traffic.mode === 'global-accelerator') {
    const reaction = fromAws(
      'Global Accelerator moves new connections',
      GLOBAL_ACCELERATOR_REACTION_SECONDS,
      'typical',
      `AWS: routing follows a change of health "in about 30 seconds or so" (stated for traffic returning to a recovered Region); established connections are not moved. For load balancer endpoints the accelerator uses the load balancer's target health; with no healthy endpoint in the three closest Regions it fails open`,
      AWS_REFERENCES.acceleratorFailover,
    );
    return {
      id: 'target-health',
      name: 'Load balancer target health',
      effect:
        'A load balancer without a healthy target makes its Region unhealthy to Global Accelerator, which sends new connections to the next closest healthy Region. Data plane only: no API call, no runbook.',
      figures: [detection, reaction, total('new connections moved', [detection, reaction])],
    };
  }
  const follow = dnsCache(config.traffic.mode);
  const { records, next } = ROUTE53_RECORDS[config.traffic.mode];
  return {
    id: 'target-health',
    name: 'Load balancer target health',
    effect: `Every one of the ${records} evaluates its load balancer's target health (with the DNS-failover threshold of the target group): Route 53 stops answering with a Region whose load balancer has too few healthy targets and answers ${next}. Data plane only: no API call, no runbook.`,
    figures: [detection, follow, total('new connections moved', [detection, follow])],
  };
}

function entryHealthChecks(config: ResolvedConfig): RecoveryMechanism {
  const { requestIntervalSeconds: interval, failureThreshold: threshold } = config.resilience.healthChecks;
  const periods = config.resilience.alarms.evaluationPeriods;
  const aggregation = `Route 53's checkers do not coordinate; it deems the entry unhealthy once ${ROUTE53_HEALTHY_CHECKER_PERCENT} % or fewer of them report it healthy`;
  const detection = config.traffic.loadBalancer.internal
    ? fromConfig(
        'detection',
        periods * ALARM_PERIOD_SECONDS,
        `internal load balancers are out of the checkers' reach, so each check follows its Region's healthy-host alarm: ${periods} periods (resilience.alarms.evaluationPeriods) x ${ALARM_PERIOD_SECONDS} s = ${periods * ALARM_PERIOD_SECONDS} s after the load balancer marks its targets unhealthy`,
      )
    : fromConfig(
        'detection',
        interval * threshold,
        `${threshold} failed checks in a row, ${interval} s apart, by each checker (resilience.healthChecks): ${interval} s x ${threshold} = ${interval * threshold} s. ${aggregation}`,
        AWS_REFERENCES.route53Health,
      );
  if (config.traffic.mode !== 'global-accelerator') {
    const follow = dnsCache(config.traffic.mode);
    return {
      id: 'entry-health-checks',
      name: 'Route 53 entry health checks',
      effect: `Each Region's ${ROUTE53_RECORDS[config.traffic.mode].records} also carry its entry health check (through the traffic-switch check that evacuate sets unhealthy): an entry that fails from outside leaves DNS answers even while its targets look healthy.`,
      figures: [detection, follow, total('new connections moved', [detection, follow])],
    };
  }
  return {
    id: 'entry-health-checks',
    name: 'Route 53 entry health checks',
    effect:
      "An outside-in signal for the Region's alarms and the restore runbook. Traffic does not wait for it: the accelerator's addresses never change, and the accelerator follows the load balancer's target health.",
    figures: [detection],
  };
}

function promotionFigures(config: ResolvedConfig, promotion: string): Figure[] {
  const { enabled, timeoutMinutes } = config.resilience.runbooks;
  return [
    fromAws('new writer available', AURORA_PROMOTION_SECONDS, 'typical', promotion, AWS_REFERENCES.auroraFaq),
    ...(enabled
      ? [
          fromConfig(
            'promote-database waits at most',
            timeoutMinutes * 60,
            `resilience.runbooks.timeoutMinutes: ${timeoutMinutes} x 60 s = ${timeoutMinutes * 60} s for the new writer, then the runbook fails and notifies`,
          ),
        ]
      : []),
  ];
}

function auroraSwitchover(config: ResolvedConfig): RecoveryMechanism {
  return {
    id: 'aurora-switchover',
    name: 'Aurora switchover (planned)',
    effect: `The primary Region is healthy: Aurora synchronizes every secondary, then swaps the writer into the target Region. ${config.resilience.runbooks.enabled ? 'promote-database with mode "switchover"' : 'aws rds switchover-global-cluster'}.`,
    figures: promotionFigures(
      config,
      'AWS gives no duration for a switchover (the database "is unavailable for a short time" while the clusters swap roles); it promotes a secondary Region "to take full read/write workloads in under a minute"',
    ),
  };
}

function auroraFailover(config: ResolvedConfig): RecoveryMechanism {
  const periods = config.resilience.alarms.evaluationPeriods;
  const { autoPromote, failoverRegion } = config.resilience;
  const start = autoPromote
    ? [
        fromConfig(
          'failover starts',
          periods * ALARM_PERIOD_SECONDS,
          `autoPromote: the primary Region's composite alarm fires after ${periods} breaching periods (resilience.alarms.evaluationPeriods) x ${ALARM_PERIOD_SECONDS} s = ${periods * ALARM_PERIOD_SECONDS} s, then promote-database fails over to ${failoverRegion}`,
        ),
      ]
    : [];
  return {
    id: 'aurora-failover',
    name: 'Aurora failover (unplanned)',
    effect: `The primary Region is down: a secondary becomes the writer, allowing data loss. ${autoPromote ? `Started automatically in ${failoverRegion} (autoPromote)` : `Started by an operator (autoPromote is off)${config.resilience.runbooks.enabled ? ': promote-database with mode "failover" and allowDataLoss' : ': aws rds failover-global-cluster --allow-data-loss'}`}.`,
    figures: [
      ...start,
      ...promotionFigures(
        config,
        'AWS: a secondary Region can be promoted "to take full read/write workloads in under a minute"; its disaster recovery guide puts the whole recovery time "in the order of minutes"',
      ),
    ],
  };
}

function bucketReplication(rtc: boolean, what: string): Figure {
  return rtc
    ? fromAws(
        'replicated',
        S3_RTC_SECONDS,
        'guarantee',
        `${what}, with Replication Time Control: most objects in seconds and 99.99 % within 15 minutes; the RTC SLA gives service credits when fewer than 99.9 % of a month's objects make it within 15 minutes (${AWS_REFERENCES.s3RtcSla})`,
        AWS_REFERENCES.s3Rtc,
      )
    : fromAws(
        'replicated',
        S3_MAJORITY_SECONDS,
        'typical',
        `${what}, without Replication Time Control: "the majority of objects replicate within 15 minutes, but they can sometimes take a couple of hours"; no time commitment`,
        AWS_REFERENCES.s3ReplicationTime,
      );
}

function dataStores(config: ResolvedConfig): DataStore[] {
  const { primaryRegion, secondaryRegions, regions, state, resilience } = config;
  const aurora: DataStore = {
    id: 'aurora',
    name: 'Aurora global database',
    copies: `${primaryRegion} -> ${secondaryRegions.join(', ')}`,
    figures: [
      fromAws(
        'lost in a switchover',
        0,
        'guarantee',
        'AWS: a switchover synchronizes every secondary with the primary before the roles change, so the new writer continues "without losing any data"',
        AWS_REFERENCES.auroraSwitchover,
      ),
      fromAws(
        'lost in a failover',
        { min: 0, max: AURORA_TYPICAL_LAG_SECONDS },
        'typical',
        `the replication lag at the moment of failure; AWS: replication "with latency typically under a second". The lag alarm fires above ${resilience.alarms.replicationLagSeconds} s (resilience.alarms.replicationLagSeconds)`,
        AWS_REFERENCES.auroraGlobal,
      ),
    ],
  };
  const everyRegion = `every Region, both ways (${regions.map((r) => r.region).join(', ')})`;
  const buckets = config.storage.buckets.map((bucket): DataStore => ({
    id: `bucket:${bucket.name}`,
    name: `S3 bucket ${bucket.name}`,
    copies: everyRegion,
    figures: [bucketReplication(bucket.replicationTimeControl, `storage.buckets "${bucket.name}"`)],
  }));
  const tables = config.storage.tables.map((table): DataStore => ({
    id: `table:${table.name}`,
    name: `DynamoDB global table ${table.name}`,
    copies: everyRegion,
    figures: [
      fromAws(
        'replicated',
        DYNAMODB_TYPICAL_REPLICATION_SECONDS,
        'typical',
        `storage.tables "${table.name}": asynchronous, typically within a second; writes not yet replicated out of a lost Region are lost, and concurrent writes of one item elsewhere win by last writer; ReplicationLatency alarms above ${table.replicationLatencyThresholdMs} ms`,
        AWS_REFERENCES.dynamodbGlobalTables,
      ),
    ],
  }));
  const stateStore: DataStore = {
    id: 'terraform-state',
    name: 'Terraform state',
    copies: `${state.region} <-> ${state.replicaRegion} (state.active: ${state.active})`,
    figures: [bucketReplication(STATE_REPLICATION_TIME_CONTROL, 'the state bucket')],
  };
  return [aurora, ...buckets, ...tables, stateStore];
}

/**
 * The surviving Regions' private traffic: static routes and links that nothing has to change when
 * a Region fails, or no link at all (topology.link).
 */
function linkBetweenRegions(config: ResolvedConfig): ControlPlaneNeed {
  const { link } = config.topology;
  if (link === 'none') {
    return {
      step: 'the apps reach the writer (no private link)',
      controlPlane: 'none',
      regions: [],
      basis:
        "each Region's app writes through its own cluster, whose write forwarding Aurora carries to the writer wherever a promotion put it",
      reference: AWS_REFERENCES.writeForwarding,
    };
  }
  const what = link === 'vpc-peering' ? 'VPC peering connections' : 'Transit Gateway peerings';
  return {
    step: 'the surviving Regions keep their private links',
    controlPlane: 'none',
    regions: [],
    basis: `${what} and their routes are static: nothing is called when a Region fails, and the links between the other Regions carry on`,
    reference: link === 'vpc-peering' ? AWS_REFERENCES.vpcPeering : AWS_REFERENCES.transitGatewayPeering,
  };
}

function controlPlanes(config: ResolvedConfig): ControlPlaneNeed[] {
  const { traffic, resilience, state, secondaryRegions } = config;
  const accelerator = traffic.mode === 'global-accelerator';
  const runbooks = resilience.runbooks.enabled;
  const stateRegion = state.active === 'primary' ? state.region : state.replicaRegion;
  return [
    {
      step: 'health-based failover',
      controlPlane: 'none',
      regions: [],
      basis: accelerator
        ? "Global Accelerator reads each load balancer's target health in its data plane"
        : "Route 53 evaluates the records' health checks and target health in its data plane",
      reference: AWS_REFERENCES.globalServices,
    },
    accelerator
      ? {
          step: `traffic dial (evacuate, restore${runbooks ? ': runbooks' : ''})`,
          controlPlane: 'Global Accelerator API',
          regions: [GLOBAL_ACCELERATOR_CONTROL_PLANE],
          // Step Functions has no Global Accelerator integration: the runbooks call it through SSM
          // Automation documents in the same Region.
          basis: `UpdateEndpointGroup, only in ${GLOBAL_ACCELERATOR_CONTROL_PLANE}${runbooks ? `; the evacuate and restore state machines run there too and call it through SSM Automation, so Step Functions and Systems Manager there as well` : ''}`,
          reference: AWS_REFERENCES.globalServices,
        }
      : {
          step: `${ROUTE53_RECORDS[traffic.mode].records} in or out (evacuate, restore${runbooks ? ': runbooks' : ''})`,
          controlPlane: 'Route 53 API',
          regions: [ROUTE53_CONTROL_PLANE],
          basis: `UpdateHealthCheck on the traffic-switch checks, through the control plane in ${ROUTE53_CONTROL_PLANE}${runbooks ? `; the evacuate and restore state machines run there too` : ''}`,
          reference: AWS_REFERENCES.globalServices,
        },
    ...(accelerator && resilience.healthChecks.enabled && runbooks
      ? [
          {
            step: 'restore reads the health checks',
            controlPlane: 'Route 53 API',
            regions: [ROUTE53_CONTROL_PLANE],
            basis: `GetHealthCheckStatus of the entry and lag checks, through the control plane in ${ROUTE53_CONTROL_PLANE}; failover and evacuation need no Route 53 call in this mode`,
            reference: AWS_REFERENCES.globalServices,
          },
        ]
      : []),
    {
      step: `promote the database${runbooks ? ' (promote-database)' : ''}`,
      controlPlane: 'RDS API',
      regions: [...secondaryRegions],
      basis: `switchover-global-cluster or failover-global-cluster, called in the Region that becomes the writer${resilience.autoPromote ? ` (${resilience.failoverRegion} with autoPromote)` : ''}, so it works while the old primary's Region is down`,
      reference: AWS_REFERENCES.auroraFailover,
    },
    linkBetweenRegions(config),
    ...(config.storage.tables.length > 0
      ? [
          {
            step: 'Terraform changes the global tables (mesh)',
            controlPlane: 'DynamoDB API',
            regions: [...new Set(config.storage.tables.map((table) => table.homeRegion))],
            basis:
              'the provider reads, updates and deletes every replica through its table in the home Region, so mesh waits for that Region; the apps keep reading and writing their own replicas meanwhile, which needs no control plane',
            reference: AWS_REFERENCES.dynamodbGlobalTables,
          },
        ]
      : []),
    {
      step: 'Terraform plans and applies',
      controlPlane: 'S3 and DynamoDB (state bucket and lock table)',
      regions: [stateRegion],
      basis: `state.active is "${state.active}": the state copy in ${stateRegion}; each stack also needs the Regions of its own providers`,
    },
  ];
}

/** The designed recovery of a configuration: pure arithmetic over it and cited AWS figures. */
export function designedRecovery(config: ResolvedConfig): DesignedRecovery {
  return {
    name: config.name,
    primaryRegion: config.primaryRegion,
    regions: config.regions.map((r) => r.region),
    trafficMode: config.traffic.mode,
    mechanisms: [
      targetHealth(config),
      ...(config.resilience.healthChecks.enabled ? [entryHealthChecks(config)] : []),
      auroraSwitchover(config),
      auroraFailover(config),
    ],
    dataLoss: dataStores(config),
    controlPlanes: controlPlanes(config),
  };
}
