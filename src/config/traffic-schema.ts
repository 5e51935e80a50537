import { z } from 'zod';
import { TARGET_HEALTH_CHECK_DEFAULTS } from '../planning/elb';
import {
  FARGATE_CPU_UNITS,
  fargateMemoryOptions,
  IMAGE_REGION_PLACEHOLDER,
  imageInRegion,
  isWorkloadImage,
  misplacedRegionPlaceholder,
  privateEcrImage,
} from '../planning/fargate';
import { CONTINENT_CODES, parseLocation } from '../planning/geolocation';
import { logRetentionDays, passes, retentionDays, tcpPort } from './fields';

/** Ports the regional load balancers listen on: HTTP always, HTTPS where a certificate is configured. */
export const HTTP_PORT = 80;
export const HTTPS_PORT = 443;

const port = (what: string) => tcpPort().describe(what);

/** Health check paths: "/" and up to 254 more printable ASCII characters. */
export const HEALTH_CHECK_PATH_PATTERN = /^\/[\x21-\x7e]{0,254}$/;

const healthCheckPath = z
  .string()
  .regex(HEALTH_CHECK_PATH_PATTERN, { error: 'must start with "/" and hold at most 255 printable characters. Fix: use e.g. "/healthz"' });

/** HTTP codes an Application Load Balancer target health check accepts: 200 to 499, single or ranges, comma-separated. */
export const HEALTH_CHECK_MATCHER_PATTERN = /^(2\d\d|3\d\d|4\d\d)(-(2\d\d|3\d\d|4\d\d))?(,(2\d\d|3\d\d|4\d\d)(-(2\d\d|3\d\d|4\d\d))?)*$/;

export const ACCELERATOR_DEFAULTS = { ipAddressType: 'IPV4', clientAffinity: 'NONE', flowLogRetentionDays: 90 } as const;
/** A Region's share of accelerator traffic by default: the full dial, the middle weight. */
export const ENDPOINT_DEFAULTS = { trafficDial: 100, endpointWeight: 128 } as const;

export const LOAD_BALANCER_DEFAULTS = { internal: false, deletionProtection: true, accessLogRetentionDays: 90 } as const;

/** A whole number of `unit` from `min` to `max`, with an example in the fix. */
const wholeNumberFrom = (min: number, max: number, unit: string, example: number) => {
  const problem = { error: `must be ${min} to ${max} ${unit}. Fix: use a whole number in that range, e.g. ${example}` };
  return z.number().int(problem).min(min, problem).max(max, problem);
};

const thresholdCount = (state: string) =>
  wholeNumberFrom(2, 10, 'consecutive checks', 3).describe(`Consecutive checks that make a target ${state}.`);

/**
 * Fields that moved: a config that still has one fails with where it went. Global Accelerator
 * ignores its own health settings for load balancer endpoints, so the old accelerator-shaped
 * `traffic.healthCheck` fields had no effect.
 */
export const MOVED_FIELDS: Readonly<Record<string, string>> = {
  'workload.healthCheckPath':
    'moved to traffic.healthCheck.path (one health check for the load balancer, whatever the workload). Fix: set traffic.healthCheck.path instead',
  'traffic.healthCheck.thresholdCount':
    "was split: the load balancer's target health check has unhealthyThresholdCount and healthyThresholdCount (2 to 10). Fix: use traffic.healthCheck.unhealthyThresholdCount",
  'traffic.healthCheck.port': 'is gone: the load balancer checks each target on its own port. Fix: remove it',
};

/** The traffic modes: an accelerator, or one of the Route 53 routing policies to the load balancers. */
export const TRAFFIC_MODES = ['global-accelerator', 'route53-latency', 'route53-geolocation', 'route53-failover'] as const;
export type TrafficModeName = (typeof TRAFFIC_MODES)[number];

/** Whether a mode answers with Route 53 records to the load balancers (no accelerator). */
export function isRoute53Mode(mode: string): boolean {
  return mode.startsWith('route53-');
}

