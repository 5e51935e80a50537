import { DEFAULT_ENGINE_VERSION, defaultPort, SERVERLESS_INSTANCE_CLASS, type AuroraEngine } from '../planning/aurora';
import { transitGatewayAsn, type AsnRange } from '../planning/asn';
import { parseCidr, prefixLength } from '../planning/cidr';
import type { TargetHealthCheck } from '../planning/elb';
import type { PeeringTopology } from '../planning/pairs';
import type { ReplicaStorageClass } from '../planning/s3';
import { defaultNewBits, planSubnets, type SubnetNewBits, type SubnetPlan } from '../planning/subnets';
import { AWS_REGIONS } from './regions';
import { definedOnly, NO_NAT_INTERFACE_ENDPOINTS, type LINK_KINDS, type ParsedConfig, type STATE_LOCATIONS } from './schema';

import { provisionedCapacity, type KeyType, type ProvisionedCapacity } from './tables-schema';
import { HTTP_PORT, HTTPS_PORT, type TrafficModeName } from './traffic-schema';

/** Which copy of the state the stacks use (see the `state.active` config field). */
export type ActiveStateCopy = (typeof STATE_LOCATIONS)[number];
/** What carries private traffic between Regions (`topology.link`). */
export type LinkKind = (typeof LINK_KINDS)[number];

/** A Region with every default applied. */
export interface ResolvedRegion {
  readonly region: string;
  readonly cidr: string;
  readonly azs: readonly string[];
  readonly primary: boolean;
  /** Subnet sizes of this Region's VPC (defaults relative to its prefix, then the configured ones). */
  readonly subnetNewBits: SubnetNewBits;
  /** The subnets of every tier in every AZ. */
  readonly subnets: SubnetPlan;
  /** The Transit Gateway's Amazon-side ASN. */
  readonly transitGatewayAsn: number;
  /** ACM certificate for the load balancer's HTTPS listener. */
  readonly certificateArn?: string;
  /** Global Accelerator traffic dial, percent. */
  readonly trafficDial: number;
  /** Weight of the load balancer in the Region's endpoint group. */
  readonly endpointWeight: number;
}

export type NatMode = 'per-az' | 'single' | 'none';

export interface ResolvedTraffic {
  readonly mode: TrafficModeName;
  /** Mode `route53-geolocation`: the locations of each Region (every Region present), and the Region of the default record. */
  readonly geolocation?: {
    readonly locations: Readonly<Record<string, readonly string[]>>;
    readonly defaultRegion: string;
    /** Where the default record's users go while the default Region is unhealthy. */
    readonly fallbackRegion: string;
  };
  /** Mode `route53-failover`: every Region once, the one that serves first. */
  readonly failover?: { readonly order: readonly string[] };
  readonly accelerator: {
    readonly ipAddressType: 'IPV4' | 'DUAL_STACK';
    readonly clientAffinity: 'NONE' | 'SOURCE_IP';
    /** With the default applied: 80, and 443 when every Region has a certificate. */
    readonly listenerPorts: readonly number[];
    readonly flowLogRetentionDays: number;
  };
  /** The load balancers' health check of their targets, which also decides failover. */
  readonly healthCheck: TargetHealthCheck & { readonly protocol: 'HTTP' | 'HTTPS' };
  readonly loadBalancer: { readonly internal: boolean; readonly deletionProtection: boolean; readonly accessLogRetentionDays: number };
  /** The ports the load balancers listen on: 80, and 443 when every Region has a certificate. */
  readonly loadBalancerPorts: readonly number[];
  readonly route53?: { readonly hostedZoneId: string; readonly recordName: string };
}

