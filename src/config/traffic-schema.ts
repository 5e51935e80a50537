import { z } from 'zod';
import {
  FARGATE_CPU_UNITS,
  fargateMemoryOptions,
  IMAGE_REGION_PLACEHOLDER,
  imageInRegion,
  isWorkloadImage,
  misplacedRegionPlaceholder,
  privateEcrImage,
} from '../planning/fargate';
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

export const TrafficSchema = z
  .strictObject({
    mode: z
      .enum(['global-accelerator', 'route53-latency'], {
        error: (issue) => `${JSON.stringify(issue.input)} is not a traffic mode. Fix: use "global-accelerator" or "route53-latency"`,
      })
      .default('global-accelerator')
      .describe('"global-accelerator": two anycast IPs in front of every Region; "route53-latency": latency-based DNS records to each Region\'s load balancer.'),
    accelerator: z
      .strictObject({
        ipAddressType: z
          .enum(['IPV4', 'DUAL_STACK'], { error: (issue) => `${JSON.stringify(issue.input)} is not an address type. Fix: use "IPV4" or "DUAL_STACK"` })
          .default('IPV4')
          .describe(
            '"DUAL_STACK" serves IPv6 clients too: IPv6 addresses on the accelerator, dual-stack load balancers (a dual-stack accelerator accepts only dual-stack endpoints), an Amazon-provided IPv6 block on each VPC with a /64 on each public subnet; the app, database and transit tiers stay IPv4. Needs an internet-facing load balancer.',
          ),
        clientAffinity: z
          .enum(['NONE', 'SOURCE_IP'], { error: (issue) => `${JSON.stringify(issue.input)} is not a client affinity. Fix: use "NONE" or "SOURCE_IP"` })
          .default('NONE')
          .describe('"SOURCE_IP" keeps a client on the same Region while it is healthy.'),
        listenerPorts: z
          .array(port('A TCP port.'))
          .min(1, { error: 'needs at least one port. Fix: list 80, and 443 when every Region has a certificate' })
          .optional()
          .describe('TCP ports the accelerator listens on, each forwarded to the same port of the load balancers. Default: 80, and 443 when every Region has a certificate.'),
        flowLogRetentionDays: retentionDays('flow logs')
          .default(90)
          .describe('Days the accelerator\'s flow logs are kept.'),
      })
      .default({ ipAddressType: 'IPV4', clientAffinity: 'NONE', flowLogRetentionDays: 90 })
      .describe('Global Accelerator settings.'),
    healthCheck: z
      .strictObject({
        protocol: z
          .enum(['HTTP', 'HTTPS', 'TCP'], { error: (issue) => `${JSON.stringify(issue.input)} is not a health check protocol. Fix: use "HTTP", "HTTPS" or "TCP"` })
          .default('HTTP')
          .describe('Protocol of the accelerator\'s health checks of each Region.'),
        path: healthCheckPath.default('/').describe('Path checked over HTTP(S).'),
        port: port('Load balancer port checked. Default: 80, or 443 with HTTPS.').optional(),
        intervalSeconds: z
          .union([z.literal(10), z.literal(30)], { error: 'must be 10 or 30: Global Accelerator offers only these. Fix: use 10 (faster failover) or 30' })
          .default(10)
          .describe('Seconds between health checks: 10 or 30.'),
        thresholdCount: z
          .number()
          .int()
          .min(1, { error: 'must be 1 to 10. Fix: use e.g. 3' })
          .max(10, { error: 'must be 1 to 10. Fix: use e.g. 3' })
          .default(3)
          .describe('Consecutive checks that change a Region\'s health.'),
      })
      .default({ protocol: 'HTTP', path: '/', intervalSeconds: 10, thresholdCount: 3 })
      .describe('How the accelerator decides a Region is healthy.'),
    loadBalancer: z
      .strictObject({
        internal: z
          .boolean()
          .default(false)
          .describe('An internal load balancer, reached only through Global Accelerator (which preserves client IPs).'),
        accessLogRetentionDays: retentionDays('access logs')
          .default(90)
          .describe('Days the load balancer access logs are kept.'),
      })
      .default({ internal: false, accessLogRetentionDays: 90 })
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

export const WorkloadSchema = z
  .union([
    z.literal('none'),
    z
      .strictObject({
        image: z
          .string()
          .refine(isWorkloadImage, { error: 'is not a container image reference. Fix: use e.g. "public.ecr.aws/nginx/nginx:stable-alpine"' })
          .default('public.ecr.aws/nginx/nginx:stable-alpine')
          .describe(
            `Container image of the default web service. In a private ECR registry host, ${IMAGE_REGION_PLACEHOLDER} stands for each Region, so every Region pulls from its own registry (e.g. "111122223333.dkr.ecr.${IMAGE_REGION_PLACEHOLDER}.amazonaws.com/shop/web:1.0"); required with natGateways "none".`,
          ),
        port: port('Port the container listens on.').default(80),
        cpu: z
          .number()
          .refine((cpu) => FARGATE_CPU_UNITS.includes(cpu), { error: `is not a Fargate CPU size. Fix: use one of ${FARGATE_CPU_UNITS.join(', ')}` })
          .default(256)
          .describe('CPU units per task (1024 = 1 vCPU).'),
        memory: z.number().int().default(512).describe('Memory per task, MiB; must be a size Fargate offers for the CPU.'),
        desiredCount: z.number().int().min(1, { error: 'must be at least 1. Fix: run 1 or more tasks' }).default(2).describe('Tasks at deployment.'),
        minCount: z.number().int().min(1, { error: 'must be at least 1. Fix: keep 1 or more tasks' }).default(2).describe('Fewest tasks autoscaling keeps.'),
        maxCount: z.number().int().min(1, { error: 'must be at least 1. Fix: allow 1 or more tasks' }).default(6).describe('Most tasks autoscaling runs.'),
        cpuTargetPercent: z
          .number()
          .int()
          .min(10, { error: 'must be 10 to 90. Fix: use e.g. 60' })
          .max(90, { error: 'must be 10 to 90. Fix: use e.g. 60' })
          .default(60)
          .describe('Average CPU the service scales to keep.'),
        healthCheckPath: healthCheckPath.default('/').describe('Path the load balancer checks on each task.'),
        logRetentionDays: logRetentionDays()
          .default(90)
          .describe('Days the container logs are kept (a CloudWatch Logs retention period).'),
      })
      .describe('An ECS Fargate service behind each Region\'s load balancer.'),
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
    healthCheckPath: '/',
    logRetentionDays: 90,
  })
  .describe('The default workload that keeps every Region healthy from the first deploy, or "none" to bring your own.');

export type ParsedTraffic = z.output<typeof TrafficSchema>;

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
  readonly certificateArn?: string;
}

/** Cross-field rules of traffic and workload; `issue(path, message)` records a problem. */
export function checkTraffic(
  input: {
    readonly accountId: string;
    readonly regions: readonly RegionTraffic[];
    readonly network: NetworkForWorkload;
    readonly traffic: ParsedTraffic;
    readonly workload: ParsedWorkload;
  },
  issue: (path: PropertyKey[], message: string) => void,
): void {
  const { traffic, workload } = input;
  input.regions.forEach((r, i) => {
    if (r.certificateArn === undefined) return;
    const match = /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]{36}$/.exec(r.certificateArn);
    if (!match) {
      issue(['regions', i, 'certificateArn'], 'is not an ACM certificate ARN. Fix: use e.g. "arn:aws:acm:us-east-1:111122223333:certificate/<id>"');
    } else if (match[1] !== r.region) {
      issue(['regions', i, 'certificateArn'], `is a certificate of ${match[1]}; a load balancer in ${r.region} needs one from its own Region. Fix: request or import the certificate in ${r.region}`);
    } else if (match[2] !== input.accountId) {
      issue(['regions', i, 'certificateArn'], `belongs to account ${match[2]}, not ${input.accountId}. Fix: use a certificate of this account`);
    }
  });

  const withCertificates = input.regions.filter((r) => r.certificateArn !== undefined).length;
  const https = withCertificates === input.regions.length;
  if (withCertificates > 0 && !https) {
    const missing = input.regions.filter((r) => r.certificateArn === undefined).map((r) => r.region);
    issue(['regions'], `some Regions have a certificateArn and ${missing.join(', ')} do not; HTTPS must work in every Region that takes traffic. Fix: add a certificate for every Region, or for none`);
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
  if (check.protocol === 'HTTPS' && !https) {
    issue(['traffic', 'healthCheck', 'protocol'], 'HTTPS health checks need an HTTPS listener, which needs a certificateArn in every Region. Fix: use "HTTP", or add the certificates');
  }
  if (check.port !== undefined && !albPorts.includes(check.port) && passes(tcpPort(), check.port)) {
    issue(['traffic', 'healthCheck', 'port'], `the load balancers do not listen on ${check.port}. Fix: use ${albPorts.join(' or ')}`);
  }
  if (traffic.mode === 'global-accelerator' && traffic.accelerator.ipAddressType === 'DUAL_STACK' && traffic.loadBalancer.internal) {
    // A dual-stack load balancer needs IPv6 blocks on all its subnets; an internal one sits in the
    // private subnets, which hold the tasks and stay IPv4-only (no IPv6 route out of them).
    issue(
      ['traffic', 'loadBalancer', 'internal'],
      'an internal load balancer cannot serve traffic.accelerator.ipAddressType "DUAL_STACK": a dual-stack load balancer needs IPv6 on its subnets, and the private subnets stay IPv4-only. Fix: set traffic.loadBalancer.internal to false, or traffic.accelerator.ipAddressType to "IPV4"',
    );
  }
  if (traffic.mode === 'route53-latency' && traffic.route53 === undefined) {
    issue(['traffic', 'route53'], 'is required with mode "route53-latency". Fix: set hostedZoneId and recordName');
  }

  if (workload !== 'none') {
    const memory = fargateMemoryOptions(workload.cpu);
    if (memory && !memory.includes(workload.memory)) {
      issue(['workload', 'memory'], `${workload.memory} MiB does not go with ${workload.cpu} CPU units on Fargate. Fix: use one of ${memory.join(', ')}`);
    }
    checkWorkloadImage(input.accountId, input.regions, input.network, workload.image, issue);
    if (workload.minCount > workload.maxCount) {
      issue(['workload', 'minCount'], `${workload.minCount} is above maxCount ${workload.maxCount}. Fix: make minCount <= maxCount`);
    } else if (workload.desiredCount < workload.minCount || workload.desiredCount > workload.maxCount) {
      issue(['workload', 'desiredCount'], `${workload.desiredCount} is outside minCount to maxCount (${workload.minCount} to ${workload.maxCount}). Fix: pick a count in that range`);
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
    issue(['workload', 'image'], `"${IMAGE_REGION_PLACEHOLDER}" may only stand for the Region of a private ECR registry host, once. Fix: use e.g. ${example}`);
    return;
  }
  if (network.natGateways !== 'none') return;
  const missing = WORKLOAD_INTERFACE_ENDPOINTS.filter((service) => network.interfaceEndpoints !== undefined && !network.interfaceEndpoints.includes(service));
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