export const TrafficSchema = z
  .strictObject({
    mode: z
      .enum(TRAFFIC_MODES, {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a traffic mode. Fix: use "global-accelerator", "route53-latency", "route53-geolocation" or "route53-failover"`,
      })
      .default('global-accelerator')
      .describe(
        '"global-accelerator": two anycast IPs in front of every Region; "route53-latency": latency-based DNS records to each Region\'s load balancer; "route53-geolocation": each Region answers the locations it serves (traffic.geolocation); "route53-failover": one Region serves at a time, the next in traffic.failover.order takes over when it is unhealthy.',
      ),
    geolocation: z
      .strictObject({
        locations: z
          .record(z.string(), z.array(z.string()))
          .describe(
            `The locations each Region answers, by Region: continent codes (${Object.keys(CONTINENT_CODES).join(', ')}) or ISO 3166-1 alpha-2 country codes as Route 53 accepts them (e.g. "DE", "UA"); "country:NA", "country:SA" and "country:AS" name Namibia, Saudi Arabia and American Samoa, whose codes are also continents. A country record wins over its continent's. Every Region but defaultRegion lists at least one; no location twice.`,
          ),
        defaultRegion: z
          .string()
          .optional()
          .describe('The Region of the default record, which answers every location no Region lists. Default: the primary Region.'),
        fallbackRegion: z
          .string()
          .optional()
          .describe(
            "The Region that takes the default record's users while defaultRegion is unhealthy or evacuated (the default record is a failover pair: defaultRegion, then this one). Default: the first configured Region other than defaultRegion.",
          ),
      })
      .optional()
      .describe(
        'Which Region answers which users (mode "route53-geolocation" only). It routes by the location of the DNS resolver; it does not keep data in a Region.',
      ),
    failover: z
      .strictObject({
        order: z
          .array(z.string())
          .optional()
          .describe('Every Region once, the one that serves first. Default: the primary Region, then the others in config order.'),
      })
      .optional()
      .describe('The order in which Regions take traffic (mode "route53-failover" only).'),
    accelerator: z
      .strictObject({
        ipAddressType: z
          .enum(['IPV4', 'DUAL_STACK'], {
            error: (issue) => `${JSON.stringify(issue.input)} is not an address type. Fix: use "IPV4" or "DUAL_STACK"`,
          })
          .default(ACCELERATOR_DEFAULTS.ipAddressType)
          .describe(
            '"DUAL_STACK" serves IPv6 clients too: IPv6 addresses on the accelerator, dual-stack load balancers (a dual-stack accelerator accepts only dual-stack endpoints), an Amazon-provided IPv6 block on each VPC with a /64 on each public subnet; the app, database and transit tiers stay IPv4. Needs an internet-facing load balancer.',
          ),
        clientAffinity: z
          .enum(['NONE', 'SOURCE_IP'], {
            error: (issue) => `${JSON.stringify(issue.input)} is not a client affinity. Fix: use "NONE" or "SOURCE_IP"`,
          })
          .default(ACCELERATOR_DEFAULTS.clientAffinity)
          .describe('"SOURCE_IP" keeps a client on the same Region while it is healthy.'),
        listenerPorts: z
          .array(port('A TCP port.'))
          .min(1, { error: 'needs at least one port. Fix: list 80, and 443 when every Region has a certificate' })
          .optional()
          .describe(
            'TCP ports the accelerator listens on, each forwarded to the same port of the load balancers. Default: 80, and 443 when every Region has a certificate.',
          ),
        flowLogRetentionDays: retentionDays('flow logs')
          .default(ACCELERATOR_DEFAULTS.flowLogRetentionDays)
          .describe("Days the accelerator's flow logs are kept."),
      })
      .default(ACCELERATOR_DEFAULTS)
      .describe('Global Accelerator settings (mode "global-accelerator" only).'),
    healthCheck: z
      .strictObject({
        protocol: z
          .enum(['HTTP', 'HTTPS'], {
            error: (issue) =>
              `${JSON.stringify(issue.input)} is not a target health check protocol. Fix: use "HTTP", or "HTTPS" if the targets serve TLS`,
          })
          .default(TARGET_HEALTH_CHECK_DEFAULTS.protocol)
          .describe('Protocol the load balancer checks each target with, on the target port: "HTTPS" only if the targets serve TLS.'),
        path: healthCheckPath.default(TARGET_HEALTH_CHECK_DEFAULTS.path).describe('Path checked on each target.'),
        matcher: z
          .string()
          .regex(HEALTH_CHECK_MATCHER_PATTERN, {
            error: 'is not a list of HTTP codes 200 to 499. Fix: use e.g. "200", "200,204" or "200-399"',
          })
          .default(TARGET_HEALTH_CHECK_DEFAULTS.matcher)
          .describe('HTTP codes that mean healthy: codes or ranges from 200 to 499, comma-separated.'),
        intervalSeconds: wholeNumberFrom(5, 300, 'seconds', 10)
          .default(TARGET_HEALTH_CHECK_DEFAULTS.intervalSeconds)
          .describe('Seconds between checks of each target, 5 to 300.'),
        timeoutSeconds: wholeNumberFrom(2, 120, 'seconds', 5)
          .default(TARGET_HEALTH_CHECK_DEFAULTS.timeoutSeconds)
          .describe('Seconds without an answer that fail a check, 2 to 120 and below intervalSeconds.'),
        healthyThresholdCount: thresholdCount('healthy')
          .default(TARGET_HEALTH_CHECK_DEFAULTS.healthyThresholdCount)
          .describe('Consecutive passed checks that make a target healthy again, 2 to 10.'),
        unhealthyThresholdCount: thresholdCount('unhealthy')
          .default(TARGET_HEALTH_CHECK_DEFAULTS.unhealthyThresholdCount)
          .describe('Consecutive failed checks that make a target unhealthy, 2 to 10.'),
      })
      .default(TARGET_HEALTH_CHECK_DEFAULTS)
      .describe(
        "The load balancers' health check of their targets. It also decides failover: a Region whose targets are all unhealthy is unhealthy to Global Accelerator and to Route 53.",
      ),
    loadBalancer: z
      .strictObject({
        internal: z
          .boolean()
          .default(LOAD_BALANCER_DEFAULTS.internal)
          .describe('An internal load balancer, reached only through Global Accelerator (which preserves client IPs).'),
        deletionProtection: z
          .boolean()
          .default(LOAD_BALANCER_DEFAULTS.deletionProtection)
          .describe(
            'Deletion protection and `prevent_destroy` on each load balancer, so no plan can replace or delete one; turn off for a change that replaces them (`internal`), then back on.',
          ),
        accessLogRetentionDays: retentionDays('access logs')
          .default(LOAD_BALANCER_DEFAULTS.accessLogRetentionDays)
          .describe('Days the load balancer access logs are kept.'),
      })
      .default(LOAD_BALANCER_DEFAULTS)
      .describe('The regional Application Load Balancers.'),
    route53: z
      .strictObject({
        hostedZoneId: z
          .string()
          .regex(/^Z[A-Z0-9]{1,31}$/, { error: 'is not a Route 53 hosted zone ID. Fix: use the ID, e.g. "Z0123456789ABCDEFGHIJ"' })
          .describe('The hosted zone that holds the record.'),
        recordName: z
          .string()
          .regex(/^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/, {
            error: 'is not a DNS name. Fix: use e.g. "shop.example.com"',
          })
          .describe('The record to create, e.g. "shop.example.com".'),
      })
      .optional()
      .describe('A DNS name for the layout: an alias to the accelerator, or latency records to the load balancers.'),
  })
  .describe('How users reach the Regions.');