export interface ResolvedWorkload {
  readonly image: string;
  readonly port: number;
  readonly cpu: number;
  readonly memory: number;
  readonly desiredCount: number;
  readonly minCount: number;
  readonly maxCount: number;
  readonly cpuTargetPercent: number;
  readonly logRetentionDays: number;
  readonly architecture: 'x86_64' | 'arm64';
  /** Set when tasks beyond the on-demand base may run on Fargate Spot. */
  readonly spot?: { readonly onDemandBase: number; readonly onDemandWeight: number; readonly spotWeight: number };
}

export interface ResolvedDatabase {
  readonly engine: AuroraEngine;
  readonly engineVersion: string;
  readonly port: number;
  readonly databaseName: string;
  readonly masterUsername: string;
  readonly masterPasswordVersion: number;
  readonly instanceClass: string;
  /** Set when `instanceClass` is `db.serverless`. */
  readonly serverless?: { readonly minCapacity: number; readonly maxCapacity: number };
  readonly instances: { readonly primary: number; readonly secondary: number };
  readonly backupRetentionDays: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  readonly deletionProtection: boolean;
  readonly writeForwarding: boolean;
  readonly performanceInsightsRetentionDays: number;
  readonly monitoringInterval: number;
  readonly logRetentionDays: number;
}

export interface ResolvedBucket {
  readonly name: string;
  readonly replicationTimeControl: boolean;
  readonly noncurrentVersionExpirationDays: number;
  readonly replicaStorageClass: ReplicaStorageClass;
  readonly forceDestroy: boolean;
}

/** A DynamoDB global table with its home Region resolved (see `storage.tables`). */
export interface ResolvedTable {
  readonly name: string;
  readonly partitionKey: TableKey;
  readonly sortKey?: TableKey;
  readonly globalSecondaryIndexes: readonly {
    readonly name: string;
    readonly partitionKey: TableKey;
    readonly sortKey?: TableKey;
    readonly projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
    readonly nonKeyAttributes?: readonly string[];
  }[];
  readonly ttlAttribute?: string;
  /** Provisioned capacity with defaults applied, or `undefined` for on-demand. */
  readonly provisioned?: ProvisionedCapacity;
  /** Always `eventual`: validation refuses `strong`. */
  readonly consistency: 'eventual';
  /** The Region of the table resource: `homeRegion`, or the primary Region. */
  readonly homeRegion: string;
  readonly deletionProtection: boolean;
  readonly replicationLatencyThresholdMs: number;
}

/** A key attribute of a table or index. */
export interface TableKey {
  readonly name: string;
  readonly type: KeyType;
}

export interface ResolvedResilience {
  readonly healthChecks: {
    readonly enabled: boolean;
    readonly requestIntervalSeconds: 10 | 30;
    readonly failureThreshold: number;
    readonly searchString?: string;
  };
  readonly alarms: { readonly evaluationPeriods: number; readonly http5xxPercent: number; readonly replicationLagSeconds: number };
  readonly runbooks: {
    readonly enabled: boolean;
    readonly timeoutMinutes: number;
    readonly logRetentionDays: number;
  };
  /** The secondary Region `autoPromote` promotes: as configured, or the first secondary Region. */
  readonly failoverRegion: string;
  readonly autoEvacuate: boolean;
  readonly autoPromote: boolean;
  readonly gameDay: boolean;
  /** Minutes each game day experiment holds its faults. */
  readonly gameDayDurationMinutes: number;
}

/** The validated configuration with every default applied; frozen, so nothing downstream mutates it. */
export interface ResolvedConfig {
  readonly name: string;
  readonly accountId: string;
  /** In config order. */
  readonly regions: readonly ResolvedRegion[];
  readonly primaryRegion: string;
  /** Regions other than the primary, in config order. */
  readonly secondaryRegions: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly state: {
    readonly region: string;
    readonly replicaRegion: string;
    readonly noncurrentVersionExpirationDays: number;
    readonly useLockfile: boolean;
    /** The state bucket and lock table in use: in `region` (`primary`) or in `replicaRegion`. */
    readonly active: ActiveStateCopy;
  };
  readonly topology: {
    readonly peering: PeeringTopology;
    /** What carries private traffic between the linked Regions. */
    readonly link: LinkKind;
    /** Region stacks keep their Transit Gateway hubs while `link` is not `transit-gateway`. */
    readonly keepTransitGateways: boolean;
  };
  readonly storage: {
    readonly buckets: readonly ResolvedBucket[];
    readonly tables: readonly ResolvedTable[];
    readonly accessLogRetentionDays: number;
  };
  readonly alerts: { readonly emails: readonly string[] };
  readonly resilience: ResolvedResilience;
  readonly database: ResolvedDatabase;
  readonly traffic: ResolvedTraffic;
  /** The default workload, or `none`. */
  readonly workload: ResolvedWorkload | 'none';
  /** Regions removed from `regions` whose links `mesh` still has to delete (see the `retiredRegions` config field). */
  readonly retiredRegions: readonly string[];
  /** Protections off, so that `cdktf destroy` can complete (see the `decommission` config field). */
  readonly decommission: boolean;
  readonly network: {
    readonly natGateways: NatMode;
    /** Interface endpoint services, with the no-NAT default applied. */
    readonly interfaceEndpoints: readonly string[];
    readonly flowLogs: { readonly retentionDays: number; readonly trafficType: 'ALL' | 'ACCEPT' | 'REJECT' };
    readonly transitGatewayAsnRange: AsnRange;
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

function defaultAzs(region: string): string[] {
  const letters = AWS_REGIONS[region]?.defaultAzLetters;
  if (!letters) {
    throw new Error(`no default Availability Zones for ${region}; validation should have required "azs"`);
  }
  return letters.map((letter) => `${region}${letter}`);
}

/** Applies the defaults that depend on other fields. Expects output of a successful parse. */
function planOrThrow(cidr: string, azs: readonly string[], newBits: SubnetNewBits): SubnetPlan {
  const result = planSubnets(cidr, azs, newBits);
  if ('problem' in result) throw new Error(`subnet plan of ${cidr}: ${result.problem}; validation should have caught it`);
  return result.plan;
}

function resolveTraffic(
  traffic: ParsedConfig['traffic'],
  https: boolean,
  regions: readonly string[],
  primaryRegion: string,
): ResolvedTraffic {
  const loadBalancerPorts = https ? [HTTP_PORT, HTTPS_PORT] : [HTTP_PORT];
  const { geolocation } = traffic;
  return {
    mode: traffic.mode,
    ...(traffic.mode === 'route53-geolocation' && geolocation
      ? {
          geolocation: {
            locations: Object.fromEntries(regions.map((region) => [region, [...(geolocation.locations[region] ?? [])]])),
            defaultRegion: geolocation.defaultRegion ?? primaryRegion,
            fallbackRegion: geolocation.fallbackRegion ?? regions.find((r) => r !== (geolocation.defaultRegion ?? primaryRegion))!,
          },
        }
      : {}),
    ...(traffic.mode === 'route53-failover'
      ? { failover: { order: traffic.failover?.order ?? [primaryRegion, ...regions.filter((r) => r !== primaryRegion)] } }
      : {}),
    accelerator: { ...traffic.accelerator, listenerPorts: traffic.accelerator.listenerPorts ?? loadBalancerPorts },
    healthCheck: { ...traffic.healthCheck },
    loadBalancer: { ...traffic.loadBalancer },
    loadBalancerPorts,
    ...(traffic.route53 ? { route53: { ...traffic.route53 } } : {}),
  };
}

function resolveDatabase(db: ParsedConfig['database']): ResolvedDatabase {
  const { engineVersion, serverless, ...rest } = db;
  return {
    ...rest,
    engineVersion: engineVersion ?? DEFAULT_ENGINE_VERSION[db.engine],
    port: defaultPort(db.engine),
    instances: { ...db.instances },
    ...(db.instanceClass === SERVERLESS_INSTANCE_CLASS ? { serverless: serverless ?? { minCapacity: 0.5, maxCapacity: 16 } } : {}),
  };
}

export function resolveConfig(parsed: ParsedConfig): ResolvedConfig {
  const { network } = parsed;
  const regions = parsed.regions.map((r) => {
    const azs = r.azs ?? defaultAzs(r.region);
    const parsedCidr = parseCidr(r.cidr);
    if (!('range' in parsedCidr)) throw new Error(`${r.cidr}: ${parsedCidr.problem}`);
    const subnetNewBits = { ...defaultNewBits(prefixLength(parsedCidr.range)), ...definedOnly(network.subnetNewBits) };
    return {
      region: r.region,
      cidr: r.cidr,
      azs,
      primary: r.primary,
      subnetNewBits,
      subnets: planOrThrow(r.cidr, azs, subnetNewBits),
      transitGatewayAsn: transitGatewayAsn(r.region, network.transitGatewayAsnRange),
      ...(r.certificateArn ? { certificateArn: r.certificateArn } : {}),
      trafficDial: r.trafficDial,
      endpointWeight: r.endpointWeight,
    };
  });
  const primaryRegion = regions.find((r) => r.primary)!.region;
  const stateRegion = parsed.state.region ?? primaryRegion;
  const replicaRegion = parsed.state.replicaRegion ?? regions.map((r) => r.region).find((r) => r !== stateRegion)!;
  return deepFreeze({
    name: parsed.name,
    accountId: parsed.accountId,
    regions,
    primaryRegion,
    secondaryRegions: regions.filter((r) => !r.primary).map((r) => r.region),
    tags: { ...parsed.tags },
    state: {
      region: stateRegion,
      replicaRegion,
      noncurrentVersionExpirationDays: parsed.state.noncurrentVersionExpirationDays,
      useLockfile: parsed.state.useLockfile,
      active: parsed.state.active,
    },
    topology: { ...parsed.topology },
    storage: {
      buckets: parsed.storage.buckets.map((bucket) => ({ ...bucket })),
      tables: parsed.storage.tables.map(({ billing, ...table }) =>
        structuredClone({
          ...definedOnly(table),
          ...definedOnly({ provisioned: provisionedCapacity(billing) }),
          consistency: 'eventual' as const,
          homeRegion: table.homeRegion ?? primaryRegion,
        }),
      ) as ResolvedTable[],
      accessLogRetentionDays: parsed.storage.accessLogRetentionDays,
    },
    alerts: { emails: [...parsed.alerts.emails] },
    resilience: {
      healthChecks: { ...parsed.resilience.healthChecks },
      alarms: { ...parsed.resilience.alarms },
      runbooks: { ...parsed.resilience.runbooks },
      failoverRegion: parsed.resilience.failoverRegion ?? regions.find((r) => !r.primary)!.region,
      autoEvacuate: parsed.resilience.autoEvacuate,
      autoPromote: parsed.resilience.autoPromote,
      gameDay: parsed.resilience.gameDay,
      gameDayDurationMinutes: parsed.resilience.gameDayDurationMinutes,
    },
    database: resolveDatabase(parsed.database),
    traffic: resolveTraffic(
      parsed.traffic,
      regions.every((r) => r.certificateArn !== undefined),
      regions.map((r) => r.region),
      primaryRegion,
    ),
    workload: parsed.workload === 'none' ? 'none' : { ...parsed.workload },
    retiredRegions: parsed.retiredRegions,
    decommission: parsed.decommission,
    network: {
      natGateways: network.natGateways,
      interfaceEndpoints: network.interfaceEndpoints ?? (network.natGateways === 'none' ? [...NO_NAT_INTERFACE_ENDPOINTS] : []),
      flowLogs: { ...network.flowLogs },
      transitGatewayAsnRange: { ...network.transitGatewayAsnRange },
    },
  });
}