/** The CPU architectures Fargate runs Linux tasks on. */
export const CPU_ARCHITECTURES = ['x86_64', 'arm64'] as const;

const spotWeight = (which: string) =>
  z
    .number()
    .int()
    .min(0, { error: 'must be 0 to 1000. Fix: use e.g. 1' })
    .max(1000, { error: 'must be 0 to 1000. Fix: use e.g. 1' })
    .describe(`Relative share of the tasks beyond the base that run ${which}.`);

export const WorkloadSchema = z
  .union([
    z.literal('none'),
    z
      .strictObject({
        image: z
          .string()
          .refine(isWorkloadImage, {
            error: 'is not a container image reference. Fix: use e.g. "public.ecr.aws/nginx/nginx:stable-alpine"',
          })
          .default('public.ecr.aws/nginx/nginx:stable-alpine')
          .describe(
            `Container image of the default web service. In a private ECR registry host, ${IMAGE_REGION_PLACEHOLDER} stands for each Region, so every Region pulls from its own registry (e.g. "111122223333.dkr.ecr.${IMAGE_REGION_PLACEHOLDER}.amazonaws.com/shop/web:1.0"); required with natGateways "none".`,
          ),
        port: port('Port the container listens on.').default(80),
        cpu: z
          .number()
          .refine((cpu) => FARGATE_CPU_UNITS.includes(cpu), {
            error: `is not a Fargate CPU size. Fix: use one of ${FARGATE_CPU_UNITS.join(', ')}`,
          })
          .meta({ enum: [...FARGATE_CPU_UNITS] })
          .default(256)
          .describe('CPU units per task (1024 = 1 vCPU).'),
        memory: z.number().int().default(512).describe('Memory per task, MiB; must be a size Fargate offers for the CPU.'),
        desiredCount: z
          .number()
          .int()
          .min(1, { error: 'must be at least 1. Fix: run 1 or more tasks' })
          .default(2)
          .describe('Tasks at deployment.'),
        minCount: z
          .number()
          .int()
          .min(1, { error: 'must be at least 1. Fix: keep 1 or more tasks' })
          .default(2)
          .describe('Fewest tasks autoscaling keeps.'),
        maxCount: z
          .number()
          .int()
          .min(1, { error: 'must be at least 1. Fix: allow 1 or more tasks' })
          .default(6)
          .describe('Most tasks autoscaling runs.'),
        cpuTargetPercent: z
          .number()
          .int()
          .min(10, { error: 'must be 10 to 90. Fix: use e.g. 60' })
          .max(90, { error: 'must be 10 to 90. Fix: use e.g. 60' })
          .default(60)
          .describe('Average CPU the service scales to keep.'),
        logRetentionDays: logRetentionDays().default(90).describe('Days the container logs are kept (a CloudWatch Logs retention period).'),
        architecture: z
          .enum(CPU_ARCHITECTURES, {
            error: (issue) => `${JSON.stringify(issue.input)} is not a Fargate CPU architecture. Fix: use "x86_64" or "arm64"`,
          })
          .default('x86_64')
          .describe(
            'CPU architecture of the tasks: "arm64" runs them on Graviton, about 20 % cheaper per vCPU and GB; the image must have an arm64 variant (the default nginx image has).',
          ),
        spot: z
          .strictObject({
            onDemandBase: z
              .number()
              .int()
              .min(1, {
                error:
                  'must be at least 1: Spot capacity can be reclaimed from every task of a Region at once. Fix: keep 1 or more tasks on demand',
              })
              .default(1)
              .describe('Tasks that always run on demand (FARGATE) before any runs on Spot.'),
            onDemandWeight: spotWeight('on demand').default(1),
            spotWeight: spotWeight('on Fargate Spot').default(1),
          })
          .optional()
          .describe(
            'Run the tasks beyond `onDemandBase` on Fargate Spot (up to about 70 % cheaper, reclaimed with a two-minute warning) and on demand, in the ratio of the weights. Default: every task on demand.',
          ),
      })
      .describe("An ECS Fargate service behind each Region's load balancer."),
  ])
  .default({
    image: 'public.ecr.aws/nginx/nginx:stable-alpine',
    port: 80,
    cpu: 256,
    memory: 512,
    desiredCount: 2,
    minCount: 2,
    maxCount: 6,
    cpuTargetPercent: 60,
    logRetentionDays: 90,
    architecture: 'x86_64',
  })
  .describe('The default workload that keeps every Region healthy from the first deploy, or "none" to bring your own.');

export type ParsedTraffic = z.output<typeof TrafficSchema>;

/**
 * The fewest healthy targets of a Region's load balancer below which it reports itself unhealthy to
 * Route 53 (target group health, DNS failover): half the tasks autoscaling always keeps (minCount),
 * rounded up. Below that the Region serves its users on less than half its designed floor, and the other
 * Regions take them while autoscaling and ECS replace the tasks; with the default 2 tasks, 1, so a
 * Region leaves DNS when it has no healthy task. Without the default workload the targets are unknown:
 * 1, the load balancer's own default.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health.html
 */
export function dnsFailoverMinimumHealthyTargets(workload: 'none' | { readonly minCount: number }): number {
  return workload === 'none' ? 1 : Math.ceil(workload.minCount / 2);
}

/** Whether the layout serves IPv6 clients: a dual-stack accelerator, with dual-stack load balancers behind it. */
export function isDualStack(traffic: { readonly mode: string; readonly accelerator: { readonly ipAddressType: string } }): boolean {
  return traffic.mode === 'global-accelerator' && traffic.accelerator.ipAddressType === 'DUAL_STACK';
}
export type ParsedWorkload = z.output<typeof WorkloadSchema>;

/** The network settings the workload's image pulls depend on. */
interface NetworkForWorkload {
  readonly natGateways: string;
  /** As configured: `undefined` takes the no-NAT default list, which holds every service the workload needs. */
  readonly interfaceEndpoints?: readonly string[];
}

interface RegionTraffic {
  readonly region: string;
  readonly primary?: boolean;
  readonly certificateArn?: string;
  readonly trafficDial: number;
  readonly endpointWeight: number;
}

/**
 * The rules of the geolocation and failover settings: each only with its mode, every Region named
 * configured, every location a code Route 53 accepts and claimed once, every Region but the default one
 * answering at least one location (a Region that answers nothing takes no traffic), and a failover
 * order that lists every Region once.
 */
function checkRouting(
  input: { readonly regions: readonly RegionTraffic[]; readonly traffic: ParsedTraffic },
  issue: (path: PropertyKey[], message: string) => void,
): void {
  const { traffic } = input;
  const configured = input.regions.map((r) => r.region);
  const primary = input.regions.find((r) => r.primary)?.region ?? configured[0];
  const unknownRegion = (region: string) =>
    `${JSON.stringify(region)} is not a configured Region. Fix: use one of ${configured.join(', ')}`;

  const { geolocation, failover } = traffic;
  if (geolocation !== undefined && traffic.mode !== 'route53-geolocation') {
    issue(['traffic', 'geolocation'], `only applies with traffic.mode "route53-geolocation". Fix: remove it, or set that mode`);
  }
  if (failover !== undefined && traffic.mode !== 'route53-failover') {
    issue(['traffic', 'failover'], `only applies with traffic.mode "route53-failover". Fix: remove it, or set that mode`);
  }

  if (traffic.mode === 'route53-geolocation') {
    if (geolocation === undefined) {
      issue(
        ['traffic', 'geolocation'],
        `is required with mode "route53-geolocation". Fix: list the locations each Region answers, e.g. "geolocation": { "locations": { "${configured[1] ?? primary}": ["EU"] } }`,
      );
      return;
    }
    const defaultRegion = geolocation.defaultRegion ?? primary;
    if (geolocation.defaultRegion !== undefined && !configured.includes(geolocation.defaultRegion)) {
      issue(['traffic', 'geolocation', 'defaultRegion'], unknownRegion(geolocation.defaultRegion));
    }
    if (geolocation.fallbackRegion !== undefined) {
      if (!configured.includes(geolocation.fallbackRegion)) {
        issue(['traffic', 'geolocation', 'fallbackRegion'], unknownRegion(geolocation.fallbackRegion));
      } else if (geolocation.fallbackRegion === defaultRegion) {
        issue(
          ['traffic', 'geolocation', 'fallbackRegion'],
          `is the defaultRegion (${defaultRegion}), so the default record's users would have nowhere to go while it is down. Fix: name another Region, or remove it`,
        );
      }
    }
    // The default record is an alias to a failover pair named below the record name (geo-default.<name>).
    // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html#domain-name-format-asterisk
    if (traffic.route53?.recordName.startsWith('*.')) {
      issue(
        ['traffic', 'route53', 'recordName'],
        `is a wildcard, and the geolocation default record fails over through a record named below it (geo-default.<recordName>). Fix: use a name without "*."`,
      );
    }
    const claimed = new Map<string, string>();
    for (const [region, codes] of Object.entries(geolocation.locations)) {
      if (!configured.includes(region)) {
        issue(['traffic', 'geolocation', 'locations', region], unknownRegion(region));
        continue;
      }
      codes.forEach((code, i) => {
        const location = parseLocation(code);
        const where = ['traffic', 'geolocation', 'locations', region, i];
        if (location === undefined) {
          issue(
            where,
            `${JSON.stringify(code)} is not a location Route 53 accepts. Fix: use a continent code (${Object.keys(CONTINENT_CODES).join(', ')}) or an ISO 3166-1 alpha-2 country code in capitals, e.g. "DE"`,
          );
          return;
        }
        const key = 'continent' in location ? `continent ${location.continent}` : `country ${location.country}`;
        const owner = claimed.get(key);
        if (owner !== undefined) {
          issue(
            where,
            `${key} is already answered by ${owner}; Route 53 takes one record per location. Fix: list it under one Region only`,
          );
        } else {
          claimed.set(key, region);
        }
      });
    }
    for (const region of configured) {
      if (region !== defaultRegion && (geolocation.locations[region] ?? []).length === 0) {
        issue(
          ['traffic', 'geolocation', 'locations'],
          `${region} answers no location and is not the defaultRegion (${defaultRegion}), so it would take no traffic. Fix: list the continents or countries it serves, e.g. "${region}": ["EU"]`,
        );
      }
    }
  }

  // The chain's nested records are named below the record name; a wildcard's label must stay leftmost.
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html#domain-name-format-asterisk
  if (traffic.mode === 'route53-failover' && configured.length > 2 && traffic.route53?.recordName.startsWith('*.')) {
    issue(
      ['traffic', 'route53', 'recordName'],
      `is a wildcard, and failover over more than two Regions chains records named below it (failover-2.<recordName>). Fix: use a name without "*." , or two Regions`,
    );
  }
  if (traffic.mode === 'route53-failover' && failover?.order !== undefined) {
    const { order } = failover;
    order.forEach((region, i) => {
      if (!configured.includes(region)) issue(['traffic', 'failover', 'order', i], unknownRegion(region));
      else if (order.indexOf(region) !== i)
        issue(['traffic', 'failover', 'order', i], `${region} is listed twice. Fix: list each Region once`);
    });
    const missing = configured.filter((region) => !order.includes(region));
    if (missing.length > 0) {
      issue(
        ['traffic', 'failover', 'order'],
        `leaves out ${missing.join(', ')}, which would take no traffic. Fix: list every configured Region once, the one that serves first`,
      );
    }
  }
}

/** Cross-field rules of traffic and workload; `issue(path, message)` records a problem. */
export function checkTraffic(
  input: {
    readonly accountId: string;
    readonly regions: readonly RegionTraffic[];
    readonly network: NetworkForWorkload;
    readonly traffic: ParsedTraffic;
    readonly workload: ParsedWorkload;
    readonly resilience?: { readonly healthChecks: { readonly enabled: boolean } };
  },
  issue: (path: PropertyKey[], message: string) => void,
): void {
  const { traffic, workload } = input;
  input.regions.forEach((r, i) => {
    if (r.certificateArn === undefined) return;
    const match = /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]{36}$/.exec(r.certificateArn);
    if (!match) {
      issue(
        ['regions', i, 'certificateArn'],
        'is not an ACM certificate ARN. Fix: use e.g. "arn:aws:acm:us-east-1:111122223333:certificate/<id>"',
      );
    } else if (match[1] !== r.region) {
      issue(
        ['regions', i, 'certificateArn'],
        `is a certificate of ${match[1]}; a load balancer in ${r.region} needs one from its own Region. Fix: request or import the certificate in ${r.region}`,
      );
    } else if (match[2] !== input.accountId) {
      issue(
        ['regions', i, 'certificateArn'],
        `belongs to account ${match[2]}, not ${input.accountId}. Fix: use a certificate of this account`,
      );
    }
  });

  const withCertificates = input.regions.filter((r) => r.certificateArn !== undefined).length;
  const https = withCertificates === input.regions.length;
  if (withCertificates > 0 && !https) {
    const missing = input.regions.filter((r) => r.certificateArn === undefined).map((r) => r.region);
    issue(
      ['regions'],
      `some Regions have a certificateArn and ${missing.join(', ')} do not; HTTPS must work in every Region that takes traffic. Fix: add a certificate for every Region, or for none`,
    );
  }
  const albPorts = https ? [HTTP_PORT, HTTPS_PORT] : [HTTP_PORT];

  const ports = traffic.accelerator.listenerPorts ?? [];
  ports.forEach((p, i) => {
    if (ports.indexOf(p) !== i) {
      issue(['traffic', 'accelerator', 'listenerPorts', i], `${p} is listed twice. Fix: list each port once`);
    } else if (!albPorts.includes(p) && passes(tcpPort(), p)) {
      issue(
        ['traffic', 'accelerator', 'listenerPorts', i],
        `the load balancers do not listen on ${p} (they listen on ${albPorts.join(' and ')}). Fix: use ${albPorts.join(' or ')}${https ? '' : ', or configure a certificateArn in every Region for 443'}`,
      );
    }
  });

  const check = traffic.healthCheck;
  if (check.timeoutSeconds >= check.intervalSeconds) {
    issue(
      ['traffic', 'healthCheck', 'timeoutSeconds'],
      `${check.timeoutSeconds} s is not below intervalSeconds ${check.intervalSeconds}; a check must end before the next starts. Fix: lower timeoutSeconds or raise intervalSeconds`,
    );
  }
  if (traffic.mode === 'global-accelerator' && traffic.accelerator.ipAddressType === 'DUAL_STACK' && traffic.loadBalancer.internal) {
    // A dual-stack load balancer needs IPv6 blocks on all its subnets; an internal one sits in the
    // private subnets, which hold the tasks and stay IPv4-only (no IPv6 route out of them).
    issue(
      ['traffic', 'loadBalancer', 'internal'],
      'an internal load balancer cannot serve traffic.accelerator.ipAddressType "DUAL_STACK": a dual-stack load balancer needs IPv6 on its subnets, and the private subnets stay IPv4-only. Fix: set traffic.loadBalancer.internal to false, or traffic.accelerator.ipAddressType to "IPV4"',
    );
  }
  checkRouting(input, issue);
  if (isRoute53Mode(traffic.mode)) {
    if (traffic.route53 === undefined) {
      issue(['traffic', 'route53'], `is required with mode "${traffic.mode}". Fix: set hostedZoneId and recordName`);
    }
    // Every record carries its Region's switch check: without it a drained Region stays in DNS and the
    // runbooks have nothing to turn. evaluate_target_health alone follows the load balancer only.
    if (input.resilience?.healthChecks.enabled === false) {
      issue(
        ['resilience', 'healthChecks', 'enabled'],
        `is false, but the records of traffic.mode "${traffic.mode}" each carry their Region's Route 53 health check. Fix: set it to true, or use traffic.mode "global-accelerator"`,
      );
    }
    // Public DNS records would hand out the private addresses of internal load balancers.
    if (traffic.loadBalancer.internal) {
      issue(
        ['traffic', 'loadBalancer', 'internal'],
        `an internal load balancer has only private addresses, which traffic.mode "${traffic.mode}" would publish in public DNS. Fix: set traffic.loadBalancer.internal to false, or use traffic.mode "global-accelerator"`,
      );
    }
    // Accelerator settings do nothing without the accelerator; a drained Region (trafficDial 0) that
    // still takes traffic is worse than an error.
    const notWithLatency = `only applies with traffic.mode "global-accelerator"; "${traffic.mode}" has no accelerator. Fix: remove it, or use traffic.mode "global-accelerator"`;
    for (const field of ['ipAddressType', 'clientAffinity', 'flowLogRetentionDays'] as const) {
      if (traffic.accelerator[field] !== ACCELERATOR_DEFAULTS[field]) issue(['traffic', 'accelerator', field], notWithLatency);
    }
    if (traffic.accelerator.listenerPorts !== undefined) issue(['traffic', 'accelerator', 'listenerPorts'], notWithLatency);
    input.regions.forEach((r, i) => {
      for (const field of ['trafficDial', 'endpointWeight'] as const) {
        if (r[field] !== ENDPOINT_DEFAULTS[field]) issue(['regions', i, field], notWithLatency);
      }
    });
  }

  if (workload !== 'none') {
    const memory = fargateMemoryOptions(workload.cpu);
    if (memory && !memory.includes(workload.memory)) {
      issue(
        ['workload', 'memory'],
        `${workload.memory} MiB does not go with ${workload.cpu} CPU units on Fargate. Fix: use one of ${memory.join(', ')}`,
      );
    }
    checkWorkloadImage(input.accountId, input.regions, input.network, workload.image, issue);
    if (workload.minCount > workload.maxCount) {
      issue(['workload', 'minCount'], `${workload.minCount} is above maxCount ${workload.maxCount}. Fix: make minCount <= maxCount`);
    } else if (workload.desiredCount < workload.minCount || workload.desiredCount > workload.maxCount) {
      issue(
        ['workload', 'desiredCount'],
        `${workload.desiredCount} is outside minCount to maxCount (${workload.minCount} to ${workload.maxCount}). Fix: pick a count in that range`,
      );
    }
    if (workload.spot) {
      if (workload.spot.onDemandWeight + workload.spot.spotWeight === 0) {
        issue(
          ['workload', 'spot', 'spotWeight'],
          'and onDemandWeight are both 0, so no task beyond the base can start. Fix: give spotWeight 1 or more',
        );
      }
      if (workload.spot.onDemandBase > workload.maxCount) {
        issue(
          ['workload', 'spot', 'onDemandBase'],
          `${workload.spot.onDemandBase} is above maxCount ${workload.maxCount}, so no task would ever run on Spot. Fix: use at most ${workload.maxCount}, or leave spot out`,
        );
      }
    }
  }
}

/**
 * Interface endpoints Fargate tasks need without NAT: the ECR API (authorization token) and Docker
 * registry, and CloudWatch Logs for the awslogs driver. Image layers come from S3 through the gateway
 * endpoint every VPC has.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-version-migration.html
 */
export const WORKLOAD_INTERFACE_ENDPOINTS = ['ecr.api', 'ecr.dkr', 'logs'] as const;

/**
 * Can every Region's tasks pull `image`? Without NAT the tasks reach only their own Region's ECR
 * registries (interface endpoints serve their Region): ECR Public, Docker Hub and other Regions'
 * registries are out of reach. An explicit endpoint list must hold what the pulls and logs need: it
 * is refused rather than completed, because every endpoint is an hourly charge in every AZ that the
 * configuration should show.
 */
function checkWorkloadImage(
  accountId: string,
  regions: readonly RegionTraffic[],
  network: NetworkForWorkload,
  image: string,
  issue: (path: PropertyKey[], message: string) => void,
): void {
  const example = `"${accountId}.dkr.ecr.${IMAGE_REGION_PLACEHOLDER}.amazonaws.com/<repository>:<tag>"`;
  if (misplacedRegionPlaceholder(image)) {
    issue(
      ['workload', 'image'],
      `"${IMAGE_REGION_PLACEHOLDER}" may only stand for the Region of a private ECR registry host, once. Fix: use e.g. ${example}`,
    );
    return;
  }
  if (network.natGateways !== 'none') return;
  // An empty list is refused on its own (network.interfaceEndpoints), so it is not reported again here.
  const listed = network.interfaceEndpoints?.length ? network.interfaceEndpoints : undefined;
  const missing = WORKLOAD_INTERFACE_ENDPOINTS.filter((service) => listed !== undefined && !listed.includes(service));
  if (missing.length > 0) {
    issue(
      ['network', 'interfaceEndpoints'],
      `lacks ${missing.join(', ')}, which the workload's tasks need with network.natGateways "none" (image pulls, container logs). Fix: add them, or set workload to "none"`,
    );
  }
  const withNat = 'or set network.natGateways to "single" or "per-az"';
  const registry = privateEcrImage(image);
  if (!registry) {
    issue(
      ['workload', 'image'],
      `"${image}" is not in a private ECR registry, and with network.natGateways "none" the tasks reach no other registry (ECR Public has no VPC endpoint). Fix: push the image to ECR in every Region and use e.g. ${example}, ${withNat}`,
    );
    return;
  }
  const unreachable = regions.map((r) => r.region).filter((region) => privateEcrImage(imageInRegion(image, region))!.region !== region);
  if (unreachable.length > 0) {
    const regional = image.replace(`.dkr.ecr.${registry.region}.`, `.dkr.ecr.${IMAGE_REGION_PLACEHOLDER}.`);
    issue(
      ['workload', 'image'],
      `is in the ${registry.region} registry, which tasks in ${unreachable.join(', ')} cannot reach with network.natGateways "none" (VPC endpoints serve their own Region). Fix: replicate the repository to every Region (ECR replication) and write its Region as ${IMAGE_REGION_PLACEHOLDER}: "${regional}", ${withNat}`,
    );
  }
}
